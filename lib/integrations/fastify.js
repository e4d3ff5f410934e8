'use strict'

// `auth-shield/fastify`: the auth chain as a Fastify plugin (Fastify 4 and 5). It registers a hook
// (onRequest by default) on the context it is registered in (so registering it inside a
// prefixed plugin protects only that prefix), and decorates the instance with `authShield`, the
// same handler for per-route use: `{ onRequest: fastify.authShield }` with `global: false`.
// Several instances may share a context under different `decoratorName`s.

const fp = require('fastify-plugin')
const { createRequestAuth, OPTIONS, HANDLED_BY } = require('./request-auth')
const { createJwtFlow } = require('./request-flow')
const { FASTIFY } = require('./frameworks')
const guards = require('./guards')
const { AUTHENTICATES, GUARD, HOOK_ORDER } = guards
const { AuthError } = require('../shared/auth-error')
const { policyOf } = require('./csp-policy')
const { ErrorCodes, codedError } = require('../shared/codes')
const { requestIdOf } = require('./request-state')

// Each context's auth-shield hooks (those added to every route), for the guard-order check.
const CONTEXT_HOOKS = Symbol('auth-shield.contextHooks')

const capitalised = (name) => name[0].toUpperCase() + name.slice(1)

/**
 * Refuses, at startup, a route whose guard would run before any auth-shield authentication: the
 * context's hooks run before a route's own in each phase, and phases run in HOOK_ORDER.
 */
function checkGuardOrder(route, contextHooks) {
  let authenticated = false
  for (const phase of HOOK_ORDER) {
    if (contextHooks.includes(phase)) authenticated = true
    const own = route[phase] === undefined ? [] : [].concat(route[phase])
    for (const fn of own) {
      if (typeof fn !== 'function') continue
      if (fn[AUTHENTICATES] === true) authenticated = true
      else if (fn[GUARD] !== undefined && (!authenticated || phase === 'preParsing')) {
        const why =
          phase === 'preParsing'
            ? 'guards run in onRequest, preValidation or preHandler'
            : 'put the auth-shield hook (or `fastify.authShield`) before it'
        throw codedError(
          ErrorCodes.INVALID_CONFIG,
          `route ${route.method} ${route.url}: ${fn[GUARD]} runs in ${phase} before the request is authenticated; ${why}`,
        )
      }
    }
  }
}

// What Fastify's own request-id generator makes: `req-1`, `req-2`…, the same on every instance
// and after every restart.
const FASTIFY_DEFAULT_ID = /^req-[0-9a-z]+$/

/**
 * Request ids as UUID v4 (the contract) where the app left Fastify's default, so `request.id`,
 * the logger's `reqId` and `X-Request-Id` are one id that traces a request across a fleet. The
 * context's generator still runs first (the app's `genReqId`, and its `requestIdHeader` read
 * before it); only an id of the default's shape is replaced: by a trusted incoming
 * `X-Request-Id` (`trustRequestId`), else a UUID. Told apart by shape because Fastify does not
 * say which generator it holds once it has wrapped one in its header reader; asking one would run
 * the app's own generator for nothing.
 */
function useUuidRequestIds(fastify, trustIncoming) {
  const generate = fastify.genReqId
  if (typeof generate !== 'function' || typeof fastify.setGenReqId !== 'function') return
  fastify.setGenReqId((req) => {
    const id = generate(req)
    return typeof id === 'string' && FASTIFY_DEFAULT_ID.test(id) ? requestIdOf(undefined, req, trustIncoming) : id
  })
}

