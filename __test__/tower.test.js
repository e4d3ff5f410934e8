'use strict'

// The Rust integration (auth-shield-tower, its example Axum service) and the Node ones (Express
// and Fastify, on the native engine) on the same seeded requests over HTTP: the same status,
// code, user, tenant and headers for each. The corpus is the differential suite's.

const test = require('node:test')
const assert = require('node:assert')
const http = require('node:http')
const path = require('node:path')
const { spawn, execFileSync } = require('node:child_process')
const { createExpressAuth, requireRole } = require('../lib/integrations/express')
const authShield = require('../lib/integrations/fastify')
const { baseConfig, mint } = require('./helpers')
const { buildCorpus, DIFFERENTIAL_CONFIGS } = require('./corpus')

const root = path.join(__dirname, '..')
// `cargo test --workspace` (the first half of `npm test`) has built it; this makes sure.
execFileSync('cargo', ['build', '--quiet', '-p', 'auth-shield-tower', '--example', 'service'], {
  cwd: root,
  stdio: 'inherit',
})
const SERVICE = path.join(root, 'target', 'debug', 'examples', 'service')

/** The example Axum service for `config`, on a free port. */
function startRust(config) {
  return new Promise((resolve, reject) => {
    const child = spawn(SERVICE, [], {
      env: { ...process.env, PORT: '0', AUTH_SHIELD_SERVICE: JSON.stringify({ config }) },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.on('data', (chunk) => {
      out += chunk
      const m = /listening on (http:\/\/\S+)/.exec(out)
      if (m) resolve({ base: m[1], close: () => child.kill() })
    })
    child.on('exit', (code) => reject(new Error(`the Rust service exited (${code}) before it listened`)))
  })
}

const me = (req) => ({ user: req.user, tenantId: req.tenantId })

async function startExpress(config) {
  const app = require('express')()
  const auth = createExpressAuth(config)
  app.use('/api', auth)
  app.get('/api/me', (req, res) => res.json(me(req)))
  app.get('/api/admin', requireRole('admin'), (req, res) => res.json(me(req)))
  const server = await new Promise((r) => {
    const s = app.listen(0, '127.0.0.1', () => r(s))
  })
  return {
    base: `http://127.0.0.1:${server.address().port}`,
    close: () => {
      server.close()
      server.closeAllConnections()
    },
  }
}

async function startFastify(config) {
  const fastify = require('fastify')({ logger: false })
  await fastify.register(
    async (api) => {
      await api.register(authShield, { config })
      api.get('/me', async (request) => me(request))
      api.get('/admin', { preHandler: authShield.requireRole('admin') }, async (request) => me(request))
    },
    { prefix: '/api' },
  )
  await fastify.listen({ port: 0, host: '127.0.0.1' })
  return { base: `http://127.0.0.1:${fastify.server.address().port}`, close: () => fastify.close() }
}

// What HTTP can carry: a header value of tab, visible ASCII and Latin-1 bytes.
const SENDABLE = /^[\t\x20-\x7e\x80-\xff]*$/

/** The corpus request as HTTP headers, or null when HTTP cannot carry it as the call got it. */
function headersOf([authorization, tenant, host]) {
  const headers = { host: 'localhost' }
  for (const [name, value] of [
    ['authorization', authorization],
    ['x-tenant-id', tenant],
    ['host', host],
  ]) {
    if (value === undefined || value === null) continue
    if (typeof value === 'number') headers[name] = String(value)
    else if (typeof value === 'string' && SENDABLE.test(value)) headers[name] = value
    else return null
  }
  return headers
}

/** Status, body and the headers auth-shield writes, of one GET on a fresh connection. */
function get(base, urlPath, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${urlPath}`, { headers, agent: false }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (c) => (text += c))
      res.on('end', () => {
        const h = res.headers
        resolve({
          status: res.statusCode,
          body: JSON.parse(text),
          challenge: h['www-authenticate'] ?? null,
          retryAfter: h['retry-after'] === undefined ? null : Number(h['retry-after']),
          limit: h['ratelimit-limit'] ?? null,
          remaining: h['ratelimit-remaining'] ?? null,
          requestId: h['x-request-id'] ?? null,
        })
      })
    })
    req.on('error', reject)
    req.end()
  })
}

/** What must be equal: everything but the request id (fresh on each side) and the exact reset. */
function comparable(answer) {
  const { requestId, retryAfter, ...rest } = answer
  assert.match(requestId, /^[0-9a-f-]{36}$/)
  return { ...rest, retryAfter: retryAfter === null ? null : 'set' }
}

// Three of the engine differential's configurations: tenant rules, hosts and audiences, plans.
const CONFIGS = Object.fromEntries(
  ['enforced', 'base domain and audience', 'plans'].map((name) => [name, DIFFERENTIAL_CONFIGS[name]]),
)

for (const [name, config] of Object.entries(CONFIGS)) {
  test(`Axum (auth-shield-tower) answers as Express and Fastify on 300 seeded requests (${name})`, async (t) => {
    const servers = {
      axum: await startRust(config),
      express: await startExpress(config),
      fastify: await startFastify(config),
    }
    t.after(() => Object.values(servers).forEach((s) => s.close()))
    const codes = new Set()
    let sent = 0
    for (const [i, request] of buildCorpus(20261203 + name.length, 300).entries()) {
      const headers = headersOf(request)
      if (headers === null) continue
      sent++
      const [axum, express, fastify] = await Promise.all(
        ['axum', 'express', 'fastify'].map((s) => get(servers[s].base, '/api/me', headers)),
      )
      codes.add(axum.body.code ?? 'ok')
      const what = `request ${i}: ${JSON.stringify(headers).slice(0, 300)}`
      assert.deepStrictEqual(comparable(axum), comparable(express), `${what} (Express)`)
      assert.deepStrictEqual(comparable(axum), comparable(fastify), `${what} (Fastify)`)
    }
    assert.ok(sent > 200, `only ${sent} of the corpus could be sent over HTTP`)
    assert.ok(codes.size >= 6, `the corpus reached only ${[...codes]}`)
  })
}

test('Axum and Express answer a guarded route alike', async (t) => {
  const config = baseConfig()
  const axum = await startRust(config)
  const express = await startExpress(config)
  t.after(() => [axum, express].forEach((s) => s.close()))
  for (const token of [
    mint({ sub: 'u1', role: 'admin', tenant_id: 'acme' }),
    mint({ sub: 'u2', role: 'user' }),
    mint({ sub: 'u3', roles: ['admin'] }),
  ]) {
    const headers = { authorization: `Bearer ${token}` }
    const a = await get(axum.base, '/api/admin', headers)
    const b = await get(express.base, '/api/admin', headers)
    assert.deepStrictEqual(comparable(a), comparable(b))
  }
  const a = await get(axum.base, '/api/admin', {})
  const b = await get(express.base, '/api/admin', {})
  assert.deepStrictEqual(comparable(a), comparable(b))
})
