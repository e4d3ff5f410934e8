'use strict'

// apiKeyAuth: API keys in the user's own format as a strategy for Express and Fastify, composed
// with the JWT one (either may authenticate a request; with @fastify/auth too), rate-limited on
// the authenticator's limiter, with a defined answer for every bad key and every bad lookup.

const test = require('node:test')
const assert = require('node:assert/strict')
const shield = require('..')
const { createExpressAuth, apiKeyAuth, requireRole } = require('../lib/integrations/express')
const authShield = require('../lib/integrations/fastify')
const { FRAMEWORKS } = require('./servers')
const { baseConfig, mint } = require('./helpers')

const PEPPER = 'api-key-pepper-0123456789abcdef0123456789'
const issued = shield.generateApiKey({ prefix: 'sk_live', pepper: PEPPER })
const other = shield.generateApiKey({ prefix: 'acme_pk', pepper: PEPPER })
const rows = new Map([
  [
    issued.id,
    {
      hash: issued.hash,
      userId: 'svc-billing',
      roles: ['admin'],
      permissions: ['orders:write'],
      tenantId: 'acme',
      team: 'billing',
    },
  ],
  [other.id, { hash: other.hash, userId: 'svc-other', roles: [], tenantId: 'acme' }],
])
const lookup = async (id) => rows.get(id) ?? null
const jwt = { authorization: `Bearer ${mint({ tenant_id: 'acme', role: 'admin' })}` }

async function server(
  name,
  strategyOptions,
  { jwtToo = false, auth = shield.createAuthenticator(baseConfig({ rateLimitMax: 3, rateLimitRefill: 0.01 })) } = {},
) {
  const { kind, load } = FRAMEWORKS[name]
  const strategy = apiKeyAuth({ lookup, pepper: PEPPER, authenticator: auth, ...strategyOptions })
  if (kind === 'express') {
    const app = load()()
    app.use(strategy)
    if (jwtToo) app.use(createExpressAuth(auth))
    app.get('/me', (req, res) => res.json({ user: req.user ?? null, tenantId: req.tenantId ?? null, id: req.id }))
    app.get('/admin', requireRole('admin'), (req, res) => res.json({ ok: true }))
    app.use((err, req, res, next) => res.status(err.status ?? 500).json({ code: err.code, message: err.message }))
    const s = await new Promise((resolve) => {
      const x = app.listen(0, '127.0.0.1', () => resolve(x))
    })
    return {
      base: `http://127.0.0.1:${s.address().port}`,
      close: () => new Promise((r) => (s.close(r), s.closeAllConnections())),
    }
  }
  const fastify = load()({ logger: false })
  fastify.setErrorHandler((err, request, reply) =>
    reply.code(err.statusCode ?? 500).send({ code: err.code, message: err.message }),
  )
  if (jwtToo) await fastify.register(authShield, { config: auth, global: false })
  else fastify.decorateRequest('user', null)
  const hooks = jwtToo ? [strategy, fastify.authShield] : [strategy]
  fastify.get('/me', { onRequest: hooks }, async (request) => ({
    user: request.user ?? null,
    tenantId: request.tenantId ?? null,
    id: request.requestId,
  }))
  fastify.get('/admin', { onRequest: [...hooks, requireRole('admin')] }, async () => ({ ok: true }))
  await fastify.listen({ port: 0, host: '127.0.0.1' })
  return { base: `http://127.0.0.1:${fastify.server.address().port}`, close: () => fastify.close() }
}

const get = async (s, path, headers = {}) => {
  const res = await fetch(`${s.base}${path}`, { headers })
  return { status: res.status, headers: res.headers, body: await res.json() }
}

