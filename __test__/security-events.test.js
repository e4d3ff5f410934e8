'use strict'

// Security events as an operator receives them, from real Express and Fastify servers on both
// engines: a revoked token presented, a refresh token reused, a guard's refusal, a rate limit
// exceeded, an API key rejected, a client failing again and again, the provider's keys out of
// reach; each in the OWASP vocabulary, rate-limited, and never holding a token, key or secret.

const test = require('node:test')
const assert = require('node:assert/strict')
const { Writable } = require('node:stream')
const pino = require('pino')
const express = require('express')
const Fastify = require('fastify')
const shield = require('..')
const { createExpressAuth } = require('../lib/integrations/express')
const authShield = require('../lib/integrations/fastify')
const { baseConfig, mint, ACCESS_SECRET, REFRESH_SECRET } = require('./helpers')

const PEPPER = 'api-key-pepper-0123456789abcdef0123456789'

async function serve(framework, auth) {
  const key = shield.apiKeyAuth({ lookup: () => null, pepper: PEPPER, authenticator: auth, header: 'x-api-key' })
  if (framework === 'express') {
    const app = express()
    app.get('/api/admin', createExpressAuth(auth), shield.requireRole('admin'), (req, res) => res.json({ ok: 1 }))
    app.get('/keys', key, (req, res) => res.json({ ok: 1 }))
    const s = await new Promise((resolve) => {
      const x = app.listen(0, '127.0.0.1', () => resolve(x))
    })
    return {
      base: `http://127.0.0.1:${s.address().port}`,
      close: () => new Promise((r) => (s.close(r), s.closeAllConnections())),
    }
  }
  const app = Fastify()
  await app.register(async (api) => {
    await api.register(authShield, { config: auth })
    api.get('/api/admin', { preHandler: shield.requireRole('admin') }, async () => ({ ok: 1 }))
  })
  app.get('/keys', { onRequest: key }, async () => ({ ok: 1 }))
  await app.listen({ port: 0, host: '127.0.0.1' })
  return { base: `http://127.0.0.1:${app.server.address().port}`, close: () => app.close() }
}

function collector() {
  const events = []
  return { events, options: { onSecurityEvent: (e) => events.push(e), appId: 'orders-api', burst: 50 } }
}

for (const framework of ['express', 'fastify']) {
  for (const engine of ['native', 'js']) {
    test(`${framework} (${engine}): refusals are told as OWASP events with the request's facts and no token`, async (t) => {
      const { events, options } = collector()
      const auth = shield.createAuthenticator(baseConfig({ rateLimitMax: 2, rateLimitRefill: 0.001 }), {
        engine,
        securityEvents: options,
      })
      const server = await serve(framework, auth)
      t.after(() => server.close())
      const get = (path, headers = {}) => fetch(`${server.base}${path}?access_token=secret-in-query`, { headers })
      const member = mint({ sub: 'ada', role: 'member' })
      const revoked = mint({ sub: 'bob', role: 'admin' })
      assert.equal((await get('/api/admin', { authorization: `Bearer ${member}` })).status, 403)
      auth.revokeUser('bob')
      assert.equal((await get('/api/admin', { authorization: `Bearer ${revoked}` })).status, 401)
      assert.equal((await get('/api/admin', { authorization: `Bearer ${member}` })).status, 403)
      assert.equal((await get('/api/admin', { authorization: `Bearer ${member}` })).status, 429)
      assert.equal((await get('/keys', { 'x-api-key': 'sk_live_not-a-key' })).status, 401)
      const byType = (type) => events.filter((e) => e.type === type)

      const [reuse] = byType('authn_token_reuse')
      assert.equal(reuse.level, 'CRITICAL')
      assert.equal(reuse.event, 'authn_token_reuse:bob,access')
      assert.equal(reuse.userId, 'bob')
      assert.equal(reuse.code, 'TOKEN_REVOKED')
      assert.equal(reuse.request_uri, '/api/admin')
      assert.equal(reuse.request_method, 'GET')
      assert.equal(reuse.source_ip, '127.0.0.1')
      assert.equal(reuse.appid, 'orders-api')
      assert.match(reuse.requestId, /^[0-9a-f-]{36}$/)
      assert.ok(!Number.isNaN(Date.parse(reuse.datetime)))

      const authz = byType('authz_fail')
      assert.equal(authz.length, 2)
      assert.deepEqual(
        authz.map((e) => [e.level, e.userId, e.code, e.event]),
        Array(2).fill(['CRITICAL', 'ada', 'INSUFFICIENT_PERMISSIONS', 'authz_fail:ada,/api/admin']),
      )
      const [limited] = byType('excess_rate_limit_exceeded')
      assert.deepEqual([limited.level, limited.userId, limited.max], ['WARN', 'ada', 2])
      const [key] = byType('authn_login_fail')
      assert.deepEqual([key.level, key.code, key.request_uri], ['WARN', 'API_KEY_REJECTED', '/keys'])

      const text = JSON.stringify(events)
      for (const secret of [
        member,
        revoked,
        'sk_live_not-a-key',
        'secret-in-query',
        ACCESS_SECRET,
        REFRESH_SECRET,
        PEPPER,
      ])
        assert.ok(!text.includes(secret), `an event holds ${secret.slice(0, 12)}…`)
    })
  }
}

