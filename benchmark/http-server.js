'use strict'

// One server for the HTTP benchmark: `node http-server.js <express|fastify> <mode>`. Prints its
// port on stdout. Modes: none; pass-through (a middleware or hook at the same place that only
// calls next, to show what the framework charges for having one at all); jsonwebtoken (string
// secret, the seed's baseline); fast-jwt; js; native; native-cached (the native engine with the
// verified-token cache on, as a deployment would run it: a token is reused for its lifetime).

const jwt = require('jsonwebtoken')
const { createVerifier } = require('fast-jwt')
const { createExpressAuth } = require('../lib/integrations/express')
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
  jsonwebtoken: () => createChain(coded((e) => (e.name === 'TokenExpiredError' ? 'TOKEN_EXPIRED' : 'INVALID_SIGNATURE'),
    (t) => jwt.verify(t, SECRET, { algorithms: ['HS256'], issuer: ISSUER })), LIMITS),
  'fast-jwt': () => {
    const verify = createVerifier({ key: SECRET, algorithms: ['HS256'], allowedIss: ISSUER, cache: false })
    return createChain(coded((e) => (e.code === 'FAST_JWT_EXPIRED' ? 'TOKEN_EXPIRED' : 'INVALID_SIGNATURE'), verify), LIMITS)
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

const shipped = { js: ['js', config], native: ['native', config], 'native-cached': ['native', { ...config, cache: true }] }

async function main() {
  if (framework === 'express') {
    const express = require('express')
    const app = express()
    if (shipped[mode]) app.use('/api', createExpressAuth(shipped[mode][1], { engine: shipped[mode][0] }))
    else if (mode === 'pass-through') app.use('/api', (req, res, next) => next())
    else if (mode !== 'none') app.use('/api', chainMiddleware(chains[mode]()))
    // The same body in every mode, so the difference measured is the auth chain's alone; the
    // driver checks the chain ran through the X-Tenant-Seen header.
    app.get('/api/me', (req, res) => {
      res.setHeader('X-Tenant-Seen', String(req.tenantId))
      res.json(BODY)
    })
    const server = app.listen(0, '127.0.0.1', () => console.log(server.address().port))
    return
  }
  const fastify = require('fastify')()
  await fastify.register(async (api) => {
    if (shipped[mode]) await api.register(authShield, { config: shipped[mode][1], engine: shipped[mode][0] })
    else if (mode === 'pass-through') api.addHook('preHandler', (request, reply, done) => done())
    else if (mode !== 'none') {
      const chain = chains[mode]()
      api.decorateRequest('user', null)
      api.decorateRequest('tenantId', null)
      api.addHook('preHandler', async (request, reply) => {
        const r = chain(request.headers.authorization, request.headers['x-tenant-id'], request.headers.host)
        reply.header('X-Request-Id', r.requestId)
        if (!r.authenticated) return reply.code(r.errorStatus).send({ error: r.error, code: r.errorCode })
        request.user = { userId: r.userId, email: r.email, role: r.role, permissions: r.permissions }
        request.tenantId = r.tenantId
      })
    }
    api.get('/me', async (request, reply) => {
      reply.header('X-Tenant-Seen', String(request.tenantId))
      return BODY
    })
  }, { prefix: '/api' })
  await fastify.listen({ port: 0, host: '127.0.0.1' })
  console.log(fastify.server.address().port)
}

process.on('SIGINT', () => process.exit(0))
main()
