'use strict'

// `apiKeyAuth({ lookup, pepper, ... })`: API keys (generateApiKey's, in the user's own format) as
// an authentication strategy for Express and Fastify alike — a `(req, res, next)` function, which
// is also a callback-style Fastify hook. The key's checksum is checked before `lookup` is asked
// for its id, the stored HMAC is compared in constant time, and the request spends a bucket on
// the authenticator's limiter (the same limiter, under the key's id), with the same headers.
//
// Either strategy may authenticate a request: with `credentialsRequired: false` a request that
// carries no key goes on untouched to the next strategy (the JWT middleware or hook), and the JWT
// integration lets through a request a key has already authenticated under the same property.
// A key that is present but wrong is refused, never passed on.

const { BY_CODE, ErrorCodes, codedError } = require('../shared/codes')
const { success, failure, withRate } = require('../shared/result')
const { parseApiKey, verifyApiKey } = require('../helpers/apikey')
const { createResponder, readAnsweringOptions } = require('./responder')
const { readFamily, labelled } = require('../shared/option-family')
const { eventsOf } = require('../audit/security-events')
const { integrationCountsOf, countOutcome } = require('../metrics/integration-counts')
const { API_KEY_AUTH_SHARED, INTEGRATION_DEFAULTS } = require('../shared/contract')
const { EXPRESS, FASTIFY, frameworkOf } = require('./frameworks')
const { createOutcomes } = require('./request-flow')
const { AUTHENTICATES } = require('./guards')
const { callbackError, thrownBy, call } = require('./request-auth')
const { readingConfig } = require('../shared/options')
const { RESOLVE_TENANT } = require('../shared/internal')
const { resolveTenant } = require('../engines/js/tenant')

const MISSING = BY_CODE.get(ErrorCodes.API_KEY_MISSING)
const REJECTED = BY_CODE.get(ErrorCodes.API_KEY_REJECTED)

// The tenant policy by default: enforcement on, no base domain.
const DEFAULT_TENANT_POLICY = Object.freeze({ baseDomains: [], enforce: true })

/** The tenant rule with the defaults, when no authenticator is given. */
function resolveTenantByDefault(bound, tenantHeader) {
  const r = resolveTenant(DEFAULT_TENANT_POLICY, bound, tenantHeader, false, null, false)
  return r.code ? { tenant: null, code: r.code } : { tenant: r.tenant, code: null }
}
// Longest key worth parsing: a longer header value is refused without work.
const MAX_KEY_CHARS = 128

function configError(message) {
  return codedError(ErrorCodes.INVALID_CONFIG, message)
}

function readOptions(options) {
  if (options === null || typeof options !== 'object') throw configError('takes { lookup, pepper, ... }')
  // Its own options by their kinds (contract/options.json), then the integrations' it shares.
  const own = readFamily('ApiKeyAuthOptions', options, {
    what: 'apiKeyAuth options',
    unknown: 'apiKeyAuth option',
    also: API_KEY_AUTH_SHARED,
  })
  const auth = own.authenticator
  if (options.rateLimit !== undefined && auth === null)
    throw configError('`rateLimit` needs the `authenticator` whose limiter it spends')
  return {
    ...readAnsweringOptions(options, configError),
    lookup: own.lookup,
    pepper: own.pepper,
    header: own.header.toLowerCase(),
    prefixes: own.prefixes === null ? null : new Set(own.prefixes),
    auth,
    // undefined: the authenticator's own limits; false: none; else a route limit's handle.
    limit:
      auth === null || options.rateLimit === false
        ? false
        : options.rateLimit === undefined
          ? undefined
          : auth.defineRouteLimit(options.rateLimit),
    credentialsRequired: options.credentialsRequired ?? INTEGRATION_DEFAULTS.credentialsRequired,
    scheme: 'ApiKey',
  }
}

/** The user a key's principal becomes: the fields guards read, and whatever else it carries. */
function userOf(id, principal) {
  const { hash: _hash, ...rest } = principal
  const roles = Array.isArray(rest.roles) ? rest.roles : typeof rest.role === 'string' ? [rest.role] : []
  return {
    ...rest,
    userId: typeof rest.userId === 'string' ? rest.userId : id,
    email: typeof rest.email === 'string' ? rest.email : null,
    role: typeof rest.role === 'string' ? rest.role : (roles[0] ?? null),
    roles,
    permissions: Array.isArray(rest.permissions) ? rest.permissions : [],
    apiKeyId: id,
  }
}