async function authShieldPlugin(fastify, opts) {
  const { config, ...options } = opts
  const parts = createRequestAuth(config, options, OPTIONS, FASTIFY)
  const { options: o, auth, jwks, defineLimit } = parts
  useUuidRequestIds(fastify, o.trustRequestId === true)
  const property = o.property
  const handlerName = property === 'user' ? 'authShield' : `authShield${capitalised(property)}`
  for (const [kind, name] of [
    ['request', property],
    ['instance', handlerName],
  ]) {
    const taken = kind === 'request' ? fastify.hasRequestDecorator(name) : fastify.hasDecorator(name)
    if (taken) {
      throw codedError(
        ErrorCodes.INVALID_CONFIG,
        `\`${name}\` is already a ${kind} decorator in this context (another auth-shield, @fastify/jwt or @fastify/passport?): give this instance its own \`decoratorName\``,
      )
    }
  }

  // Routes' own limits (`config: { authShield: { rateLimit } }`), defined as each route is added,
  // so a bad one fails at startup; keyed by the route's authShield object, which Fastify keeps
  // by reference when it copies the route config.
  const routeLimits = new WeakMap()
  // Fastify 5 builds `request.routeOptions` anew on each read; without route limits it is not read.
  let anyRouteLimit = false
  fastify[CONTEXT_HOOKS] = o.global ? [...(fastify[CONTEXT_HOOKS] ?? []), o.hook] : (fastify[CONTEXT_HOOKS] ?? [])
  fastify.addHook('onRoute', function (route) {
    checkGuardOrder(route, this[CONTEXT_HOOKS] ?? [])
    const own = route.config && route.config.authShield
    if (own === undefined) return
    if (own === null || typeof own !== 'object' || Object.keys(own).some((k) => k !== 'rateLimit')) {
      throw codedError(
        ErrorCodes.INVALID_CONFIG,
        `route ${route.method} ${route.url}: \`config.authShield\` takes { rateLimit }`,
      )
    }
    if (own.rateLimit === undefined) return
    if (own.rateLimit !== false && (own.rateLimit === null || typeof own.rateLimit !== 'object')) {
      throw codedError(
        ErrorCodes.INVALID_CONFIG,
        `route ${route.method} ${route.url}: \`rateLimit\` must be { max, refill } or false`,
      )
    }
    routeLimits.set(own, defineLimit(own.rateLimit))
    anyRouteLimit = true
  })
  const limitOf = (request) => {
    if (!anyRouteLimit) return undefined
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

  // Declared once with null defaults, so every request object keeps one shape; the ones every
  // instance shares only by the first.
  fastify.decorateRequest(property, null)
  for (const shared of ['tenantId', 'appId', 'requestId', HANDLED_BY]) {
    if (!fastify.hasRequestDecorator(shared)) fastify.decorateRequest(shared, null)
  }

  // A callback-style hook: Fastify runs it without allocating a promise per request.
  const handle = createJwtFlow(parts, FASTIFY)
  function authShield(request, reply, done) {
    handle(request, reply, done, limitOf(request))
  }
  authShield[AUTHENTICATES] = true

  fastify.decorate(handlerName, authShield)
  fastify.decorate(`${handlerName}Authenticator`, auth)
  if (!o.global) return
  if (o.hook === 'preParsing') {
    const beforeParsing = (request, reply, payload, done) => authShield(request, reply, (error) => done(error, payload))
    beforeParsing[AUTHENTICATES] = true
    fastify.addHook('preParsing', beforeParsing)
  } else {
    fastify.addHook(o.hook, authShield)
  }
}

// Content-Security-Policy on every reply of the context it is registered in; `reply.cspNonce` holds
// the response's nonce for templates.
async function cspPlugin(fastify, opts) {
  const { policy, ...rest } = opts
  const unknown = Object.keys(rest)
  if (unknown.length > 0) {
    throw codedError(
      ErrorCodes.INVALID_CONFIG,
      `Unknown CSP plugin option \`${unknown[0]}\`; the only option is \`policy\``,
    )
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
module.exports.requireRole = guards.requireRole
module.exports.requirePermission = guards.requirePermission
module.exports.requireScope = guards.requireScope
module.exports.requireTenant = guards.requireTenant
module.exports.AuthError = AuthError
module.exports.apiKeyAuth = require('./api-key-auth').apiKeyAuth
