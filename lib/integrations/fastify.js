'use strict'

// `auth-shield/fastify`: the auth chain as a Fastify plugin (Fastify 4 and 5). It registers a
// preHandler hook on the context it is registered in (so registering it inside a prefixed
// plugin protects only that prefix), and decorates the instance with `authShield`, the same
// handler for per-route use: `{ preHandler: fastify.authShield }` with `global: false`.

const fp = require('fastify-plugin')
const { createRequestAuth, userOf, OPTIONS } = require('./request-auth')
const { policyOf } = require('./csp-policy')
const { ErrorCodes, codedError } = require('../shared/codes')

// request.host (Fastify 5) and request.hostname (Fastify 4, which has no host) honour `trustProxy`.
const FASTIFY = {
  pathOf: (request) => request.url.split('?', 1)[0],
  hostOf: (request) => (request.host !== undefined ? request.host : request.hostname),
  ipOf: (request) => request.ip,
  setHeader: (reply, name, value) => reply.header(name, value),
}

async function authShieldPlugin(fastify, opts) {
  const { config, ...options } = opts
  const { options: o, skipped, run, setHeaders, auth, jwks, anonymous, defineLimit } = createRequestAuth(config, options, OPTIONS, FASTIFY)

  // Routes' own limits (`config: { authShield: { rateLimit } }`), defined as each route is added,
  // so a bad one fails at startup; keyed by the route's authShield object, which Fastify keeps
  // by reference when it copies the route config.
  const routeLimits = new WeakMap()
  fastify.addHook('onRoute', (route) => {
    const own = route.config && route.config.authShield
    if (own === undefined) return
    if (own === null || typeof own !== 'object' || Object.keys(own).some((k) => k !== 'rateLimit')) {
      throw codedError(ErrorCodes.INVALID_CONFIG, `route ${route.method} ${route.url}: \`config.authShield\` takes { rateLimit }`)
    }
    if (own.rateLimit === undefined) return
    if (own.rateLimit !== false && (own.rateLimit === null || typeof own.rateLimit !== 'object')) {
      throw codedError(ErrorCodes.INVALID_CONFIG, `route ${route.method} ${route.url}: \`rateLimit\` must be { max, refill } or false`)
    }
    routeLimits.set(own, defineLimit(own.rateLimit))
  })
  const limitOf = (request) => {
    const config = request.routeOptions !== undefined ? request.routeOptions.config : request.routeConfig
    const own = config && config.authShield
    return own === undefined ? undefined : routeLimits.get(own)
  }
  if (jwks !== null && o.jwksUri !== undefined) {
    // The server starts listening with the provider's keys in place (a failed fetch does not
    // block it: the next unknown kid fetches again), and stops fetching when it closes.
    await jwks.ready
    fastify.addHook('onClose', (_instance, done) => {
      jwks.stop()
      done()
    })
  }

  // Declared once with null defaults, so every request object keeps one shape.
  fastify.decorateRequest('user', null)
  fastify.decorateRequest('tenantId', null)
  fastify.decorateRequest('appId', null)
  fastify.decorateRequest('requestId', null)
  fastify.decorate('authShieldAuthenticator', auth)

  // A callback-style hook: Fastify runs it without allocating a promise per request.
  function authShield(request, reply, done) {
    if (skipped(request)) return done()
    let result
    try {
      const limit = limitOf(request)
      result = limit === undefined ? run(request) : run(request, limit)
    } catch (error) {
      return done(error)
    }
    // A promise only when new keys were fetched for this request's token. Not returned: a hook
    // that takes `done` and returns a promise would be continued twice.
    if (typeof result.then === 'function') {
      result.then((r) => answer(r, request, reply, done), done)
      return
    }
    return answer(result, request, reply, done)
  }

  function answer(result, request, reply, done) {
    if (anonymous(result)) {
      reply.header('X-Request-Id', result.requestId)
      request.requestId = result.requestId
      return done()
    }
    setHeaders(result, reply)
    request.requestId = result.requestId
    if (!result.authenticated) {
      const fallback = () => reply.code(result.errorStatus).send({ error: result.error, code: result.errorCode })
      if (!o.onError) return fallback()
      // A custom responder may be async. Whatever it does, the request never reaches the route:
      // if it neither sent a reply nor returned a body, the default answer goes out.
      return Promise.resolve(o.onError(result, request, reply)).then(
        (value) => (reply.sent ? undefined : value !== undefined ? reply.send(value) : fallback()),
        done,
      )
    }
    request.user = userOf(result)
    request.tenantId = result.tenantId
    request.appId = result.tenantId
    done()
  }

  fastify.decorate('authShield', authShield)
  if (o.global) fastify.addHook('preHandler', authShield)
}

// Content-Security-Policy on every reply of the context it is registered in; `reply.cspNonce` holds
// the response's nonce for templates.
async function cspPlugin(fastify, opts) {
  const { policy, ...rest } = opts
  const unknown = Object.keys(rest)
  if (unknown.length > 0) {
    throw codedError(ErrorCodes.INVALID_CONFIG, `Unknown CSP plugin option \`${unknown[0]}\`; the only option is \`policy\``)
  }
  const builder = policyOf(policy)
  fastify.decorateReply('cspNonce', null)
  fastify.addHook('onRequest', function authShieldCsp(request, reply, done) {
    const { headers, nonce } = builder.build()
    reply.headers(headers)
    reply.cspNonce = nonce
    done()
  })
}

module.exports = fp(authShieldPlugin, { name: 'auth-shield', fastify: '4.x || 5.x' })
module.exports.default = module.exports
module.exports.authShield = module.exports
module.exports.cspPlugin = fp(cspPlugin, { name: 'auth-shield-csp', fastify: '4.x || 5.x' })
