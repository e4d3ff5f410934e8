'use strict'

// One server for the soak test: `node --expose-gc soak-server.js <express|fastify> <native|js>`.
// Prints its port; revokes the token ids it is given (SOAK_REVOKED, comma-separated). On the
// IPC message 'rss' it collects garbage fully and answers its RSS, so two readings compare what
// is live rather than where the collector happened to be.

const { createAuthenticator } = require('..')
const { createExpressAuth, requireRole } = require('../lib/integrations/express')
const authShield = require('../lib/integrations/fastify')
const { SOAK_CONFIG } = require('./soak-config')

const [framework, engine] = process.argv.slice(2)
const auth = createAuthenticator(SOAK_CONFIG, { engine })
for (const jti of (process.env.SOAK_REVOKED || '').split(',').filter(Boolean)) auth.revokeToken(jti)

async function main() {
  if (framework === 'express') {
    const app = require('express')()
    app.use('/api', createExpressAuth(auth))
    app.get('/api/me', (req, res) => res.json({ user: req.user.userId, tenant: req.tenantId }))
    app.get('/api/admin', requireRole('admin'), (req, res) => res.json({ ok: true }))
    const server = app.listen(0, '127.0.0.1', () => console.log(server.address().port))
    return
  }
  const fastify = require('fastify')()
  await fastify.register(authShield, { config: auth })
  fastify.get('/api/me', async (request) => ({ user: request.user.userId, tenant: request.tenantId }))
  fastify.get('/api/admin', { onRequest: requireRole('admin') }, async () => ({ ok: true }))
  await fastify.listen({ port: 0, host: '127.0.0.1' })
  console.log(fastify.server.address().port)
}

process.on('SIGTERM', () => process.exit(0))
process.on('message', (m) => {
  if (m !== 'rss') return
  global.gc()
  const usage = process.memoryUsage()
  process.send({ rss: usage.rss, heapUsed: usage.heapUsed, external: usage.external })
})
main()
