'use strict'

// `auth-shield/express`: the auth chain as Express middleware (Express 4 and 5).

const { createRequestAuth, OPTIONS } = require('./request-auth')
const { createJwtFlow } = require('./request-flow')
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
  const parts = createRequestAuth(config, options, EXPRESS_OPTIONS, EXPRESS)
  const handle = createJwtFlow(parts, EXPRESS)
  const authShield = (req, res, next) => handle(req, res, next)
  authShield[guards.AUTHENTICATES] = true
  authShield.authenticator = parts.auth
  // The JWKS refresher (`jwksUri`), for `await middleware.jwks.ready` and `.stop()`; null without one.
  authShield.jwks = parts.jwks
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