for (const name of Object.keys(FRAMEWORKS)) {
  test(`${name}: a good key authenticates; a missing, malformed, mistyped, unknown or wrong key is 401`, async () => {
    const s = await server(name, {})
    try {
      const ok = await get(s, '/me', { 'x-api-key': issued.key })
      assert.equal(ok.status, 200)
      assert.deepEqual(ok.body.user, {
        userId: 'svc-billing',
        email: null,
        role: 'admin',
        roles: ['admin'],
        permissions: ['orders:write'],
        tenantId: 'acme',
        team: 'billing',
        apiKeyId: issued.id,
      })
      assert.equal(ok.body.tenantId, 'acme')
      assert.equal(ok.headers.get('x-request-id'), ok.body.id)
      assert.equal(ok.headers.get('ratelimit-limit'), '3')
      assert.equal((await get(s, '/admin', { 'x-api-key': issued.key })).status, 200)
      assert.equal((await get(s, '/admin', { 'x-api-key': other.key })).status, 403)

      const missing = await get(s, '/me')
      assert.deepEqual([missing.status, missing.body], [401, { error: 'No API key provided', code: 'API_KEY_MISSING' }])
      assert.equal(missing.headers.get('www-authenticate'), 'ApiKey')
      const unknown = shield.generateApiKey({ prefix: 'sk_live', pepper: PEPPER })
      const wrongSecret = `${issued.key.slice(0, -20)}${other.key.slice(-20)}`
      for (const bad of [
        'nope',
        issued.key.slice(0, -1),
        issued.key.toUpperCase(),
        unknown.key,
        wrongSecret,
        'x'.repeat(4096),
        `auth1_pk_${'A'.repeat(51)}`,
      ]) {
        const res = await get(s, '/me', { 'x-api-key': bad })
        assert.deepEqual([res.status, res.body.code], [401, 'API_KEY_REJECTED'], bad.slice(0, 30))
        assert.match(res.headers.get('www-authenticate'), /^ApiKey error="invalid_token"/)
      }
      // A key for another tenant than the one the request names.
      assert.equal(
        (await get(s, '/me', { 'x-api-key': issued.key, 'x-tenant-id': 'globex' })).body.code,
        'TENANT_MISMATCH',
      )
    } finally {
      await s.close()
    }
  })

  test(`${name}: keys spend the authenticator's limiter, under their own id`, async () => {
    const s = await server(name, {})
    try {
      const codes = []
      for (let i = 0; i < 5; i++) codes.push((await get(s, '/me', { 'x-api-key': issued.key })).status)
      assert.deepEqual(codes, [200, 200, 200, 429, 429])
      const limited = await get(s, '/me', { 'x-api-key': issued.key })
      assert.equal(limited.body.code, 'RATE_LIMITED')
      assert.ok(Number(limited.headers.get('retry-after')) >= 1)
      assert.equal((await get(s, '/me', { 'x-api-key': other.key })).status, 200, 'another key has its own bucket')
    } finally {
      await s.close()
    }
  })

  test(`${name}: either a key or a JWT authenticates; a present but wrong key is never passed on`, async () => {
    const s = await server(
      name,
      { credentialsRequired: false },
      { jwtToo: true, auth: shield.createAuthenticator(baseConfig()) },
    )
    try {
      assert.equal((await get(s, '/me', { 'x-api-key': issued.key })).body.user.userId, 'svc-billing')
      assert.equal((await get(s, '/me', jwt)).body.user.userId, 'user-1')
      assert.equal((await get(s, '/admin', jwt)).status, 200)
      assert.equal((await get(s, '/me')).body.code, 'MISSING_AUTHORIZATION')
      assert.equal((await get(s, '/me', { ...jwt, 'x-api-key': 'sk_live_wrong' })).body.code, 'API_KEY_REJECTED')
    } finally {
      await s.close()
    }
  })

  test(`${name}: a lookup that throws, rejects or returns junk is CALLBACK_FAILED (500)`, async () => {
    for (const bad of [
      () => {
        throw new Error('db down')
      },
      async () => {
        throw new Error('db down')
      },
      async () => 'a string',
      async () => ({ userId: 'no hash' }),
      async () => ({ hash: 'not-hex' }),
    ]) {
      const s = await server(name, { lookup: bad })
      try {
        const res = await get(s, '/me', { 'x-api-key': issued.key })
        assert.deepEqual([res.status, res.body.code], [500, 'CALLBACK_FAILED'], String(bad))
      } finally {
        await s.close()
      }
    }
  })
}

test('Fastify: the JWT hook and apiKeyAuth compose as @fastify/auth strategies (errors: forward)', async () => {
  const fastify = require('fastify')({ logger: false })
  await fastify.register(require('@fastify/auth'))
  const auth = shield.createAuthenticator(baseConfig())
  await fastify.register(authShield, { config: auth, global: false, errors: 'forward' })
  const byKey = apiKeyAuth({ lookup, pepper: PEPPER, authenticator: auth, errors: 'forward' })
  fastify.get('/either', { onRequest: fastify.auth([fastify.authShield, byKey]) }, async (request) => ({
    who: request.user.userId,
  }))
  fastify.get(
    '/both',
    { onRequest: fastify.auth([fastify.authShield, requireRole('admin')], { relation: 'and' }) },
    async (request) => ({ who: request.user.userId }),
  )
  try {
    assert.equal((await fastify.inject({ url: '/either', headers: jwt })).json().who, 'user-1')
    assert.equal(
      (await fastify.inject({ url: '/either', headers: { 'x-api-key': issued.key } })).json().who,
      'svc-billing',
    )
    const neither = await fastify.inject({ url: '/either' })
    assert.equal(neither.statusCode, 401)
    assert.equal((await fastify.inject({ url: '/both', headers: jwt })).statusCode, 200)
    const viewer = { authorization: `Bearer ${mint({ tenant_id: 'acme', role: 'viewer' })}` }
    const refused = await fastify.inject({ url: '/both', headers: viewer })
    assert.deepEqual([refused.statusCode, refused.json().code], [403, 'INSUFFICIENT_PERMISSIONS'])
    assert.match(refused.headers['www-authenticate'], /insufficient_scope/)
  } finally {
    await fastify.close()
  }
})

