'use strict'

// Worker threads in one process: with `shareAcrossThreads` every native authenticator made from
// the same configuration shares one state (one rate limit, one revocation set); without it each
// keeps its own, as documented.

const test = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const { Worker } = require('node:worker_threads')
const { baseConfig, mint } = require('./helpers')

const ROOT = path.join(__dirname, '..')

/** Runs `body` (a function's source, given `auth`, `data`) in a worker; resolves to its result. */
function inWorker(config, body, data) {
  const source = `
    const { parentPort, workerData } = require('node:worker_threads')
    const { createAuthenticator } = require(${JSON.stringify(ROOT)})
    const auth = createAuthenticator(workerData.config, { engine: 'native' })
    Promise.resolve((${body})(auth, workerData.data, parentPort)).then((r) => parentPort.postMessage({ result: r }), (e) => parentPort.postMessage({ error: String(e && e.stack) }))
  `
  return new Promise((resolve, reject) => {
    const worker = new Worker(source, { eval: true, workerData: { config, data } })
    worker.on('message', (m) => {
      if (m.error) reject(new Error(m.error))
      else if ('result' in m) resolve(m.result)
      worker.terminate()
    })
    worker.on('error', reject)
  })
}

const spend = `(auth, { header, n }) => { let ok = 0; for (let i = 0; i < n; i++) if (auth.authenticate(header).errorCode === null) ok++; return ok }`

test('shareAcrossThreads: four workers give a user one rate limit, not four', async () => {
  const config = baseConfig({ rateLimitMax: 100, rateLimitRefill: 0.001, shareAcrossThreads: true })
  const header = `Bearer ${mint({ sub: 'one-user' })}`
  // The main thread holds one too, so the shared state outlives any single worker.
  const { createAuthenticator } = require('..')
  const held = createAuthenticator(config, { engine: 'native' })
  const accepted = await Promise.all([0, 1, 2, 3].map(() => inWorker(config, spend, { header, n: 100 })))
  assert.equal(
    accepted.reduce((a, b) => a + b, 0),
    100,
  )
  assert.equal(held.authenticate(header).errorCode, 'RATE_LIMITED')
})

test('shareAcrossThreads: a revocation made in one worker is refused in the others', async () => {
  const config = baseConfig({ shareAcrossThreads: true, enforceTenantMatch: false })
  const { createAuthenticator } = require('..')
  const held = createAuthenticator(config, { engine: 'native' })
  const header = `Bearer ${mint({ sub: 'leaver', jti: 'token-to-revoke' })}`
  assert.equal(held.authenticate(header).errorCode, null)
  await inWorker(config, `(auth) => auth.revokeToken('token-to-revoke')`)
  const seen = await inWorker(config, `(auth, { header }) => auth.authenticate(header).errorCode`, { header })
  assert.equal(seen, 'TOKEN_REVOKED')
  assert.equal(held.authenticate(header).errorCode, 'TOKEN_REVOKED')
})

test('by default each authenticator keeps its own state, in workers as in one thread', async () => {
  const config = baseConfig({ rateLimitMax: 10, rateLimitRefill: 0.001 })
  const header = `Bearer ${mint({ sub: 'per-worker' })}`
  const accepted = await Promise.all([0, 1].map(() => inWorker(config, spend, { header, n: 10 })))
  assert.deepEqual(accepted, [10, 10])
  // Same configuration, shared: one state even within a thread; the same limits defined again
  // name the same route buckets.
  const { createAuthenticator } = require('..')
  const shared = baseConfig({
    rateLimitMax: 3,
    rateLimitRefill: 0.001,
    shareAcrossThreads: true,
    issuer: 'same-thread',
  })
  const [a, b] = [
    createAuthenticator(shared, { engine: 'native' }),
    createAuthenticator({ ...shared }, { engine: 'native' }),
  ]
  const h = `Bearer ${mint({ sub: 'u', iss: 'same-thread' })}`
  const route = [a.defineRouteLimit({ max: 2 }), b.defineRouteLimit({ max: 2 })]
  assert.equal(a.authenticate(h, null, null, route[0]).errorCode, null)
  assert.equal(b.authenticate(h, null, null, route[1]).errorCode, null)
  assert.equal(a.authenticate(h, null, null, route[0]).errorCode, 'RATE_LIMITED')
})

test('shareAcrossThreads: the shared state outlives every worker, so a recycled pool still refuses a revoked token', async () => {
  // No thread but the workers ever holds this configuration's authenticator.
  const config = baseConfig({ shareAcrossThreads: true, enforceTenantMatch: false, issuer: 'recycled-pool' })
  const header = `Bearer ${mint({ sub: 'leaver', jti: 'revoked-in-a-worker', iss: 'recycled-pool' })}`
  assert.equal(await inWorker(config, `(auth) => auth.revokeToken('revoked-in-a-worker')`), true)
  // The pool recycles its threads; a worker started afterwards, alone, sees the revocation.
  for (let round = 0; round < 3; round++) {
    const seen = await inWorker(
      config,
      `(auth, { header }) => { globalThis.gc?.(); return auth.authenticate(header).errorCode }`,
      { header },
    )
    assert.equal(seen, 'TOKEN_REVOKED', `round ${round}`)
  }
})

test('shareAcrossThreads: a process sharing configurations without end is refused, naming why', () => {
  const { createAuthenticator } = require('..')
  let refused = null
  for (let i = 0; i < 300 && refused === null; i++) {
    try {
      createAuthenticator(baseConfig({ shareAcrossThreads: true, issuer: `per-tenant-${i}` }), { engine: 'native' })
    } catch (error) {
      refused = error
    }
  }
  assert.ok(refused !== null, 'a 300th shared configuration was taken')
  assert.equal(refused.code, 'INVALID_CONFIG')
  assert.match(refused.message, /shareAcrossThreads/)
})
