'use strict'

// Methods every engine has for auth-shield's own modules (the Redis link), kept off the public
// surface by being named with symbols.

/** `(refreshToken) => { code, family, jti, expiresAt }`: what the token is, changing nothing. */
const REFRESH_STATE = Symbol('auth-shield.refreshState')

/** `(refreshToken, options, spend)`: `refresh`, where `spend` ('fresh' | 'reused') is a shared store's word on reuse. */
const REFRESH_SPENT = Symbol('auth-shield.refreshSpent')

/** `()`: count taken tokens from now on, for RATE_DRAIN. */
const RATE_TRACK = Symbol('auth-shield.rateTrack')

/** `() => [{ key: string, used, capacity, refill }]`: each bucket's use since the last drain. */
const RATE_DRAIN = Symbol('auth-shield.rateDrain')

/** `(key: string, tokens)`: a bucket's level as a store instances share reports it. */
const RATE_CORRECT = Symbol('auth-shield.rateCorrect')

/** `(userId, tenantId, route, plan) => { key: string, capacity, refill } | null`: a request's bucket (`tenantId`: the token's own, or null). */
const RATE_BUCKET = Symbol('auth-shield.rateBucket')

module.exports = { REFRESH_STATE, REFRESH_SPENT, RATE_TRACK, RATE_DRAIN, RATE_CORRECT, RATE_BUCKET }

/**
 * `() => boolean`: whether the tenant of the last successful `authenticate` is the token's own
 * claim (rather than one the request named), read right after the call: only such a tenant keys
 * a bucket, so a take made after a deferred call keys the bucket the fused call would.
 */
const TENANT_FROM_TOKEN = Symbol('auth-shield.tenantFromToken')
module.exports.TENANT_FROM_TOKEN = TENANT_FROM_TOKEN

/** `(key: string) => { allowed, limit, remaining, reset, retryAfter }`: a bucket taken from in this process. */
const RATE_TAKE_LOCAL = Symbol('auth-shield.rateTakeLocal')

module.exports.RATE_TAKE_LOCAL = RATE_TAKE_LOCAL

/**
 * `(listener) => unsubscribe`: `listener()` runs after every revocation this authenticator makes
 * itself (revokeToken, revokeUser, revokeFamily, importRevocations, and a refresh, which revokes a
 * family on reuse), so the Redis link can publish it without replacing the authenticator's methods.
 */
const ON_REVOCATION = Symbol('auth-shield.onRevocation')

module.exports.ON_REVOCATION = ON_REVOCATION

/** The listeners behind ON_REVOCATION, one set per authenticator. */
class RevocationListeners {
  #listeners = new Set()

  add(listener) {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Tells every listener; one that throws does not stop the others or the revocation. */
  notify() {
    for (const listener of this.#listeners) {
      try {
        listener()
      } catch {
        // The listener's to report (the Redis link reports its own failures).
      }
    }
  }
}

module.exports.RevocationListeners = RevocationListeners

/**
 * `(claim, tenantHeader, host) => { tenant, code }`: the request path's tenant rule for a
 * credential bound to `claim` that the JS layer checked itself (an API key): `tenant` (or null),
 * or the refusal's `code`.
 */
const RESOLVE_TENANT = Symbol('auth-shield.resolveTenant')

module.exports.RESOLVE_TENANT = RESOLVE_TENANT
