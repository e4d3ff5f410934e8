'use strict'

// The native engine: a thin layer over the generated loader (binding.js). The native side returns
// one compact string per request; building the result object here, in JS, is several times
// cheaper than setting its properties from Rust (about 105 ns a property set from Rust, against
// a few for an object literal in JS, measured on Node 20 and napi-rs 3).
// The binary is loaded lazily so that a platform without it can still use the JS engine.

const { TABLE, BY_CODE, ErrorCodes, codedError } = require('../shared/codes')
const { shapeMetrics } = require('../shared/metrics')
const { toldRefresh } = require('../audit/security-events')
const { RESULT_FORMAT_VERSION, ResultCursor, resultReader } = require('../shared/contract')
const { success, failure, refreshed, refreshRefused } = require('../shared/result')
const {
  signArguments,
  pairArguments,
  refreshArguments,
  revocationOptions,
  revocationState,
} = require('../shared/arguments')
const { TwoGenerationMap } = require('../shared/two-generation-map')
const { readCache, readingConfig } = require('../shared/options')
const { RouteLimits, takeArguments } = require('../shared/route-limits')
// Methods every engine has for auth-shield's own modules, named by symbols (internal.js).
const internal = require('../shared/internal')

let binding = null
let loadError = null

function load() {
  if (binding === null && loadError === null) {
    try {
      const loaded = require('../../binding.js')
      checkFormat(loaded)
      binding = loaded
    } catch (error) {
      loadError = error
    }
  }
  return binding
}

/** Whether the native binary loads on this platform. */
function nativeAvailable() {
  return load() !== null
}

function requireBinding() {
  const b = load()
  if (b === null) {
    throw codedError(
      ErrorCodes.ENGINE_UNAVAILABLE,
      `The native auth-shield engine is not available on ${process.platform}-${process.arch}: ${loadError.message.split('\n')[0]}`,
    )
  }
  return b
}

const hex = (v) => `0x${(v >>> 0).toString(16).padStart(8, '0')}`

/**
 * A binary built from another version of contract/ would be misread field by field: refuse it
 * loudly instead (a stale .node beside a newer wrapper, or the reverse).
 */
function checkFormat(b) {
  const theirs = typeof b.resultFormatVersion === 'function' ? b.resultFormatVersion() : null
  if (theirs !== RESULT_FORMAT_VERSION) {
    throw new Error(
      `The native auth-shield binary writes result format ${theirs === null ? 'from before versioning' : hex(theirs)}, ` +
        `this wrapper reads ${hex(RESULT_FORMAT_VERSION)}: rebuild the addon (npm run build) or reinstall the package`,
    )
  }
}

const RATE_LIMITED_KIND = 1 + TABLE.findIndex((e) => e.code === ErrorCodes.RATE_LIMITED)

function decodeFailure(kind, requestId, cursor) {
  const entry = TABLE[kind - 1]
  if (kind !== RATE_LIMITED_KIND)
    return failure(requestId, entry, null, null, null, null, resultReader.readRefusal(cursor).subject)
  const r = resultReader.readRateLimited(cursor)
  const { subject } = resultReader.readRefusal(cursor)
  return failure(requestId, entry, r.rateLimitLimit, r.rateLimitRemaining, r.rateLimitReset, r.retryAfter, subject)
}

/**
 * `held` (null without the cache) maps a cache entry id to the user fields decoded from it, so a
 * hit builds none of those strings again; a success on an entry not held yet adds it.
 */
