'use strict'

// A/B of this checkout's native engine against another build of auth-shield, both loaded in one
// process: `node benchmark/ab.js <other checkout with its addon built>`. Interleaved rounds of
// `authenticate` over 1,000 distinct header strings (a server sees a fresh string per request),
// uncached and with the verified-token cache; medians, and the answers are checked equal first.

const path = require('node:path')
const { baseConfig, mint } = require('../__test__/helpers')

const other = process.argv[2]
if (!other) {
  console.error('usage: node benchmark/ab.js <path to another auth-shield checkout, built>')
  process.exit(2)
}
const base = require(path.resolve(other))
const head = require('..')
const N = 100000
const ROUNDS = 11

const token = mint({ email: 'a@b.c', role: 'admin', permissions: ['read', 'write'], tenant_id: 'acme' })
const headers = Array.from({ length: 1000 }, () => `Bearer ${token.split('').join('')}`)

function round(auth) {
  const t = process.hrtime.bigint()
  for (let i = 0; i < N; i++) auth.authenticate(headers[i % 1000], 'acme', 'api.example.com')
  return Number(process.hrtime.bigint() - t) / N
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
// Fields one build has and the other lacks (a newer result format) are left out of the comparison.
const common = (a, b) => Object.keys(a).filter((k) => k !== 'requestId' && Object.hasOwn(b, k))
const same = (r, other) => JSON.stringify(common(r, other).map((k) => [k, r[k]]))

for (const cache of [false, true]) {
  const config = baseConfig({ rateLimitMax: 1e9, rateLimitRefill: 1e9, ...(cache ? { cache: true } : {}) })
  const A = new base.Authenticator(config)
  const B = new head.Authenticator(config)
  const [ra, rb] = [A.authenticate(headers[0], 'acme'), B.authenticate(headers[0], 'acme')]
  if (same(ra, rb) !== same(rb, ra)) throw new Error('the builds answer differently')
  round(A)
  round(B)
  const a = []
  const b = []
  for (let r = 0; r < ROUNDS; r++) {
    if (r % 2) {
      a.push(round(A))
      b.push(round(B))
    } else {
      b.push(round(B))
      a.push(round(A))
    }
  }
  const change = ((median(b) / median(a) - 1) * 100).toFixed(1)
  console.log(
    `${cache ? 'cache hit' : 'uncached '}: other ${median(a).toFixed(0)} ns, this checkout ${median(b).toFixed(0)} ns (${change}%)`,
  )
}