test('apiKeyAuth refuses bad options when it is made', () => {
  const good = { lookup, pepper: PEPPER }
  for (const [options, code] of [
    [undefined, 'INVALID_CONFIG'],
    [{ ...good, lookup: 'db' }, 'INVALID_CONFIG'],
    [{ lookup }, 'INVALID_CONFIG'],
    [{ ...good, pepper: 'short' }, 'WEAK_SECRET'],
    [{ ...good, header: 'authorization' }, 'INVALID_CONFIG'],
    [{ ...good, header: 'bad header' }, 'INVALID_CONFIG'],
    [{ ...good, prefixes: [] }, 'INVALID_CONFIG'],
    [{ ...good, rateLimit: { max: 5 } }, 'INVALID_CONFIG'],
    [{ ...good, authenticator: {} }, 'INVALID_CONFIG'],
    [{ ...good, requestProperty: 'auth', decoratorName: 'auth' }, 'INVALID_CONFIG'],
    [{ ...good, colour: 'blue' }, 'INVALID_CONFIG'],
    [{ ...good, errors: 'forward', onError: () => {} }, 'INVALID_CONFIG'],
  ]) {
    assert.throws(() => apiKeyAuth(options), { code }, JSON.stringify(options))
  }
})

test('apiKeyAuth: prefixes restrict which keys are taken, and keys of the previous version still authenticate', async () => {
  const legacy = 'auth1_pk_AUE0l9Ghqd3Z_dsRJeCu6OIaqVp2r4OXdWVdRHxLoMDZ43rdH9e'
  rows.set('AUE0l9Ghqd3Z', { hash: shield.hashApiKey(legacy, PEPPER), userId: 'svc-legacy' })
  const s = await server('express 5', { prefixes: ['sk_live', 'pk'] })
  try {
    assert.equal((await get(s, '/me', { 'x-api-key': issued.key })).status, 200)
    assert.equal((await get(s, '/me', { 'x-api-key': legacy })).body.user.userId, 'svc-legacy')
    assert.equal((await get(s, '/me', { 'x-api-key': other.key })).body.code, 'API_KEY_REJECTED')
  } finally {
    await s.close()
    rows.delete('AUE0l9Ghqd3Z')
  }
})

// An API key asking for a tenant is answered by the request path's own tenant rule, as a token
// bound to the same tenant is: the header trimmed and checked, enforceTenantMatch obeyed.
for (const engine of ['native', 'js']) {
  for (const enforceTenantMatch of [true, false]) {
    test(`${engine}, enforceTenantMatch ${enforceTenantMatch}: an API key and a token bound to one tenant get the same tenant answers`, async (t) => {
      const auth = shield.createAuthenticator(baseConfig({ rateLimitMax: 100, enforceTenantMatch }), { engine })
      const s = await server('express 5', { credentialsRequired: false }, { jwtToo: true, auth })
      t.after(() => s.close())
      const token = `Bearer ${mint({ tenant_id: 'acme', sub: 'u1' })}`
      const unbound = `Bearer ${mint({ sub: 'u2' })}`
      const keyless = shield.generateApiKey({ prefix: 'sk_live', pepper: PEPPER })
      rows.set(keyless.id, { hash: keyless.hash, userId: 'svc-untenanted' })
      t.after(() => rows.delete(keyless.id))
      for (const header of [undefined, 'acme', '  acme\t', 'globex', 'a b', 'x'.repeat(300)]) {
        const ask = async (credentials) => {
          const res = await fetch(`${s.base}/me`, {
            headers: { ...credentials, ...(header === undefined ? {} : { 'x-tenant-id': header }) },
          })
          const body = await res.json()
          return [res.status, body.code ?? null, body.tenantId ?? null]
        }
        assert.deepEqual(
          await ask({ 'x-api-key': issued.key }),
          await ask({ authorization: token }),
          `bound, header ${JSON.stringify(header)}`,
        )
        assert.deepEqual(
          await ask({ 'x-api-key': keyless.key }),
          await ask({ authorization: unbound }),
          `unbound, header ${JSON.stringify(header)}`,
        )
      }
    })
  }
}
