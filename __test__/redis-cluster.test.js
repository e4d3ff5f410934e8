'use strict'

// Three instances of an API in three processes (Express and Fastify, ioredis and node-redis,
// native and JS engines mixed) against one redis-server: they must behave as one for logouts,
// limits, refresh rotation and codes, and through a Redis restart.

const test = require('node:test')
const assert = require('node:assert/strict')
const { startRedis } = require('./redis-server')
const { startInstance, post, me, sleep, refusedEverywhere } = require('./redis-instances')

test('three instances behind one Redis behave as one', async (t) => {
  const redis = await startRedis()
  t.after(() => redis.stop())
  const instances = await Promise.all([
    startInstance('express', 'ioredis', redis.url, 'native'),
    startInstance('fastify', 'node-redis', redis.url, 'js'),
    startInstance('fastify', 'ioredis', redis.url, 'native'),
  ])
  t.after(() => Promise.all(instances.map((i) => i.stop())))
  const [a, b, c] = instances

  await t.test('a logout on A is refused on B and C', async () => {
    const pair = await post(a.base, '/login', { sub: 'ada' })
    for (const i of instances) assert.equal((await me(i.base, pair.accessToken)).status, 200, i.name)
    await sleep(1100)
    await post(a.base, '/api/logout', {}, pair.accessToken)
    await refusedEverywhere([b, c], pair.accessToken)
  })

  await t.test("a user's requests spread over all three meet one limit", async () => {
    const pair = await post(b.base, '/login', { sub: 'spender' })
    let accepted = 0
    for (let round = 0; round < 10; round++) {
      const answers = await Promise.all(
        instances.flatMap((i) => [me(i.base, pair.accessToken), me(i.base, pair.accessToken)]),
      )
      accepted += answers.filter((r) => r.status === 200).length
      await sleep(40)
    }
    // 60 requests, a budget of 20; three separate limiters would accept 60.
    assert.ok(accepted >= 20 && accepted <= 20 + 2 * 20, `accepted ${accepted}`)
    assert.ok(accepted < 45, `accepted ${accepted}: the instances did not share the budget`)
  })

  await t.test('a refresh token raced on two instances rotates once', async () => {
    const pair = await post(c.base, '/login', { sub: 'grace' })
    const [x, y] = await Promise.all([
      post(a.base, '/refresh', { refreshToken: pair.refreshToken }),
      post(b.base, '/refresh', { refreshToken: pair.refreshToken }),
    ])
    assert.deepEqual([x.ok, y.ok].sort(), [false, true])
    assert.equal((x.ok ? y : x).errorCode, 'TOKEN_REUSED')
  })

  await t.test('a code made on A verifies on C, once', async () => {
    const { code } = await post(a.base, '/otpMake', { key: 'u-7' })
    assert.equal((await post(c.base, '/otpCheck', { key: 'u-7', code })).valid, true)
    assert.equal((await post(b.base, '/otpCheck', { key: 'u-7', code })).code, 'OTP_NOT_FOUND')
  })

  await t.test('Redis killed and restarted empty: requests keep being answered; logouts hold', async () => {
    const pair = await post(a.base, '/login', { sub: 'turing' })
    await sleep(1100)
    await post(b.base, '/api/logout', {}, pair.accessToken)
    await sleep(200)
    await redis.kill()
    const fresh = await post(c.base, '/login', { sub: 'hopper' })
    for (const i of instances)
      assert.equal((await me(i.base, fresh.accessToken)).status, 200, `${i.name} answers while Redis is down`)
    await redis.restart()
    // The instances republish what they hold; a revoked token stays refused everywhere.
    await sleep(3000)
    for (const i of instances) assert.equal((await me(i.base, pair.accessToken)).status, 401, i.name)
    const republished = await Promise.all(instances.map((i) => post(i.base, '/stats', {})))
    assert.ok(
      republished.some((s) => s.revocations.republished > 0),
      JSON.stringify(republished.map((s) => s.revocations)),
    )
  })
})
