'use strict'

// The Express middleware and the Fastify plugin against real servers: every error code reaches
// the client with its status, body and headers; the happy path sets every request field.

const test = require('node:test')
const assert = require('node:assert')
const http = require('node:http')
const { FRAMEWORKS, start } = require('./servers')
const { baseConfig, mint, now, b64url } = require('./helpers')

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
// The id a request goes by: a UUID v4 on both (Fastify's request.id, whose default generator the
// plugin replaces; an app's own genReqId is tested in guards.test.js).
const idPattern = () => UUID

const cases = (good) => [
  ['MISSING_AUTHORIZATION', 401, {}],
  ['INVALID_AUTHORIZATION_FORMAT', 401, { authorization: 'Basic dXNlcjpwYXNz' }],
  ['TOKEN_MALFORMED', 401, { authorization: 'Bearer a.b' }],
  ['ALGORITHM_NOT_ALLOWED', 401, { authorization: `Bearer ${b64url({ alg: 'none' })}.${b64url({ sub: 'u' })}.x` }],
  ['INVALID_SIGNATURE', 401, { authorization: `Bearer ${mint({}, { secret: 'another-secret-another-secret-0123' })}` }],
  ['MISSING_CLAIM', 401, { authorization: `Bearer ${mint({ sub: undefined })}` }],
  ['TOKEN_EXPIRED', 401, { authorization: `Bearer ${mint({ exp: now() - 5 })}` }],
  ['TOKEN_NOT_ACTIVE', 401, { authorization: `Bearer ${mint({ nbf: now() + 60 })}` }],
  ['INVALID_ISSUER', 401, { authorization: `Bearer ${mint({ iss: 'other' })}` }],
  ['INVALID_TOKEN_TYPE', 401, { authorization: `Bearer ${mint({ type: 'refresh' })}` }],
  ['INVALID_TENANT', 400, { authorization: `Bearer ${good}`, 'x-tenant-id': 'a b' }],
  ['TENANT_MISMATCH', 403, { authorization: `Bearer ${good}`, 'x-tenant-id': 'globex' }],
]

