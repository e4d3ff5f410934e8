'use strict'

// Every supported major of ioredis and node-redis, three instances each in three processes (both
// frameworks, both engines): a logout is refused everywhere within a second, a raced refresh token
// rotates once, and a healthy server gives no Redis errors.

const test = require('node:test')
const assert = require('node:assert/strict')
const { startRedis } = require('./redis-server')
const { SUPPORTED } = require('./redis-clients')
const { startInstance, post, me, sleep, refusedEverywhere } = require('./redis-instances')

for (const client of SUPPORTED) {
  test(`${client}: three instances share revocations and refresh rotation`, async (t) => {
    const redis = await startRedis()
    t.after(() => redis.stop())
    const instances = await Promise.all([
      startInstance('express', client, redis.url, 'native'),
      startInstance('fastify', client, redis.url, 'js'),
      startInstance('fastify', client, redis.url, 'native'),
    ])
    t.after(() => Promise.all(instances.map((i) => i.stop())))
    const [a, b, c] = instances

    const pair = await post(a.base, '/login', { sub: 'ada' })
    for (const i of instances) assert.equal((await me(i.base, pair.accessToken)).status, 200, i.name)
    await sleep(1100)
    await post(a.base, '/api/logout', {}, pair.accessToken)
    await refusedEverywhere([b, c], pair.accessToken)

    const login = await post(c.base, '/login', { sub: 'grace' })
    const [x, y] = await Promise.all([
      post(a.base, '/refresh', { refreshToken: login.refreshToken }),
      post(b.base, '/refresh', { refreshToken: login.refreshToken }),
    ])
    assert.deepEqual([x.ok, y.ok].sort(), [false, true])
    assert.equal((x.ok ? y : x).errorCode, 'TOKEN_REUSED')
    // The reuse revoked the family on every instance.
    await refusedEverywhere(instances, (x.ok ? x : y).accessToken)

    for (const i of instances) {
      const stats = await post(i.base, '/stats', {})
      assert.equal(stats.errors.count, 0, `${i.name}: ${stats.errors.last}`)
    }
  })
}
