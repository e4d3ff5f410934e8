'use strict'

// Bun and Deno both load Node-API addons. `runtimes/smoke.cjs` runs in node, bun and deno (their
// npm packages, devDependencies, carry the binaries): the native addon and the JS engine on the
// same corpus, the token lifecycle, the addon in a worker thread, and real Express and Fastify
// servers; every runtime must give node's answers. A runtime that is missing fails the run.

const test = require('node:test')
const assert = require('node:assert')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { execFile } = require('node:child_process')
const { buildCorpus } = require('./corpus')
const { baseConfig } = require('./helpers')

const bin = (name) => path.join(__dirname, '..', 'node_modules', '.bin', name)
const RUNTIMES = {
  node: [process.execPath],
  bun: [bin('bun')],
  // Deno reads `.cjs` as CommonJS and resolves `require` through node_modules; -A because the
  // smoke run reads the corpus file, loads the addon (FFI) and listens on a loopback port.
  deno: [bin('deno'), 'run', '-A'],
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'auth-shield-runtimes-'))
const corpusFile = path.join(dir, 'corpus.json')
// Through JSON, as each runtime reads it: `undefined` headers become `null` for all of them alike.
// Dated 5 s back, so that no time claim (the nearest: `exp` half a second after `now`) changes its
// answer between one runtime's run and the next.
fs.writeFileSync(corpusFile, JSON.stringify(buildCorpus(20261202, 400, Math.floor(Date.now() / 1000) - 5)))
const config = JSON.stringify(baseConfig())
test.after(() => fs.rmSync(dir, { recursive: true, force: true }))

function run(runtime, script = 'smoke.cjs', scriptArgs = [corpusFile, config]) {
  const [command, ...args] = RUNTIMES[runtime]
  // From a checkout (not node_modules) Deno takes a `.js` file for ESM unless told to detect
  // CommonJS; installed as a package, auth-shield's `.js` files are CommonJS to it without a flag.
  const flags = runtime === 'deno' && script.endsWith('.mjs') ? ['--unstable-detect-cjs'] : []
  return new Promise((resolve, reject) => {
    execFile(
      command,
      [...args, ...flags, path.join(__dirname, 'runtimes', script), ...scriptArgs],
      { timeout: 60_000, maxBuffer: 16 << 20, env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' } },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${runtime} failed (${error.code ?? error.signal}): ${stderr || error.message}`))
        else resolve(JSON.parse(stdout.trim().split('\n').pop()))
      },
    )
  })
}

const answers = run('node')

test('under node the smoke run gives the expected answers', async () => {
  const node = await answers
  assert.strictEqual(node.runtime, 'node')
  assert.ok(node.results.some((r) => r.authenticated) && node.results.some((r) => !r.authenticated))
  assert.deepStrictEqual(
    { rotated: node.lifecycle.rotated, reused: node.lifecycle.reused },
    { rotated: true, reused: 'TOKEN_REUSED' },
  )
  assert.strictEqual(node.lifecycle.beforeReuse.userId, 'user-7')
  assert.strictEqual(node.lifecycle.afterReuse.code, 'TOKEN_REVOKED')
  assert.deepStrictEqual(node.jsResults, node.results, 'the JS engine gives the native answers')
  assert.strictEqual(node.worker, 'user-2')
  const expected = [
    ['/api/me', 200, null],
    ['/api/me', 401, 'MISSING_AUTHORIZATION'],
    ['/api/me', 401, 'INVALID_AUTHORIZATION_FORMAT'],
    ['/api/me', 401, 'INVALID_SIGNATURE'],
    ['/api/me', 401, 'INVALID_SIGNATURE'],
    ['/api/me', 403, 'TENANT_MISMATCH'],
    ['/api/admin', 403, 'INSUFFICIENT_PERMISSIONS'],
    ['/api/admin', 200, null],
  ]
  for (const framework of ['express', 'fastify']) {
    const answers = node[framework]
    assert.deepStrictEqual(
      answers.map((a) => [a.route, a.status, a.body.code ?? null]),
      expected,
      framework,
    )
    assert.deepStrictEqual(answers[0].body, { user: 'user-1', tenant: 'acme', id: 'string' })
    assert.ok(answers[0].requestId)
  }
})

for (const runtime of ['bun', 'deno']) {
  test(`under ${runtime} the addon, both engines, Express and Fastify give node's answers`, async () => {
    const [node, other] = await Promise.all([answers, run(runtime)])
    assert.strictEqual(other.runtime, runtime)
    assert.deepStrictEqual(other.results, node.results, 'the corpus through the native engine')
    assert.deepStrictEqual(other.lifecycle, node.lifecycle, 'issue, refresh, reuse detection')
    assert.deepStrictEqual(other.jsResults, node.jsResults, 'the corpus through the JS engine')
    assert.deepStrictEqual(other.worker, node.worker, 'the addon in a worker thread')
    for (const framework of ['express', 'fastify'])
      assert.deepStrictEqual(other[framework], node[framework], `${framework}: status, body, headers`)
  })
}

for (const runtime of Object.keys(RUNTIMES)) {
  test(`under ${runtime} the ESM entries load`, async () => {
    assert.deepStrictEqual(await run(runtime, 'esm.mjs', []), ['function', 'function', 'MISSING_AUTHORIZATION'])
  })
}
