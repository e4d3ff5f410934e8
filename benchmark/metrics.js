'use strict'

// What counting costs: the same build's authenticators with `metrics` on (the default) and
// `metrics: false`, in one process, interleaved rounds over 1,000 distinct header strings;
// medians per engine, uncached and with the verified-token cache. `npm run bench:metrics`.

const { createAuthenticator } = require('..')
const { baseConfig, mint } = require('../__test__/helpers')

const ROUNDS = 15
const token = mint({ email: 'a@b.c', role: 'admin', permissions: ['read', 'write'], tenant_id: 'acme' })
const headers = Array.from({ length: 1000 }, () => `Bearer ${token.split('').join('')}`)
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

function round(auth, n) {
  const t = process.hrtime.bigint()
  for (let i = 0; i < n; i++) auth.authenticate(headers[i % 1000], 'acme', 'api.example.com')
  return Number(process.hrtime.bigint() - t) / n
}

for (const engine of ['native', 'js']) {
  const n = engine === 'native' ? 100_000 : 20_000
  for (const cache of [false, true]) {
    const config = (metrics) =>
      baseConfig({ rateLimitMax: 1e9, rateLimitRefill: 1e9, metrics, ...(cache ? { cache: true } : {}) })
    const on = createAuthenticator(config(true), { engine })
    const off = createAuthenticator(config(false), { engine })
    round(on, n)
    round(off, n)
    const a = []
    const b = []
    for (let r = 0; r < ROUNDS; r++) {
      const pair = r % 2 ? [off, on] : [on, off]
      for (const auth of pair) (auth === on ? b : a).push(round(auth, n))
    }
    const change = ((median(b) / median(a) - 1) * 100).toFixed(1)
    console.log(
      `${engine.padEnd(6)} ${cache ? 'cache hit' : 'uncached '}: metrics off ${median(a).toFixed(0)} ns, on ${median(b).toFixed(0)} ns (${change}%)`,
    )
  }
}

// What counting allocates on the JavaScript heap: bytes per call of the same requests with metrics
// on and off, and with a tracing subscriber present. A young generation large enough that no
// collection runs during a measured pass (`--max-semi-space-size`, set by the npm script).
const v8 = require('node:v8')
const diagnostics = require('node:diagnostics_channel')

function heapBytesPerCall(auth, n) {
  for (let attempt = 0; attempt < 5; attempt++) {
    globalThis.gc()
    const before = v8.getHeapStatistics().used_heap_size
    for (let i = 0; i < n; i++) auth.authenticate(headers[i % 1000], 'acme', 'api.example.com')
    const after = v8.getHeapStatistics().used_heap_size
    if (after > before) return (after - before) / n
  }
  return NaN
}

if (typeof globalThis.gc === 'function') {
  const n = 20_000
  for (const engine of ['native', 'js']) {
    const config = (metrics) => baseConfig({ rateLimitMax: 1e9, rateLimitRefill: 1e9, metrics, cache: true })
    const on = createAuthenticator(config(true), { engine })
    const off = createAuthenticator(config(false), { engine })
    heapBytesPerCall(on, n)
    heapBytesPerCall(off, n)
    const bytesOff = heapBytesPerCall(off, n)
    const bytesOn = heapBytesPerCall(on, n)
    const channel = diagnostics.tracingChannel('auth-shield:authenticate')
    const subscriber = { start() {}, end() {}, asyncStart() {}, asyncEnd() {}, error() {} }
    channel.subscribe(subscriber)
    const bytesTraced = heapBytesPerCall(on, n)
    channel.unsubscribe(subscriber)
    console.log(
      `${engine.padEnd(6)} heap bytes per cached call: metrics off ${bytesOff.toFixed(1)}, on ${bytesOn.toFixed(1)}, ` +
        `on with a tracing subscriber ${bytesTraced.toFixed(1)}`,
    )
  }
} else {
  console.log('(heap bytes per call: run with --expose-gc --max-semi-space-size=64, as npm run bench:metrics does)')
}
