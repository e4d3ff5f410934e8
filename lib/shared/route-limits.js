'use strict'

// The route limits an authenticator has defined, as handles a caller passes back: a handle works
// only with the authenticator that made it, and `false` means "this request is limited by its
// caller, or not at all". Shared by both engines, which number their policies alike.

const { ErrorCodes, codedError } = require('./codes')
const { LIMITS, LIMIT_ARGUMENT } = require('./contract')

/** The request path's `limit` number for a request its caller limits itself (contract/result.json). */
const DEFERRED = LIMIT_ARGUMENT.deferred

class RouteLimits {
  #ids = new WeakMap()

  /** A frozen handle for policy `id`, defined from `limits`. */
  define(limits, id) {
    const handle = Object.freeze({ max: limits.max, refill: limits.refill })
    this.#ids.set(handle, id)
    return handle
  }

  /** The policy number of `limit`: a handle of ours, or false. */
  policy(limit) {
    if (limit === false) return DEFERRED
    const id = typeof limit === 'object' && limit !== null ? this.#ids.get(limit) : undefined
    if (id === undefined)
      throw codedError(
        ErrorCodes.INVALID_ARGUMENT,
        'the rate limit must be false or a route limit this authenticator defined (defineRouteLimit)',
      )
    return id
  }
}

/** `takeRateLimit(key, { route, plan })`'s arguments, checked. */
function takeArguments(key, options = {}) {
  if (typeof key !== 'string' || key === '' || key.length > LIMITS.maxRateLimitKeyChars) {
    throw codedError(
      ErrorCodes.INVALID_ARGUMENT,
      `the rate-limit key must be a non-empty string of at most ${LIMITS.maxRateLimitKeyChars} characters`,
    )
  }
  if (options === null || typeof options !== 'object')
    throw codedError(ErrorCodes.INVALID_ARGUMENT, 'takeRateLimit options must be an object { route, plan }')
  const { route = null, plan = null } = options
  if (plan !== null && typeof plan !== 'string')
    throw codedError(ErrorCodes.INVALID_ARGUMENT, '`plan` must be a string or null')
  if (route === false) throw codedError(ErrorCodes.INVALID_ARGUMENT, '`route` must be a route limit or null')
  return { route, plan }
}

module.exports = { RouteLimits, takeArguments, DEFERRED }
