'use strict'

// Shadow mode, for the side-by-side rollout: the primary engine answers every request while the
// other runs on the same input, and any difference is reported. Each engine keeps its own
// rate-limit buckets, so the client only ever sees (and spends) the primary's.

// Times are whole seconds computed from each engine's own clock reading, so a request that lands
// on a second boundary between the two calls may differ by one without any behaviour differing.
// Methods every engine has for auth-shield's own modules, named by symbols (internal.js).
const internal = require('../shared/internal')

const CLOCK_FIELDS = new Set(['rateLimitReset', 'retryAfter'])

function differences(primary, secondary) {
  const out = []
  for (const field of Object.keys(primary)) {
    if (field === 'requestId') continue
    const a = primary[field]
    const b = secondary[field]
    const same =
      CLOCK_FIELDS.has(field) && typeof a === 'number' && typeof b === 'number'
        ? Math.abs(a - b) <= 1
        : JSON.stringify(a) === JSON.stringify(b)
    if (!same) out.push({ field, primary: a, secondary: b })
  }
  return out
}

const warned = new Set()

/** The default reporter: one process warning per distinct kind of difference. */
function warnOnce(report) {
  if (warned.has(report.kind)) return
  warned.add(report.kind)
  process.emitWarning(
    `auth-shield shadow mode: the ${report.engines.secondary} engine answered differently from the ` +
      `${report.engines.primary} engine (${report.kind}). Further differences of this kind are not reported.`,
    { code: 'AUTH_SHIELD_SHADOW_MISMATCH', detail: JSON.stringify(report.differences) },
  )
}

class ShadowAuthenticator {
  constructor(primary, secondary, onMismatch = warnOnce) {
    this.primary = primary
    this.secondary = secondary
    this.onMismatch = onMismatch
  }

  get engine() {
    return 'shadow'
  }

  // A route limit of ours → the two engines' own (each engine knows only its handles).
  #routes = new WeakMap()

  authenticate(authorization, tenantHeader, host, limit) {
    const pair = typeof limit === 'object' && limit !== null ? this.#routes.get(limit) : undefined
    const result = this.primary.authenticate(authorization, tenantHeader, host, pair === undefined ? limit : pair[0])
    let other
    try {
      other = this.secondary.authenticate(authorization, tenantHeader, host, pair === undefined ? limit : pair[1])
    } catch (error) {
      other = { errorCode: 'INTERNAL_ERROR', error: error.message }
    }
    const diff = differences(result, other)
    if (diff.length > 0) {
      const report = {
        // Which fields differ, and how the codes differ: never the token or a secret.
        kind: diff
          .map((d) => (d.field === 'errorCode' ? `errorCode ${d.primary} vs ${d.secondary}` : d.field))
          .join(', '),
        differences: diff,
        primary: result,
        secondary: other,
        engines: { primary: this.primary.engine, secondary: this.secondary.engine },
      }
      try {
        this.onMismatch(report)
      } catch {
        // A failing reporter must not fail the request it reports on.
      }
    }
    return result
  }

  // Token lifecycle calls are answered by the primary. Whatever they change in its revocation
  // state (a revocation, a family revoked on reuse, a token let through after a same-second
  // revocation) is then carried to the secondary through the change log a cross-process sync
  // would use, so both engines keep refusing the same tokens.
  #cursor = 0

  #sync(value) {
    try {
      let { cursor, events } = this.primary.revocationChanges(this.#cursor)
      if (events === null) {
        this.secondary.importRevocations(this.primary.exportRevocations())
        events = []
      }
      for (const e of events) this.secondary.applyRevocation(e)
      this.#cursor = cursor
    } catch {
      // The primary's answer stands; a failing secondary shows up as mismatches, as it should.
    }
    return value
  }

  signAccessToken(claims, options) {
    return this.#sync(this.primary.signAccessToken(claims, options))
  }

  signRefreshToken(claims, options) {
    return this.#sync(this.primary.signRefreshToken(claims, options))
  }

