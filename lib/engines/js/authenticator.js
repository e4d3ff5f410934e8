'use strict'

// The JavaScript engine: the whole fused call in plain JS, giving the same result as the native
// engine for every input (only request ids differ). Used where the native binary does not load,
// with USE_RUST_AUTH=false, and as the other half of shadow mode.

const { createSecretKey, randomUUID } = require('node:crypto')
const jwt = require('jsonwebtoken')
const { BY_CODE, ErrorCodes, codedError } = require('../../shared/codes')
const { settingsFrom, lifetime } = require('./config')
const { Verifier } = require('./verify')
const { ownIssuer } = require('./issuers')
const { resolveTenant } = require('./tenant')
const { byteLengthOver, utf8Prefix, extractBearer } = require('./bearer')
const { RateLimiter } = require('../../shared/ratelimit')
const { success, failure, refreshed, refreshRefused } = require('../../shared/result')
const { signArguments, pairArguments, refreshArguments } = require('../../shared/arguments')
const { Revocations, Sessions } = require('./revocation')
const base64url = require('./base64url')
const { revoking } = require('./revoking')
const { keyRotation } = require('./key-rotation')
const { VerifiedCache } = require('./cache')
const { readRate } = require('./rate-policy')
const { bucketKey, customKey, keyText, keyFromText } = require('./bucket-key')
const { RouteLimits, takeArguments, DEFERRED } = require('../../shared/route-limits')
const { readingConfig } = require('../../shared/options')
// Methods every engine has for auth-shield's own modules, named by symbols (internal.js).
const internal = require('../../shared/internal')
const { LIMITS } = require('../../shared/contract')
const { JsMetrics } = require('./metrics')
const { toldRefresh } = require('../../audit/security-events')
const { shapeMetrics } = require('../../shared/metrics')

// The native binding reads each argument into a buffer of this many bytes (less one); a longer
// string is "too long" there, and the same rule applies here so both engines agree on any input.
const { REQUEST_LIMITS } = require('../../shared/contract')
const AUTHORIZATION_SLACK = REQUEST_LIMITS.authorizationSlackBytes
const HEADER_BUFFER = REQUEST_LIMITS.headerFieldBufferBytes

/**
 * Which limits a request spends under: its route's, else its plan's, else the default's (0). The
 * one place the JS engine decides that order; core/src/request/pipeline.rs's `chosen_policy` is
 * its twin.
 */
const chosenPolicy = (route, plan) => route ?? plan ?? 0

/** A refusal; `subject` is the verified token's user, for a refusal after its signature verified. */
function fail(requestId, code, rate, subject = null) {
  const entry = BY_CODE.get(code)
  return rate
    ? failure(requestId, entry, rate.limit, rate.remaining, rate.reset, rate.retryAfter, subject)
    : failure(requestId, entry, null, null, null, null, subject)
}

const RESERVED = ['type', 'iat', 'exp', 'nbf']

class JsAuthenticator {
  constructor(config) {
    this.lastTenantFromToken = false
    const s = readingConfig('the configuration', () => settingsFrom(config))
    this.settings = s
    this.access = new Verifier(s.accessSecret, s, 'access', s.keys)
    this.refreshKey = s.refreshSecret && createSecretKey(s.refreshSecret)
    this.refreshVerifier =
      s.refreshSecret || s.refreshKeys ? new Verifier(s.refreshSecret, s, 'refresh', s.refreshKeys) : null
    this.revocations = new Revocations(s.revocationMaxEntries, Math.max(s.accessTokenTtl, s.refreshTokenTtl) + s.leeway)
    this.sessions = new Sessions(s.maxSessions)
    this.revoked = new internal.RevocationListeners()
    this.cache = s.cache === null ? null : new VerifiedCache(s.cache)
    this.accessKey = this.access.key
    this.policy = { baseDomains: s.baseDomains, enforce: s.enforceTenantMatch }
    this.limiter = new RateLimiter(s.capacity, s.refillPerSec, s.maxKeys)
    // Policy 0 is the default limits, then each plan, then each route limit (ratelimit.rs).
    this.policies = [this.limiter.rate, ...(s.plans === null ? [] : s.plans.rates)]
    this.configuredPolicies = this.policies.length
    this.routes = new RouteLimits()
    this.authorizationLimit = s.maxTokenLength + AUTHORIZATION_SLACK - 1
    this.counts = new JsMetrics(this.configuredPolicies - 1, s.metrics, s.metricsTenants)
  }