for (const engine of ['native', 'js', 'shadow']) {
  test(`${engine}: a reused refresh token is a CRITICAL authn_token_reuse naming its family`, () => {
    const { events, options } = collector()
    const auth = shield.createAuthenticator(baseConfig(), { engine, onMismatch: () => {}, securityEvents: options })
    const pair = auth.issueTokens({ sub: 'ada' })
    assert.equal(auth.refresh(pair.refreshToken).ok, true)
    assert.equal(events.length, 0)
    assert.equal(auth.refresh(pair.refreshToken).errorCode, 'TOKEN_REUSED')
    assert.equal(events.length, 1)
    assert.deepEqual(
      [events[0].type, events[0].level, events[0].token, events[0].family],
      ['authn_token_reuse', 'CRITICAL', 'refresh', pair.family],
    )
    assert.ok(!JSON.stringify(events).includes(pair.refreshToken))
  })
}

test('a client failing authentication again and again is told once per exhaustion', async (t) => {
  const { events, options } = collector()
  const auth = shield.createAuthenticator(baseConfig(), { securityEvents: options })
  const server = await serve('express', auth)
  t.after(() => server.close())
  for (let i = 0; i < 30; i++) await fetch(`${server.base}/api/admin`, { headers: { authorization: 'Bearer a.b.c' } })
  const max = events.filter((e) => e.type === 'authn_login_fail_max')
  assert.equal(max.length, 1)
  assert.deepEqual([max[0].level, max[0].source_ip, max[0].max], ['WARN', '127.0.0.1', 20])
})

test('a flood is rate-limited per type, and the next event told says how many were suppressed', async () => {
  const events = []
  const auth = shield.createAuthenticator(baseConfig({ rateLimitMax: 1, rateLimitRefill: 0.001 }), {
    // A slow refill, so that a loaded machine's slow flood is still a flood (at 20 a second, 41
    // requests that took over 2 s were all told), and a pause of 700 ms still refills one.
    securityEvents: { onSecurityEvent: (e) => events.push(e), burst: 5, perSecond: 2 },
  })
  const app = express()
  app.get('/x', createExpressAuth(auth), (req, res) => res.json({}))
  const s = await new Promise((resolve) => {
    const x = app.listen(0, '127.0.0.1', () => resolve(x))
  })
  try {
    const headers = { authorization: `Bearer ${mint({ sub: 'flood' })}` }
    for (let i = 0; i < 41; i++) await fetch(`http://127.0.0.1:${s.address().port}/x`, { headers })
    const told = events.filter((e) => e.type === 'excess_rate_limit_exceeded')
    assert.ok(told.length >= 5 && told.length < 40, `${told.length} of 40 told`)
    await new Promise((r) => setTimeout(r, 700))
    await fetch(`http://127.0.0.1:${s.address().port}/x`, { headers })
    const last = events.at(-1)
    assert.ok(last.suppressed > 0, JSON.stringify(last))
    assert.equal(
      events.filter((e) => e.type === 'excess_rate_limit_exceeded').length +
        events.reduce((n, e) => n + (e.suppressed ?? 0), 0),
      41,
    )
  } finally {
    s.close()
    s.closeAllConnections()
  }
})

test('a pino logger gets WARN events at warn and CRITICAL ones at error; a JWKS outage is told', async () => {
  const lines = []
  const logger = pino(
    new Writable({
      write(chunk, _, done) {
        lines.push(JSON.parse(chunk))
        done()
      },
    }),
  )
  const auth = shield.createAuthenticator({ jwks: { keys: [] }, issuer: 'idp' }, { securityEvents: { logger } })
  const refresher = shield.createJwksRefresher(auth, 'https://idp.example/jwks.json?client_secret=abc', {
    fetch: async () => new Response('', { status: 503 }),
    onError: () => {},
  })
  await refresher.ready
  refresher.stop()
  const pair = shield.createAuthenticator(baseConfig(), { securityEvents: { logger } })
  const p = pair.issueTokens({ sub: 'ada' })
  pair.refresh(p.refreshToken)
  pair.refresh(p.refreshToken)
  await new Promise((r) => setImmediate(r))
  const jwks = lines.find((l) => l.type === 'sys_jwks_fetch_fail')
  assert.deepEqual([jwks.level, jwks.severity], [40, 'WARN'])
  assert.equal(jwks.jwks_uri, 'https://idp.example/jwks.json')
  assert.ok(!JSON.stringify(lines).includes('client_secret'))
  const reuse = lines.find((l) => l.type === 'authn_token_reuse')
  assert.deepEqual([reuse.level, reuse.severity], [50, 'CRITICAL'])
  assert.equal(reuse.msg, 'authn_token_reuse:refresh: A revoked token was presented')
})

test('securityEvents is checked where it is given', () => {
  for (const bad of [{ logger: {} }, { onSecurityEvent: 'x' }, { burst: 0 }, { other: 1 }, 'yes'])
    assert.throws(
      () => shield.createAuthenticator(baseConfig(), { securityEvents: bad }),
      (e) => e.code === 'INVALID_CONFIG',
      JSON.stringify(bad),
    )
  const auth = shield.createAuthenticator(baseConfig())
  assert.throws(
    () => createExpressAuth(auth, { securityEvents: { onSecurityEvent() {} } }),
    (e) => e.code === 'INVALID_CONFIG' && /createAuthenticator/.test(e.message),
  )
  createExpressAuth(baseConfig(), { securityEvents: { onSecurityEvent() {} } })
})
