'use strict'

// The native and the JavaScript engines on the same requests: every result must be identical
// except the request id. The corpus is seeded, so a failure names a reproducible request.

const test = require('node:test')
const assert = require('node:assert')
const { Authenticator } = require('..')
const { JsAuthenticator } = require('../lib/engines/js/authenticator')
const { baseConfig, rng } = require('./helpers')
const { buildCorpus, everyShape, DIFFERENTIAL_CONFIGS: configs } = require('./corpus')

const strip = ({ requestId, ...rest }) => rest
const show = (v) => (typeof v === 'string' && v.length > 120 ? `${v.slice(0, 120)}… (${v.length} chars)` : v)

for (const [name, config] of Object.entries(configs)) {
  test(`native and JS engines agree on 600 seeded requests (${name})`, () => {
    const native = new Authenticator(config)
    const js = new JsAuthenticator(config)
    const seen = new Set()
    for (const [i, request] of buildCorpus(20261126 + name.length, 600).entries()) {
      const a = native.authenticate(...request)
      const b = js.authenticate(...request)
      seen.add(a.errorCode)
      assert.match(b.requestId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      assert.deepStrictEqual(strip(b), strip(a), `request ${i}: ${JSON.stringify(request.map(show))}`)
    }
    // The corpus must reach successes and a broad set of failures, not one answer 600 times.
    assert.ok(seen.has(null) && seen.size >= 8, [...seen].join(','))
  })
}

test('native and JS engines agree on 5,000 random arguments of random types', () => {
  const config = baseConfig({ rateLimitMax: 5, rateLimitRefill: 0.001, enforceTenantMatch: false })
  const native = new Authenticator(config)
  const js = new JsAuthenticator(config)
  const token = require('./helpers').mint({ tenant_id: 'acme' })
  const random = rng(0x2545f491)
  const pieces = [
    'Bearer ',
    'bearer ',
    ...token.split(/(\.)/),
    ' ',
    '\t',
    '\u0000',
    '\ud800',
    'é',
    '😀',
    'acme',
    ':80',
    '.example.com',
    'www',
    '[',
    '::1]',
    'x'.repeat(200),
  ]
  const randomString = () =>
    Array.from({ length: Math.floor(random() * 7) }, () => pieces[Math.floor(random() * pieces.length)]).join('')
  const values = [
    randomString,
    randomString,
    randomString,
    () => `Bearer ${token}`,
    () => undefined,
    () => null,
    () => 7,
    () => ({}),
    () => ['acme'],
    () => true,
  ]
  const pick = () => values[Math.floor(random() * values.length)]()
  for (let i = 0; i < 5000; i++) {
    const request = [pick(), pick(), pick()]
    assert.deepStrictEqual(
      strip(js.authenticate(...request)),
      strip(native.authenticate(...request)),
      `request ${i}: ${JSON.stringify(request.map(show))}`,
    )
  }
})

const shapeConfigs = [
  ['', {}],
  [' with maxTokenAge', { maxTokenAge: 30, leeway: 2 }],
  [' marked at+jwt', { accessTokenMark: 'at+jwt' }],
  [' marked by a claim', { accessTokenMark: { claim: 'kind', value: 'api' } }],
  [' marked by token_use', { accessTokenMark: { claim: 'token_use', value: 'access' } }],
  [' unmarked', { accessTokenMark: 'none' }],
  [' with Entra ID claims', { claims: { userId: 'oid', tenantId: 'tid', roles: 'roles', permissions: 'scp' } }],
  [' with Keycloak claims', { claims: { roles: ['realm_access', 'roles'], permissions: ['realm_access', 'scopes'] } }],
  [
    ' with namespaced claims',
    { claims: { tenantId: 'https://example.com/tenant_id', roles: 'https://example.com/roles' } },
  ],
]
for (const [name, extra] of shapeConfigs)
  test(`native and JS engines read every header and payload shape of the corpus alike${name}`, () => {
    const config = baseConfig({ rateLimitMax: 1e6, rateLimitRefill: 1e6, enforceTenantMatch: false, ...extra })
    const native = new Authenticator(config)
    const js = new JsAuthenticator(config)
    const seen = new Set()
    for (const [i, request] of everyShape().entries()) {
      const a = native.authenticate(...request)
      seen.add(a.errorCode)
      assert.deepStrictEqual(strip(js.authenticate(...request)), strip(a), `shape ${i}: ${request[0]}`)
      assert.deepStrictEqual(
        js.verifiedClaims(request[0]),
        native.verifiedClaims(request[0]),
        `shape ${i}: ${request[0]}`,
      )
    }
    assert.ok(seen.has(null) && seen.has('TOKEN_MALFORMED') && seen.has('ALGORITHM_NOT_ALLOWED'), [...seen].join(','))
  })