  get engine() {
    return 'js'
  }

  authenticate(authorization, tenantHeader, host, limit) {
    const counts = this.counts
    if (!counts.on) return this.decide(authorization, tenantHeader, host, limit)
    const timed = counts.timeNext()
    const started = timed ? performance.now() : 0
    const result = this.decide(authorization, tenantHeader, host, limit)
    counts.request(result.errorCode, timed ? (performance.now() - started) * 1000 : -1)
    if (result.authenticated) counts.tenant(result.tenantId)
    return result
  }

  decide(authorization, tenantHeader, host, limit) {
    const route = limit === undefined ? 0 : this.routes.policy(limit)
    const requestId = randomUUID()
    if (authorization === undefined || authorization === null) return fail(requestId, 'MISSING_AUTHORIZATION')
    if (typeof authorization !== 'string') return fail(requestId, 'INVALID_AUTHORIZATION_FORMAT')
    let bearer
    if (byteLengthOver(authorization, this.authorizationLimit)) {
      bearer = extractBearer(utf8Prefix(authorization, this.authorizationLimit))
      return fail(requestId, bearer.code || 'TOKEN_MALFORMED')
    }
    bearer = extractBearer(authorization)
    if (bearer.code) return fail(requestId, bearer.code)
    const now = Math.floor(Date.now() / 1000)
    let c = this.cache === null ? null : this.cache.get(bearer.token, now)
    if (this.cache !== null) this.counts.cache(c !== null)
    if (c !== null) {
      // Signature and the fixed claims held when it was stored; time moves on.
      const code = this.access.checkTimes(c, now)
      if (code) return fail(requestId, code)
    } else {
      const verified = this.access.verify(bearer.token, now)
      if (verified.code) return fail(requestId, verified.code)
      c = verified.claims
      if (this.cache !== null) this.cache.put(bearer.token, c, now)
    }
    if (this.revocations.isRevoked(c, now)) return fail(requestId, 'TOKEN_REVOKED', null, c.sub)
    const resolved = this.tenantOf(c.tenant_id, tenantHeader, host)
    if (resolved.code) return fail(requestId, resolved.code, null, c.sub)
    const tenantId = resolved.tenant
    // Only the tenant the token itself names keys a bucket (core/src/request/pipeline.rs).
    const bound = c.tenant_id === null || c.tenant_id === '' ? null : tenantId
    this.lastTenantFromToken = bound !== null
    const mode = this.settings.limitKey
    const planPolicy = this.planPolicy(c.plan)
    const plan = planPolicy === null ? null : c.plan
    if (mode === null || route === DEFERRED)
      return success(requestId, c.sub, c.email, c.role, c.roles, c.permissions, tenantId, null, null, null, plan)
    const policy = chosenPolicy(route === 0 ? null : route, planPolicy)
    const rate = this.limiter.takeAt(bucketKey(policy, mode, c.sub, bound), this.policies[policy])
    this.counts.limited(policy, rate.allowed)
    if (!rate.allowed) return fail(requestId, 'RATE_LIMITED', rate, c.sub)
    return success(
      requestId,
      c.sub,
      c.email,
      c.role,
      c.roles,
      c.permissions,
      tenantId,
      rate.limit,
      rate.remaining,
      rate.reset,
      plan,
    )
  }

