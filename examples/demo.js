'use strict'

// An example multi-tenant API protected by auth-shield: `npm start`.
// It listens on 127.0.0.1, mints a token for you and prints curl lines to try.

const { randomBytes } = require('node:crypto')
const express = require('express')
const { Authenticator } = require('..')

const config = {
  accessSecret: process.env.JWT_ACCESS_SECRET || randomBytes(32).toString('base64url'),
  refreshSecret: process.env.JWT_REFRESH_SECRET || randomBytes(32).toString('base64url'),
  issuer: 'auth-shield-demo',
  rateLimitMax: 5,
  rateLimitRefill: 1,
  enforceTenantMatch: true,
}
const auth = new Authenticator(config)

// A stand-in user store; a real app would check a password hash here.
const users = {
  ada: { id: 'user-1', email: 'ada@acme.example', role: 'admin', permissions: ['projects:read', 'projects:write'], tenant: 'acme' },
  bob: { id: 'user-2', email: 'bob@globex.example', role: 'member', permissions: ['projects:read'], tenant: 'globex' },
}

const app = express()
app.use(express.json())

app.post('/login', (req, res) => {
  const user = users[req.body && req.body.username]
  if (!user) return res.status(401).json({ error: 'Unknown user', code: 'UNKNOWN_USER' })
  const claims = { sub: user.id, email: user.email, role: user.role, permissions: user.permissions, tenant_id: user.tenant }
  res.json({ accessToken: auth.signAccessToken(claims), refreshToken: auth.signRefreshToken({ sub: user.id, tenant_id: user.tenant }) })
})

app.use('/api', (req, res, next) => {
  const result = auth.authenticate(req.headers.authorization, req.headers['x-tenant-id'], req.headers.host)
  res.setHeader('X-Request-Id', result.requestId)
  if (result.rateLimitLimit !== null) {
    res.setHeader('RateLimit-Limit', result.rateLimitLimit)
    res.setHeader('RateLimit-Remaining', result.rateLimitRemaining)
    res.setHeader('RateLimit-Reset', result.rateLimitReset)
  }
  if (!result.authenticated) {
    if (result.retryAfter !== null) res.setHeader('Retry-After', result.retryAfter)
    if (result.errorStatus === 401) res.setHeader('WWW-Authenticate', wwwAuthenticate(result.errorCode))
    return res.status(result.errorStatus).json({ error: result.error, code: result.errorCode })
  }
  req.id = result.requestId
  req.user = { userId: result.userId, email: result.email, role: result.role, permissions: result.permissions }
  req.tenantId = result.tenantId
  next()
})

// RFC 6750 §3: no error code when no credentials were sent, invalid_request for a malformed
// header, invalid_token otherwise.
function wwwAuthenticate(code) {
  if (code === 'MISSING_AUTHORIZATION') return 'Bearer realm="api"'
  const error = code === 'INVALID_AUTHORIZATION_FORMAT' ? 'invalid_request' : 'invalid_token'
  return `Bearer realm="api", error="${error}"`
}

app.get('/api/me', (req, res) => res.json({ user: req.user, tenantId: req.tenantId, requestId: req.id }))
app.get('/api/projects', (req, res) =>
  res.json({ tenantId: req.tenantId, projects: [`${req.tenantId}-website`, `${req.tenantId}-mobile-app`] }),
)

const port = Number(process.env.PORT) || 3000
const server = app.listen(port, '127.0.0.1')
server.on('error', (err) => {
  if (err.code !== 'EADDRINUSE' || process.env.PORT) throw err
  server.listen(0, '127.0.0.1')
})
server.on('listening', () => {
  const base = `http://127.0.0.1:${server.address().port}`
  const ada = users.ada
  const token = auth.signAccessToken({ sub: ada.id, email: ada.email, role: ada.role, permissions: ada.permissions, tenant_id: ada.tenant })
  console.log(`auth-shield demo API listening on ${base}  (Ctrl-C to stop)\n`)
  console.log(`A 15-minute access token for ada (tenant "acme"):\n\n  ${token}\n`)
  console.log('Try:')
  console.log(`  curl -i ${base}/api/me -H "Authorization: Bearer ${token}"`)
  console.log(`  curl -i ${base}/api/projects -H "Authorization: Bearer ${token}" -H "X-Tenant-ID: acme"`)
  console.log(`  curl -i ${base}/api/projects -H "Authorization: Bearer ${token}" -H "X-Tenant-ID: globex"   # 403 Tenant mismatch`)
  console.log(`  curl -i ${base}/api/me                                                               # 401 No Authorization header`)
  console.log(`  curl -s -X POST ${base}/login -H "Content-Type: application/json" -d '{"username":"bob"}'   # a token pair for bob`)
  console.log(`\nThe bucket holds 5 requests and refills 1 per second: repeat a call quickly to see 429 with Retry-After.`)
})

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)))