// `facts` is the authenticator's own record of what the last result said beyond its fields
// (whether its tenant was the token's own: internal.TENANT_FROM_TOKEN), written here without
// allocating; `cursor` is its own reading position in the encoded result.
function decode(encoded, held, facts, cursor) {
  const kind = resultReader.begin(cursor, encoded)
  const requestId = resultReader.requestId(cursor)
  if (kind !== 0) return decodeFailure(kind, requestId, cursor)
  const s = resultReader.readSuccess(cursor)
  facts.tenantFromToken = s.tenantFromToken === 1
  const entryId = s.cacheEntry
  if (entryId !== 0 && held !== null) {
    const user = held.get(entryId)
    if (user !== undefined) {
      return success(
        requestId,
        user.userId,
        user.email,
        user.role,
        user.roles.slice(),
        user.permissions.slice(),
        s.tenantId,
        s.rateLimitLimit,
        s.rateLimitRemaining,
        s.rateLimitReset,
        s.rateLimitPlan,
      )
    }
  }
  const user = resultReader.readUser(cursor)
  if (entryId !== 0 && held !== null)
    held.set(entryId, { ...user, roles: user.roles.slice(), permissions: user.permissions.slice() })
  return success(
    requestId,
    user.userId,
    user.email,
    user.role,
    user.roles,
    user.permissions,
    s.tenantId,
    s.rateLimitLimit,
    s.rateLimitRemaining,
    s.rateLimitReset,
    s.rateLimitPlan,
  )
}

function sign(native, handle, refresh, claims, options) {
  const args = signArguments(claims, options)
  return native.signToken(handle, refresh, args.json, args.options.expiresIn, args.options.notBefore)
}

/**
 * A prepared authenticator on the native engine: configuration validated and keys prepared once,
 * then one native call per request.
 */
class Authenticator {
  #native
  // The handle owns the native authenticator; the request path names it by #id, which is cheaper
  // to pass (see src/bindings/registry.rs).
  #handle
  #id
  // With the cache on: native cache entry id → the user fields decoded from it (see decode).
  // Keyed by the id rather than the Authorization header: hashing a fresh 400-character header
  // string in a JS Map costs more than the whole native call.
  #held = null
  #routes = new RouteLimits()
  #revoked = new internal.RevocationListeners()
  #facts = { tenantFromToken: false }
  #cursor = new ResultCursor()
  #plans

  constructor(config) {
    this.#native = requireBinding()
    this.#handle = readingConfig('the configuration', () => this.#native.createAuthenticator(config))
    this.#id = this.#native.authenticatorId(this.#handle)
    // The native side has validated the option; this reads its bound the same way.
    const cache = readingConfig('the configuration', () => readCache(config))
    if (cache !== null) this.#held = new TwoGenerationMap(cache.max)
    // The native side has read the plans in this order; the metrics name them so.
    this.#plans = readingConfig('the configuration', () => Object.keys(config.rateLimitPlans?.plans ?? {}))
  }

  get engine() {
    return 'native'
  }

