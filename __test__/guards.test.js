'use strict'

// Route guards, errors that reach the framework's error handling, request ids and the Fastify
// conventions, against real Express 4/5 and Fastify 4/5 servers.

const test = require('node:test')
const assert = require('node:assert/strict')
const { Writable } = require('node:stream')
const {
  createExpressAuth,
  requireRole,
  requirePermission,
  requireScope,
  requireTenant,
  AuthError,
} = require('../lib/integrations/express')
const authShield = require('../lib/integrations/fastify')
const shield = require('..')
const { FRAMEWORKS } = require('./servers')
const { baseConfig, mint } = require('./helpers')

const bearer = (claims) => ({ authorization: `Bearer ${mint({ tenant_id: 'acme', ...claims })}` })
const admin = bearer({ role: 'admin', permissions: ['orders:read', 'orders:write'] })
const reader = bearer({ role: 'viewer', permissions: ['orders:read'] })
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

async function listenExpress(app) {
  const server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  return {
    base: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(resolve)
        server.closeAllConnections()
      }),
  }
}

async function listenFastify(fastify) {
  await fastify.listen({ port: 0, host: '127.0.0.1' })
  return { base: `http://127.0.0.1:${fastify.server.address().port}`, close: () => fastify.close() }
}

async function call(server, path, headers = {}, init = {}) {
  const res = await fetch(`${server.base}${path}`, { headers, ...init })
  const text = await res.text()
  let body = text
  try {
    body = JSON.parse(text)
  } catch {
    // not JSON
  }
  return { status: res.status, headers: res.headers, body }
}

/** The same guarded routes on each framework. */
async function guardedServer(name, options = {}) {
  const { kind, load } = FRAMEWORKS[name]
  const member = requireTenant(async (tenantId, user) => tenantId === 'acme' && user.userId === 'user-1')
  if (kind === 'express') {
    const express = load()
    const app = express()
    app.use('/api', createExpressAuth(baseConfig(), options))
    app.get('/api/admin', requireRole('admin'), (req, res) => res.json({ ok: true }))
    app.get('/api/either', requireRole('admin', 'auditor', { any: true }), (req, res) => res.json({ ok: true }))
    app.get('/api/both', requireRole('admin', 'auditor'), (req, res) => res.json({ ok: true }))
    app.post('/api/orders', requirePermission('orders:write'), (req, res) => res.json({ ok: true }))
    app.get('/api/scoped', requireScope('orders:read', 'orders:write'), (req, res) => res.json({ ok: true }))
    app.get('/api/member', member, (req, res) => res.json({ ok: true }))
    const adminRouter = express.Router()
    adminRouter.use(requireRole('admin'))
    adminRouter.get('/stats', (req, res) => res.json({ ok: true }))
    app.use('/api/backoffice', adminRouter)
    app.use((err, req, res, next) =>
      res
        .status(err.status ?? 500)
        .json({ handler: 'app', code: err.code, name: err.name, status: err.status, headers: err.headers ?? null }),
    )
    return listenExpress(app)
  }
  const fastify = load()({ logger: false })
  fastify.setErrorHandler((err, request, reply) =>
    reply
      .code(err.statusCode ?? 500)
      .send({ handler: 'app', code: err.code, name: err.name, status: err.statusCode, headers: err.headers ?? null }),
  )
  await fastify.register(
    async (api) => {
      await api.register(authShield, { config: baseConfig(), ...options })
      api.get('/admin', { onRequest: requireRole('admin') }, async () => ({ ok: true }))
      api.get('/either', { preHandler: requireRole('admin', 'auditor', { any: true }) }, async () => ({ ok: true }))
      api.get('/both', { preHandler: requireRole('admin', 'auditor') }, async () => ({ ok: true }))
      api.post('/orders', { preHandler: requirePermission('orders:write') }, async () => ({ ok: true }))
      api.get('/scoped', { preHandler: requireScope('orders:read', 'orders:write') }, async () => ({ ok: true }))
      api.get('/member', { preHandler: member }, async () => ({ ok: true }))
      await api.register(
        async (backoffice) => {
          backoffice.addHook('preHandler', requireRole('admin'))
          backoffice.get('/stats', async () => ({ ok: true }))
        },
        { prefix: '/backoffice' },
      )
    },
    { prefix: '/api' },
  )
  return listenFastify(fastify)
}

