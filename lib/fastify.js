'use strict'

// `auth-shield/fastify`: the auth chain as a Fastify plugin (Fastify 4 and 5). It registers a
// preHandler hook on the context it is registered in (so registering it inside a prefixed
// plugin protects only that prefix), and decorates the instance with `authShield`, the same
// handler for per-route use: `{ preHandler: fastify.authShield }` with `global: false`.

const fp = require('fastify-plugin')
const { createRequestAuth, userOf } = require('./http')

async function authShieldPlugin(fastify, opts) {
  const { config, ...options } = opts
  const { options: o, skipped, run, setHeaders, auth } = createRequestAuth(config, options)

  // Declared once with null defaults, so every request object keeps one shape.
  fastify.decorateRequest('user', null)
  fastify.decorateRequest('tenantId', null)
  fastify.decorateRequest('appId', null)
  fastify.decorateRequest('requestId', null)
  fastify.decorate('authShieldAuthenticator', auth)

  async function authShield(request, reply) {
    if (skipped(request.method, () => request.url.split('?', 1)[0]) || (o.skip && o.skip(request))) return
    const result = run(request)
    setHeaders(result, (name, value) => reply.header(name, value))
    request.requestId = result.requestId
    if (!result.authenticated) {
      if (o.onError) return o.onError(result, request, reply)
      return reply.code(result.errorStatus).send({ error: result.error, code: result.errorCode })
    }
    request.user = userOf(result)
    request.tenantId = result.tenantId
    request.appId = result.tenantId
  }

  fastify.decorate('authShield', authShield)
  if (o.global) fastify.addHook('preHandler', authShield)
}

module.exports = fp(authShieldPlugin, { name: 'auth-shield', fastify: '4.x || 5.x' })
module.exports.default = module.exports
module.exports.authShield = module.exports
