'use strict'

// auth-shield's metrics as OpenTelemetry asynchronous instruments, read from the authenticator
// in one batch callback at each collection (nothing runs per request): counters as
// ObservableCounters, gauges as ObservableGauges. The API has no asynchronous histogram, so a
// histogram is three ObservableCounters: `<name>.bucket` (cumulative, by its `le` bound in
// seconds, as Prometheus writes them), `<name>.sum` and `<name>.count`. @opentelemetry/api stays
// the app's: the meter is given.

const { ErrorCodes, codedError } = require('../shared/codes')
const { readings, METRICS } = require('./readings')

function fail(message) {
  return codedError(ErrorCodes.INVALID_CONFIG, `observeAuthShieldMetrics: ${message}`)
}

/**
 * Registers every metric of docs/metrics.md with `meter` (from `metrics.getMeter(...)`), read
 * from `auth` (and `jwks`, its refresher) at each collection. `attributes` go on every
 * observation. Returns `stop()`, which removes the callback.
 */
function observeAuthShieldMetrics(auth, { meter, attributes = {}, jwks } = {}) {
  if (auth === null || typeof auth !== 'object' || typeof auth.metrics !== 'function')
    throw fail('needs an authenticator')
  if (meter === null || typeof meter !== 'object' || typeof meter.addBatchObservableCallback !== 'function')
    throw fail('`meter` must be an OpenTelemetry Meter (metrics.getMeter(name))')
  if (attributes === null || typeof attributes !== 'object') throw fail('`attributes` must be an object')
  const instruments = []
  for (const spec of METRICS) {
    const options = { description: spec.help, unit: spec.unit }
    if (spec.type === 'histogram') {
      instruments.push({
        spec,
        bucket: meter.createObservableCounter(`${spec.otel}.bucket`, options),
        sum: meter.createObservableCounter(`${spec.otel}.sum`, options),
        count: meter.createObservableCounter(`${spec.otel}.count`, { description: spec.help, unit: '1' }),
      })
    } else {
      const make = spec.type === 'counter' ? 'createObservableCounter' : 'createObservableGauge'
      instruments.push({ spec, one: meter[make](spec.otel, options) })
    }
  }
  const all = instruments.flatMap((i) => (i.one ? [i.one] : [i.bucket, i.sum, i.count]))
  const callback = (result) => {
    const rows = readings(auth, jwks)
    for (const i of instruments) {
      const got = rows[i.spec.name]
      if (got === undefined) continue
      if (i.one) {
        for (const r of got) result.observe(i.one, r.value, { ...r.labels, ...attributes })
        continue
      }
      for (const h of got) {
        const attrs = { ...h.labels, ...attributes }
        for (const [le, n] of h.buckets) result.observe(i.bucket, n, { ...attrs, le: String(le) })
        result.observe(i.bucket, h.count, { ...attrs, le: '+Inf' })
        result.observe(i.sum, h.sum, attrs)
        result.observe(i.count, h.count, attrs)
      }
    }
  }
  meter.addBatchObservableCallback(callback, all)
  return { stop: () => meter.removeBatchObservableCallback(callback, all) }
}

module.exports = { observeAuthShieldMetrics }