for (const name of Object.keys(FRAMEWORKS)) {
  test(`${name}: guards pass the holders and refuse the rest with 403 insufficient_scope`, async () => {
    const server = await guardedServer(name)
    try {
      for (const [path, headers, status, method] of [
        ['/api/admin', admin, 200],
        ['/api/admin', reader, 403],
        ['/api/either', admin, 200],
        ['/api/either', reader, 403],
        ['/api/both', admin, 403],
        ['/api/orders', admin, 200, 'POST'],
        ['/api/orders', reader, 403, 'POST'],
        ['/api/scoped', admin, 200],
        ['/api/scoped', reader, 403],
        ['/api/member', admin, 200],
        ['/api/member', bearer({ sub: 'user-2' }), 403],
        ['/api/backoffice/stats', admin, 200],
        ['/api/backoffice/stats', reader, 403],
      ]) {
        const res = await call(server, path, headers, { method: method ?? 'GET' })
        assert.equal(res.status, status, `${path} ${status}`)
        if (status !== 403) continue
        assert.deepEqual(res.body, { error: 'Insufficient permissions', code: 'INSUFFICIENT_PERMISSIONS' })
        const www = res.headers.get('www-authenticate')
        assert.match(www, /^Bearer error="insufficient_scope", error_description="Insufficient permissions"/)
        if (path === '/api/scoped') assert.match(www, /scope="orders:read orders:write"$/)
        assert.ok(res.headers.get('x-request-id'))
      }
      // No token: the authentication answers 401 before any guard runs.
      assert.equal((await call(server, '/api/admin')).status, 401)
    } finally {
      await server.close()
    }
  })

  test(`${name}: errors: 'forward' hands failures and refusals to the app's error handler`, async () => {
    const server = await guardedServer(name, { errors: 'forward' })
    try {
      let res = await call(server, '/api/admin')
      assert.equal(res.status, 401)
      assert.equal(res.body.handler, 'app')
      assert.equal(res.body.name, 'AuthError')
      assert.equal(res.body.code, 'MISSING_AUTHORIZATION')
      assert.equal(res.body.status, 401)
      assert.equal(res.body.headers['WWW-Authenticate'], 'Bearer')
      assert.ok(res.body.headers['X-Request-Id'])
      res = await call(server, '/api/admin', reader)
      assert.equal(res.status, 403)
      assert.deepEqual([res.body.handler, res.body.code, res.body.status], ['app', 'INSUFFICIENT_PERMISSIONS', 403])
      assert.match(res.body.headers['WWW-Authenticate'], /insufficient_scope/)
      res = await call(server, '/api/admin', admin)
      assert.equal(res.status, 200)
    } finally {
      await server.close()
    }
  })
}

