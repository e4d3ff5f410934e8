'use strict'

// Issue-5 figures, side by side in one process: the fused call with and without the
// verified-token cache against fast-jwt with and without its cache, and RS256 / ES256
// verification against jsonwebtoken, fast-jwt and jose. Usage: npm run bench:lifecycle
// [-- --iterations 50000 --rounds 5]

const crypto = require('node:crypto')
const os = require('node:os')
const jwt = require('jsonwebtoken')
const jose = require('jose')
const { createVerifier } = require('fast-jwt')
const { Authenticator } = require('..')
const { arg } = require('./cli')

const ITERATIONS = arg('iterations', 50_000)
const ROUNDS = arg('rounds', 5)
const SECRET = 'benchmark-access-secret-0123456789abcdef'
const LIMITS = { rateLimitMax: 1e9, rateLimitRefill: 1e6 }
const CLAIMS = {
  sub: 'user-4711',
  email: 'ada@example.com',
  role: 'admin',
  permissions: ['read', 'write', 'billing'],
  tenant_id: 'acme',
}

let sink
function measure(run, n) {
  const start = process.hrtime.bigint()
  for (let i = 0; i < n; i++) sink = run()
  return Number(process.hrtime.bigint() - start) / n / 1000
}

function measureAsync(run, n) {
  return (async () => {
    const start = process.hrtime.bigint()
    for (let i = 0; i < n; i++) sink = await run()
    return Number(process.hrtime.bigint() - start) / n / 1000
  })()
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/** Interleaved rounds; returns the median µs/op per contender. */
async function table(title, contenders, iterations) {
  const names = Object.keys(contenders)
  const samples = Object.fromEntries(names.map((n) => [n, []]))
  for (const [name, { run, isAsync }] of Object.entries(contenders)) {
    if (isAsync) await measureAsync(run, Math.ceil(iterations / 10))
    else measure(run, Math.ceil(iterations / 10))
    samples[name] = []
  }
  for (let r = 0; r < ROUNDS; r++) {
    for (const name of names.map((_, i) => names[(i + r) % names.length])) {
      const { run, isAsync } = contenders[name]
      samples[name].push(isAsync ? await measureAsync(run, iterations) : measure(run, iterations))
    }
  }
  const meds = Object.fromEntries(names.map((n) => [n, median(samples[n])]))
  console.log(`\n${title}`)
  const base = meds[names[0]]
  console.table(
    names.map((n) => ({
      contender: n,
      'µs/op (median)': meds[n].toFixed(3),
      'vs first': n === names[0] ? '1.00x' : `${(meds[n] / base).toFixed(2)}x`,
    })),
  )
  return meds
}

async function main() {
  console.log(
    `${os.cpus()[0].model}, ${os.cpus().length} cores, Node ${process.version}; ${ITERATIONS.toLocaleString('en')} iterations x ${ROUNDS} rounds`,
  )
  const uncached = new Authenticator({ accessSecret: SECRET, ...LIMITS })
  const cached = new Authenticator({ accessSecret: SECRET, ...LIMITS, cache: true })
  const token = uncached.signAccessToken(CLAIMS, { expiresIn: '1h' })
  const header = `Bearer ${token}`
  for (const a of [uncached, cached])
    if (!a.authenticate(header, 'acme', 'acme.api.example.com').authenticated) throw new Error('token refused')
  const fastCached = createVerifier({ key: SECRET, algorithms: ['HS256'], cache: true })
  const fastPlain = createVerifier({ key: SECRET, algorithms: ['HS256'], cache: false })
  // An HTTP server hands over a new header string on every request, and a JS Map hashes a new
  // string in full; "same string" reuses one string object, as micro-benchmarks usually do.
  const headerBytes = Buffer.from(header, 'latin1')
  const tokenBytes = Buffer.from(token, 'latin1')
  const freshHeader = () => headerBytes.latin1Slice(0, headerBytes.length)
  const freshToken = () => tokenBytes.latin1Slice(0, tokenBytes.length)
  const hs = await table(
    'HS256, the whole fused call vs fast-jwt verify alone',
    {
      'auth-shield authenticate, cache hit, fresh string': {
        run: () => cached.authenticate(freshHeader(), 'acme', 'acme.api.example.com'),
      },
      'auth-shield authenticate, cache hit, same string': {
        run: () => cached.authenticate(header, 'acme', 'acme.api.example.com'),
      },
      'auth-shield authenticate, no cache': {
        run: () => uncached.authenticate(freshHeader(), 'acme', 'acme.api.example.com'),
      },
      'fast-jwt verify, cache hit, fresh string (verify only)': { run: () => fastCached(freshToken()) },
      'fast-jwt verify, cache hit, same string (verify only)': { run: () => fastCached(token) },
      'fast-jwt verify, no cache (verify only)': { run: () => fastPlain(freshToken()) },
      'making the fresh string alone': { run: () => freshHeader() },
    },
    ITERATIONS,
  )
  const making = hs['making the fresh string alone']
  const fresh = hs['auth-shield authenticate, cache hit, fresh string'] - making
  const same = hs['auth-shield authenticate, cache hit, same string']
  const fastFresh = hs['fast-jwt verify, cache hit, fresh string (verify only)'] - making
  console.log(
    `cache hit, fresh string (less making it): ${fresh.toFixed(3)} µs; same string: ${same.toFixed(3)} µs (goal ≤ 0.45)`,
  )
  console.log(
    `fast-jwt cached verify / ours: fresh strings ${(fastFresh / fresh).toFixed(2)}x, same string ${(hs['fast-jwt verify, cache hit, same string (verify only)'] / same).toFixed(2)}x (goal ≥ 3x)`,
  )

  for (const [alg, options] of [
    ['RS256', { modulusLength: 2048 }],
    ['ES256', { namedCurve: 'P-256' }],
  ]) {
    const pair = crypto.generateKeyPairSync(alg === 'RS256' ? 'rsa' : 'ec', options)
    const publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' })
    const signer = new Authenticator({
      keys: [{ kid: 'k1', alg, privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) }],
      ...LIMITS,
    })
    const verifier = new Authenticator({ keys: [{ kid: 'k1', alg, publicKey: publicPem }], ...LIMITS })
    const t = signer.signAccessToken(CLAIMS, { expiresIn: '1h' })
    const h = `Bearer ${t}`
    if (!verifier.authenticate(h, 'acme', null).authenticated) throw new Error(`${alg} token refused`)
    const fast = createVerifier({ key: publicPem, algorithms: [alg], cache: false })
    const joseKey = await jose.importSPKI(publicPem, alg)
    await table(
      `${alg} verification (auth-shield: the whole fused call; others: verify alone)`,
      {
        'auth-shield authenticate': { run: () => verifier.authenticate(h, 'acme', null) },
        'jsonwebtoken verify (KeyObject)': { run: () => jwt.verify(t, pair.publicKey, { algorithms: [alg] }) },
        'fast-jwt verify (no cache)': { run: () => fast(t) },
        'jose jwtVerify (async)': { run: () => jose.jwtVerify(t, joseKey, { algorithms: [alg] }), isAsync: true },
      },
      alg === 'RS256' ? Math.ceil(ITERATIONS / 5) : Math.ceil(ITERATIONS / 10),
    )
  }
  if (!sink) throw new Error('unreachable')
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
