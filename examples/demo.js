'use strict'

// An example multi-tenant API protected by auth-shield, served twice — by Express and by
// Fastify — with the shipped integrations: `npm start`. Both listen on 127.0.0.1; the output shows
// a ready token and curl lines to try. USE_RUST_AUTH=false runs the JavaScript engine instead.

const { randomBytes } = require('node:crypto')
const express = require('express')
const Fastify = require('fastify')
const { createAuthenticator, hashPassword, verifyPassword, CspBuilder } = require('..')
const { createExpressAuth, createCspMiddleware } = require('../lib/integrations/express')
const authShield = require('../lib/integrations/fastify')
const { cspPlugin } = authShield

const config = {
  accessSecret: process.env.JWT_ACCESS_SECRET || randomBytes(32).toString('base64url'),
  refreshSecret: process.env.JWT_REFRESH_SECRET || randomBytes(32).toString('base64url'),
  issuer: 'auth-shield-demo',
  rateLimitMax: 5,
  rateLimitRefill: 1,
  enforceTenantMatch: true,
}

// One authenticator for both servers: what /login issues and /api/logout revokes, every route sees.
const auth = createAuthenticator(config)

// A stand-in user store with Argon2id password hashes, made at startup from these demo passwords.
const DEMO_PASSWORDS = { ada: 'lovelace-1815', bob: 'babbage-1791' }
const users = {
  ada: {
    id: 'user-1',
    email: 'ada@acme.example',
    role: 'admin',
    permissions: ['projects:read', 'projects:write'],
    tenant: 'acme',
  },
  bob: { id: 'user-2', email: 'bob@globex.example', role: 'member', permissions: ['projects:read'], tenant: 'globex' },
}

// Every response carries a strict Content-Security-Policy.
const csp = new CspBuilder()

function tokensFor(user) {
  return auth.issueTokens({
    sub: user.id,
    email: user.email,
    role: user.role,
    permissions: user.permissions,
    tenant_id: user.tenant,
  })
}

/** A token pair for a correct username and password, else null. Argon2 runs off the event loop. */
async function login(body) {
  const user = body && typeof body.username === 'string' ? users[body.username] : undefined
  if (!user || typeof body.password !== 'string') return null
  return (await verifyPassword(user.passwordHash, body.password)) ? tokensFor(user) : null
}

const refused = { error: 'Invalid username or password', code: 'INVALID_CREDENTIALS' }

/** `[status, body]` for POST /refresh: a new pair, or the refusal (a replayed token ends the login). */
function refresh(body) {
  const next = auth.refresh(body && body.refreshToken)
  return next.ok ? [200, next] : [next.errorStatus, { error: next.error, code: next.errorCode }]
}

const projects = (tenantId) => ({ tenantId, projects: [`${tenantId}-website`, `${tenantId}-mobile-app`] })

function expressApp() {
  const app = express()
  app.use(createCspMiddleware(csp))
  app.use(express.json())
  app.post('/login', async (req, res, next) => {
    try {
      const pair = await login(req.body)
      return pair ? res.json(pair) : res.status(401).json(refused)
    } catch (err) {
      next(err)
    }
  })
  app.post('/refresh', (req, res) => {
    const [status, body] = refresh(req.body)
    res.status(status).json(body)
  })
  app.use('/api', createExpressAuth(auth, { realm: 'demo' }))
  app.get('/api/me', (req, res) => res.json({ user: req.user, tenantId: req.tenantId, requestId: req.id }))
  app.post('/api/logout', (req, res) => res.json({ loggedOut: auth.revokeUser(req.user.userId) }))
  app.get('/api/projects', (req, res) => res.json(projects(req.tenantId)))
  return app
}

async function fastifyApp() {
  const app = Fastify()
  await app.register(cspPlugin, { policy: csp })
  app.post('/login', async (request, reply) => {
    const pair = await login(request.body)
    return pair || reply.code(401).send(refused)
  })
  app.post('/refresh', async (request, reply) => {
    const [status, body] = refresh(request.body)
    return reply.code(status).send(body)
  })
  await app.register(
    async (api) => {
      await api.register(authShield, { config: auth, realm: 'demo' })
      api.get('/me', async (request) => ({
        user: request.user,
        tenantId: request.tenantId,
        requestId: request.requestId,
      }))
      api.post('/logout', async (request) => ({ loggedOut: auth.revokeUser(request.user.userId) }))
      api.get('/projects', async (request) => projects(request.tenantId))
    },
    { prefix: '/api' },
  )
  return app
}

/** Listens on `port`, or on any free port if it is taken and no PORT was given. */
function listenExpress(app, port) {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, '127.0.0.1')
    server.on('listening', () => resolve(server))
    server.on('error', (err) => {
      if (err.code !== 'EADDRINUSE' || process.env.PORT) return reject(err)
      server.listen(0, '127.0.0.1')
    })
  })
}

async function listenFastify(app, port) {
  try {
    await app.listen({ port, host: '127.0.0.1' })
  } catch (err) {
    if (err.code !== 'EADDRINUSE' || process.env.PORT) throw err
    await app.listen({ port: 0, host: '127.0.0.1' })
  }
  return app.server
}

async function main() {
  // PORT=0 picks free ports (the demo's test does that).
  const port = process.env.PORT === undefined ? 3000 : Number(process.env.PORT)
  for (const [name, user] of Object.entries(users)) user.passwordHash = await hashPassword(DEMO_PASSWORDS[name])
  const expressServer = await listenExpress(expressApp(), port)
  const fastify = await fastifyApp()
  const fastifyServer = await listenFastify(fastify, port === 0 ? 0 : port + 1)
  const urls = {
    Express: `http://127.0.0.1:${expressServer.address().port}`,
    Fastify: `http://127.0.0.1:${fastifyServer.address().port}`,
  }
  const { accessToken } = tokensFor(users.ada)

  console.log(`auth-shield demo (${auth.engine} engine)`)
  for (const [name, url] of Object.entries(urls)) console.log(`  ${name.padEnd(8)} ${url}`)
  console.log(`\nA 15-minute access token for ada (tenant "acme"):\n\n  ${accessToken}\n`)
  console.log('Try (either server):')
  const base = urls.Express
  console.log(`  curl -i ${base}/api/me -H "Authorization: Bearer ${accessToken}"`)
  console.log(`  curl -i ${urls.Fastify}/api/projects -H "Authorization: Bearer ${accessToken}" -H "X-Tenant-ID: acme"`)
  console.log(
    `  curl -i ${base}/api/projects -H "Authorization: Bearer ${accessToken}" -H "X-Tenant-ID: globex"   # 403 Tenant mismatch`,
  )
  console.log(
    `  curl -i ${base}/api/me                                                               # 401 with WWW-Authenticate`,
  )
  console.log(
    `  curl -s -X POST ${urls.Fastify}/login -H "Content-Type: application/json" -d '{"username":"bob","password":"babbage-1791"}'   # a token pair for bob`,
  )
  console.log(
    `  curl -s -X POST ${base}/refresh -H "Content-Type: application/json" -d '{"refreshToken":"<refreshToken>"}'   # rotate; a second use is 401 TOKEN_REUSED`,
  )
  console.log(
    `  curl -i -X POST ${base}/api/logout -H "Authorization: Bearer <accessToken>"                          # then that token is 401 TOKEN_REVOKED`,
  )
  console.log(
    '\nEach bucket holds 5 requests and refills 1 per second: repeat a call quickly to see 429 with Retry-After.',
  )
  console.log('Ctrl-C to stop.')

  const stop = () => {
    expressServer.close()
    fastify.close().then(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