test('a guard before authentication: Express answers a coded 500 through its error handler, Fastify refuses the route at startup', async () => {
  const express = require('express')
  const app = express()
  app.get('/early', requireRole('admin'), (req, res) => res.json({ ok: true }))
  app.use((err, req, res, next) => res.status(err.status).json({ code: err.code, message: err.message }))
  const server = await listenExpress(app)
  try {
    const res = await call(server, '/early', admin)
    assert.equal(res.status, 500)
    assert.equal(res.body.code, 'INVALID_CONFIG')
    assert.match(res.body.message, /requireRole ran on a request no auth-shield/)
  } finally {
    await server.close()
  }
  for (const [hook, global, where] of [
    ['preHandler', true, 'onRequest'],
    ['onRequest', false, 'onRequest'],
    ['onRequest', true, 'preParsing'],
  ]) {
    const fastify = require('fastify')({ logger: false })
    await fastify.register(authShield, { config: baseConfig(), hook, global })
    const guard = (request, reply, payload, done) => done(null, payload)
    const options =
      where === 'preParsing'
        ? {
            preParsing: Object.assign(guard, {
              [Object.getOwnPropertySymbols(requireRole('x')).find((s) => String(s).includes('guard'))]: 'requireRole',
            }),
          }
        : { [where]: requireRole('admin') }
    assert.throws(
      () => fastify.get('/early', options, async () => ({})),
      (e) => e.code === 'INVALID_CONFIG' && /before the request is authenticated/.test(e.message),
      `${hook} ${global} ${where}`,
    )
    await fastify.close()
  }
  // With the handler on the route first, the same guard is fine.
  const fastify = require('fastify')({ logger: false })
  await fastify.register(authShield, { config: baseConfig(), global: false })
  fastify.get('/fine', { onRequest: [fastify.authShield, requireRole('admin')] }, async () => ({ ok: true }))
  assert.equal((await fastify.inject({ url: '/fine', headers: admin })).statusCode, 200)
  assert.equal((await fastify.inject({ url: '/fine', headers: reader })).statusCode, 403)
  await fastify.close()
})

test('guards refuse bad arguments when they are made', () => {
  for (const make of [
    () => requireRole(),
    () => requirePermission({ any: true }),
    () => requireScope('has space'),
    () => requireRole('a', { all: true }),
    () => requireRole('a', { any: 'yes' }),
    () => requireRole(''),
    () => requireRole(7),
    () => requireTenant('acme'),
    () => requireScope('a"b'),
  ]) {
    assert.throws(make, { code: 'INVALID_CONFIG' })
  }
  assert.equal(typeof requireRole(['admin', 'owner']), 'function')
  assert.equal(shield.requireRole, requireRole)
})

test('requireTenant: a throw, a rejection or a non-boolean answer is CALLBACK_FAILED (500)', async () => {
  const express = require('express')
  const app = express()
  app.use(createExpressAuth(baseConfig()))
  app.get(
    '/throws',
    requireTenant(() => {
      throw new Error('db down')
    }),
    (req, res) => res.json({}),
  )
  app.get(
    '/rejects',
    requireTenant(async () => Promise.reject(new Error('db down'))),
    (req, res) => res.json({}),
  )
  app.get(
    '/junk',
    requireTenant(() => 'yes'),
    (req, res) => res.json({}),
  )
  app.use((err, req, res, next) => res.status(err.status ?? 500).json({ code: err.code }))
  const server = await listenExpress(app)
  try {
    for (const path of ['/throws', '/rejects', '/junk']) {
      const res = await call(server, path, admin)
      assert.deepEqual([res.status, res.body.code], [500, 'CALLBACK_FAILED'], path)
    }
  } finally {
    await server.close()
  }
})

test('Express: request ids reuse req.id (pino-http), trust a valid X-Request-Id only when asked, and skipped requests get one', async () => {
  const express = require('express')
  const start = async (options, preset) => {
    const app = express()
    if (preset) app.use((req, res, next) => ((req.id = preset), next()))
    app.use(createExpressAuth(baseConfig(), options))
    app.get('/me', (req, res) => res.json({ id: req.id }))
    app.options('/me', (req, res) => res.status(204).end())
    return listenExpress(app)
  }
  let server = await start({}, 'from-pino-42')
  try {
    const res = await call(server, '/me', admin)
    assert.equal(res.body.id, 'from-pino-42')
    assert.equal(res.headers.get('x-request-id'), 'from-pino-42')
    const refused = await call(server, '/me')
    assert.equal(refused.headers.get('x-request-id'), 'from-pino-42')
  } finally {
    await server.close()
  }
  server = await start({ trustRequestId: true })
  try {
    const gateway = 'gw-7f3a:9/b+c=d@e.f_g'
    let res = await call(server, '/me', { ...admin, 'x-request-id': gateway })
    assert.deepEqual([res.body.id, res.headers.get('x-request-id')], [gateway, gateway])
    for (const bad of ['x'.repeat(10 * 1024), 'has space', 'ünïcode', 'a'.repeat(129), '']) {
      res = await call(server, '/me', { ...admin, 'x-request-id': bad })
      assert.match(res.body.id, UUID, `fresh id for ${bad.slice(0, 20)}`)
    }
    const preflight = await call(server, '/me', { 'x-request-id': gateway }, { method: 'OPTIONS' })
    assert.equal(preflight.headers.get('x-request-id'), gateway)
  } finally {
    await server.close()
  }
  server = await start({})
  try {
    const res = await call(server, '/me', { ...admin, 'x-request-id': 'gateway-id' })
    assert.match(res.body.id, UUID, 'an incoming id is not trusted by default')
  } finally {
    await server.close()
  }
  // A CR/LF cannot arrive in an HTTP header; the same check refuses it wherever an id comes from.
  const { validId } = require('../lib/integrations/request-state')
  for (const bad of ['a\r\nb', 'a\nb', 'a\x00b', 5, null]) assert.equal(validId(bad), false)
})

