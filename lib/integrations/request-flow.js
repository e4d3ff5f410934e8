'use strict'

// The one per-request flow of every strategy (the Express middleware, the Fastify hook and
// apiKeyAuth): a request goes on without a user (skipped, or anonymous where that is allowed), is
// refused, or goes on with its user. The outcome is written here once, through the framework's
// adapter (frameworks.js), so every strategy leaves a request in the same state: its id kept and
// sent, the strategy that handled it marked for the guards, the user and tenant set.

const { HANDLED_BY } = require('./request-state')
const { userOf } = require('./request-auth')

/**
 * The three outcomes for one framework. `responder`: createResponder's `identify`, `refuse`,
 * `setHeaders` and `handler`; `property`: where the user goes.
 */
function createOutcomes(responder, framework, property) {
  const { identify, refuse, setHeaders, handler } = responder

  /** On without a user; `result` is null for a skipped request. */
  function pass(req, res, next, result) {
    const id = identify(req, result)
    framework.setHeader(res, 'X-Request-Id', id)
    framework.keepId(req, id)
    req[HANDLED_BY] = handler
    next()
  }

  /** Refused: answered (or forwarded) as the strategy's options say. */
  function refused(result, req, res, next) {
    framework.keepId(req, identify(req, result))
    req[HANDLED_BY] = handler
    refuse(result, req, res, next)
  }

  /** On with `user`, for an authenticated `result`. */
  function accepted(result, user, req, res, next) {
    framework.keepId(req, identify(req, result))
    req[HANDLED_BY] = handler
    setHeaders(result, res)
    req[property] = user
    req.tenantId = result.tenantId
    req.appId = result.tenantId
    next()
  }

  return { pass, refused, accepted }
}

/**
 * The JWT strategies' handler, `(req, res, next, limit?)`, over createRequestAuth's parts: a
 * request another strategy authenticated goes on, a skipped one passes, the rest are
 * authenticated (a promise only when new keys were fetched for the request's token) and answered.
 */
function createJwtFlow(parts, framework) {
  const { skipped, run, anonymous, authenticatedBefore } = parts
  const { pass, refused, accepted } = createOutcomes(parts, framework, parts.options.property)

  function answer(result, req, res, next) {
    if (anonymous(result)) return pass(req, res, next, result)
    if (!result.authenticated) return refused(result, req, res, next)
    accepted(result, userOf(result), req, res, next)
  }

  return function handle(req, res, next, limit) {
    if (authenticatedBefore(req)) return next()
    if (skipped(req)) return pass(req, res, next, null)
    let result
    try {
      result = run(req, limit)
    } catch (error) {
      return next(error)
    }
    if (typeof result.then === 'function') {
      // Not returned: a Fastify hook that takes `done` and returns a promise is continued twice.
      result.then((r) => answer(r, req, res, next), next)
      return
    }
    answer(result, req, res, next)
  }
}

module.exports = { createOutcomes, createJwtFlow }
