'use strict'

// Real Express 4/5 and Fastify 4/5 servers on 127.0.0.1 using the shipped integrations, for the
// integration tests. Not a test file itself.

const { createExpressAuth } = require('../lib/integrations/express')
const authShield = require('../lib/integrations/fastify')

const FRAMEWORKS = {
  'express 5': { kind: 'express', load: () => require('express') },
  'express 4': { kind: 'express', load: () => require('express4') },
  'fastify 5': { kind: 'fastify', load: () => require('fastify') },
  'fastify 4': { kind: 'fastify', load: () => require('fastify4') },
}

const echo = (req) => ({ user: req.user, tenantId: req.tenantId, appId: req.appId, requestId: req.id ?? null })

async function start(name, config, options = {}, { trustProxy = false } = {}) {
  const { kind, load } = FRAMEWORKS[name]
  if (kind === 'express') {
    const express = load()
    const app = express()
    if (trustProxy) app.set('trust proxy', true)
    const middleware = createExpressAuth(config, options)
    app.get('/health', (req, res) => res.json({ ok: true }))
    app.use('/api', middleware)
    app.get('/api/me', (req, res) => res.json(echo(req)))
    app.options('/api/me', (req, res) => res.status(204).end())
    const server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s))
    })
    return {
      base: `http://127.0.0.1:${server.address().port}`,
      engine: middleware.authenticator.engine,
      close: () =>
        new Promise((resolve) => {
          server.close(resolve)
          // Keep-alive connections from fetch would otherwise hold the close open.
          server.closeAllConnections()
        }),
    }
  }
  const fastify = load()({ logger: false, trustProxy })
  fastify.get('/health', async () => ({ ok: true }))
  let engine
  await fastify.register(
    async (api) => {
      await api.register(authShield, { config, ...options })
      engine = api.authShieldAuthenticator.engine
      api.get('/me', async (request) => ({ ...echo(request), requestId: request.requestId }))
      api.options('/me', async (request, reply) => reply.code(204).send())
    },
    { prefix: '/api' },
  )
  await fastify.listen({ port: 0, host: '127.0.0.1' })
  return { base: `http://127.0.0.1:${fastify.server.address().port}`, engine, close: () => fastify.close() }
}

module.exports = { FRAMEWORKS, start }
