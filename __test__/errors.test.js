'use strict'

// The error codes and options are declared once, in contract/, and generated outward; this checks
// that every generated copy is current and that the native and JS sides were built from the same
// declaration.

const test = require('node:test')
const assert = require('node:assert')
const fs = require('node:fs')
const path = require('node:path')
const { execFileSync } = require('node:child_process')
const { ErrorCodes, errorTable, configOptions } = require('..')
const native = require('../binding.js')
const contract = require('../lib/shared/contract')

const root = path.join(__dirname, '..')
// The README and the reference pages it links to, where the tables live.
const readme = ['README.md', ...fs.readdirSync(path.join(root, 'docs')).map((f) => path.join('docs', f))]
  .map((f) => fs.readFileSync(path.join(root, f), 'utf8'))
  .join('\n')

test('every generated file is what contract/ generates (npm run generate)', () => {
  execFileSync(process.execPath, [path.join(root, 'scripts', 'generate.js'), '--check'], { stdio: 'pipe' })
})

test('the native and JS error tables and option lists match row for row', () => {
  assert.deepStrictEqual(errorTable(), native.errorTable())
  assert.deepStrictEqual(configOptions(), native.configOptions())
})

test('the binary writes the result format this wrapper reads', () => {
  assert.strictEqual(native.resultFormatVersion(), contract.RESULT_FORMAT_VERSION)
})

test('ErrorCodes is frozen and matches the table', () => {
  const codes = errorTable().map((e) => e.code)
  assert.ok(Object.isFrozen(ErrorCodes))
  assert.deepStrictEqual(Object.keys(ErrorCodes), codes)
  for (const c of codes) assert.strictEqual(ErrorCodes[c], c)
})

test('the README tables every code with its status and message, and every option', () => {
  for (const { code, status, message } of errorTable()) {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${code}\` |`))
    assert.ok(row, `README has no row for ${code}`)
    assert.ok(row.includes(` ${status === 0 ? 'thrown' : String(status)} | ${message} |`), `README row for ${code}`)
  }
  for (const name of configOptions()) assert.ok(readme.includes(`| \`${name}\` |`), `README does not table ${name}`)
})

test('every file in __test__ is either a test the runner picks up or the shared helpers', () => {
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.js'))
  for (const f of files)
    assert.ok(
      f.endsWith('.test.js') ||
        ['helpers.js', 'corpus.js', 'servers.js', 'redis-server.js', 'redis-clients.js', 'redis-instances.js'].includes(
          f,
        ),
      `${f} would never run`,
    )
})

test('a configuration whose getter or Proxy trap throws is INVALID_CONFIG with the cause attached, at every entry point', async () => {
  const shield = require('..')
  const { createExpressAuth } = require('../lib/integrations/express')
  const secret = 'x'.repeat(32)
  const throwing = (extra) =>
    Object.defineProperty({ accessSecret: secret, ...extra }, 'issuer', {
      get() {
        throw new Error('getter boom')
      },
      enumerable: true,
    })
  const hostile = [
    throwing(),
    new Proxy(
      { accessSecret: secret },
      {
        ownKeys() {
          throw new Error('trap boom')
        },
      },
    ),
    new Proxy(
      { accessSecret: secret },
      {
        get() {
          throw new Error('trap boom')
        },
      },
    ),
    {
      accessSecret: secret,
      claims: Object.defineProperty({}, 'userId', {
        get() {
          throw 'a string'
        },
        enumerable: true,
      }),
    },
  ]
  const expectCoded = (fn, what) =>
    assert.throws(
      fn,
      (e) => e.code === 'INVALID_CONFIG' && e.cause !== undefined && /could not be read/.test(e.message),
      what,
    )
  for (const [i, config] of hostile.entries()) {
    for (const engine of ['native', 'js', 'shadow'])
      expectCoded(() => shield.createAuthenticator(config, { engine }), `${engine} ${i}`)
    expectCoded(() => new shield.Authenticator(config), `Authenticator ${i}`)
    expectCoded(() => createExpressAuth(config), `express ${i}`)
  }
  const auth = shield.createAuthenticator({ keys: [{ kid: 'k1', alg: 'HS256', secret }] })
  expectCoded(
    () =>
      auth.setKeys(
        Object.defineProperty({}, 'keys', {
          get() {
            throw new Error('x')
          },
          enumerable: true,
        }),
      ),
    'setKeys',
  )
  expectCoded(
    () =>
      createExpressAuth(
        { accessSecret: secret },
        new Proxy(
          {},
          {
            ownKeys() {
              throw new Error('x')
            },
          },
        ),
      ),
    'integration options',
  )
  expectCoded(
    () =>
      shield.createAuthenticator(
        { accessSecret: secret },
        new Proxy(
          {},
          {
            ownKeys() {
              throw new Error('x')
            },
          },
        ),
      ),
    'engine options',
  )
  expectCoded(
    () =>
      shield.apiKeyAuth(
        new Proxy(
          {},
          {
            ownKeys() {
              throw new Error('x')
            },
          },
        ),
      ),
    'apiKeyAuth',
  )
})
