'use strict'

// The Redis link's round trips in the metrics: a revocation published (sync), an exact take,
// a refresh spent, each timed under its operation, through prom-client, on both client kinds.

const test = require('node:test')
const assert = require('node:assert/strict')
const client = require('prom-client')
const { createAuthenticator, connectRedis, collectAuthShieldMetrics } = require('..')
const { startRedis, clients } = require('./redis-server')
const { baseConfig, mint } = require('./helpers')

let redis
test.before(async () => {
  redis = await startRedis()
})
test.after(() => redis.stop())

for (const kind of ['ioredis', 'nodeRedis']) {
  test(`${kind}: sync, exact and refresh round trips are timed under their operation`, async (t) => {
    const c = await clients(redis.url)
    const auth = createAuthenticator(baseConfig())
    const link = connectRedis(auth, c[kind], { prefix: `m-${kind}:`, rateLimit: 'exact', onError: () => {} })
    t.after(async () => {
      await link.close()
      await c.close()
    })
    await link.ready()
    const register = new client.Registry()
    collectAuthShieldMetrics(auth, { register })
    const result = await link.authenticate(`Bearer ${mint({ sub: 'ada' })}`)
    assert.equal(result.authenticated, true)
    auth.revokeUser('someone')
    const pair = auth.issueTokens({ sub: 'bob' })
    assert.equal((await link.refresh(pair.refreshToken)).ok, true)
    await new Promise((r) => setTimeout(r, 200))
    const text = await register.metrics()
    for (const operation of ['sync', 'exact', 'refresh']) {
      const m = text.match(
        new RegExp(`^auth_shield_redis_duration_seconds_count\\{operation="${operation}"\\} (\\d+)$`, 'm'),
      )
      assert.ok(
        m && Number(m[1]) >= 1,
        `${operation} timed:\n${text
          .split('\n')
          .filter((l) => l.includes('redis'))
          .join('\n')}`,
      )
    }
  })
}
