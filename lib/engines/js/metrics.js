'use strict'

// The JS engine's counts, in the layout the native binding reads out (src/bindings/metrics.rs,
// core/src/metrics.rs), so lib/shared/metrics.js shapes both alike. Plain number fields and
// preallocated arrays: counting allocates nothing.

const { ERRORS, LATENCY_BOUNDS_MICROS } = require('../../shared/contract')

const CODE_INDEX = new Map(ERRORS.map((e, i) => [e.code, i]))
const REVOCATION_KINDS = { token: 0, user: 1, family: 2 }

// One call in TIMED_EVERY is timed, as on the native engine (there by its id's random digit).
const TIMED_EVERY = 16

class JsMetrics {
  /** `on: false` (`metrics: false` in the configuration) counts nothing. */
  constructor(plans, on, tenants = 0) {
    this.on = on
    // Authenticated requests by tenant, for at most `tenantBound` tenants (metricsTenants).
    this.tenantBound = on ? tenants : 0
    this.tenants = new Map()
    this.otherTenants = 0
    this.calls = 0
    this.outcomes = new Array(ERRORS.length + 1).fill(0)
    this.latency = new Array(LATENCY_BOUNDS_MICROS.length + 1).fill(0)
    this.latencySumNanos = 0
    // allowed, limited: the default limits, each plan, then every route limit together.
    this.policies = new Array(2 * (plans + 2)).fill(0)
    this.plans = plans
    this.cacheHits = 0
    this.cacheMisses = 0
    this.revocations = [0, 0, 0]
    this.rotations = 0
    this.reuseDetected = 0
  }

  /** Whether the next call is one to time. */
  timeNext() {
    this.calls = (this.calls + 1) % TIMED_EVERY
    return this.calls === 0
  }

  /** A request's outcome (its `errorCode`, null for a success) and, when it was timed, its own time (else -1). */
  request(errorCode, micros) {
    this.outcomes[errorCode === null ? 0 : 1 + CODE_INDEX.get(errorCode)]++
    if (micros < 0) return
    let b = 0
    while (b < LATENCY_BOUNDS_MICROS.length && micros > LATENCY_BOUNDS_MICROS[b]) b++
    this.latency[b]++
    this.latencySumNanos += micros * 1000
  }

  /** A rate-limit decision under policy `policy` (0 the default, then the plans, then routes). */
  limited(policy, allowed) {
    if (!this.on) return
    const at = policy <= this.plans ? policy : this.plans + 1
    this.policies[2 * at + (allowed ? 0 : 1)]++
  }

  /** An authenticated request for `tenant` (null: not counted by tenant). */
  tenant(tenant) {
    if (this.tenantBound === 0 || tenant === null) return
    const n = this.tenants.get(tenant)
    if (n !== undefined) this.tenants.set(tenant, n + 1)
    else if (this.tenants.size < this.tenantBound) this.tenants.set(tenant, 1)
    else this.otherTenants++
  }

  cache(hit) {
    if (!this.on) return
    if (hit) this.cacheHits++
    else this.cacheMisses++
  }

  revoked(kind) {
    if (!this.on) return
    this.revocations[REVOCATION_KINDS[kind]]++
  }

  /** The reading `authenticatorMetrics` gives for a native authenticator. */
  raw(evictions) {
    return {
      outcomes: [...this.outcomes],
      latency: [...this.latency],
      latencySumNanos: this.latencySumNanos,
      policies: [...this.policies],
      cacheHits: this.cacheHits,
      cacheMisses: this.cacheMisses,
      revocations: [...this.revocations],
      rotations: this.rotations,
      reuseDetected: this.reuseDetected,
      evictions,
      tenants: [...this.tenants.keys()],
      tenantCounts: [...this.tenants.values()],
      otherTenants: this.otherTenants,
    }
  }
}

module.exports = { JsMetrics }
