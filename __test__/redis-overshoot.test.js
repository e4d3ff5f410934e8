'use strict'

// How far local-first limits can overshoot a budget shared by three instances in three processes,
// at the documented sync interval: measured here, and held to the bound docs/redis.md states,
//   accepted <= budget + refill x elapsed + (instances - 1) x min(budget, requests one instance
//   takes in one sync interval and a round trip)
// (every other instance can spend what it took since its last sync against the same level).

const test = require('node:test')
const assert = require('node:assert/strict')
const { startRedis } = require('./redis-server')
const { startInstance, post, me, sleep } = require('./redis-instances')

const BUDGET = 12
// The fixture's refill for a numeric budget, tokens per second.
const REFILL = 0.01
// The default `syncInterval`, and what a script's round trip may add to it.
const SYNC_MS = 50
const ROUND_TRIP_MS = 20

test('local-first across three instances: steady traffic and a burst stay within the stated bound', async (t) => {
  const redis = await startRedis()
  t.after(() => redis.stop())
  const instances = await Promise.all([
    startInstance('express', 'ioredis', redis.url, 'native', String(BUDGET), 'local-first', String(SYNC_MS)),
    startInstance('fastify', 'node-redis', redis.url, 'js', String(BUDGET), 'local-first', String(SYNC_MS)),
    startInstance('fastify', 'ioredis@6', redis.url, 'native', String(BUDGET), 'local-first', String(SYNC_MS)),
  ])
  t.after(() => Promise.all(instances.map((i) => i.stop())))
  const others = instances.length - 1

  // Steady: each instance takes one request of the user's about every 20 ms.
  const steady = await post(instances[0].base, '/login', { sub: 'steady' })
  let accepted = 0
  let rounds = 0
  const started = Date.now()
  while (Date.now() - started < 1500) {
    const answers = await Promise.all(instances.map((i) => me(i.base, steady.accessToken)))
    accepted += answers.filter((r) => r.status === 200).length
    rounds++
    await sleep(20)
  }
  const elapsed = (Date.now() - started) / 1000
  const perInterval = Math.ceil((rounds / elapsed) * ((SYNC_MS + ROUND_TRIP_MS) / 1000))
  const steadyBound = BUDGET + REFILL * elapsed + others * Math.min(BUDGET, perInterval)
  t.diagnostic(
    `steady: ${accepted} accepted of ${rounds * instances.length} for a budget of ${BUDGET} (bound ${steadyBound.toFixed(1)}, ${perInterval} requests per instance per interval)`,
  )
  assert.ok(accepted >= BUDGET, `only ${accepted} accepted: the budget was not granted`)
  assert.ok(accepted <= steadyBound, `steady traffic: ${accepted} accepted, over the bound ${steadyBound}`)

  // A burst from fresh buckets: each instance may spend a whole budget before anyone syncs.
  const burst = await post(instances[1].base, '/login', { sub: 'burst' })
  const answers = await Promise.all(
    instances.flatMap((i) => Array.from({ length: 20 }, () => me(i.base, burst.accessToken))),
  )
  const burstAccepted = answers.filter((r) => r.status === 200).length
  const burstBound = BUDGET + others * BUDGET
  t.diagnostic(`burst: ${burstAccepted} accepted of ${answers.length} for a budget of ${BUDGET} (bound ${burstBound})`)
  assert.ok(burstAccepted >= BUDGET && burstAccepted <= burstBound, `burst: ${burstAccepted} accepted`)
  // The debt is global: once synced, every instance refuses until it is refilled.
  await sleep(4 * SYNC_MS)
  for (const i of instances) assert.equal((await me(i.base, burst.accessToken)).status, 429, i.name)
})