  /** A route's own limits (`{ max, refill }`), for the 4th argument of `authenticate`. */
  defineRouteLimit(limits) {
    if (this.settings.limitKey === null)
      throw codedError(ErrorCodes.INVALID_CONFIG, 'a route limit has no use with `rateLimit: false`')
    const rate = readRate(limits, 'rateLimit', this.limiter.rate)
    // The same limits defined again name the same buckets (core/src/request/pipeline.rs).
    for (let id = this.configuredPolicies; id < this.policies.length; id++) {
      const known = this.policies[id]
      if (known.capacity === rate.capacity && known.refill === rate.refill) return this.routes.define(limits, id)
    }
    if (this.policies.length - this.configuredPolicies >= LIMITS.maxRouteLimits) {
      throw codedError(
        ErrorCodes.INVALID_CONFIG,
        `at most ${LIMITS.maxRouteLimits} route limits per authenticator: define each once, when its route is set up`,
      )
    }
    this.policies.push(rate)
    return this.routes.define(limits, this.policies.length - 1)
  }

  /** The policy of a plan the configuration lists (`rateLimitPlans`), or null. */
  planPolicy(plan) {
    if (plan === null || plan === undefined || this.settings.plans === null) return null
    return this.settings.plans.byName.get(plan) ?? null
  }

  /** One token from the bucket the caller keys, under `route`'s limits, else `plan`'s, else the default. */
  takeRateLimit(key, options) {
    const { route, plan } = takeArguments(key, options)
    if (this.settings.limitKey === null)
      throw codedError(ErrorCodes.INVALID_ARGUMENT, 'the rate limiter is off (`rateLimit: false`)')
    const policy = chosenPolicy(route === null ? null : this.routes.policy(route), this.planPolicy(plan))
    const taken = this.limiter.takeAt(customKey(policy, key), this.policies[policy])
    this.counts.limited(policy, taken.allowed)
    return taken
  }

  signAccessToken(claims, options) {
    return this.sign('access', claims, options)
  }

  signRefreshToken(claims, options) {
    return this.sign('refresh', claims, options)
  }

  /** What it has done so far: one reading, shaped as every engine's (lib/shared/metrics.js). */
  metrics() {
    const plans = this.settings.plans === null ? [] : [...this.settings.plans.byName.keys()]
    return shapeMetrics(this.counts.raw(this.limiter.evicted), plans, this.stats())
  }

  stats() {
    return {
      rateLimitKeys: this.limiter.size,
      revocations: this.revocations.size,
      sessions: this.sessions.size,
      cachedTokens: this.cache === null ? 0 : this.cache.size,
    }
  }

  sign(type, claims, options) {
    const args = signArguments(claims, options)
    return this.signPayload(type, JSON.parse(args.json), args.options, null).token
  }

