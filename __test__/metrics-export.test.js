'use strict'

// The metrics as operators scrape them: a prom-client registry on a real Express and a real
// Fastify server, after mixed traffic, serves every documented name (docs/metrics.md) with the
// counts the traffic made, on both engines; JWK Set fetches are reported by the refresher.

const test = require('node:test')
const assert = require('node:assert/strict')
const crypto = require('node:crypto')
const client = require('prom-client')
const express = require('express')
const Fastify = require('fastify')
const jose = require('jose')
const { createAuthenticator, collectAuthShieldMetrics, createJwksRefresher } = require('..')
const { createExpressAuth } = require('../lib/integrations/express')
const authShield = require('../lib/integrations/fastify')
const { METRICS } = require('../lib/shared/contract')
const { baseConfig, mint, now } = require('./helpers')

async function serve(framework, auth, register) {
  if (framework === 'express') {
    const app = express()
    app.get('/metrics', async (req, res) => res.type(register.contentType).send(await register.metrics()))
    app.get('/api/me', createExpressAuth(auth), (req, res) => res.json({ user: req.user.userId }))
    const server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s))
    })
    return {
      base: `http://127.0.0.1:${server.address().port}`,
      close: () => new Promise((r) => (server.close(r), server.closeAllConnections())),
    }
  }
  const app = Fastify()
  app.get('/metrics', async (request, reply) => reply.type(register.contentType).send(await register.metrics()))
  await app.register(async (api) => {
    await api.register(authShield, { config: auth })
    api.get('/api/me', async (request) => ({ user: request.user.userId }))
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  return { base: `http://127.0.0.1:${app.server.address().port}`, close: () => app.close() }
}

/** `name{labels} value` lines of a scrape, as a Map from the line's name and labels to its value. */
function parse(text) {
  const rows = new Map()
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const at = line.lastIndexOf(' ')
    rows.set(line.slice(0, at), Number(line.slice(at + 1)))
  }
  return rows
}