for (const framework of Object.keys(FRAMEWORKS)) {
  for (const engine of ['native', 'js']) {
    test(`${framework} (${engine} engine): success sets every field and header`, async () => {
      const server = await start(framework, baseConfig(), { engine })
      try {
        assert.strictEqual(server.engine, engine)
        const token = mint({ email: 'ada@example.com', role: 'admin', permissions: ['read'], tenant_id: 'acme' })
        const res = await fetch(`${server.base}/api/me`, {
          headers: { authorization: `Bearer ${token}`, 'x-tenant-id': 'acme' },
        })
        assert.strictEqual(res.status, 200)
        const body = await res.json()
        assert.deepStrictEqual(body.user, {
          userId: 'user-1',
          email: 'ada@example.com',
          role: 'admin',
          roles: ['admin'],
          permissions: ['read'],
        })
        assert.strictEqual(body.tenantId, 'acme')
        assert.strictEqual(body.appId, 'acme')
        assert.match(body.requestId, idPattern(framework))
        assert.strictEqual(res.headers.get('x-request-id'), body.requestId)
        assert.strictEqual(res.headers.get('ratelimit-limit'), '1000')
        assert.strictEqual(res.headers.get('ratelimit-remaining'), '999')
        assert.strictEqual(res.headers.get('ratelimit-reset'), '1')
        assert.strictEqual(res.headers.get('www-authenticate'), null)
        // Unprotected routes pass untouched; CORS preflights pass unauthenticated, with an id.
        assert.strictEqual((await fetch(`${server.base}/health`)).status, 200)
        const preflight = await fetch(`${server.base}/api/me`, { method: 'OPTIONS' })
        assert.strictEqual(preflight.status, 204)
        assert.match(preflight.headers.get('x-request-id'), idPattern(framework))
      } finally {
        await server.close()
      }
    })

    test(`${framework} (${engine} engine): every error code reaches the client`, async () => {
      const server = await start(framework, baseConfig({ rateLimitMax: 2, rateLimitRefill: 0.01 }), { engine })
      try {
        const good = mint({ tenant_id: 'acme' })
        for (const [code, status, headers] of cases(good)) {
          const res = await fetch(`${server.base}/api/me`, { headers })
          const body = await res.json()
          assert.strictEqual(res.status, status, code)
          assert.strictEqual(body.code, code)
          assert.strictEqual(typeof body.error, 'string')
          assert.match(res.headers.get('x-request-id'), idPattern(framework))
          const www = res.headers.get('www-authenticate')
          if (status !== 401) assert.strictEqual(www, null, code)
          else if (code === 'MISSING_AUTHORIZATION') assert.strictEqual(www, 'Bearer')
          else if (code === 'INVALID_AUTHORIZATION_FORMAT') assert.match(www, /^Bearer error="invalid_request"/)
          else assert.match(www, /^Bearer error="invalid_token"/)
        }
        const ok = { authorization: `Bearer ${good}` }
        assert.strictEqual((await fetch(`${server.base}/api/me`, { headers: ok })).status, 200)
        assert.strictEqual((await fetch(`${server.base}/api/me`, { headers: ok })).status, 200)
        const limited = await fetch(`${server.base}/api/me`, { headers: ok })
        assert.strictEqual(limited.status, 429)
        assert.deepStrictEqual(await limited.json(), { error: 'Rate limit exceeded', code: 'RATE_LIMITED' })
        assert.ok(Number(limited.headers.get('retry-after')) >= 1)
        assert.strictEqual(limited.headers.get('ratelimit-remaining'), '0')
      } finally {
        await server.close()
      }
    })
  }

  test(`${framework}: odd and duplicated headers get answers and the server stays up`, async () => {
    const server = await start(framework, baseConfig({ enforceTenantMatch: false }))
    try {
      const token = mint()
      const raw = (headers) =>
        new Promise((resolve, reject) => {
          const req = http.request(`${server.base}/api/me`, { headers }, (res) => {
            res.resume()
            res.on('end', () => resolve(res.statusCode))
          })
          req.on('error', reject)
          req.end()
        })
      assert.strictEqual(await raw({ authorization: `Bearer ${token}`, 'x-tenant-id': ['acme', 'globex'] }), 400)
      assert.strictEqual(await raw({ authorization: [`Bearer ${token}`, 'Basic x'] }), 200)
      assert.strictEqual(await raw({ authorization: `Bearer ${token}`, host: 'ACME.Example.com:8080' }), 200)
      assert.strictEqual(await raw({ authorization: `Bearer ${token}`, host: '[::1]:9' }), 200)
      assert.strictEqual(await raw({ authorization: `Bearer ${'A'.repeat(12000)}` }), 401)
      assert.strictEqual(await raw({ authorization: `Bearer ${token}`, 'x-tenant-id': 'x'.repeat(4000) }), 400)
      assert.strictEqual(await raw({ authorization: `bearer    ${token}` }), 200)
      assert.strictEqual(await raw({ authorization: `Bearer ${token}` }), 200)
    } finally {
      await server.close()
    }
  })

  test(`${framework}: a bad config or option fails at setup, not on the first request`, async () => {
    await assert.rejects(start(framework, { accessSecret: 'short' }), (e) => e.code === 'WEAK_SECRET')
    await assert.rejects(
      start(framework, baseConfig(), { tenantHeadr: 'x' }),
      (e) => e.code === 'INVALID_CONFIG' && /tenantHeadr/.test(e.message),
    )
    await assert.rejects(start(framework, baseConfig(), { engine: 'turbo' }), (e) => e.code === 'INVALID_CONFIG')
  })
}

test('options: tenant header name, token getter, skipped paths, draft-8 headers, custom error responder', async () => {
  const server = await start('express 5', baseConfig(), {
    tenantHeader: 'X-Org',
    getToken: (req) => req.headers['x-token'],
    skipPaths: ['/open', /^\/health/],
    rateLimitHeaders: 'draft-8',
    realm: 'demo',
    onError: (result, req, res) => res.status(result.errorStatus).json({ problem: result.errorCode }),
  })
  try {
    const token = mint({ tenant_id: 'acme' })
    const ok = await fetch(`${server.base}/api/me`, { headers: { 'x-token': token, 'x-org': 'acme' } })
    assert.strictEqual(ok.status, 200)
    assert.strictEqual(ok.headers.get('ratelimit-policy'), '"default";q=1000')
    assert.strictEqual(ok.headers.get('ratelimit'), '"default";r=999;t=1')
    const mismatch = await fetch(`${server.base}/api/me`, { headers: { 'x-token': token, 'x-org': 'globex' } })
    assert.deepStrictEqual(await mismatch.json(), { problem: 'TENANT_MISMATCH' })
    const missing = await fetch(`${server.base}/api/me`)
    assert.strictEqual(missing.status, 401)
    assert.strictEqual(missing.headers.get('www-authenticate'), 'Bearer realm="demo"')
  } finally {
    await server.close()
  }
})