test("Fastify: the id is request.id (genReqId / requestIdHeader decide it), in the result, the header and the logger's lines", async () => {
  const lines = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(chunk))
      done()
    },
  })
  let n = 0
  const fastify = require('fastify')({
    logger: { stream, level: 'info' },
    genReqId: () => `gen-${++n}`,
    requestIdHeader: 'x-request-id',
  })
  await fastify.register(authShield, { config: baseConfig() })
  fastify.get('/me', async (request) => {
    request.log.info('handled')
    return { id: request.requestId, user: request.user.userId }
  })
  try {
    let res = await fastify.inject({ url: '/me', headers: admin })
    assert.equal(res.json().id, 'gen-1')
    assert.equal(res.headers['x-request-id'], 'gen-1')
    assert.ok(lines.some((l) => l.msg === 'handled' && l.reqId === 'gen-1'))
    res = await fastify.inject({ url: '/me', headers: { ...admin, 'x-request-id': 'from-gateway' } })
    assert.deepEqual([res.json().id, res.headers['x-request-id']], ['from-gateway', 'from-gateway'])
    // An id that fails the check (here, over 128 characters) is replaced by a fresh one.
    res = await fastify.inject({ url: '/me', headers: { ...admin, 'x-request-id': 'y'.repeat(300) } })
    assert.match(res.json().id, UUID)
  } finally {
    await fastify.close()
  }
})

/** A Fastify app with the plugin, logging to `lines`. */
async function loggedFastify(name, factoryOptions, pluginOptions = {}) {
  const lines = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(chunk))
      done()
    },
  })
  const fastify = FRAMEWORKS[name].load()({ logger: { stream, level: 'info' }, ...factoryOptions })
  await fastify.register(authShield, { config: baseConfig(), ...pluginOptions })
  fastify.get('/me', async (request) => {
    request.log.info('handled')
    return { id: request.requestId, requestDotId: request.id }
  })
  return { fastify, lines }
}