  issueTokens(claims, options) {
    return this.#sync(this.primary.issueTokens(claims, options))
  }

  refresh(refreshToken, options) {
    return this.#sync(this.primary.refresh(refreshToken, options))
  }

  revokeToken(jti, expiresAt) {
    return this.#sync(this.primary.revokeToken(jti, expiresAt))
  }

  revokeUser(userId, options) {
    return this.#sync(this.primary.revokeUser(userId, options))
  }

  revokeFamily(family, expiresAt) {
    return this.#sync(this.primary.revokeFamily(family, expiresAt))
  }

  exportRevocations() {
    return this.primary.exportRevocations()
  }

  importRevocations(state) {
    const taken = this.primary.importRevocations(state)
    try {
      this.secondary.importRevocations(state)
    } catch {
      // As in #sync.
    }
    return taken
  }

  revocationChanges(cursor) {
    return this.primary.revocationChanges(cursor)
  }

  applyRevocation(event) {
    const applied = this.primary.applyRevocation(event)
    try {
      this.secondary.applyRevocation(event)
    } catch {
      // As in #sync.
    }
    return applied
  }

  verifiedClaims(authorization) {
    return this.primary.verifiedClaims(authorization)
  }

  setKeys(options) {
    const taken = this.primary.setKeys(options)
    try {
      this.secondary.setKeys(options)
    } catch {
      // As in #sync.
    }
    return taken
  }

  stats() {
    return this.primary.stats()
  }

  /** The primary's: it is the engine whose answers are given. */
  metrics() {
    return this.primary.metrics()
  }

  // Rate-limit sync follows the primary; the secondary's buckets are its own, as in every other
  // respect shadow mode compares answers, not state.
  [internal.RATE_TAKE_LOCAL](key) {
    return this.primary[internal.RATE_TAKE_LOCAL](key)
  }

  [internal.RATE_TRACK]() {
    this.primary[internal.RATE_TRACK]()
  }

  [internal.ON_REVOCATION](listener) {
    return this.primary[internal.ON_REVOCATION](listener)
  }

  [internal.RESOLVE_TENANT](claim, tenantHeader, host) {
    return this.primary[internal.RESOLVE_TENANT](claim, tenantHeader, host)
  }

  [internal.TENANT_FROM_TOKEN]() {
    return this.primary[internal.TENANT_FROM_TOKEN]()
  }

  [internal.RATE_DRAIN]() {
    return this.primary[internal.RATE_DRAIN]()
  }

  [internal.RATE_CORRECT](key, tokens) {
    this.primary[internal.RATE_CORRECT](key, tokens)
  }

  [internal.RATE_BUCKET](userId, tenantId, route, plan) {
    const pair = route ? this.#routes.get(route) : undefined
    return this.primary[internal.RATE_BUCKET](userId, tenantId, pair === undefined ? route : pair[0], plan)
  }

  [internal.REFRESH_STATE](refreshToken) {
    return this.primary[internal.REFRESH_STATE](refreshToken)
  }

  [internal.REFRESH_SPENT](refreshToken, options, spend) {
    return this.#sync(this.primary[internal.REFRESH_SPENT](refreshToken, options, spend))
  }

  defineRouteLimit(limits) {
    const pair = [this.primary.defineRouteLimit(limits), this.secondary.defineRouteLimit(limits)]
    const handle = Object.freeze({ max: pair[0].max, refill: pair[0].refill })
    this.#routes.set(handle, pair)
    return handle
  }

  /** Answered by the primary alone: the secondary keeps no caller-keyed buckets to compare. */
  takeRateLimit(key, options = {}) {
    const pair =
      options !== null && typeof options === 'object' && options.route ? this.#routes.get(options.route) : undefined
    return this.primary.takeRateLimit(key, pair === undefined ? options : { ...options, route: pair[0] })
  }
}

module.exports = { ShadowAuthenticator, differences }
