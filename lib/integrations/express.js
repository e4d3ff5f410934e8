'use strict'

// `auth-shield/express`: the auth chain as Express middleware (Express 4 and 5).

const { createRequestAuth, userOf, OPTIONS } = require('./request-auth')
const { INTEGRATION_OPTIONS } = require('../shared/contract')
const { policyOf } = require('./csp-policy')

const EXPRESS_OPTIONS = OPTIONS.filter((o) => INTEGRATION_OPTIONS[o].includes('express'))
// req.hostname honours the app's `trust proxy` setting (X-Forwarded-Host only from a trusted proxy).
const EXPRESS = { pathOf: (req) => req.path, hostOf: (req) => req.hostname, ipOf: (req) => req.ip, setHeader: (res, name, value) => res.setHeader(name, value) }

/**
 * Middleware that authenticates every request it sees. Throws a coded error here, at creation,
 * for a bad config or option, never on the first request.
 */
function createExpressAuth(config, options) {
  const { options: o, skipped, run, setHeaders, auth, jwks, anonymous } = createRequestAuth(config, options, EXPRESS_OPTIONS, EXPRESS)

  function authShield(req, res, next) {
    if (skipped(req)) return next()
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

  function answer(result, req, res, next) {
    if (anonymous(result)) {
      res.setHeader('X-Request-Id', result.requestId)
      req.id = result.requestId
      return next()
    }
    setHeaders(result, res)
    req.id = result.requestId
    if (!result.authenticated) {
      if (o.onError) return o.onError(result, req, res, next)
      return res.status(result.errorStatus).json({ error: result.error, code: result.errorCode })
    }
    req.user = userOf(result)
    req.tenantId = result.tenantId
    req.appId = result.tenantId
    next()
  }
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

module.exports = { createExpressAuth, createCspMiddleware }