for (const name of ['fastify 5', 'fastify 4']) {
  test(`${name}: with Fastify's default generator, ids are UUID v4, unique across instances, and the logger's reqId`, async () => {
    const seen = new Set()
    for (let instance = 0; instance < 2; instance++) {
      const { fastify, lines } = await loggedFastify(name, {})
      try {
        for (const headers of [admin, {}]) {
          const res = await fastify.inject({ url: '/me', headers })
          const id = res.headers['x-request-id']
          assert.match(id, UUID, `${name}: ${id}`)
          assert.ok(!seen.has(id), 'the same id on two instances')
          seen.add(id)
          if (res.statusCode === 200) {
            assert.deepEqual(res.json(), { id, requestDotId: id })
            assert.ok(
              lines.some((l) => l.msg === 'handled' && l.reqId === id),
              'the logger has the same id',
            )
          }
        }
      } finally {
        await fastify.close()
      }
    }
  })

  test(`${name}: trustRequestId with the default generator takes a valid incoming id as the logged id`, async () => {
    const { fastify, lines } = await loggedFastify(name, {}, { trustRequestId: true })
    try {
      let res = await fastify.inject({ url: '/me', headers: { ...admin, 'x-request-id': 'gw-7f3a' } })
      assert.deepEqual([res.json().id, res.headers['x-request-id']], ['gw-7f3a', 'gw-7f3a'])
      assert.ok(lines.some((l) => l.msg === 'handled' && l.reqId === 'gw-7f3a'))
      res = await fastify.inject({ url: '/me', headers: { ...admin, 'x-request-id': 'has spaces' } })
      assert.match(res.json().id, UUID)
    } finally {
      await fastify.close()
    }
  })

  test(`${name}: an app's requestIdHeader is still read first, with UUIDs where it is absent`, async () => {
    const { fastify } = await loggedFastify(name, { requestIdHeader: 'x-trace' })
    try {
      let res = await fastify.inject({ url: '/me', headers: { ...admin, 'x-trace': 'trace-1' } })
      assert.equal(res.json().id, 'trace-1')
      res = await fastify.inject({ url: '/me', headers: admin })
      assert.match(res.json().id, UUID)
    } finally {
      await fastify.close()
    }
  })

  test(`${name}: an app's own genReqId, with or without requestIdHeader, is left alone`, async () => {
    for (const extra of [{}, { requestIdHeader: 'x-trace' }]) {
      let n = 0
      const { fastify } = await loggedFastify(name, { genReqId: () => `mine-${++n}`, ...extra })
      try {
        const res = await fastify.inject({ url: '/me', headers: admin })
        assert.match(res.json().id, /^mine-\d+$/, JSON.stringify(extra))
      } finally {
        await fastify.close()
      }
    }
  })
}

test('Fastify: onRequest by default, so a bad body without credentials is 401, not 400; hook chooses', async () => {
  for (const [hook, status] of [
    [undefined, 401],
    ['preHandler', 400],
  ]) {
    const fastify = require('fastify')({ logger: false })
    await fastify.register(authShield, { config: baseConfig(), ...(hook ? { hook } : {}) })
    fastify.post('/orders', { schema: { body: { type: 'object', required: ['sku'] } } }, async () => ({ ok: true }))
    const res = await fastify.inject({
      method: 'POST',
      url: '/orders',
      headers: { 'content-type': 'application/json' },
      payload: '{"nope":',
    })
    assert.equal(res.statusCode, status, String(hook))
    const ok = await fastify.inject({
      method: 'POST',
      url: '/orders',
      headers: { ...admin, 'content-type': 'application/json' },
      payload: '{"sku":"a"}',
    })
    assert.equal(ok.statusCode, 200)
    await fastify.close()
  }
  for (const hook of ['preParsing', 'preValidation']) {
    const fastify = require('fastify')({ logger: false })
    await fastify.register(authShield, { config: baseConfig(), hook })
    fastify.post('/x', async (request) => ({ user: request.user.userId }))
    assert.equal(
      (await fastify.inject({ method: 'POST', url: '/x', headers: admin, payload: {} })).json().user,
      'user-1',
    )
    assert.equal((await fastify.inject({ method: 'POST', url: '/x', payload: {} })).statusCode, 401)
    await fastify.close()
  }
  const fastify = require('fastify')({ logger: false })
  await assert.rejects(async () => fastify.register(authShield, { config: baseConfig(), hook: 'onSend' }).ready(), {
    code: 'INVALID_CONFIG',
  })
})