  /** The rules of core/src/lifecycle/signing.rs, with jsonwebtoken doing the signing: `{ token, expiresAt }`. */
  signPayload(type, payload, opts, family) {
    const s = this.settings
    const argument = (message) => codedError(ErrorCodes.INVALID_ARGUMENT, message)
    const verifier = type === 'access' ? this.access : this.refreshVerifier
    const key =
      type === 'access' ? (this.accessKey ?? this.access.keys) : (this.refreshKey ?? this.refreshVerifier?.keys)
    if (!key)
      throw codedError(
        ErrorCodes.INVALID_CONFIG,
        'Signing a refresh token needs `refreshSecret` (or `refreshKeys`) in the configuration',
      )
    if (Object.hasOwn(payload, 'fam'))
      throw argument('claim `fam` (the refresh-token family) is set by issueTokens and refresh')
    const reserved = RESERVED.find((n) => Object.hasOwn(payload, n))
    if (reserved)
      throw argument(`claim \`${reserved}\` is set by the signer; use the \`expiresIn\`/\`notBefore\` options instead`)
    if (typeof payload.sub !== 'string' || payload.sub === '')
      throw argument('claim `sub` (the user id) must be a non-empty string')
    for (const name of ['email', 'role', 'tenant_id', 'iss', 'jti']) {
      if (Object.hasOwn(payload, name) && typeof payload[name] !== 'string')
        throw argument(`claim \`${name}\` must be a string`)
    }
    const stringList = (v) => Array.isArray(v) && v.every((x) => typeof x === 'string')
    if (Object.hasOwn(payload, 'permissions') && !stringList(payload.permissions))
      throw argument('claim `permissions` must be an array of strings')
    if (Object.hasOwn(payload, 'aud') && typeof payload.aud !== 'string' && !stringList(payload.aud)) {
      throw argument('claim `aud` must be a string or an array of strings')
    }
    const ttl =
      opts.expiresIn === undefined || opts.expiresIn === null
        ? type === 'access'
          ? s.accessTokenTtl
          : s.refreshTokenTtl
        : lifetime(opts.expiresIn, 'expiresIn')
    if (ttl === 0) throw argument('`expiresIn` must be at least 1 second')
    const now = Math.floor(Date.now() / 1000)
    payload.type = type
    payload.iat = now
    payload.exp = now + ttl
    if (opts.notBefore !== undefined && opts.notBefore !== null)
      payload.nbf = now + lifetime(opts.notBefore, 'notBefore')
    const iss = Object.hasOwn(payload, 'iss') ? undefined : ownIssuer(s.issuers)
    if (iss !== undefined) payload.iss = iss
    if (!Object.hasOwn(payload, 'aud') && s.audiences.length > 0) payload.aud = s.audiences[0]
    if (!Object.hasOwn(payload, 'jti')) payload.jti = randomUUID()
    if (family !== null) payload.fam = family
    const token =
      verifier.keys !== null
        ? signWithKeys(verifier.keys, payload)
        : jwt.sign(payload, key, { algorithm: s.algorithms[0] })
    // A token authenticate would refuse is never handed out (core/src/lifecycle/signing.rs).
    if (token.length > s.maxTokenLength)
      throw argument(
        `the signed token would be ${token.length} bytes, over \`maxTokenLength\` (${s.maxTokenLength}), so it would be refused: carry less in its claims`,
      )
    if (typeof payload.jti === 'string')
      this.revocations.noteSigned(payload.sub, payload.tenant_id ?? null, payload.jti, now, now)
    return { token, expiresAt: payload.exp }
  }

  signPair(claims, family, refreshJti, opts) {
    const access = this.signPayload('access', { ...claims }, { expiresIn: opts.accessExpiresIn }, family)
    const refresh = this.signPayload(
      'refresh',
      { ...claims, jti: refreshJti },
      { expiresIn: opts.refreshExpiresIn },
      family,
    )
    return {
      accessToken: access.token,
      refreshToken: refresh.token,
      accessExpiresAt: access.expiresAt,
      refreshExpiresAt: refresh.expiresAt,
      family,
      userId: typeof claims.sub === 'string' ? claims.sub : '',
    }
  }

  requireRefresh() {
    if (!this.refreshVerifier)
      throw codedError(
        ErrorCodes.INVALID_CONFIG,
        'Token pairs need `refreshSecret` (or `refreshKeys`) in the configuration',
      )
  }

  issueTokens(claims, options) {
    const args = pairArguments(claims, options)
    checkLifetimes(args.options)
    this.requireRefresh()
    const payload = JSON.parse(args.json)
    if (Object.hasOwn(payload, 'jti'))
      throw codedError(ErrorCodes.INVALID_ARGUMENT, 'claim `jti` is set per token by issueTokens')
    const family = randomUUID()
    const refreshJti = randomUUID()
    const pair = this.signPair(payload, family, refreshJti, args.options)
    this.sessions.start(family, refreshJti, pair.refreshExpiresAt)
    return pair
  }