for (const framework of ['express', 'fastify']) {
  for (const engine of ['native', 'js']) {
    test(`${framework} (${engine}): /metrics serves every documented name with the traffic's counts`, async (t) => {
      const auth = createAuthenticator(baseConfig({ rateLimitMax: 3, rateLimitRefill: 0.001 }), { engine })
      const register = new client.Registry()
      const names = collectAuthShieldMetrics(auth, { register })
      const server = await serve(framework, auth, register)
      t.after(() => server.close())
      const get = (headers = {}) => fetch(`${server.base}/api/me`, { headers }).then((r) => r.status)
      const good = `Bearer ${mint({ sub: 'ada' })}`
      assert.deepEqual(
        [await get({ authorization: good }), await get({ authorization: good }), await get()],
        [200, 200, 401],
      )
      assert.equal(await get({ authorization: `Bearer ${mint({ exp: now() - 5 })}` }), 401)
      assert.equal(await get({ authorization: good }), 200)
      assert.equal(await get({ authorization: good }), 429)
      auth.revokeUser('someone-else')
      const text = await fetch(`${server.base}/metrics`).then((r) => r.text())
      const rows = parse(text)
      const typed = new Set(text.match(/^# TYPE \S+/gm).map((l) => l.slice(7)))
      for (const spec of METRICS.filter((m) => !/^auth_shield_(jwks|redis)_/.test(m.name)))
        assert.ok(typed.has(spec.name), `${spec.name} is served`)
      assert.ok(names.length === METRICS.length)
      assert.equal(rows.get('auth_shield_requests_total{code="OK"}'), 3)
      assert.equal(rows.get('auth_shield_requests_total{code="MISSING_AUTHORIZATION"}'), 1)
      assert.equal(rows.get('auth_shield_requests_total{code="TOKEN_EXPIRED"}'), 1)
      assert.equal(rows.get('auth_shield_requests_total{code="RATE_LIMITED"}'), 1)
      assert.ok(rows.get('auth_shield_request_duration_seconds_count') <= 6)
      assert.equal(
        rows.get(`auth_shield_request_duration_seconds_bucket{le="+Inf"}`),
        rows.get('auth_shield_request_duration_seconds_count'),
      )
      assert.equal(rows.get('auth_shield_rate_limit_decisions_total{policy="default",decision="allowed"}'), 3)
      assert.equal(rows.get('auth_shield_rate_limit_decisions_total{policy="default",decision="limited"}'), 1)
      assert.equal(rows.get('auth_shield_revocations_total{kind="user"}'), 1)
      // Cumulative buckets never fall.
      const buckets = [...rows].filter(([k]) => k.startsWith('auth_shield_request_duration_seconds_bucket'))
      for (let i = 1; i < buckets.length; i++) assert.ok(buckets[i][1] >= buckets[i - 1][1])
    })
  }
}

test('JWK Set fetches are reported by the refresher: ok, failed, keys in force, last success, durations', async () => {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const jwk = { ...(await jose.exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }
  const auth = createAuthenticator({ jwks: { keys: [jwk] }, issuer: 'idp' })
  let down = false
  const refresher = createJwksRefresher(auth, 'https://idp.example/jwks.json', {
    fetch: async () => (down ? new Response('', { status: 503 }) : Response.json({ keys: [jwk] })),
    onError: () => {},
  })
  await refresher.ready
  down = true
  await refresher.refresh()
  await new Promise((r) => setTimeout(r, 10))
  const register = new client.Registry()
  collectAuthShieldMetrics(auth, { register, prefix: 'api_', labels: { service: 'orders' } })
  const rows = parse(await register.metrics())
  refresher.stop()
  assert.equal(rows.get('api_auth_shield_jwks_fetches_total{result="ok",service="orders"}'), 1)
  assert.equal(rows.get('api_auth_shield_jwks_keys{service="orders"}'), 1)
  assert.ok(rows.get('api_auth_shield_jwks_last_success_timestamp_seconds{service="orders"}') >= now() - 5)
  assert.ok(rows.get('api_auth_shield_jwks_fetch_duration_seconds_count{service="orders"}') >= 1)
  const token = await new jose.SignJWT({ sub: 'u1', type: 'access', iss: 'idp' })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
    .setExpirationTime('10m')
    .sign(privateKey)
  assert.equal(auth.authenticate(`Bearer ${token}`).authenticated, true)
})

test('collectAuthShieldMetrics refuses what is not an authenticator, a registry or a label set', () => {
  const auth = createAuthenticator(baseConfig())
  for (const [args, pattern] of [
    [[{}, { register: new client.Registry() }], /needs an authenticator/],
    [[auth, { register: {} }], /register/],
    [[auth, { register: new client.Registry(), labels: { 'bad-name': 'x' } }], /label/],
    [[auth, { register: new client.Registry(), prefix: 7 }], /prefix/],
    [[auth, { register: new client.Registry(), other: 1 }], /other/],
  ])
    assert.throws(
      () => collectAuthShieldMetrics(...args),
      (e) => e.code === 'INVALID_CONFIG' && pattern.test(e.message),
    )
})

test("the integrations' own outcomes are counted by strategy: API keys, guards, and the JWT middleware's own refusals", async (t) => {
  const shield = require('..')
  const PEPPER = 'api-key-pepper-0123456789abcdef0123456789'
  const issued = shield.generateApiKey({ prefix: 'sk_live', pepper: PEPPER })
  const auth = createAuthenticator(baseConfig())
  const register = new client.Registry()
  collectAuthShieldMetrics(auth, { register })
  const app = express()
  const byKey = shield.apiKeyAuth({
    lookup: (id) => (id === issued.id ? { hash: issued.hash, userId: 'svc' } : null),
    pepper: PEPPER,
    authenticator: auth,
  })
  app.get('/keys', byKey, (req, res) => res.json({}))
  app.get(
    '/admin',
    createExpressAuth(auth, { failedAuthLimit: { max: 1, refill: 0.001 } }),
    shield.requireRole('admin'),
    (req, res) => res.json({}),
  )
  const s = await new Promise((resolve) => {
    const x = app.listen(0, '127.0.0.1', () => resolve(x))
  })
  t.after(() => (s.close(), s.closeAllConnections()))
  const base = `http://127.0.0.1:${s.address().port}`
  const status = (path, headers) => fetch(`${base}${path}`, { headers }).then((r) => r.status)
  assert.equal(await status('/keys', { 'x-api-key': issued.key }), 200)
  assert.equal(await status('/keys', { 'x-api-key': 'sk_live_nope' }), 401)
  assert.equal(await status('/keys', {}), 401)
  assert.equal(await status('/admin', { authorization: `Bearer ${mint({ role: 'member' })}` }), 403)
  assert.equal(await status('/admin', { authorization: 'Bearer a.b.c' }), 401)
  assert.equal(await status('/admin', { authorization: 'Bearer a.b.c' }), 429)
  const rows = parse(await register.metrics())
  const n = (strategy, code) =>
    rows.get(`auth_shield_integration_outcomes_total{strategy="${strategy}",code="${code}"}`)
  assert.deepEqual([n('api_key', 'OK'), n('api_key', 'API_KEY_REJECTED'), n('api_key', 'API_KEY_MISSING')], [1, 1, 1])
  assert.equal(n('guard', 'INSUFFICIENT_PERMISSIONS'), 1)
  assert.equal(n('jwt', 'RATE_LIMITED'), 1)
  // The fused call counted only what it answered: the member's success and one malformed token.
  assert.equal(rows.get('auth_shield_requests_total{code="OK"}'), 1)
  assert.equal(rows.get('auth_shield_requests_total{code="TOKEN_MALFORMED"}'), 1)
})