/**
 * An API-key strategy: `app.use(apiKeyAuth({ lookup, pepper, authenticator }))`, or as a Fastify
 * hook (`{ onRequest: apiKeyAuth(...) }`, `fastify.addHook('onRequest', apiKeyAuth(...))`).
 * Options are checked here, once.
 */
function apiKeyAuth(options) {
  const o = readingConfig('the apiKeyAuth options', () => labelled('apiKeyAuth', () => readOptions(options)))
  const counts = integrationCountsOf(o.auth)
  // Per framework: its responder, and the outcomes every strategy shares (request-flow.js).
  const responders = new Map(
    [EXPRESS, FASTIFY].map((f) => {
      const r = createResponder({ ...o, events: eventsOf(o.auth), counts }, f)
      return [f, { ...r, ...createOutcomes(r, f, o.property) }]
    }),
  )

  function strategy(req, res, next) {
    const r = responders.get(frameworkOf(res))
    if (r.authenticatedBefore(req)) return next()
    const key = req.headers[o.header]
    if (key === undefined || key === '') {
      if (!o.credentialsRequired) return next()
      return refuse(r, failure(null, MISSING), req, res, next)
    }
    let id
    try {
      if (typeof key !== 'string' || key.length > MAX_KEY_CHARS) throw new Error('not a key')
      const parsed = parseApiKey(key)
      if (o.prefixes !== null && !o.prefixes.has(parsed.prefix)) throw new Error('not a prefix taken here')
      id = parsed.id
    } catch {
      return refuse(r, failure(null, REJECTED), req, res, next)
    }
    let found
    try {
      found = call('lookup', o.lookup, id)
    } catch (error) {
      return next(error)
    }
    if (found !== null && typeof found === 'object' && typeof found.then === 'function') {
      found.then(
        (principal) => answer(r, key, id, principal, req, res, next),
        (error) => next(thrownBy('lookup', error)),
      )
      return
    }
    answer(r, key, id, found, req, res, next)
  }

  function answer(r, key, id, principal, req, res, next) {
    if (principal === null || principal === undefined) return refuse(r, failure(null, REJECTED), req, res, next)
    if (typeof principal !== 'object' || typeof principal.hash !== 'string')
      return next(
        callbackError('lookup', `${principal === null ? 'null' : typeof principal} without a string \`hash\``),
      )
    let matches
    try {
      matches = verifyApiKey(key, principal.hash, o.pepper)
    } catch (error) {
      // A stored hash that is not one hashApiKey made: the database's fault, not the client's.
      return next(callbackError('lookup', error))
    }
    if (!matches) return refuse(r, failure(null, REJECTED), req, res, next)
    const user = userOf(id, principal)
    const bound = typeof principal.tenantId === 'string' ? principal.tenantId : null
    // The request path's own tenant rule (trimming, validation, the authenticator's
    // enforceTenantMatch and baseDomain): a key asking for a tenant is answered as a token is.
    const resolved =
      o.auth !== null
        ? o.auth[RESOLVE_TENANT](bound, req.headers[o.tenantHeader], frameworkOf(res).hostOf(req))
        : resolveTenantByDefault(bound, req.headers[o.tenantHeader])
    if (resolved.code !== null)
      return refuse(r, failure(null, BY_CODE.get(resolved.code), null, null, null, null, user.userId), req, res, next)
    const tenantId = resolved.tenant
    let result = success(
      null,
      user.userId,
      user.email,
      user.role,
      user.roles,
      user.permissions,
      tenantId,
      null,
      null,
      null,
      null,
    )
    if (o.auth !== null && o.limit !== false) {
      try {
        const plan = typeof principal.plan === 'string' ? principal.plan : null
        result = withRate(
          result,
          o.auth.takeRateLimit(`api-key:${id}`, { route: o.limit === undefined ? null : o.limit, plan }),
        )
      } catch (error) {
        return next(error)
      }
    }
    if (!result.authenticated) return refuse(r, result, req, res, next)
    countOutcome(counts, 'api_key', 'OK')
    r.accepted(result, user, req, res, next)
  }

  function refuse(r, result, req, res, next) {
    countOutcome(counts, 'api_key', result.errorCode)
    r.refused(result, req, res, next)
  }

  strategy[AUTHENTICATES] = true
  return strategy
}

module.exports = { apiKeyAuth }
