'use strict'

// How an integration answers: the headers of a result, a failure answered as configured (its own
// JSON, `onError`, or forwarded to the framework as an AuthError), the id a request goes by, and
// the mark it leaves on the request for guards and later strategies. One per integration
// instance, for one framework adapter (frameworks.js).

const { INTEGRATION_CHECKS, INTEGRATION_DEFAULTS: DEFAULT } = require('../shared/contract')
const { checkGiven } = require('../shared/option-family')
const { ErrorCodes } = require('../shared/codes')
const { AuthError } = require('../shared/auth-error')
const { HANDLED_BY, requestIdOf } = require('./request-state')
const { tellRefusal } = require('../audit/request-events')

/**
 * The options every strategy (the JWT integrations, apiKeyAuth) reads alike, checked with
 * `fail(message)`: how it answers (`errors`, `onError`, `realm`, `rateLimitHeaders`,
 * `trustRequestId`), where the user goes (`requestProperty` or `decoratorName`) and the tenant
 * header's name.
 */
function readAnsweringOptions(o, fail) {
  // The kinds of these (contract/options.json) are checked for every strategy alike.
  checkGiven(INTEGRATION_CHECKS, o)
  const errors = o.errors ?? DEFAULT.errors
  if (errors === 'forward' && o.onError !== undefined)
    throw fail('`onError` answers failures itself; with `errors: "forward"` the framework\'s error handler does')
  if (o.requestProperty !== undefined && o.decoratorName !== undefined)
    throw fail('give `requestProperty` or `decoratorName`, not both')
  return {
    errors,
    onError: o.onError,
    trustRequestId: o.trustRequestId ?? DEFAULT.trustRequestId,
    realm: o.realm,
    rateLimitHeaders: o.rateLimitHeaders ?? DEFAULT.rateLimitHeaders,
    tenantHeader: (o.tenantHeader ?? DEFAULT.tenantHeader).toLowerCase(),
    property: o.requestProperty ?? o.decoratorName ?? DEFAULT.requestProperty,
  }
}

/**
 * @param o checked options: `{ rateLimitHeaders, realm, errors, onError, trustRequestId, property }`,
 *   `scheme` for the challenge (default Bearer), and `events`, the authenticator's security
 *   events (lib/audit/security-events.js) or null
 * @param framework a frameworks.js adapter
 */
function createResponder(o, framework) {
  const scheme = o.scheme ?? 'Bearer'

  /** Writes a result's response headers with `set(target, name, value)`. */
  function writeHeaders(result, set, target) {
    set(target, 'X-Request-Id', result.requestId)
    if (result.rateLimitLimit !== null && o.rateLimitHeaders) {
      const limit = result.rateLimitLimit
      const remaining = result.rateLimitRemaining
      const reset = result.rateLimitReset
      if (o.rateLimitHeaders === 'draft-6') {
        set(target, 'RateLimit-Limit', `${limit}`)
        set(target, 'RateLimit-Remaining', `${remaining}`)
        set(target, 'RateLimit-Reset', `${reset}`)
      } else if (o.rateLimitHeaders === 'draft-7') {
        set(target, 'RateLimit', `limit=${limit}, remaining=${remaining}, reset=${reset}`)
      } else {
        set(target, 'RateLimit-Policy', `"default";q=${limit}`)
        set(target, 'RateLimit', `"default";r=${remaining};t=${reset}`)
      }
    }
    if (result.authenticated) return
    if (result.retryAfter !== null) set(target, 'Retry-After', `${result.retryAfter}`)
    if (result.errorStatus === 401 || result.errorCode === ErrorCodes.INSUFFICIENT_PERMISSIONS)
      set(target, 'WWW-Authenticate', wwwAuthenticate(result))
  }

  /** Sets the response headers for a result on the framework's response object. */
  function setHeaders(result, res) {
    writeHeaders(result, framework.setHeader, res)
  }

  // RFC 6750 §3: no error attributes when the request carried no credentials; invalid_request
  // for a malformed header; insufficient_scope (§3.1) for a guard's refusal, with the scopes
  // wanted; invalid_token otherwise.
  function wwwAuthenticate(result) {
    const realm = o.realm === undefined ? [] : [`realm="${o.realm}"`]
    if (result.errorCode === ErrorCodes.MISSING_AUTHORIZATION || result.errorCode === ErrorCodes.API_KEY_MISSING)
      return realm.length ? `${scheme} ${realm[0]}` : scheme
    if (result.errorCode === ErrorCodes.INSUFFICIENT_PERMISSIONS) {
      const scope = result.scope ? [`scope="${result.scope}"`] : []
      return `${scheme} ${[...realm, 'error="insufficient_scope"', `error_description="${result.error}"`, ...scope].join(', ')}`
    }
    const error = result.errorCode === ErrorCodes.INVALID_AUTHORIZATION_FORMAT ? 'invalid_request' : 'invalid_token'
    return `${scheme} ${[...realm, `error="${error}"`, `error_description="${result.error}"`].join(', ')}`
  }

  const collect = (target, name, value) => {
    target[name] = value
  }

  /**
   * Answers a failed request (or a guard's refusal) as configured: to the framework's error
   * handling as an AuthError, through `onError`, or with the default `{ error, code }` body.
   */
  function refuse(result, req, res, next) {
    if (o.events != null) tellRefusal(o.events, result, req, framework)
    if (o.errors === 'forward') {
      const headers = {}
      writeHeaders(result, collect, headers)
      return next(new AuthError(result, headers))
    }
    setHeaders(result, res)
    if (o.onError !== undefined) return framework.answerWith(o.onError, result, req, res, next)
    return framework.respond(res, result.errorStatus, { error: result.error, code: result.errorCode })
  }

  /** The id a request goes by (see request-state.js), made the result's. */
  function identify(req, result) {
    const id = requestIdOf(
      framework.idOf(req),
      req,
      o.trustRequestId,
      result === null || result.requestId === null ? undefined : result.requestId,
    )
    if (result !== null) result.requestId = id
    return id
  }

  // What guards and later strategies find on a request this integration handled.
  // `counts`: the authenticator's integration outcomes (lib/metrics/integration-counts.js), or null.
  const handler = { property: o.property, refuse, idOf: framework.idOf, counts: o.counts ?? null }

  /**
   * Whether another auth-shield strategy (an API key, say) has already authenticated the request
   * under the same property: then this one lets it through, so either may authenticate it.
   */
  function authenticatedBefore(req) {
    const before = req[HANDLED_BY]
    return before != null && before !== handler && before.property === o.property && req[o.property] != null
  }

  return { writeHeaders, setHeaders, refuse, identify, handler, authenticatedBefore }
}

module.exports = { createResponder, readAnsweringOptions }