  refresh(refreshToken, options) {
    return this[internal.REFRESH_SPENT](refreshToken, options, undefined)
  }

  /** The verified, unrevoked refresh token's claims at `now`, or `{ code }` (rotation.rs's verified_refresh). */
  verifiedRefresh(refreshToken, now) {
    const verified = this.refreshVerifier.verify(refreshToken, now)
    if (verified.code) return verified
    const c = verified.claims
    if (this.revocations.isRevoked(c, now)) return { code: 'TOKEN_REVOKED' }
    if (c.fam === null || c.jti === null) return { code: 'MISSING_CLAIM' }
    return { claims: c }
  }

  [internal.RATE_TAKE_LOCAL](text) {
    const k = keyFromText(text)
    const policy = k.length >= 4 ? Buffer.from(k, 'latin1').readUInt32LE(0) : -1
    if (this.policies[policy] === undefined)
      throw codedError(ErrorCodes.INVALID_ARGUMENT, 'not a rate-limit bucket key')
    return this.limiter.takeAt(k, this.policies[policy])
  }

  [internal.TENANT_FROM_TOKEN]() {
    return this.lastTenantFromToken
  }

  [internal.RATE_TRACK]() {
    this.limiter.trackUsage()
  }

  [internal.RATE_DRAIN]() {
    return this.limiter
      .drainUsage()
      .map((u) => ({ key: keyText(u.key), used: u.used, capacity: u.rate.capacity, refill: u.rate.refill }))
  }

  [internal.RATE_CORRECT](key, tokens) {
    this.limiter.correct(keyFromText(key), tokens)
  }

  [internal.RATE_BUCKET](userId, tenantId, route, plan) {
    const mode = this.settings.limitKey
    if (mode === null) return null
    const policy = chosenPolicy(route ? this.routes.policy(route) : null, this.planPolicy(plan))
    const rate = this.policies[policy]
    return { key: keyText(bucketKey(policy, mode, userId, tenantId)), capacity: rate.capacity, refill: rate.refill }
  }

  [internal.REFRESH_STATE](refreshToken) {
    if (typeof refreshToken !== 'string') return { code: 'TOKEN_MALFORMED', family: null, jti: null, expiresAt: null }
    this.requireRefresh()
    const v = this.verifiedRefresh(refreshToken, Math.floor(Date.now() / 1000))
    if (v.code) return { code: v.code, family: null, jti: null, expiresAt: null }
    return {
      code: null,
      family: v.claims.fam,
      jti: v.claims.jti,
      expiresAt: v.claims.exp === null ? 0 : Math.max(0, Math.trunc(v.claims.exp)),
    }
  }

  [internal.REFRESH_SPENT](refreshToken, options, spend) {
    return toldRefresh(this, this.refreshSpent(refreshToken, options, spend))
  }

