'use strict'

// One server for the HTTP benchmark: `node http-server.js <express|fastify> <mode>`. Prints its
// port on stdout. Modes: none; pass-through (a middleware or hook at the same place that only
// calls next, to show what the framework charges for having one at all); pass-through-headers
// (the same, setting the four response headers and the request fields the integration sets,
// without authenticating: what is left over it is the authentication's own cost); jsonwebtoken
// (string secret, the seed's baseline); fast-jwt; js; native; native-guard (native, and
// requireRole('admin') on the route); native-timed (native, timing each authenticate call inside
// the server under load, written to stdout as `authenticate <µs>` when it is stopped);
// native-cached (the native engine with the verified-token cache on, as a deployment would run
// it: a token is reused for its lifetime).

const jwt = require('jsonwebtoken')
const { createVerifier } = require('fast-jwt')
const { randomUUID } = require('node:crypto')
const { createExpressAuth, requireRole } = require('../lib/integrations/express')
const authShield = require('../lib/integrations/fastify')
const { createChain } = require('./chain')
const { config, SECRET, ISSUER, LIMITS } = require('./http-config')

const [framework, mode] = process.argv.slice(2)
const BODY = { ok: true }

const coded = (mapper, verify) => (t) => {
  try {
    return verify(t)
  } catch (e) {
    throw Object.assign(new Error(e.message), { code: mapper(e) })
  }
}
const chains = {
  jsonwebtoken: () =>
    createChain(
      coded(
        (e) => (e.name === 'TokenExpiredError' ? 'TOKEN_EXPIRED' : 'INVALID_SIGNATURE'),
        (t) => jwt.verify(t, SECRET, { algorithms: ['HS256'], issuer: ISSUER }),
      ),
      LIMITS,
    ),
  'fast-jwt': () => {
    const verify = createVerifier({ key: SECRET, algorithms: ['HS256'], allowedIss: ISSUER, cache: false })
    return createChain(
      coded((e) => (e.code === 'FAST_JWT_EXPIRED' ? 'TOKEN_EXPIRED' : 'INVALID_SIGNATURE'), verify),
      LIMITS,
    )
  },
}

// The JS chains answer the way the seed's hand-written middleware did.
function chainMiddleware(chain) {
  return (req, res, next) => {
    const r = chain(req.headers.authorization, req.headers['x-tenant-id'], req.headers.host)
    res.setHeader('X-Request-Id', r.requestId)
    if (!r.authenticated) return res.status(r.errorStatus).json({ error: r.error, code: r.errorCode })
    req.user = { userId: r.userId, email: r.email, role: r.role, permissions: r.permissions }
    req.tenantId = r.tenantId
    next()
  }
}

const shipped = {
  js: ['js', config],
  native: ['native', config],
  'native-guard': ['native', config],
  'native-timed': ['native', config],
  'native-cached': ['native', { ...config, cache: true }],
}

/** The authenticator the integration gets: with native-timed, one whose calls are timed. */
function authenticatorFor(mode) {
  const { createAuthenticator } = require('..')
  const auth = createAuthenticator(shipped[mode][1], { engine: shipped[mode][0] })
  if (mode !== 'native-timed') return auth
  const authenticate = auth.authenticate.bind(auth)
  let calls = 0
  let nanos = 0n
  auth.authenticate = (...args) => {
    const start = process.hrtime.bigint()
    const result = authenticate(...args)
    nanos += process.hrtime.bigint() - start
    calls++
    return result
  }
  process.on('SIGTERM', () => {
    process.stdout.write(`authenticate ${calls === 0 ? 0 : Number(nanos) / calls / 1000}\n`, () => process.exit(0))
  })
  return auth
}
const guarded = mode === 'native-guard'
// What pass-through-headers sets, as the integration would for the benchmark's token.
const USER = {
  userId: 'user-4711',
  email: 'ada@example.com',
  role: 'admin',
  roles: ['admin'],
  permissions: ['read', 'write', 'billing'],
}
function sameHeaders(set) {
  set('X-Request-Id', randomUUID())
  set('RateLimit-Limit', '1000000000')
  set('RateLimit-Remaining', '999999999')
  set('RateLimit-Reset', '1')
}

async function main() {
  if (framework === 'express') {
    const express = require('express')
    const app = express()
    if (shipped[mode]) app.use('/api', createExpressAuth(authenticatorFor(mode)))
    else if (mode === 'pass-through') app.use('/api', (req, res, next) => next())
    else if (mode === 'pass-through-headers') {
      app.use('/api', (req, res, next) => {
        sameHeaders((name, value) => res.setHeader(name, value))
        req.id = res.getHeader('X-Request-Id')
        req.user = { ...USER }
        req.tenantId = 'acme'
        req.appId = 'acme'
        next()
      })
    } else if (mode !== 'none') app.use('/api', chainMiddleware(chains[mode]()))
    // The same body in every mode, so the difference measured is the auth chain's alone; the
    // driver checks the chain ran through the X-Tenant-Seen header.
    const route = (req, res) => {
      res.setHeader('X-Tenant-Seen', String(req.tenantId))
      res.json(BODY)
    }
    if (guarded) app.get('/api/me', requireRole('admin'), route)
    else app.get('/api/me', route)
    const server = app.listen(0, '127.0.0.1', () => console.log(server.address().port))
    return
  }
  const fastify = require('fastify')()
  await fastify.register(
    async (api) => {
      if (shipped[mode]) await api.register(authShield, { config: authenticatorFor(mode) })
      else if (mode === 'pass-through') api.addHook('onRequest', (request, reply, done) => done())
      else if (mode === 'pass-through-headers') {
        for (const name of ['user', 'tenantId', 'appId', 'requestId']) api.decorateRequest(name, null)
        api.addHook('onRequest', (request, reply, done) => {
          sameHeaders((name, value) => reply.header(name, value))
          request.requestId = request.id
          request.user = { ...USER }
          request.tenantId = 'acme'
          request.appId = 'acme'
          done()
        })
      } else if (mode !== 'none') {
        const chain = chains[mode]()
        api.decorateRequest('user', null)
        api.decorateRequest('tenantId', null)
        api.addHook('onRequest', async (request, reply) => {
          const r = chain(request.headers.authorization, request.headers['x-tenant-id'], request.headers.host)
          reply.header('X-Request-Id', r.requestId)
          if (!r.authenticated) return reply.code(r.errorStatus).send({ error: r.error, code: r.errorCode })
          request.user = { userId: r.userId, email: r.email, role: r.role, permissions: r.permissions }
          request.tenantId = r.tenantId
        })
      }
      const route = async (request, reply) => {
        reply.header('X-Tenant-Seen', String(request.tenantId))
        return BODY
      }
      if (guarded) api.get('/me', { onRequest: requireRole('admin') }, route)
      else api.get('/me', route)
    },
    { prefix: '/api' },
  )
  await fastify.listen({ port: 0, host: '127.0.0.1' })
  console.log(fastify.server.address().port)
}

process.on('SIGINT', () => process.exit(0))
main()
