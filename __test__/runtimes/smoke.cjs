'use strict'

// Run by node, bun and deno (`__test__/runtimes.test.js`), each printing one JSON line: the native
// engine's answers to a corpus given as a JSON file, the token lifecycle's, and what a real
// Express server with `createExpressAuth` answered over HTTP. The test compares the runtimes.

const fs = require('node:fs')
const path = require('node:path')
const root = path.join(__dirname, '..', '..')
const { createAuthenticator } = require(root)
const { createExpressAuth, requireRole } = require(path.join(root, 'lib', 'integrations', 'express.js'))
const express = require('express')
const Fastify = require('fastify')
const authShield = require(path.join(root, 'lib', 'integrations', 'fastify.js'))
const { Worker } = require('node:worker_threads')

const [corpusFile, configJson] = process.argv.slice(2)
const config = JSON.parse(configJson)
const corpus = JSON.parse(fs.readFileSync(corpusFile, 'utf8'))

const pick = (r) => ({
  authenticated: r.authenticated,
  code: r.errorCode ?? null,
  status: r.errorStatus ?? null,
  userId: r.userId ?? null,
  tenantId: r.tenantId ?? null,
  subject: r.subject ?? null,
})

/** An Express app with `createExpressAuth` on /api, listening on a loopback port: `[base, close]`. */
async function expressServer() {
  const app = express()
  const auth = createAuthenticator(config, { engine: 'native' })
  app.use('/api', createExpressAuth(auth))
  app.get('/api/me', (req, res) => res.json({ user: req.user.userId, tenant: req.tenantId, id: req.id }))
  app.get('/api/admin', requireRole('admin'), (req, res) => res.json({ ok: true }))
  const server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  return [`http://127.0.0.1:${server.address().port}`, () => server.close()]
}

/** The same routes on Fastify with the plugin registered under the /api prefix. */
async function fastifyServer() {
  const app = Fastify()
  await app.register(
    async (api) => {
      await api.register(authShield, { config })
      api.get('/me', async (request) => ({ user: request.user.userId, tenant: request.tenantId, id: request.id }))
      api.get('/admin', { preHandler: authShield.requireRole('admin') }, async () => ({ ok: true }))
    },
    { prefix: '/api' },
  )
  await app.listen({ port: 0, host: '127.0.0.1' })
  return [`http://127.0.0.1:${app.server.address().port}`, () => app.close()]
}

/** The native addon loaded again in a worker thread, answering one request there. */
function inWorker(token) {
  const source = `
    const { parentPort, workerData } = require('node:worker_threads')
    const auth = require(workerData.root).createAuthenticator(workerData.config, { engine: 'native' })
    parentPort.postMessage(auth.authenticate('Bearer ' + workerData.token, 'acme', null).userId)`
  return new Promise((resolve, reject) => {
    const worker = new Worker(source, { eval: true, workerData: { root, config, token } })
    worker.once('message', (m) => worker.terminate().then(() => resolve(m)))
    worker.once('error', reject)
  })
}

async function http(server, tokens) {
  const [base, close] = await server()
  const answers = []
  try {
    for (const [route, authorization, tenant] of [
      ['/api/me', `Bearer ${tokens.user}`, 'acme'],
      ['/api/me', null, null],
      ['/api/me', 'Basic dXNlcjpwYXNz', null],
      ['/api/me', `Bearer ${tokens.user}x`, null],
      ['/api/me', `Bearer ${tokens.refresh}`, null],
      ['/api/me', `Bearer ${tokens.user}`, 'globex'],
      ['/api/admin', `Bearer ${tokens.user}`, 'acme'],
      ['/api/admin', `Bearer ${tokens.admin}`, 'acme'],
    ]) {
      const headers = {}
      if (authorization !== null) headers.authorization = authorization
      if (tenant !== null) headers['x-tenant-id'] = tenant
      const res = await fetch(base + route, { headers })
      const body = await res.json()
      if (body.id !== undefined) body.id = typeof body.id
      answers.push({
        route,
        status: res.status,
        body,
        wwwAuthenticate: res.headers.get('www-authenticate'),
        requestId: /^[0-9a-f-]{36}$/.test(res.headers.get('x-request-id') ?? ''),
        rateLimit: res.headers.get('ratelimit-limit'),
      })
    }
  } finally {
    await close()
  }
  return answers
}

async function main() {
  const auth = createAuthenticator(config, { engine: 'native' })
  const results = corpus.map(([a, t, h]) => pick(auth.authenticate(a, t, h)))
  const js = createAuthenticator(config, { engine: 'js' })
  const jsResults = corpus.map(([a, t, h]) => pick(js.authenticate(a, t, h)))
  const lifecycle = createAuthenticator(config, { engine: 'native' })
  const pair = lifecycle.issueTokens({ sub: 'user-7', tenant_id: 'acme', role: 'admin' })
  const rotated = lifecycle.refresh(pair.refreshToken)
  const beforeReuse = pick(lifecycle.authenticate(`Bearer ${rotated.accessToken}`, 'acme', null))
  const reused = lifecycle.refresh(pair.refreshToken)
  const tokens = {
    user: lifecycle.signAccessToken({ sub: 'user-1', tenant_id: 'acme', role: 'user' }),
    admin: lifecycle.signAccessToken({ sub: 'user-2', tenant_id: 'acme', role: 'admin' }),
    refresh: pair.refreshToken,
  }
  const out = {
    runtime: typeof Bun !== 'undefined' ? 'bun' : typeof Deno !== 'undefined' ? 'deno' : 'node',
    results,
    jsResults,
    lifecycle: {
      rotated: typeof rotated.accessToken === 'string' && rotated.refreshToken !== pair.refreshToken,
      beforeReuse,
      reused: reused.errorCode ?? null,
      afterReuse: pick(lifecycle.authenticate(`Bearer ${rotated.accessToken}`, 'acme', null)),
    },
    express: await http(expressServer, tokens),
    fastify: await http(fastifyServer, tokens),
    worker: await inWorker(tokens.admin),
  }
  process.stdout.write(`${JSON.stringify(out)}\n`)
}

main().catch((e) => {
  process.stderr.write(`${e && e.stack ? e.stack : e}\n`)
  process.exit(1)
})
