'use strict'

// Shadow mode answers with the primary engine, runs the other on the same request, and reports
// differences (never the token or a secret); it is silent when the engines agree.

const test = require('node:test')
const assert = require('node:assert')
const { createAuthenticator } = require('..')
const { ShadowAuthenticator } = require('../lib/engines/shadow')
const { JsAuthenticator } = require('../lib/engines/js/authenticator')
const { baseConfig, mint, ACCESS_SECRET } = require('./helpers')
const { buildCorpus } = require('./corpus')

test('silent when the engines agree, across the differential corpus', () => {
  const reports = []
  const auth = createAuthenticator(baseConfig({ rateLimitMax: 5, rateLimitRefill: 0.001 }), {
    engine: 'shadow',
    onMismatch: (r) => reports.push(r),
  })
  assert.strictEqual(auth.engine, 'shadow')
  for (const request of buildCorpus(7, 300)) auth.authenticate(...request)
  assert.deepStrictEqual(reports, [])
})

test('reports a planted difference with both results, never the token', () => {
  const reports = []
  const config = baseConfig()
  const native = createAuthenticator(config, { engine: 'native' })
  // The secondary is planted to disagree: it rejects everything as expired.
  const planted = new JsAuthenticator(config)
  const original = planted.authenticate.bind(planted)
  planted.authenticate = (...args) => ({ ...original(...args), authenticated: false, errorCode: 'TOKEN_EXPIRED' })
  const shadow = new ShadowAuthenticator(native, planted, (r) => reports.push(r))
  const token = mint()
  const result = shadow.authenticate(`Bearer ${token}`)
  assert.strictEqual(result.authenticated, true, 'the primary answers')
  assert.strictEqual(reports.length, 1)
  const [report] = reports
  assert.deepStrictEqual(report.engines, { primary: 'native', secondary: 'js' })
  assert.deepStrictEqual(
    report.differences.map((d) => d.field),
    ['authenticated', 'errorCode'],
  )
  assert.match(report.kind, /errorCode null vs TOKEN_EXPIRED/)
  const serialised = JSON.stringify(report)
  assert.ok(!serialised.includes(token) && !serialised.includes(token.split('.')[2]))
  assert.ok(!serialised.includes(ACCESS_SECRET))
})

test('the default reporter warns once per kind of difference', async () => {
  const warnings = []
  const onWarning = (w) => warnings.push(w)
  process.on('warning', onWarning)
  try {
    const config = baseConfig()
    const planted = new JsAuthenticator(config)
    planted.authenticate = () => ({ authenticated: false, errorCode: 'INVALID_SIGNATURE' })
    const shadow = new ShadowAuthenticator(createAuthenticator(config, { engine: 'native' }), planted)
    const token = mint()
    for (let i = 0; i < 5; i++) shadow.authenticate(`Bearer ${token}`)
    await new Promise((resolve) => setImmediate(resolve))
    const ours = warnings.filter((w) => w.code === 'AUTH_SHIELD_SHADOW_MISMATCH')
    assert.strictEqual(ours.length, 1)
    assert.ok(!ours[0].message.includes(token))
  } finally {
    process.off('warning', onWarning)
  }
})

test("the client sees only the primary engine's rate limit", () => {
  const auth = createAuthenticator(baseConfig({ rateLimitMax: 3, rateLimitRefill: 0.001 }), {
    engine: 'shadow',
    onMismatch: () => assert.fail('no mismatch expected'),
  })
  const h = `Bearer ${mint()}`
  assert.deepStrictEqual(
    [1, 2, 3, 4].map(() => auth.authenticate(h).rateLimitRemaining),
    [2, 1, 0, 0],
  )
  assert.strictEqual(auth.authenticate(h).errorCode, 'RATE_LIMITED')
})

test('a throwing reporter or secondary never fails the request', () => {
  const config = baseConfig()
  const broken = new JsAuthenticator(config)
  broken.authenticate = () => {
    throw new Error('boom')
  }
  const shadow = new ShadowAuthenticator(createAuthenticator(config, { engine: 'native' }), broken, () => {
    throw new Error('reporter down')
  })
  assert.strictEqual(shadow.authenticate(`Bearer ${mint()}`).authenticated, true)
})

test('createAuthenticator refuses bad options with coded errors', () => {
  for (const options of [null, 5, 'native', { engine: 'turbo' }, { engin: 'js' }, { onMismatch: 'log' }]) {
    assert.throws(
      () => createAuthenticator(baseConfig(), options),
      (e) => e.code === 'INVALID_CONFIG',
      JSON.stringify(options),
    )
  }
})
