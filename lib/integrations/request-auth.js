'use strict'

// What the Express middleware and the Fastify hook share: their options, validated once, and the
// mapping from a result to response headers and a body.

const { randomUUID } = require('node:crypto')
const { BY_CODE, ErrorCodes, codedError } = require('../shared/codes')
const { createAuthenticator } = require('../engines/select')
const { INTEGRATION_OPTIONS, INTEGRATION_CHECKS, INTEGRATION_DEFAULTS, LIMITS } = require('../shared/contract')
const { checkGiven, readFamily } = require('../shared/option-family')
const { failure, withRate } = require('../shared/result')
const { RateLimiter } = require('../shared/ratelimit')
const { createJwksRefresher, refresherOf } = require('../helpers/jwks')
const { linkOf } = require('../redis/index')
const { HANDLED_BY } = require('./request-state')
const { readingConfig } = require('../shared/options')
const { eventsOf } = require('../audit/security-events')
const { traced, channel: tracing } = require('../audit/tracing')
const { integrationCountsOf, countOutcome } = require('../metrics/integration-counts')
const { createResponder, readAnsweringOptions } = require('./responder')

const OPTIONS = Object.keys(INTEGRATION_OPTIONS)

function optionError(message) {
  return codedError(ErrorCodes.INVALID_CONFIG, message)
}

/** Validates integration options; throws a coded error naming the option. */
function integrationOptions(options = {}, allowed = OPTIONS) {
  if (options === null || typeof options !== 'object') throw optionError('options must be an object')
  for (const name of Object.keys(options)) {
    if (!allowed.includes(name))
      throw optionError(`Unknown option \`${name}\`; known options are: ${allowed.join(', ')}`)
  }
  const o = { ...options }
  // What each option's kind says (contract/options.json); the rules a kind cannot say follow.
  checkGiven(INTEGRATION_CHECKS, o)
  if (o.jwksOptions !== undefined && o.jwksUri === undefined)
    throw optionError('`jwksOptions` has no use without `jwksUri`')
  const given = (name) => (o[name] === undefined ? INTEGRATION_DEFAULTS[name] : o[name])
  return {
    ...readAnsweringOptions(o, optionError),
    hook: given('hook'),
    engine: o.engine,
    onMismatch: o.onMismatch,
    securityEvents: o.securityEvents,
    getToken: o.getToken,
    skip: o.skip,
    skipPaths: given('skipPaths'),
    skipMethods: new Set(given('skipMethods').map((m) => m.toUpperCase())),
    global: given('global'),
    tenantFromHost: o.tenantFromHost,
    credentialsRequired: given('credentialsRequired'),
    failedAuthLimit: readFailedAuthLimit(given('failedAuthLimit')),
    jwksUri: o.jwksUri,
    jwksOptions: o.jwksOptions,
    rateLimit: o.rateLimit,
    rateLimitKey: o.rateLimitKey,
  }
}

/**
 * The error a throwing or misbehaving user function becomes: coded, status 500, with what it
 * threw as `cause`, for the framework's error handling. `cause` is a thrown error, or our own
 * description of a wrong answer (its type, never its value).
 */
function callbackError(name, cause) {
  // Never the thrown message: Fastify's default error handler sends a 500's message to the
  // client, and a database driver's message carries its DSN or SQL. The app's logger has `cause`.
  const why = cause instanceof Error ? 'failed' : `returned ${cause}`
  const error = codedError(ErrorCodes.CALLBACK_FAILED, `auth-shield: \`${name}\` ${why}`)
  error.status = 500
  error.statusCode = 500
  if (cause instanceof Error) error.cause = cause
  return error
}

/** CALLBACK_FAILED for whatever the user's function `name` threw or rejected with. */
function thrownBy(name, error) {
  return callbackError(name, error instanceof Error ? error : new Error(String(error)))
}

/** Calls the user's function `name`, turning a throw into CALLBACK_FAILED. */
function call(name, fn, ...args) {
  try {
    return fn(...args)
  } catch (error) {
    throw thrownBy(name, error)
  }
}

const KEY_SOURCES = ['accessSecret', 'keys', 'jwks']

/** With `jwksUri` and no keys of its own, a config starts from an empty JWK Set the first fetch fills. */
function withJwksPlaceholder(config, o) {
  if (o.jwksUri === undefined || config === null || typeof config !== 'object') return config
  if (KEY_SOURCES.some((name) => config[name] !== undefined && config[name] !== null)) return config
  return { ...config, jwks: { keys: [] } }
}

