'use strict'

// The metrics through OpenTelemetry: an SDK MeterProvider with an in-memory exporter receives
// every documented instrument, with the counts the authenticator made, on both engines.

const test = require('node:test')
const assert = require('node:assert/strict')
const {
  MeterProvider,
  PeriodicExportingMetricReader,
  InMemoryMetricExporter,
  AggregationTemporality,
} = require('@opentelemetry/sdk-metrics')
const { createAuthenticator, observeAuthShieldMetrics } = require('..')
const { METRICS } = require('../lib/shared/contract')
const { baseConfig, mint, now } = require('./helpers')

for (const engine of ['native', 'js']) {
  test(`${engine}: an in-memory exporter receives every instrument with the authenticator's counts`, async (t) => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE)
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 })
    const provider = new MeterProvider({ readers: [reader] })
    t.after(() => provider.shutdown())
    const auth = createAuthenticator(baseConfig({ metricsTenants: 10 }), { engine })
    const { stop } = observeAuthShieldMetrics(auth, {
      meter: provider.getMeter('auth-shield-test'),
      attributes: { service: 'orders' },
    })
    auth.authenticate(`Bearer ${mint({ sub: 'ada', tenant_id: 'acme' })}`)
    auth.authenticate(`Bearer ${mint({ sub: 'ada', tenant_id: 'acme' })}`)
    auth.authenticate(`Bearer ${mint({ exp: now() - 5 })}`)
    await reader.forceFlush()
    const metrics = exporter.getMetrics().flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics))
    const byName = new Map(metrics.map((m) => [m.descriptor.name, m]))
    // JWKS metrics need a refresher, integration outcomes an integration, Redis a link (metrics-export.test.js).
    const here = METRICS.filter((m) => !/^auth_shield_(jwks|integration|redis)_/.test(m.name))
    for (const spec of here) {
      const names = spec.type === 'histogram' ? ['bucket', 'sum', 'count'].map((p) => `${spec.otel}.${p}`) : [spec.otel]
      for (const n of names) assert.ok(byName.has(n), `${n} exported`)
    }
    const point = (name, attrs) =>
      byName.get(name).dataPoints.find((p) => Object.entries(attrs).every(([k, v]) => p.attributes[k] === v))?.value
    assert.equal(point('auth_shield.requests', { code: 'OK', service: 'orders' }), 2)
    assert.equal(point('auth_shield.requests', { code: 'TOKEN_EXPIRED' }), 1)
    assert.equal(point('auth_shield.tenant.requests', { tenant: 'acme' }), 2)
    // One call in 16 is timed.
    const timed = point('auth_shield.request.duration.count', {})
    assert.ok(timed >= 0 && timed <= 3)
    assert.equal(point('auth_shield.request.duration.bucket', { le: '+Inf' }), timed)
    assert.equal(byName.get('auth_shield.requests').descriptor.unit, '{request}')
    stop()
  })
}

test('observeAuthShieldMetrics refuses what is not an authenticator or a meter', () => {
  const auth = createAuthenticator(baseConfig())
  for (const args of [
    [{}, { meter: {} }],
    [auth, {}],
    [auth, { meter: { addBatchObservableCallback() {} }, attributes: null }],
  ])
    assert.throws(
      () => observeAuthShieldMetrics(...args),
      (e) => e.code === 'INVALID_CONFIG',
    )
})
