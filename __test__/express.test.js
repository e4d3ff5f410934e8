'use strict'

// The seed article's Express integration, pasted as written, against a real server.

const test = require('node:test')
const assert = require('node:assert')
const express = require('express')
const { authenticateRequest } = require('..')
const { baseConfig, mint } = require('./helpers')

function seedApp(config) {
  const app = express()
  app.use('/api', (req, res, next) => {
    const result = authenticateRequest(
      req.headers.authorization || null,
      req.headers['x-tenant-id'] || null,
      req.headers.host || null,
      config,
    )
    if (!result.authenticated) {
      return res.status(result.errorStatus).json({ error: result.error })
    }
    req.user = { id: result.userId, email: result.email, role: result.role }
    req.tenantId = result.tenantId
    req.id = result.requestId
    res.setHeader('X-Request-Id', result.requestId)
    res.setHeader('X-RateLimit-Remaining', result.rateLimitRemaining)
    next()
  })
  app.get('/api/me', (req, res) => res.json({ user: req.user, tenantId: req.tenantId, requestId: req.id }))
  return app
}

async function withServer(app, fn) {
  const server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  try {
    await fn(`http://127.0.0.1:${server.address().port}`)
  } finally {
    await new Promise((resolve) => server.close(resolve))
  }
}

test('the seed snippet authenticates, rejects, and rate-limits over HTTP', async () => {
  const config = baseConfig({ rateLimitMax: 2, rateLimitRefill: 0.01 })
  await withServer(seedApp(config), async (base) => {
    const token = mint({ email: 'ada@example.com', role: 'admin', tenant_id: 'acme' })
    const ok = await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${token}`, 'x-tenant-id': 'acme' } })
    assert.strictEqual(ok.status, 200)
    const body = await ok.json()
    assert.deepStrictEqual(body.user, { id: 'user-1', email: 'ada@example.com', role: 'admin' })
    assert.strictEqual(body.tenantId, 'acme')
    assert.strictEqual(ok.headers.get('x-request-id'), body.requestId)
    assert.strictEqual(ok.headers.get('x-ratelimit-remaining'), '1')

    const none = await fetch(`${base}/api/me`)
    assert.strictEqual(none.status, 401)
    assert.deepStrictEqual(await none.json(), { error: 'No Authorization header provided' })

    const forged = await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${token.slice(0, -2)}xx` } })
    assert.strictEqual(forged.status, 401)
    assert.deepStrictEqual(await forged.json(), { error: 'Invalid token' })

    const otherTenant = await fetch(`${base}/api/me`, {
      headers: { authorization: `Bearer ${token}`, 'x-tenant-id': 'globex' },
    })
    assert.strictEqual(otherTenant.status, 403)

    await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${token}` } })
    const limited = await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${token}` } })
    assert.strictEqual(limited.status, 429)
    assert.deepStrictEqual(await limited.json(), { error: 'Rate limit exceeded' })
  })
})

test('hostile requests get answers and the server stays up', async () => {
  await withServer(seedApp(baseConfig({ enforceTenantMatch: false })), async (base) => {
    const token = mint()
    const statuses = []
    for (const headers of [
      { authorization: `Bearer ${'A'.repeat(12000)}` },
      { authorization: `bearer ${token}`, 'x-tenant-id': 'a b' },
      { authorization: `Bearer ${token}`, host: 'ACME.Example.com:8080' },
      { authorization: `Bearer ${token}`, host: '[::1]:9' },
      { authorization: 'Bearer a.b.c.d' },
      { authorization: `Bearer ${token}`, 'x-tenant-id': '\u00e9t\u00e9' },
    ]) {
      const res = await fetch(`${base}/api/me`, { headers })
      statuses.push(res.status)
      await res.arrayBuffer()
    }
    assert.deepStrictEqual(statuses, [401, 400, 200, 200, 401, 400])
    assert.strictEqual((await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status, 200)
  })
})