/** `failedAuthLimit`: null when off, else `{ max, refill, maxKeys }` (FailedAuthLimitOptions), each checked. */
function readFailedAuthLimit(v) {
  if (v === undefined || v === false) return null
  if (v !== true && (v === null || typeof v !== 'object' || Array.isArray(v)))
    throw optionError('`failedAuthLimit` must be true, false or { max, refill, maxKeys }')
  return readFamily('FailedAuthLimitOptions', v === true ? {} : v, {
    what: '`failedAuthLimit`',
    unknown: 'failedAuthLimit option',
    within: 'failedAuthLimit.',
  })
}

/** A prepared authenticator (any engine) rather than a configuration object. */
function isAuthenticator(v) {
  return (
    v !== null && typeof v === 'object' && typeof v.authenticate === 'function' && typeof v.issueTokens === 'function'
  )
}

/**
 * Builds the per-request functions shared by both frameworks. `framework` adapts them once:
 * `{ pathOf(req), hostOf(req), ipOf(req), setHeader(res, name, value) }`; `hostOf` and `ipOf` are
 * the framework's own, which honour its trust-proxy setting.
 */
function createRequestAuth(config, options, allowed, framework) {
  const o = readingConfig('the integration options', () => integrationOptions(options, allowed))
  const prepared = readingConfig('the configuration', () => isAuthenticator(config))
  let auth
  if (prepared) {
    // Shared with the code that issues and revokes tokens, so revocations apply here at once.
    if (o.engine !== undefined || o.onMismatch !== undefined || o.securityEvents !== undefined) {
      throw codedError(
        ErrorCodes.INVALID_CONFIG,
        '`engine`, `onMismatch` and `securityEvents` apply to a configuration; give them to createAuthenticator for the authenticator given',
      )
    }
    auth = config
  } else {
    auth = createAuthenticator(
      readingConfig('the configuration', () => withJwksPlaceholder(config, o)),
      { engine: o.engine, onMismatch: o.onMismatch, securityEvents: o.securityEvents },
    )
  }
  // Keys fetched from the provider: ours when `jwksUri` is given, else one wired to the
  // authenticator with createJwksRefresher.
  const jwks = o.jwksUri !== undefined ? createJwksRefresher(auth, o.jwksUri, o.jwksOptions) : refresherOf(auth)
  if (o.rateLimitKey !== undefined && !prepared && config && config.rateLimit === false) {
    throw optionError('`rateLimitKey` has no use with `rateLimit: false` in the config')
  }
  const counts = integrationCountsOf(auth)
  // This middleware's limits: undefined (the authenticator's), false (none), or a route limit.
  const ownLimit = defineLimit(o.rateLimit)

  /** A route limit on the shared authenticator for `limits` (`{ max, refill }` or false). */
  function defineLimit(limits) {
    if (limits === undefined || limits === false) return limits
    return auth.defineRouteLimit(limits)
  }

  // The URL is parsed only when there are paths to match.
  function skipped(req) {
    if (o.skipMethods.has(req.method)) return true
    if (o.skipPaths.length > 0) {
      const path = framework.pathOf(req)
      if (o.skipPaths.some((s) => (typeof s === 'string' ? s === path : s.test(path)))) return true
    }
    return o.skip !== undefined && Boolean(call('skip', o.skip, req))
  }

  function authorizationOf(req) {
    if (!o.getToken) return req.headers.authorization
    const token = call('getToken', o.getToken, req)
    return typeof token === 'string' && token !== ''
      ? `Bearer ${token}`
      : token === undefined || token === ''
        ? null
        : token
  }

  // Failed authentications per client: spent on each 401, checked before any token is read.
  const failures =
    o.failedAuthLimit === null
      ? null
      : new RateLimiter(o.failedAuthLimit.max, o.failedAuthLimit.refill, o.failedAuthLimit.maxKeys)

  /**
   * A result, or a promise of one when the token's kid sent us to the provider for new keys.
   * `limit` is the route's own (Fastify route config), else this middleware's.
   */
  function run(req, limit = ownLimit) {
    // Checked here so an untraced request allocates no closure.
    return tracing.hasSubscribers
      ? traced(() => decide(req, limit), req, framework, framework.name)
      : decide(req, limit)
  }

  function decide(req, limit) {
    if (failures === null) return authenticateWithKeys(req, limit)
    const client = framework.ipOf(req) ?? ''
    const spent = failures.peek(client)
    if (spent !== null) countOutcome(counts, 'jwt', ErrorCodes.RATE_LIMITED)
    if (spent !== null)
      return failure(
        randomUUID(),
        BY_CODE.get(ErrorCodes.RATE_LIMITED),
        spent.limit,
        spent.remaining,
        spent.reset,
        spent.retryAfter,
      )
    // A request let through without credentials (`credentialsRequired: false`) failed nothing.
    const counted = (result) => {
      if (result.errorStatus === 401 && !anonymous(result)) failures.take(client)
      return result
    }
    const result = authenticateWithKeys(req, limit)
    return typeof result.then === 'function' ? result.then(counted) : counted(result)
  }

  // An unknown kid may be a key the provider has just started using: fetch once (the refresher's
  // cool-down and shared in-flight fetch bound how often) and answer with the new keys.
  function authenticateWithKeys(req, limit) {
    const result = authenticate(req, limit)
    if (jwks === null || result.errorCode !== ErrorCodes.UNKNOWN_KEY) return result
    return jwks.refresh().then((changed) => (changed ? authenticate(req, limit) : result))
  }

  function authenticate(req, limit) {
    // A key function's bucket is spent besides the request's own, never instead of it: a key is
    // often something the client can vary (a header, an IPv6 address), and a fresh key per
    // request must not mean a fresh budget.
    const result = authenticateOnce(req, limit)
    if (o.rateLimitKey === undefined || limit === false) return result
    return typeof result.then === 'function'
      ? result.then((r) => spendKeyed(req, r, limit))
      : spendKeyed(req, result, limit)
  }

  function authenticateOnce(req, limit) {
    // Through the Redis link when the authenticator has one: in its `exact` mode the request's
    // token comes from the global bucket (a promise); the key function's keys stay per instance.
    const link = linkOf(auth)
    const result = authenticateVia(link !== null ? link : auth, req, limit)
    // In `exact` mode the fused call leaves the bucket to Redis, so its refusals are the link's.
    if (link === null || !link.exact) return result
    return typeof result.then === 'function' ? result.then(countedExact) : countedExact(result)
  }

  function countedExact(result) {
    if (
      !result.authenticated &&
      (result.errorCode === ErrorCodes.RATE_LIMITED || result.errorCode === ErrorCodes.STATE_UNAVAILABLE)
    )
      countOutcome(counts, 'jwt', result.errorCode)
    return result
  }

  function authenticateVia(via, req, limit) {
    const tenantHeader = req.headers[o.tenantHeader]
    if (o.tenantFromHost === undefined)
      return via.authenticate(authorizationOf(req), tenantHeader, framework.hostOf(req), limit)
    // The header still comes first; the function's answer is checked as a header value would be.
    const sent = typeof tenantHeader === 'string' ? tenantHeader.trim() !== '' : tenantHeader !== undefined
    const requested = sent ? tenantHeader : call('tenantFromHost', o.tenantFromHost, framework.hostOf(req) ?? '')
    return via.authenticate(authorizationOf(req), requested ?? null, null, limit)
  }

  /**
   * Spends the bucket `rateLimitKey` names for a request its own bucket let through; the headers
   * then tell of whichever of the two has less left.
   */
  function spendKeyed(req, result, limit) {
    if (!result.authenticated) return result
    const key = call('rateLimitKey', o.rateLimitKey, req, result)
    if (typeof key !== 'string' || key === '' || key.length > LIMITS.maxRateLimitKeyChars) {
      throw callbackError(
        'rateLimitKey',
        typeof key === 'string' ? `a string of ${key.length} characters` : `${typeof key}, not a non-empty string`,
      )
    }
    const taken = auth.takeRateLimit(key, { route: limit === undefined ? null : limit, plan: result.rateLimitPlan })
    if (
      taken === null ||
      (taken.allowed && result.rateLimitRemaining !== null && taken.remaining >= result.rateLimitRemaining)
    )
      return result
    const out = withRate(result, taken)
    if (!out.authenticated) countOutcome(counts, 'jwt', out.errorCode)
    return out
  }

  /** A request that may pass without a user: no credentials sent, and none required. */
  function anonymous(result) {
    return !o.credentialsRequired && result.errorCode === ErrorCodes.MISSING_AUTHORIZATION
  }

  const { setHeaders, refuse, identify, handler, authenticatedBefore } = createResponder(
    { ...o, events: eventsOf(auth), counts },
    framework,
  )

  return {
    auth,
    jwks,
    options: o,
    skipped,
    run,
    setHeaders,
    anonymous,
    defineLimit,
    refuse,
    identify,
    handler,
    authenticatedBefore,
  }
}

/** The request properties an authenticated request gets. */
function userOf(result) {
  return {
    userId: result.userId,
    email: result.email,
    role: result.role,
    roles: result.roles,
    permissions: result.permissions,
  }
}

module.exports = { createRequestAuth, userOf, callbackError, thrownBy, call, OPTIONS, HANDLED_BY }
