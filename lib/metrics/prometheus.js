'use strict'

// auth-shield's metrics in a prom-client registry, read from the authenticator at each scrape
// (nothing is counted twice and nothing runs per request): `collectAuthShieldMetrics(auth, {
// register })`, as prom-client's own `collectDefaultMetrics({ register, prefix })` is called.
// prom-client is the app's: it is required only when no registry is given.

const { ErrorCodes, codedError } = require('../shared/codes')
const { readFamily } = require('../shared/option-family')
const { readings, METRICS } = require('./readings')

/** The registry the app uses: the one given, else prom-client's default. */
function registryOf(register) {
  if (register !== undefined) return register
  try {
    return require('prom-client').register
  } catch {
    throw codedError(
      ErrorCodes.INVALID_CONFIG,
      'collectAuthShieldMetrics: install prom-client, or pass `register` (a prom-client Registry)',
    )
  }
}

function escapeLabel(v) {
  return String(v).replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')
}

/** A histogram's rows as prom-client's own Histogram gives them, series by series. */
function histogramValues(name, series, constant) {
  return series.flatMap((h) => {
    const labels = { ...h.labels, ...constant }
    const rows = h.buckets.map(([le, n]) => ({ metricName: `${name}_bucket`, labels: { ...labels, le }, value: n }))
    rows.push({ metricName: `${name}_bucket`, labels: { ...labels, le: '+Inf' }, value: h.count })
    rows.push({ metricName: `${name}_sum`, labels, value: h.sum })
    rows.push({ metricName: `${name}_count`, labels, value: h.count })
    return rows
  })
}

/**
 * Registers every metric of docs/metrics.md in `register` for `auth`. Returns the names
 * registered. `labels` are added to every row (to tell two authenticators apart, register each
 * in its own registry or with its own `prefix`); `jwks` is the refresher whose fetches are
 * reported (by default the one the authenticator was wired to).
 */
function collectAuthShieldMetrics(auth, options = {}) {
  if (auth === null || typeof auth !== 'object' || typeof auth.metrics !== 'function')
    throw codedError(ErrorCodes.INVALID_CONFIG, 'collectAuthShieldMetrics: needs an authenticator')
  const o = readFamily('PrometheusOptions', options, {
    label: 'collectAuthShieldMetrics',
    what: 'options',
    unknown: 'option',
  })
  const register = registryOf(o.register)
  if (register === null || typeof register !== 'object' || typeof register.registerMetric !== 'function')
    throw codedError(ErrorCodes.INVALID_CONFIG, 'collectAuthShieldMetrics: `register` must be a prom-client Registry')
  const constant = o.labels ?? {}
  for (const [k, v] of Object.entries(constant))
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(k) || typeof v !== 'string')
      throw codedError(
        ErrorCodes.INVALID_CONFIG,
        `collectAuthShieldMetrics: label \`${escapeLabel(k)}\` must be a name with a string value`,
      )
  // One reading per scrape: the registry asks every metric in the same tick.
  let cached = null
  const read = () => {
    const now = Date.now()
    if (cached === null || cached.at !== now) cached = { at: now, rows: readings(auth, o.jwks ?? undefined) }
    return cached.rows
  }
  const names = []
  for (const spec of METRICS) {
    const name = `${o.prefix}${spec.name}`
    register.registerMetric({
      name,
      help: spec.help,
      type: spec.type,
      aggregator: spec.type === 'gauge' && spec.name.endsWith('_timestamp_seconds') ? 'max' : 'sum',
      get() {
        const rows = read()[spec.name]
        const values =
          rows === undefined
            ? []
            : spec.type === 'histogram'
              ? histogramValues(name, rows, constant)
              : rows.map((r) => ({ labels: { ...r.labels, ...constant }, value: r.value }))
        return { name, help: spec.help, type: spec.type, values, aggregator: this.aggregator }
      },
    })
    names.push(name)
  }
  return names
}

module.exports = { collectAuthShieldMetrics }
