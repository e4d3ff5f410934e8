'use strict'

// Every exported metric's values from one reading of an authenticator (its `metrics()`) and its
// JWKS refresher, by the names of contract/metrics.json: `{ labels, value }` rows, a histogram's
// as series `{ labels, buckets: [[boundSeconds, cumulative]...], count, sum }`. The Prometheus and
// OpenTelemetry adapters both read these, so the two never count differently.

const { METRICS } = require('../shared/contract')
const { refresherOf } = require('../helpers/jwks')
const { integrationRows } = require('./integration-counts')
const { linkOf } = require('../redis/index')

const row = (value, labels = {}) => ({ labels, value })
// The label value of the tenants past `metricsTenants`: not a tenant id any request can name.
const OTHER_TENANTS = '(other)'

/** A histogram's one series, `[{ labels, buckets: [[boundSeconds, cumulative]...], count, sum }]`. */
function histogram(h, labels = {}) {
  let running = 0
  const buckets = h.boundsMicros.map((b, i) => {
    running += h.counts[i]
    return [b / 1e6, running]
  })
  return { labels, buckets, count: h.count, sum: h.sumSeconds }
}

const EMPTY_JWKS = null

/** The rows of each metric, by name, for `auth` (and `jwks`, its refresher, if any). */
function readings(auth, jwks = refresherOf(auth)) {
  const m = auth.metrics()
  const j = jwks === null || typeof jwks.metrics !== 'function' ? EMPTY_JWKS : jwks.metrics()
  const out = {
    auth_shield_requests_total: Object.entries(m.requests).map(([code, n]) => row(n, { code })),
    auth_shield_integration_outcomes_total: integrationRows(auth).map((r) =>
      row(r.n, { strategy: r.strategy, code: r.code }),
    ),
    auth_shield_request_duration_seconds: [histogram(m.latency)],
    auth_shield_rate_limit_decisions_total: m.rateLimit.policies.flatMap((p) => [
      row(p.allowed, { policy: p.policy, decision: 'allowed' }),
      row(p.limited, { policy: p.policy, decision: 'limited' }),
    ]),
    auth_shield_rate_limit_buckets: [row(m.rateLimit.buckets)],
    auth_shield_rate_limit_evictions_total: [row(m.rateLimit.evictions)],
    auth_shield_cache_lookups_total: [row(m.cache.hits, { result: 'hit' }), row(m.cache.misses, { result: 'miss' })],
    auth_shield_cached_tokens: [row(m.cache.tokens)],
    auth_shield_revocations_total: ['token', 'user', 'family'].map((kind) => row(m.revocations[kind], { kind })),
    auth_shield_revocations_held: [row(m.revocations.held)],
    auth_shield_sessions: [row(m.sessions)],
    auth_shield_refresh_rotations_total: [row(m.refresh.rotations)],
    auth_shield_refresh_reuse_detected_total: [row(m.refresh.reuseDetected)],
    auth_shield_tenant_requests_total: [
      ...Object.entries(m.tenants.counts).map(([tenant, n]) => row(n, { tenant })),
      ...(m.tenants.other > 0 ? [row(m.tenants.other, { tenant: OTHER_TENANTS })] : []),
    ],
  }
  if (j !== null) {
    out.auth_shield_jwks_fetches_total = [
      row(j.fetches.ok, { result: 'ok' }),
      row(j.fetches.failed, { result: 'failed' }),
    ]
    out.auth_shield_jwks_keys = [row(j.keys)]
    out.auth_shield_jwks_last_success_timestamp_seconds = [row(j.lastSuccess)]
    out.auth_shield_jwks_fetch_duration_seconds = [histogram(j.duration)]
  }
  const link = linkOf(auth)
  if (link !== null)
    out.auth_shield_redis_duration_seconds = Object.entries(link.metrics().durations).map(([operation, h]) =>
      histogram(h, { operation }),
    )
  return out
}

module.exports = { readings, METRICS }
