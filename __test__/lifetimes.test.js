'use strict'

// The native request path names each authenticator by a per-thread registry id (see
// src/bindings/registry.rs): authenticators that are collected give their slots back, and a
// slot's new owner never answers for the old one; worker threads have their own.

const test = require('node:test')
const assert = require('node:assert')
const v8 = require('node:v8')
const vm = require('node:vm')
const { Worker } = require('node:worker_threads')
const { Authenticator } = require('..')
const { baseConfig, mint } = require('./helpers')

v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc')

const SECRET_B = 'second-authenticator-secret-0123456789abcdef'

test('collected authenticators free their slots; live ones keep answering for themselves', async () => {
  const a = new Authenticator(baseConfig({ cache: true }))
  const tokenA = `Bearer ${mint({ tenant_id: 'acme' })}`
  const tokenB = `Bearer ${mint({ tenant_id: 'acme' }, { secret: SECRET_B })}`
  for (let round = 0; round < 5; round++) {
    for (let i = 0; i < 200; i++) new Authenticator(baseConfig({ accessSecret: SECRET_B })).authenticate(tokenB)
    gc()
    await new Promise((resolve) => setImmediate(resolve))
  }
  const b = new Authenticator(baseConfig({ accessSecret: SECRET_B, cache: true }))
  for (let i = 0; i < 3; i++) {
    assert.strictEqual(a.authenticate(tokenA).authenticated, true)
    assert.strictEqual(a.authenticate(tokenB).errorCode, 'INVALID_SIGNATURE')
    assert.strictEqual(b.authenticate(tokenB).authenticated, true)
    assert.strictEqual(b.authenticate(tokenA).errorCode, 'INVALID_SIGNATURE')
  }
})

test("an authenticator works inside a worker thread, beside the main thread's", async () => {
  const main = new Authenticator(baseConfig())
  const token = `Bearer ${mint({ tenant_id: 'acme' })}`
  const source = `
    const { parentPort, workerData } = require('node:worker_threads')
    const { Authenticator } = require(workerData.root)
    const auth = new Authenticator(workerData.config)
    const results = []
    for (let i = 0; i < 3; i++) results.push(auth.authenticate(workerData.token, 'acme'))
    parentPort.postMessage({ engine: auth.engine, results })
  `
  const worker = new Worker(source, {
    eval: true,
    workerData: { root: require.resolve('..'), config: baseConfig(), token },
  })
  const [message] = await Promise.all([
    new Promise((resolve, reject) => worker.once('message', resolve).once('error', reject)),
    new Promise((resolve) => worker.once('exit', resolve)),
  ])
  assert.strictEqual(message.engine, 'native')
  for (const r of message.results)
    assert.deepStrictEqual([r.authenticated, r.tenantId, r.userId], [true, 'acme', 'user-1'])
  assert.deepStrictEqual(
    message.results.map((r) => r.rateLimitRemaining),
    [999, 998, 997],
  )
  // The worker's limiter was its own: the main thread's bucket is untouched.
  assert.strictEqual(main.authenticate(token, 'acme').rateLimitRemaining, 999)
})

test('a binary that writes another result format is refused loudly, not misread', () => {
  const { execFileSync } = require('node:child_process')
  // A child process, so this one's loaded binding is untouched: the binding is swapped for one
  // reporting another version before the wrapper loads it.
  const script = `
    const path = require('node:path')
    const real = require(path.resolve('binding.js'))
    require.cache[path.resolve('binding.js')].exports = { ...real, resultFormatVersion: () => 0x12345678 }
    const { createAuthenticator } = require(path.resolve('lib/engines/select.js'))
    try { createAuthenticator({ accessSecret: 'x'.repeat(32) }, { engine: 'native' }); console.log('accepted') }
    catch (e) { console.log(e.code + ' ' + e.message) }
  `
  const out = execFileSync(process.execPath, ['-e', script], {
    cwd: require('node:path').join(__dirname, '..'),
    encoding: 'utf8',
  })
  assert.match(out, /^ENGINE_UNAVAILABLE .*result format 0x12345678.*reads 0x[0-9a-f]{8}/)
})