  refreshSpent(refreshToken, options, spend) {
    if (spend !== undefined && spend !== 'fresh' && spend !== 'reused')
      throw codedError(ErrorCodes.INVALID_ARGUMENT, 'spend must be "fresh" or "reused"')
    const args = refreshArguments(options)
    checkLifetimes(args.options)
    const refused = (code, family = null) => refreshRefused(BY_CODE.get(code), family)
    if (typeof refreshToken !== 'string') return refused('TOKEN_MALFORMED')
    this.requireRefresh()
    const now = Math.floor(Date.now() / 1000)
    const verified = this.verifiedRefresh(refreshToken, now)
    if (verified.code) return refused(verified.code)
    const c = verified.claims
    let carried
    if (args.json !== null) {
      carried = JSON.parse(args.json)
      if (Object.hasOwn(carried, 'jti'))
        throw codedError(ErrorCodes.INVALID_ARGUMENT, 'claim `jti` is set per token by refresh')
    } else {
      carried = JSON.parse(base64url.decode(refreshToken.split('.')[1]).toString('utf8'))
      for (const name of ['type', 'iat', 'exp', 'nbf', 'jti', 'fam']) delete carried[name]
    }
    const next = randomUUID()
    const pair = this.signPair(carried, c.fam, next, args.options)
    let rotation
    if (spend === undefined) rotation = this.sessions.rotate(c.fam, c.jti, next, pair.refreshExpiresAt, now)
    else if (spend === 'fresh') {
      // The shared store is the judge; this process only follows the family along.
      this.sessions.start(c.fam, next, pair.refreshExpiresAt)
      rotation = 'rotated'
    } else rotation = 'reused'
    if (rotation === 'rotated') {
      if (this.counts.on) this.counts.rotations++
      return refreshed(pair)
    }
    if (this.counts.on) this.counts.reuseDetected++
    this.counts.revoked('family')
    const s = this.settings
    const until = Math.max(c.exp === null ? 0 : Math.max(0, Math.trunc(c.exp)), now + s.refreshTokenTtl) + s.leeway
    try {
      this.revocations.record({ kind: 'family', family: c.fam, expiresAt: until }, now, true)
    } catch {
      // At the revocation bound the family still dies in `sessions`, as in the native engine.
    }
    return this.told(refused('TOKEN_REUSED', c.fam))
  }

  [internal.RESOLVE_TENANT](claim, tenantHeader, host) {
    const r = this.tenantOf(claim, tenantHeader, host)
    return r.code ? { tenant: null, code: r.code } : { tenant: r.tenant, code: null }
  }

  /**
   * The request's tenant for a credential bound to `claim`, with the header and Host read as the
   * native binding reads them (over its buffer is "too long"): `{ tenant }` or `{ code }`.
   */
  tenantOf(claim, tenantHeader, host) {
    const headerTooLong = typeof tenantHeader === 'string' && byteLengthOver(tenantHeader, HEADER_BUFFER - 1)
    const hostUsable = typeof host === 'string' && !byteLengthOver(host, HEADER_BUFFER - 1)
    return resolveTenant(this.policy, claim, tenantHeader, headerTooLong, host, hostUsable)
  }

  verifiedClaims(authorization) {
    if (typeof authorization !== 'string') return null
    const bearer = extractBearer(authorization)
    if (bearer.code) return null
    const now = Math.floor(Date.now() / 1000)
    const verified = this.access.verify(bearer.token, now)
    if (verified.code || this.revocations.isRevoked(verified.claims, now)) return null
    return JSON.parse(base64url.decode(bearer.token.split('.')[1]).toString('utf8'))
  }
}

/** A compact token signed by the signing key of named keys: its algorithm, its kid in the header. */
function signWithKeys(keys, payload) {
  const key = keys.signing
  if (key === null) {
    throw codedError(
      ErrorCodes.INVALID_CONFIG,
      'None of the `keys` can sign: give a `secret` or a `privateKey` (and `signingKid`)',
    )
  }
  const input = `${base64url.encode(JSON.stringify({ alg: key.alg, typ: 'JWT', kid: key.kid }))}.${base64url.encode(JSON.stringify(payload))}`
  return `${input}.${key.sign(input).toString('base64url')}`
}

/** The pair lifetimes are read before anything else, as the native binding reads them. */
function checkLifetimes(opts) {
  for (const name of ['accessExpiresIn', 'refreshExpiresIn']) {
    if (opts[name] !== undefined && opts[name] !== null) lifetime(opts[name], name)
  }
}

// The revocation and key-rotation methods live in revoking.js and key-rotation.js; they are
// JsAuthenticator's as its own are.
for (const [name, value] of [revoking, keyRotation].flatMap((methods) =>
  Reflect.ownKeys(methods).map((n) => [n, methods[n]]),
)) {
  Object.defineProperty(JsAuthenticator.prototype, name, {
    value,
    writable: true,
    configurable: true,
    enumerable: false,
  })
}

module.exports = { JsAuthenticator }