test('Fastify: decoratorName, two instances (two audiences) in one context, and a clash is a startup error', async () => {
  const fastify = require('fastify')({ logger: false })
  fastify.decorateRequest('user', null) // as @fastify/passport or @fastify/jwt would
  await fastify.register(authShield, {
    config: baseConfig({ audience: 'internal' }),
    decoratorName: 'auth',
    global: false,
  })
  await fastify.register(authShield, {
    config: baseConfig({ audience: 'partners' }),
    decoratorName: 'partner',
    global: false,
  })
  fastify.get('/internal', { onRequest: fastify.authShieldAuth }, async (request) => ({
    who: request.auth.userId,
    partner: request.partner,
  }))
  fastify.get('/partner', { onRequest: [fastify.authShieldPartner, requireRole('admin')] }, async (request) => ({
    who: request.partner.userId,
    auth: request.auth,
  }))
  try {
    const internal = bearer({ aud: 'internal', role: 'admin' })
    const partner = bearer({ aud: 'partners', role: 'admin' })
    assert.deepEqual((await fastify.inject({ url: '/internal', headers: internal })).json(), {
      who: 'user-1',
      partner: null,
    })
    assert.equal((await fastify.inject({ url: '/internal', headers: partner })).json().code, 'INVALID_AUDIENCE')
    assert.deepEqual((await fastify.inject({ url: '/partner', headers: partner })).json(), {
      who: 'user-1',
      auth: null,
    })
    assert.equal((await fastify.inject({ url: '/partner', headers: internal })).statusCode, 401)
    assert.ok(fastify.authShieldAuthAuthenticator && fastify.authShieldPartnerAuthenticator)
  } finally {
    await fastify.close()
  }
  for (const options of [{}, { decoratorName: 'partner' }]) {
    const app = require('fastify')({ logger: false })
    app.decorateRequest('user', null)
    await app.register(authShield, { config: baseConfig(), decoratorName: 'partner' })
    await assert.rejects(async () => app.register(authShield, { config: baseConfig(), ...options }).ready(), {
      code: 'INVALID_CONFIG',
    })
  }
  for (const decoratorName of ['id', 'body', 'tenantId', 'has space', '', 7]) {
    await assert.rejects(
      async () =>
        require('fastify')({ logger: false }).register(authShield, { config: baseConfig(), decoratorName }).ready(),
      { code: 'INVALID_CONFIG' },
      String(decoratorName),
    )
  }
})

test('Express: requestProperty puts the user on req.auth, clear of Passport, and guards still find it', async () => {
  const express = require('express')
  const app = express()
  app.use((req, res, next) => ((req.user = 'passport-session-user'), next()))
  app.use(createExpressAuth(baseConfig(), { requestProperty: 'auth' }))
  app.get('/me', requireRole('admin'), (req, res) => res.json({ auth: req.auth.userId, user: req.user }))
  const server = await listenExpress(app)
  try {
    assert.deepEqual((await call(server, '/me', admin)).body, { auth: 'user-1', user: 'passport-session-user' })
    assert.equal((await call(server, '/me', reader)).status, 403)
  } finally {
    await server.close()
  }
  assert.throws(() => createExpressAuth(baseConfig(), { requestProperty: 'headers' }), { code: 'INVALID_CONFIG' })
  assert.throws(() => createExpressAuth(baseConfig(), { decoratorName: 'auth' }), { code: 'INVALID_CONFIG' })
  assert.throws(() => createExpressAuth(baseConfig(), { errors: 'throw' }), { code: 'INVALID_CONFIG' })
  assert.throws(() => createExpressAuth(baseConfig(), { errors: 'forward', onError: () => {} }), {
    code: 'INVALID_CONFIG',
  })
  assert.throws(() => createExpressAuth(baseConfig(), { trustRequestId: 'yes' }), { code: 'INVALID_CONFIG' })
})

test('AuthError carries what the default answer would have', () => {
  const e = new AuthError(
    { error: 'Token expired', errorCode: 'TOKEN_EXPIRED', errorStatus: 401, requestId: 'r1' },
    { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
  )
  assert.ok(e instanceof Error)
  assert.deepEqual(
    [e.name, e.message, e.code, e.status, e.statusCode, e.requestId, e.expose],
    ['AuthError', 'Token expired', 'TOKEN_EXPIRED', 401, 401, 'r1', true],
  )
  assert.equal(shield.AuthError, AuthError)
})
