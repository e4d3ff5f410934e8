'use strict'

// `auth-shield/express`: the auth chain as Express middleware (Express 4 and 5).

const { createRequestAuth, userOf, OPTIONS, HANDLED_BY } = require('./request-auth')
const { EXPRESS } = require('./frameworks')
const { INTEGRATION_OPTIONS } = require('../shared/contract')
const { policyOf } = require('./csp-policy')
const guards = require('./guards')
const { AuthError } = require('../shared/auth-error')

const EXPRESS_OPTIONS = OPTIONS.filter((o) => INTEGRATION_OPTIONS[o].includes('express'))

/**
 * Middleware that authenticates every request it sees. Throws a coded error here, at creation,
 * for a bad config or option, never on the first request.
 */
function createExpressAuth(config, options) {
  const {
    options: o,
    skipped,
    run,
    setHeaders,
    auth,
    jwks,
    anonymous,
    refuse,
    identify,
    handler,
    authenticatedBefore,
  } = createRequestAuth(config, options, EXPRESS_OPTIONS, EXPRESS)
  const property = o.property

  function authShield(req, res, next) {
    if (authenticatedBefore(req)) return next()
    if (skipped(req)) return pass(req, res, next, null)
    let result
    try {
      result = run(req)
    } catch (error) {
      return next(error)
    }
    // A promise only when new keys were fetched for this request's token.
    if (typeof result.then === 'function') return result.then((r) => answer(r, req, res, next), next)
    answer(result, req, res, next)
  }

  /** A request that goes on without a user (skipped, or anonymous where that is allowed). */
  function pass(req, res, next, result) {
    const id = identify(req, result)
    res.setHeader('X-Request-Id', id)
    req.id = id
    req[HANDLED_BY] = handler
    next()
  }

  function answer(result, req, res, next) {
    if (anonymous(result)) return pass(req, res, next, result)
    req.id = identify(req, result)
    req[HANDLED_BY] = handler
    if (!result.authenticated) return refuse(result, req, res, next)
    setHeaders(result, res)
    req[property] = userOf(result)
    req.tenantId = result.tenantId
    req.appId = result.tenantId
    next()
  }
  authShield[guards.AUTHENTICATES] = true
  authShield.authenticator = auth
  // The JWKS refresher (`jwksUri`), for `await middleware.jwks.ready` and `.stop()`; null without one.
  authShield.jwks = jwks
  return authShield
}

/**
 * Middleware that sends a Content-Security-Policy on every response, with a fresh nonce each time
 * when the policy uses one, exposed to templates as `res.locals.cspNonce`.
 */
function createCspMiddleware(policy) {
  const builder = policyOf(policy)
  return function authShieldCsp(req, res, next) {
    const { headers, nonce } = builder.build()
    for (const name in headers) res.setHeader(name, headers[name])
    res.locals.cspNonce = nonce
    next()
  }
}

module.exports = {
  createExpressAuth,
  createCspMiddleware,
  requireRole: guards.requireRole,
  requirePermission: guards.requirePermission,
  requireScope: guards.requireScope,
  requireTenant: guards.requireTenant,
  AuthError,
  apiKeyAuth: require('./api-key-auth').apiKeyAuth,
}
