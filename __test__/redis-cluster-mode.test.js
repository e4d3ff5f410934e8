'use strict'

// Redis Cluster: the same sharing through cluster-mode clients (ioredis Cluster, node-redis
// createCluster) of a one-node cluster this file starts. The node holds every slot, and Redis
// refuses a command whose keys are in different slots as a real cluster does, so this proves
// that every command and script auth-shield sends is routable on a cluster.

const test = require('node:test')
const assert = require('node:assert/strict')
const { createAuthenticator, connectRedis, RedisOtpStore } = require('..')
const { startRedis, clusterClients } = require('./redis-server')
const { baseConfig } = require('./helpers')

const config = (extra) => baseConfig({ enforceTenantMatch: false, rateLimitMax: 10, rateLimitRefill: 0.01, ...extra })
const bearer = (t) => `Bearer ${t}`
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

let redis
test.before(async () => {
  redis = await startRedis({ cluster: true })
})
test.after(async () => {
  await redis.stop()
})

async function instance(t, kind, linkOptions) {
  const c = await clusterClients(redis.port)
  const auth = createAuthenticator(config(), { engine: 'native' })
  const link = connectRedis(auth, c[kind], { onError: (e) => t.diagnostic(String(e && e.message)), ...linkOptions })
  t.after(async () => {
    await link.close()
    await c.close()
  })
  await link.ready()
  return { auth, link, client: c[kind] }
}

for (const kind of ['ioredis', 'nodeRedis']) {
  test(`${kind} cluster client: revocations, refresh rotation, both rate-limit modes and codes work`, async (t) => {
    const prefix = `cl-${kind}:`
    const [a, b] = [
      await instance(t, kind, { prefix, rateLimit: 'exact' }),
      await instance(t, kind, { prefix, rateLimit: 'exact' }),
    ]

    // Revocation on one, refused on the other.
    const pair = a.auth.issueTokens({ sub: 'u1' })
    a.auth.revokeFamily(pair.family, Math.floor(Date.now() / 1000) + 600)
    const deadline = Date.now() + 2000
    while (b.auth.authenticate(bearer(pair.accessToken)).errorCode !== 'TOKEN_REVOKED') {
      assert.ok(Date.now() < deadline, 'revocation not seen through the cluster')
      await sleep(5)
    }

    // Refresh raced on both: one rotates.
    const fresh = a.auth.issueTokens({ sub: 'u2' })
    const raced = await Promise.all([a.link.refresh(fresh.refreshToken), b.link.refresh(fresh.refreshToken)])
    assert.deepEqual(raced.map((r) => r.errorCode ?? null).sort(), [null, 'TOKEN_REUSED'].sort())

    // exact: many takes at once for users whose buckets are in different slots, one budget each.
    const tokens = ['u3', 'u4', 'u5'].map((sub) => a.auth.signAccessToken({ sub }))
    const answers = await Promise.all(
      Array.from({ length: 90 }, (_, i) => (i % 2 ? a : b).link.authenticate(bearer(tokens[i % 3]))),
    )
    for (let u = 0; u < 3; u++) assert.equal(answers.filter((r, i) => i % 3 === u && r.errorCode === null).length, 10)
    assert.equal(a.link.stats().errors.count + b.link.stats().errors.count, 0)

    // One-time codes.
    const codes = new RedisOtpStore(a.client, {
      secret: 'cluster-otp-secret-0123456789abcdefgh',
      prefix: `${prefix}otp:`,
    })
    const code = await codes.generate('login:u1')
    assert.equal((await codes.verify('login:u1', code)).valid, true)
  })

  test(`${kind} cluster client: local-first syncs its buckets`, async (t) => {
    const prefix = `lf-${kind}:`
    const [a, b] = [
      await instance(t, kind, { prefix, syncInterval: 10 }),
      await instance(t, kind, { prefix, syncInterval: 10 }),
    ]
    const token = a.auth.signAccessToken({ sub: 'u4' })
    for (let i = 0; i < 8; i++) a.auth.authenticate(bearer(token))
    await sleep(100)
    b.auth.authenticate(bearer(token))
    await sleep(100)
    let accepted = 0
    for (let i = 0; i < 10; i++) if (b.auth.authenticate(bearer(token)).errorCode === null) accepted++
    assert.ok(accepted <= 2, `b accepted ${accepted} after a spent 8 of 10`)
    assert.ok(a.link.stats().rateLimits.syncs > 0 && a.link.stats().errors.count === 0)
  })
}
