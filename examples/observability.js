'use strict'

// An Express API that operators can see into: auth-shield's metrics at /metrics (prom-client,
// beside Node's default metrics) and its security events in the app's pino log.
//
//   node examples/observability.js        then: curl localhost:3002/metrics
//
// PORT picks the port (0: any free one). The token printed at start authenticates.

const express = require('express')
const pino = require('pino')
const client = require('prom-client')
const { createAuthenticator, collectAuthShieldMetrics, requireRole } = require('..')
const { createExpressAuth } = require('../lib/integrations/express')

const logger = pino()
const auth = createAuthenticator(
  {
    accessSecret: process.env.ACCESS_SECRET ?? 'example-access-secret-change-me-0123456789',
    issuer: 'observability-example',
    rateLimitMax: 100,
    rateLimitRefill: 10,
  },
  { securityEvents: { logger, appId: 'observability-example' } },
)

const register = new client.Registry()
client.collectDefaultMetrics({ register })
collectAuthShieldMetrics(auth, { register })

const app = express()
app.get('/metrics', async (req, res) => res.type(register.contentType).send(await register.metrics()))
app.use('/api', createExpressAuth(auth))
app.get('/api/me', (req, res) => res.json({ user: req.user }))
app.get('/api/admin', requireRole('admin'), (req, res) => res.json({ ok: true }))

const server = app.listen(Number(process.env.PORT ?? 3002), '127.0.0.1', () => {
  const base = `http://127.0.0.1:${server.address().port}`
  const token = auth.signAccessToken({ sub: 'ada', role: 'member' })
  process.stdout.write(`Observability example on ${base} (metrics at ${base}/metrics)\n  ${token}\nCtrl-C to stop\n`)
})