test("rate-limit header modes carry express-rate-limit's names and fields", async () => {
  const expected = {
    'draft-6': {
      'ratelimit-limit': '1000',
      'ratelimit-remaining': '999',
      'ratelimit-reset': '1',
      ratelimit: null,
      'ratelimit-policy': null,
    },
    'draft-7': { ratelimit: 'limit=1000, remaining=999, reset=1', 'ratelimit-limit': null, 'ratelimit-policy': null },
    'draft-8': { ratelimit: '"default";r=999;t=1', 'ratelimit-policy': '"default";q=1000', 'ratelimit-limit': null },
    false: { ratelimit: null, 'ratelimit-limit': null, 'ratelimit-policy': null },
  }
  for (const framework of ['express 5', 'fastify 5']) {
    for (const [mode, headers] of Object.entries(expected)) {
      const server = await start(framework, baseConfig(), { rateLimitHeaders: mode === 'false' ? false : mode })
      try {
        const res = await fetch(`${server.base}/api/me`, {
          headers: { authorization: `Bearer ${mint({ tenant_id: 'acme' })}` },
        })
        assert.strictEqual(res.status, 200)
        for (const [name, value] of Object.entries(headers))
          assert.strictEqual(res.headers.get(name), value, `${framework} ${mode} ${name}`)
      } finally {
        await server.close()
      }
    }
  }
  await assert.rejects(
    start('express 5', baseConfig(), { rateLimitHeaders: 'draft-9' }),
    (e) => e.code === 'INVALID_CONFIG' && /draft-6/.test(e.message),
  )
})

test('engine switching by environment: USE_RUST_AUTH and AUTH_SHIELD_SHADOW', async () => {
  const { createAuthenticator } = require('..')
  const saved = { ...process.env }
  try {
    process.env.USE_RUST_AUTH = 'false'
    assert.strictEqual(createAuthenticator(baseConfig()).engine, 'js')
    process.env.USE_RUST_AUTH = 'true'
    assert.strictEqual(createAuthenticator(baseConfig()).engine, 'native')
    assert.strictEqual(createAuthenticator(baseConfig(), { engine: 'js' }).engine, 'js')
    delete process.env.USE_RUST_AUTH
    assert.strictEqual(createAuthenticator(baseConfig()).engine, 'native')
    process.env.AUTH_SHIELD_SHADOW = 'true'
    assert.strictEqual(createAuthenticator(baseConfig()).engine, 'shadow')
    process.env.USE_RUST_AUTH = 'yes please'
    assert.throws(
      () => createAuthenticator(baseConfig()),
      (e) => e.code === 'INVALID_CONFIG' && /USE_RUST_AUTH/.test(e.message),
    )
    for (const framework of ['express 5', 'fastify 5']) {
      process.env.USE_RUST_AUTH = 'false'
      delete process.env.AUTH_SHIELD_SHADOW
      const server = await start(framework, baseConfig())
      assert.strictEqual(server.engine, 'js')
      await server.close()
    }
  } finally {
    process.env = saved
  }
})

test('fastify: per-route use with global: false, and an onError that forgets to answer still refuses', async () => {
  const Fastify = require('fastify')
  const authShield = require('../lib/integrations/fastify')
  const app = Fastify()
  await app.register(authShield, { config: baseConfig(), global: false, onError: () => undefined })
  app.get('/open', async () => ({ open: true }))
  app.get('/closed', { preHandler: app.authShield }, async (request) => ({ userId: request.user.userId }))
  await app.listen({ port: 0, host: '127.0.0.1' })
  try {
    const base = `http://127.0.0.1:${app.server.address().port}`
    assert.strictEqual((await fetch(`${base}/open`)).status, 200)
    const refused = await fetch(`${base}/closed`)
    assert.strictEqual(refused.status, 401)
    assert.strictEqual((await refused.json()).code, 'MISSING_AUTHORIZATION')
    const ok = await fetch(`${base}/closed`, { headers: { authorization: `Bearer ${mint()}` } })
    assert.deepStrictEqual(await ok.json(), { userId: 'user-1' })
  } finally {
    await app.close()
  }
})
