'use strict'

// A user function that throws (a database outage in `lookup`, say) must not tell the client what
// it threw: the framework's default error handler answers the 500 with our fixed message, and the
// app's own handler and logger still find the original on `cause`.

const test = require('node:test')
const assert = require('node:assert/strict')
const shield = require('..')
const { createExpressAuth, apiKeyAuth, requireTenant } = require('../lib/integrations/express')
const authShield = require('../lib/integrations/fastify')
const { baseConfig, mint } = require('./helpers')

const SECRET_TEXT = 'connect ECONNREFUSED postgres://admin:hunter2@db.internal/prod SELECT hash FROM api_keys'
const fail = () => {
  throw new Error(SECRET_TEXT)
}
const PEPPER = 'a pepper of more than thirty-two bytes!'
const issued = shield.generateApiKey({ prefix: 'sk_live', pepper: PEPPER })

// Each callback, as the option or guard that takes it, and the request that makes it run.
const CALLBACKS = {
  getToken: { options: { getToken: fail } },
  tenantFromHost: { options: { tenantFromHost: fail } },
  skip: { options: { skip: fail } },
  rateLimitKey: { options: { rateLimitKey: fail } },
  requireTenant: { guard: requireTenant(fail) },
  lookup: { strategy: true, headers: { 'x-api-key': issued.key } },
}

async function expressApp(auth, { options = {}, guard, strategy }) {
  const express = require('express')
  const app = express()
  const handlers = strategy
    ? [apiKeyAuth({ lookup: async () => fail(), pepper: PEPPER, authenticator: auth })]
    : [createExpressAuth(auth, options), ...(guard ? [guard] : [])]
  app.get('/me', ...handlers, (req, res) => res.json({ ok: true }))
  const server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  return {
    base: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((r) => (server.close(r), server.closeAllConnections())),
  }
}

async function fastifyApp(auth, { options = {}, guard, strategy }, onError) {
  const fastify = require('fastify')({ logger: false })
  if (onError)
    fastify.setErrorHandler((error, request, reply) => (onError(error), reply.code(500).send({ code: error.code })))
  if (strategy) {
    fastify.get(
      '/me',
      { onRequest: apiKeyAuth({ lookup: async () => fail(), pepper: PEPPER, authenticator: auth }) },
      async () => ({ ok: true }),
    )
  } else {
    await fastify.register(authShield, { config: auth, ...options })
    fastify.get('/me', guard ? { onRequest: guard } : {}, async () => ({ ok: true }))
  }
  await fastify.listen({ port: 0, host: '127.0.0.1' })
  return { base: `http://127.0.0.1:${fastify.server.address().port}`, close: () => fastify.close() }
}

for (const [framework, make] of [
  ['express 5', expressApp],
  ['fastify 5', fastifyApp],
]) {
  for (const [name, setup] of Object.entries(CALLBACKS)) {
    test(`${framework}: a throwing \`${name}\` answers 500 CALLBACK_FAILED without its error's text`, async (t) => {
      const auth = shield.createAuthenticator(baseConfig({ enforceTenantMatch: false }))
      const server = await make(auth, setup)
      t.after(() => server.close())
      const res = await fetch(`${server.base}/me`, {
        headers: { authorization: `Bearer ${mint({ sub: 'u1' })}`, ...setup.headers },
      })
      const text = await res.text()
      assert.equal(res.status, 500, text)
      assert.doesNotMatch(text, /hunter2|postgres|SELECT/, `${name}: the client saw the cause`)
      if (framework.startsWith('fastify')) assert.equal(JSON.parse(text).code, 'CALLBACK_FAILED')
    })
  }
}

test("fastify: the app's error handler still gets the cause for its logger", async (t) => {
  const auth = shield.createAuthenticator(baseConfig({ enforceTenantMatch: false }))
  const seen = []
  const server = await fastifyApp(auth, CALLBACKS.lookup, (error) => seen.push(error))
  t.after(() => server.close())
  const res = await fetch(`${server.base}/me`, { headers: { 'x-api-key': issued.key } })
  assert.equal(res.status, 500)
  assert.equal(seen.length, 1)
  assert.equal(seen[0].code, 'CALLBACK_FAILED')
  assert.match(seen[0].message, /`lookup` failed/)
  assert.equal(seen[0].cause.message, SECRET_TEXT)
})
