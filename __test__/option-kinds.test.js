'use strict'

// Every option whose kind contract/options.json declares is refused, naming itself, when given a
// value of no kind it takes, and taken when given a good one: the integrations' options (Express
// and Fastify), apiKeyAuth's own and shared ones, and RedisOtpStore's. The cases come from the
// contract, so an option added there is tested here with no change.

const test = require('node:test')
const assert = require('node:assert')
const Fastify = require('fastify')
const { apiKeyAuth, RedisOtpStore, createAuthenticator } = require('..')
const { createExpressAuth } = require('../lib/integrations/express')
const authShield = require('../lib/integrations/fastify')
const {
  INTEGRATION_CHECKS,
  INTEGRATION_OPTIONS,
  JS_OPTION_FAMILIES,
  API_KEY_AUTH_SHARED,
} = require('../lib/shared/contract')
const { baseConfig } = require('./helpers')

// A value each kind refuses, and one it takes.
const BAD = {
  function: 'not a function',
  boolean: 'yes',
  oneOf: 'none of them',
  string: 42,
  secret: 'too short',
  headerName: 'bad header\r\n',
  strings: [1],
  paths: [42],
  plainText: 'a "quoted" realm',
  limits: 'fast',
  property: 'headers',
  authenticator: { authenticate() {} },
  milliseconds: -1,
  object: 'not an object',
}
const GOOD = (spec) =>
  ({
    function: () => {},
    boolean: true,
    oneOf: spec.choices?.[0],
    string: 'text',
    secret: 's'.repeat(spec.minBytes ?? 32),
    headerName: 'x-custom',
    strings: ['GET'],
    paths: ['/health', /^\/public\//],
    plainText: 'api',
    limits: false,
    property: 'auth',
    authenticator: createAuthenticator(baseConfig()),
    milliseconds: spec.min ?? 1,
    object: {},
  })[spec.kind]

// A good `jwksUri` starts fetching from it (tested in jwks.test.js against a local server).
const REFUSAL_ONLY = new Set(['jwksUri'])

const apiKeyBase = () => ({ lookup: () => null, pepper: 'p'.repeat(32) })

async function fastifyWith(options) {
  const app = Fastify()
  await app.register(authShield, { config: baseConfig(), ...options })
  await app.ready()
  await app.close()
}

test('every integration option with a declared kind refuses a bad value by name, on Express and Fastify', async () => {
  const checked = Object.values(INTEGRATION_CHECKS)
  assert.ok(checked.length >= 15, `${checked.length} checked integration options`)
  for (const spec of checked) {
    const frameworks = INTEGRATION_OPTIONS[spec.name]
    // `onMismatch` applies to a configuration's shadow engine; the rest to any.
    const extra = spec.name === 'onMismatch' ? { engine: 'shadow' } : {}
    const bad = { ...extra, [spec.name]: BAD[spec.kind] }
    const good = { ...extra, [spec.name]: GOOD(spec) }
    if (frameworks.includes('express')) {
      assert.throws(
        () => createExpressAuth(baseConfig(), bad),
        (e) => e.code === 'INVALID_CONFIG' && e.message.includes(`\`${spec.name}\``),
        `express ${spec.name}`,
      )
      if (!REFUSAL_ONLY.has(spec.name)) createExpressAuth(baseConfig(), good)
    }
    if (frameworks.includes('fastify')) {
      await assert.rejects(
        fastifyWith(bad),
        (e) => e.code === 'INVALID_CONFIG' && e.message.includes(`\`${spec.name}\``),
        `fastify ${spec.name}`,
      )
      if (!REFUSAL_ONLY.has(spec.name)) await fastifyWith(good)
    }
  }
})

test("apiKeyAuth: its own options and the integrations' it shares refuse a bad value by name", () => {
  const own = JS_OPTION_FAMILIES.ApiKeyAuthOptions
  const shared = API_KEY_AUTH_SHARED.map((name) => INTEGRATION_CHECKS[name]).filter(Boolean)
  assert.ok(shared.length >= 8, `${shared.length} shared options with a kind`)
  for (const spec of [...own, ...shared]) {
    const expected = spec.kind === 'secret' && spec.shortCode ? spec.shortCode : 'INVALID_CONFIG'
    assert.throws(
      () => apiKeyAuth({ ...apiKeyBase(), [spec.name]: BAD[spec.kind] }),
      (e) => e.code === expected && e.message.startsWith('apiKeyAuth: ') && e.message.includes(`\`${spec.name}\``),
      spec.name,
    )
    // `rateLimit` needs an authenticator to spend; every other good value stands alone.
    const needs = spec.name === 'rateLimit' ? { authenticator: GOOD({ kind: 'authenticator' }) } : {}
    apiKeyAuth({ ...apiKeyBase(), ...needs, [spec.name]: GOOD(spec) })
  }
  for (const spec of own.filter((s) => s.required)) {
    const options = apiKeyBase()
    delete options[spec.name]
    assert.throws(
      () => apiKeyAuth(options),
      (e) => e.code === 'INVALID_CONFIG' && e.message.includes(`\`${spec.name}\``) && /required/.test(e.message),
    )
  }
  assert.throws(
    () => apiKeyAuth({ ...apiKeyBase(), header: 'Authorization' }),
    (e) => e.code === 'INVALID_CONFIG' && /header/.test(e.message),
  )
  assert.throws(
    () => apiKeyAuth({ ...apiKeyBase(), skip: () => false }),
    (e) => e.code === 'INVALID_CONFIG' && /Unknown apiKeyAuth option `skip`/.test(e.message),
  )
})

test('RedisOtpStore: its own options refuse a bad value by name before any Redis client is looked at', () => {
  for (const spec of JS_OPTION_FAMILIES.RedisOtpStoreOptions) {
    const options = { secret: 's'.repeat(32), [spec.name]: BAD[spec.kind] }
    assert.throws(
      () => new RedisOtpStore({}, options),
      (e) => e.code === 'INVALID_CONFIG' && e.message.startsWith('RedisOtpStore: ') && e.message.includes(spec.name),
      spec.name,
    )
  }
})
