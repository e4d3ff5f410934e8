'use strict'

// The fused call against the JavaScript chains it replaces, in one process. Every contender does
// the same six steps on the same request; they are checked to agree before anything is timed.
// Usage: npm run bench [-- --iterations 100000 --rounds 7]

const assert = require('node:assert')
const { createSecretKey, generateKeyPairSync, createSign } = require('node:crypto')
const os = require('node:os')
const jwt = require('jsonwebtoken')
const { createVerifier } = require('fast-jwt')
const nodeRsJwt = require('@node-rs/jsonwebtoken')
const { Authenticator, authenticateRequest } = require('..')
const { createChain } = require('./chain')

const { arg } = require('./cli')
const ITERATIONS = arg('iterations', 100_000)
const ROUNDS = arg('rounds', 7)
const WARMUP = 20_000

const SECRET = 'benchmark-access-secret-0123456789abcdef'
const ISSUER = 'auth-shield-bench'
// Large enough that no contender is limited during the run; the limiter still does its work.
const LIMITS = { max: 1e9, refill: 1e6 }
const config = {
  accessSecret: SECRET,
  refreshSecret: 'benchmark-refresh-secret-0123456789abcdef',
  issuer: ISSUER,
  rateLimitMax: LIMITS.max,
  rateLimitRefill: LIMITS.refill,
  enforceTenantMatch: true,
}

const auth = new Authenticator(config)
const token = auth.signAccessToken(
  {
    sub: 'user-4711',
    email: 'ada@example.com',
    role: 'admin',
    permissions: ['read', 'write', 'billing'],
    tenant_id: 'acme',
  },
  { expiresIn: '1h' },
)
const request = ['Bearer ' + token, 'acme', 'acme.api.example.com:8443']

const jwtCodes = (e) =>
  e.name === 'TokenExpiredError'
    ? 'TOKEN_EXPIRED'
    : e.message === 'invalid signature'
      ? 'INVALID_SIGNATURE'
      : 'TOKEN_MALFORMED'
const coded = (mapper) => (verify) => (t) => {
  try {
    return verify(t)
  } catch (e) {
    throw Object.assign(new Error(e.message), { code: mapper(e) })
  }
}

const keyObject = createSecretKey(Buffer.from(SECRET))
const fastVerify = createVerifier({ key: SECRET, algorithms: ['HS256'], allowedIss: ISSUER, cache: false })
const nodeRsKey = Buffer.from(SECRET)
const nodeRsValidation = { algorithms: [nodeRsJwt.Algorithm.HS256], iss: [ISSUER], validateExp: true }

const contenders = {
  'auth-shield Authenticator#authenticate': () => auth.authenticate(...request),
  'auth-shield authenticateRequest (reused config)': () => authenticateRequest(...request, config),
  'JS chain: jsonwebtoken, string secret': bind(
    createChain(
      coded(jwtCodes)((t) => jwt.verify(t, SECRET, { algorithms: ['HS256'], issuer: ISSUER })),
      LIMITS,
    ),
  ),
  'JS chain: jsonwebtoken, KeyObject': bind(
    createChain(
      coded(jwtCodes)((t) => jwt.verify(t, keyObject, { algorithms: ['HS256'], issuer: ISSUER })),
      LIMITS,
    ),
  ),
  'JS chain: fast-jwt (no cache)': bind(
    createChain(
      coded(
        (e) =>
          ({ FAST_JWT_EXPIRED: 'TOKEN_EXPIRED', FAST_JWT_INVALID_SIGNATURE: 'INVALID_SIGNATURE' })[e.code] ||
          'TOKEN_MALFORMED',
      )(fastVerify),
      LIMITS,
    ),
  ),
  'JS chain: @node-rs/jsonwebtoken verifySync': bind(
    createChain(
      coded((e) =>
        /Expired/.test(e.message)
          ? 'TOKEN_EXPIRED'
          : /InvalidSignature/.test(e.message)
            ? 'INVALID_SIGNATURE'
            : 'TOKEN_MALFORMED',
      )((t) => nodeRsJwt.verifySync(t, nodeRsKey, nodeRsValidation)),
      LIMITS,
    ),
  ),
}

function bind(chain, args = request) {
  return () => chain(...args)
}

