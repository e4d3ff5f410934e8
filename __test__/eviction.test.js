'use strict'

// Keys a client chooses (a rateLimitKey from a header, an API key id, IPv6 addresses) can fill the
// limiter at will, so making room at the bound must cost a request the same at a million buckets
// as at twenty thousand, on both engines: the costliest take past the bound, compared across the
// two sizes (a growth ratio, not a time limit).

const test = require('node:test')
const assert = require('node:assert/strict')
const { createAuthenticator } = require('..')
const { RateLimiter } = require('../lib/shared/ratelimit')
const { baseConfig } = require('./helpers')

// Takes per round past the bound, the same at both sizes so that both meet as many collections
// (a pause of the collector is no cost of ours); more than a tenth of the larger size, so that
// eviction every tenth of the bound, as before, would have run in every round.
const FLOOD = 110_000

/** The costliest single take among those that push a full limiter past its bound (ns). */
function worstTakePastTheBound(take, size) {
  // Partly drained buckets (capacity 60, a token per 1000 s): none is free to drop.
  for (let i = 0; i < size; i++) take(`fill-${i}`)
  const rounds = []
  for (let round = 0; round < 3; round++) {
    let worst = 0n
    for (let i = 0; i < FLOOD; i++) {
      const key = `flood-${round}-${i}`
      const start = process.hrtime.bigint()
      take(key)
      const spent = process.hrtime.bigint() - start
      if (spent > worst) worst = spent
    }
    rounds.push(worst)
  }
  return Number(rounds.reduce((a, b) => (a < b ? a : b)))
}

const engines = {
  native: (size) => {
    const auth = createAuthenticator(baseConfig({ rateLimitMax: 60, rateLimitRefill: 0.001, rateLimitMaxKeys: size }), {
      engine: 'native',
    })
    return (key) => auth.takeRateLimit(key)
  },
  js: (size) => {
    const auth = createAuthenticator(baseConfig({ rateLimitMax: 60, rateLimitRefill: 0.001, rateLimitMaxKeys: size }), {
      engine: 'js',
    })
    return (key) => auth.takeRateLimit(key)
  },
}

for (const [engine, make] of Object.entries(engines)) {
  test(`${engine}: a take at the bound costs the same at 1,000,000 partly drained buckets as at 20,000`, () => {
    const small = worstTakePastTheBound(make(20_000), 20_000)
    const large = worstTakePastTheBound(make(1_000_000), 1_000_000)
    assert.ok(large < small * 10, `worst take past the bound: ${small} ns at 20k buckets, ${large} ns at 1M`)
  })
}

test('the limiter stays within its bound and keeps recently used buckets over old ones', () => {
  const limiter = new RateLimiter(5, 1e-7, 10_000)
  for (let i = 0; i < 10_000; i++) limiter.take(`k${i}`, i)
  for (let i = 0; i < 2_000; i++) limiter.take(`new${i}`, 10_000 + i)
  assert.ok(limiter.size <= 10_000)
  assert.equal(
    limiter.buckets.shards.reduce((n, s) => n + s.keys.length, 0),
    limiter.size,
  )
  for (const shard of limiter.buckets.shards) for (const [key, b] of shard.map) assert.equal(shard.keys[b.slot], key)
  const kept = (from, to) =>
    Array.from({ length: to - from }, (_, i) => limiter.buckets.has(`k${from + i}`)).filter(Boolean).length
  const [old, recent] = [kept(0, 2000), kept(8000, 10_000)]
  assert.ok(recent > 1900 && old < 1000, `old ${old}, recent ${recent}`)
  // Full buckets go first: a limiter of full buckets takes a new key without touching a drained one.
  const mixed = new RateLimiter(2, 1, 100)
  for (let i = 0; i < 99; i++) mixed.take(`idle${i}`, 0)
  mixed.take('hot', 100)
  mixed.take('hot', 100)
  mixed.take('fresh', 100)
  assert.equal(mixed.take('hot', 100).allowed, false, 'the drained bucket kept its state')
})

test('keys that differ only before a long common suffix spread over every shard', () => {
  const { BoundedMap } = require('../lib/shared/bounded-map')
  const map = new BoundedMap(1_000_000, () => false)
  const tenant = '/9188040d-6c67-4c5b-b112-36a304b66dad'
  for (let i = 0; i < 50_000; i++) map.insert(`u${i}${tenant}`, { updated: 0, slot: 0 }, 0)
  const sizes = map.shards.map((s) => s.keys.length)
  const fair = 50_000 / sizes.length
  assert.ok(
    Math.min(...sizes) > fair / 2 && Math.max(...sizes) < fair * 2,
    `shard sizes ${Math.min(...sizes)}..${Math.max(...sizes)}`,
  )
  assert.equal(map.size, 50_000)
})
