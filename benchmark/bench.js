'use strict'

// The fused call against the JavaScript chains it replaces, in one process. Every contender does
// the same six steps on the same request; they are checked to agree before anything is timed.
// Usage: npm run bench [-- --iterations 100000 --rounds 7]

const assert = require('node:assert')
const { createSecretKey } = require('node:crypto')
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
  { sub: 'user-4711', email: 'ada@example.com', role: 'admin', permissions: ['read', 'write', 'billing'], tenant_id: 'acme' },
  { expiresIn: '1h' },
)
const request = ['Bearer ' + token, 'acme', 'acme.api.example.com:8443']

const jwtCodes = (e) =>
  e.name === 'TokenExpiredError' ? 'TOKEN_EXPIRED' : e.message === 'invalid signature' ? 'INVALID_SIGNATURE' : 'TOKEN_MALFORMED'
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
  'JS chain: jsonwebtoken, string secret': bind(createChain(
    coded(jwtCodes)((t) => jwt.verify(t, SECRET, { algorithms: ['HS256'], issuer: ISSUER })), LIMITS)),
  'JS chain: jsonwebtoken, KeyObject': bind(createChain(
    coded(jwtCodes)((t) => jwt.verify(t, keyObject, { algorithms: ['HS256'], issuer: ISSUER })), LIMITS)),
  'JS chain: fast-jwt (no cache)': bind(createChain(
    coded((e) => ({ FAST_JWT_EXPIRED: 'TOKEN_EXPIRED', FAST_JWT_INVALID_SIGNATURE: 'INVALID_SIGNATURE' })[e.code] || 'TOKEN_MALFORMED')(fastVerify), LIMITS)),
  'JS chain: @node-rs/jsonwebtoken verifySync': bind(createChain(
    coded((e) => (/Expired/.test(e.message) ? 'TOKEN_EXPIRED' : /InvalidSignature/.test(e.message) ? 'INVALID_SIGNATURE' : 'TOKEN_MALFORMED'))(
      (t) => nodeRsJwt.verifySync(t, nodeRsKey, nodeRsValidation)), LIMITS)),
}

function bind(chain) {
  return () => chain(...request)
}

function agree() {
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

function main() {
  agree()
  const names = Object.keys(contenders)
  const samples = Object.fromEntries(names.map((n) => [n, []]))
  for (const name of names) measure(contenders[name], WARMUP)
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order so no contender always runs first (or right after the garbage of another).
    const order = names.map((_, i) => names[(i + round) % names.length])
    for (const name of order) samples[name].push(measure(contenders[name], ITERATIONS))
  }
  if (!sink) throw new Error('unreachable')
  const cpu = os.cpus()[0]
  console.log(`auth-shield benchmark: ${ITERATIONS.toLocaleString('en')} iterations x ${ROUNDS} rounds per contender`)
  console.log(`${cpu ? cpu.model : 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}, ${os.platform()} ${os.arch()}`)
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
  console.log(`Authenticator#authenticate: ${ours.toFixed(3)} µs (target ≤ 1.5), ${(fast / ours).toFixed(2)}x the fast-jwt chain (target ≥ 3x)`)
  console.log(`authenticateRequest: ${(((viaConfig - ours) / ours) * 100).toFixed(1)}% over Authenticator#authenticate (target ≤ 15%)`)
}

main()