// An identity provider's token (Entra ID's shape: RS256, `oid`, `tid`, `roles`, `scp`), read
// through a claim map by auth-shield and by the same mapping written in the JS chain.
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
const rsaPublic = rsa.publicKey.export({ type: 'spki', format: 'pem' })
const providerConfig = {
  keys: [{ kid: 'idp-1', alg: 'RS256', publicKey: rsaPublic }],
  issuer: ISSUER,
  audience: 'api://orders',
  accessTokenMark: 'none',
  claims: { userId: 'oid', tenantId: 'tid', roles: 'roles', permissions: 'scp' },
  rateLimitMax: LIMITS.max,
  rateLimitRefill: LIMITS.refill,
}
const now = Math.floor(Date.now() / 1000)
const providerClaims = {
  aud: 'api://orders',
  iss: ISSUER,
  iat: now,
  nbf: now,
  exp: now + 3600,
  oid: 'oid-4711',
  tid: 'acme',
  sub: 'pairwise-sub',
  roles: ['Orders.Admin'],
  scp: 'Orders.Read Orders.Write',
  name: 'Ada',
  ver: '2.0',
}
const segment = (v) => Buffer.from(JSON.stringify(v)).toString('base64url')
const signingInput = `${segment({ alg: 'RS256', typ: 'JWT', kid: 'idp-1' })}.${segment(providerClaims)}`
const rsaToken = `${signingInput}.${createSign('sha256').update(signingInput).sign(rsa.privateKey).toString('base64url')}`
const rsaRequest = ['Bearer ' + rsaToken, 'acme', 'acme.api.example.com:8443']
const providerAuth = new Authenticator(providerConfig)
const fastRsa = createVerifier({
  key: rsaPublic,
  algorithms: ['RS256'],
  allowedIss: ISSUER,
  allowedAud: 'api://orders',
  cache: false,
})
const entraTokens = {
  isAccess: (c) => c.nonce === undefined && c.at_hash === undefined && (c.type === undefined || c.type === 'access'),
  read: (c) => ({
    sub: c.oid,
    email: c.email ?? null,
    role: c.roles ?? null,
    permissions: typeof c.scp === 'string' ? c.scp.split(' ').filter(Boolean) : (c.scp ?? []),
    tenantId: c.tid,
  }),
}
const rsaContenders = {
  'auth-shield authenticate, RS256, claims mapped': () => providerAuth.authenticate(...rsaRequest),
  'JS chain: fast-jwt RS256 (no cache), same mapping': bind(
    createChain(
      coded(
        (e) =>
          ({ FAST_JWT_EXPIRED: 'TOKEN_EXPIRED', FAST_JWT_INVALID_SIGNATURE: 'INVALID_SIGNATURE' })[e.code] ||
          'TOKEN_MALFORMED',
      )(fastRsa),
      LIMITS,
      entraTokens,
    ),
    rsaRequest,
  ),
}

function agree(contenders) {
  const strip = ({ requestId, ...rest }) => rest
  const results = Object.entries(contenders).map(([name, run]) => [name, run()])
  const [, reference] = results[0]
  assert.equal(reference.authenticated, true, 'the benchmark token must authenticate')
  assert.match(reference.requestId, /^[0-9a-f-]{36}$/)
  for (const [name, result] of results) {
    assert.deepStrictEqual(
      { ...strip(result), rateLimitRemaining: 0 },
      { ...strip(reference), rateLimitRemaining: 0 },
      `${name} disagrees with auth-shield`,
    )
  }
}

let sink
function measure(run, n) {
  const start = process.hrtime.bigint()
  for (let i = 0; i < n; i++) sink = run()
  return Number(process.hrtime.bigint() - start) / n / 1000
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/** Median-able samples per contender, in rounds of rotated order. */
function sample(contenders, iterations, warmup) {
  const names = Object.keys(contenders)
  const samples = Object.fromEntries(names.map((n) => [n, []]))
  for (const name of names) measure(contenders[name], warmup)
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order so no contender always runs first (or right after the garbage of another).
    const order = names.map((_, i) => names[(i + round) % names.length])
    for (const name of order) samples[name].push(measure(contenders[name], iterations))
  }
  return samples
}

function main() {
  agree(contenders)
  agree(rsaContenders)
  const names = Object.keys(contenders)
  const samples = sample(contenders, ITERATIONS, WARMUP)
  if (!sink) throw new Error('unreachable')
  const cpu = os.cpus()[0]
  console.log(`auth-shield benchmark: ${ITERATIONS.toLocaleString('en')} iterations x ${ROUNDS} rounds per contender`)
  console.log(
    `${cpu ? cpu.model : 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}, ${os.platform()} ${os.arch()}`,
  )
  console.log()
  const ours = median(samples[names[0]])
  const rows = names.map((name) => {
    const xs = samples[name]
    const med = median(xs)
    return {
      contender: name,
      'µs/op (median)': med.toFixed(3),
      spread: `${Math.min(...xs).toFixed(3)}–${Math.max(...xs).toFixed(3)}`,
      'ops/s': Math.round(1e6 / med).toLocaleString('en'),
      'vs Authenticator': name === names[0] ? '1.00x' : `${(med / ours).toFixed(2)}x slower`,
    }
  })
  console.table(rows)
  const fast = median(samples['JS chain: fast-jwt (no cache)'])
  const viaConfig = median(samples[names[1]])
  console.log(
    `Authenticator#authenticate: ${ours.toFixed(3)} µs (target ≤ 1.5), ${(fast / ours).toFixed(2)}x the fast-jwt chain (target ≥ 3x)`,
  )
  console.log(
    `authenticateRequest: ${(((viaConfig - ours) / ours) * 100).toFixed(1)}% over Authenticator#authenticate (target ≤ 15%)`,
  )

  // Signature math dominates here; the claim map and the chain are what differ.
  const rsaSamples = sample(rsaContenders, Math.ceil(ITERATIONS / 40), Math.ceil(WARMUP / 40))
  const [rsaOurs, rsaFast] = Object.keys(rsaContenders).map((n) => median(rsaSamples[n]))
  console.log()
  console.table(
    Object.keys(rsaContenders).map((name) => ({
      contender: name,
      'µs/op (median)': median(rsaSamples[name]).toFixed(3),
      spread: `${Math.min(...rsaSamples[name]).toFixed(3)}–${Math.max(...rsaSamples[name]).toFixed(3)}`,
    })),
  )
  console.log(
    `RS256 with claim mapping: ${rsaOurs.toFixed(3)} µs, ${(rsaFast / rsaOurs).toFixed(2)}x the fast-jwt RS256 chain (target ≥ 1.05x)`,
  )
}

main()