  authenticate(authorization, tenantHeader, host, limit) {
    // Four arguments for the default limits: the native side then reads no fifth.
    const encoded =
      limit === undefined
        ? this.#native.authenticate(this.#id, authorization, tenantHeader, host)
        : this.#native.authenticate(this.#id, authorization, tenantHeader, host, this.#routes.policy(limit))
    return decode(encoded, this.#held, this.#facts, this.#cursor)
  }

  /** A route's own limits (`{ max, refill }`), for the 4th argument of `authenticate`. */
  defineRouteLimit(limits) {
    return this.#routes.define(limits, this.#native.defineRouteLimit(this.#handle, limits))
  }

  /** One token from the bucket the caller keys, under `route`'s limits, else `plan`'s, else the default. */
  takeRateLimit(key, options) {
    const { route, plan } = takeArguments(key, options)
    return this.#native.takeRateLimit(this.#handle, key, route === null ? 0 : this.#routes.policy(route), plan)
  }

  signAccessToken(claims, options) {
    return sign(this.#native, this.#handle, false, claims, options)
  }

  signRefreshToken(claims, options) {
    return sign(this.#native, this.#handle, true, claims, options)
  }

  /** A new login: `{ accessToken, refreshToken, accessExpiresAt, refreshExpiresAt, family, userId }`. */
  issueTokens(claims, options) {
    const args = pairArguments(claims, options)
    return this.#native.issueTokens(
      this.#handle,
      args.json,
      args.options.accessExpiresIn,
      args.options.refreshExpiresIn,
    )
  }

  /** Rotates a refresh token into a new pair, or says why not (`ok: false` with a code). */
  refresh(refreshToken, options) {
    return this[internal.REFRESH_SPENT](refreshToken, options, undefined)
  }

  [internal.REFRESH_SPENT](refreshToken, options, spend) {
    const args = refreshArguments(options)
    const out = this.#native.refreshTokens(
      this.#handle,
      refreshToken,
      args.json,
      args.options.accessExpiresIn,
      args.options.refreshExpiresIn,
      spend,
    )
    // A reused token revokes its family (and the listeners find nothing new otherwise).
    this.#revoked.notify()
    return toldRefresh(this, out.code ? refreshRefused(BY_CODE.get(out.code), out.family ?? null) : refreshed(out.pair))
  }

  [internal.RATE_TAKE_LOCAL](key) {
    return this.#native.takeRateLimitBucket(this.#handle, key)
  }

  [internal.TENANT_FROM_TOKEN]() {
    return this.#facts.tenantFromToken
  }

  [internal.RATE_TRACK]() {
    this.#native.trackRateLimitUsage(this.#handle)
  }

  [internal.RATE_DRAIN]() {
    return this.#native.drainRateLimitUsage(this.#handle)
  }

  [internal.RATE_CORRECT](key, tokens) {
    this.#native.correctRateLimit(this.#handle, key, tokens)
  }

  [internal.RATE_BUCKET](userId, tenantId, route, plan) {
    return (
      this.#native.rateLimitBucket(this.#handle, userId, tenantId, route ? this.#routes.policy(route) : 0, plan) ?? null
    )
  }

  [internal.REFRESH_STATE](refreshToken) {
    const s = this.#native.refreshTokenState(this.#handle, refreshToken)
    return { code: s.code ?? null, family: s.family ?? null, jti: s.jti ?? null, expiresAt: s.expiresAt ?? null }
  }

  revokeToken(jti, expiresAt) {
    return this.#told(this.#native.revokeToken(this.#handle, jti, expiresAt))
  }

  revokeUser(userId, options) {
    const { tenantId, before } = revocationOptions(options)
    return this.#told(this.#native.revokeUser(this.#handle, userId, tenantId, before))
  }

  revokeFamily(family, expiresAt) {
    return this.#told(this.#native.revokeFamily(this.#handle, family, expiresAt))
  }

  /** `out`, after telling the internal.ON_REVOCATION listeners. */
  #told(out) {
    this.#revoked.notify()
    return out
  }

  [internal.ON_REVOCATION](listener) {
    return this.#revoked.add(listener)
  }

  [internal.RESOLVE_TENANT](claim, tenantHeader, host) {
    const r = this.#native.resolveTenant(this.#handle, claim, tenantHeader, host)
    return { tenant: r.tenant ?? null, code: r.code ?? null }
  }

  exportRevocations() {
    return JSON.parse(this.#native.exportRevocations(this.#handle))
  }

  importRevocations(state) {
    return this.#told(this.#native.importRevocations(this.#handle, revocationState(state)))
  }

  revocationChanges(cursor) {
    return JSON.parse(this.#native.revocationChanges(this.#handle, cursor))
  }

  applyRevocation(event) {
    return this.#native.applyRevocation(this.#handle, revocationState(event, 'event'))
  }

  /**
   * Every claim (custom ones included) of a Bearer header whose token verifies and is not
   * revoked, or null. A verification of its own, paid only by callers who need it.
   */
  verifiedClaims(authorization) {
    const json = this.#native.verifiedClaims(this.#handle, authorization)
    return json === null || json === undefined ? null : JSON.parse(json)
  }

  /** Replaces the named keys (`{ keys, jwks, signingKid }`); a bad key leaves the old ones in force. */
  setKeys(options) {
    const skipped = readingConfig('setKeys options', () => this.#native.setKeys(this.#handle, options))
    if (this.#held !== null) this.#held.clear()
    return { skipped }
  }

  /** What it has done so far: one reading, shaped as every engine's (lib/shared/metrics.js). */
  metrics() {
    return shapeMetrics(this.#native.authenticatorMetrics(this.#handle), this.#plans, this.stats())
  }

  /** Counters for monitoring: `{ rateLimitKeys, revocations, sessions }`. */
  stats() {
    return { ...this.#native.authenticatorStats(this.#handle), ...this.#native.lifecycleStats(this.#handle) }
  }
}

module.exports = { Authenticator, nativeAvailable, requireBinding }
