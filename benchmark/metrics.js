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
