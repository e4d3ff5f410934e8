'use strict'

// One engine's reading (core/src/metrics.rs through the binding, or the JS engine's JsMetrics, in
// the same layout) shaped as `metrics()` returns it, alike for every engine. The exporters
// (lib/metrics/) read this shape and nothing else.

const { ERRORS, LATENCY_BOUNDS_MICROS } = require('./contract')

// Codes a request can be answered with (status 0 codes are only ever thrown).
const REQUEST_CODES = ERRORS.map((e, i) => [e.code, i, e.status]).filter(([, , status]) => status !== 0)

/**
 * @param raw the engine's counts (src/bindings/metrics.rs' RawMetrics)
 * @param plans the names of `rateLimitPlans`, in their configured order
 * @param stats the engine's `stats()`
 */
function shapeMetrics(raw, plans, stats) {
  const requests = { OK: raw.outcomes[0] }
  for (const [code, i] of REQUEST_CODES) requests[code] = raw.outcomes[1 + i]
  const names = ['default', ...plans.map((p) => `plan:${p}`), 'route']
  const policies = names.map((policy, i) => ({
    policy,
    allowed: raw.policies[2 * i],
    limited: raw.policies[2 * i + 1],
  }))
  return {
    requests,
    latency: {
      boundsMicros: LATENCY_BOUNDS_MICROS,
      counts: raw.latency,
      count: raw.latency.reduce((a, b) => a + b, 0),
      sumSeconds: raw.latencySumNanos / 1e9,
    },
    rateLimit: { policies, buckets: stats.rateLimitKeys, evictions: raw.evictions },
    cache: { hits: raw.cacheHits, misses: raw.cacheMisses, tokens: stats.cachedTokens },
    revocations: {
      token: raw.revocations[0],
      user: raw.revocations[1],
      family: raw.revocations[2],
      held: stats.revocations,
    },
    sessions: stats.sessions,
    refresh: { rotations: raw.rotations, reuseDetected: raw.reuseDetected },
    tenants: {
      counts: Object.fromEntries(raw.tenants.map((t, i) => [t, raw.tenantCounts[i]])),
      other: raw.otherTenants,
    },
  }
}

module.exports = { shapeMetrics, REQUEST_CODES }
