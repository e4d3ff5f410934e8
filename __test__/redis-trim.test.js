'use strict'

// The shared revocation stream is trimmed only of entries whose revocations are over, whoever
// publishes: an instance that only revoked short-lived tokens, or one that has just restarted,
// must not trim away another instance's user revocation, which a later instance would then miss.

const test = require('node:test')
const assert = require('node:assert/strict')
const { startRedis } = require('./redis-server')
const { connectClient, closeClient } = require('./redis-clients')
const { startInstance, killInstance, post, me, sleep, refusedEverywhere } = require('./redis-instances')

test('a restarted instance publishing a short revocation does not trim a user revocation still in force', async (t) => {
  const redis = await startRedis()
  t.after(() => redis.stop())
  // One entry per stream node, as a busy stream's many entries would be: approximate trimming
  // (`MINID ~`) then removes exactly what it is told to.
  const admin = await connectClient('ioredis@5', redis.url)
  t.after(() => closeClient(admin))
  await admin.call('CONFIG', 'SET', 'stream-node-max-entries', '1')

  const running = []
  t.after(() => Promise.all(running.map((i) => i.stop())))
  const start = async (...args) => {
    const instance = await startInstance(...args)
    running.push(instance)
    return instance
  }
  const a = await start('express', 'ioredis', redis.url, 'native')
  let b = await start('fastify', 'node-redis', redis.url, 'js')

  const pair = await post(a.base, '/login', { sub: 'ada' })
  await sleep(1100)
  await post(a.base, '/api/logout', {}, pair.accessToken)
  await refusedEverywhere([a, b], pair.accessToken)

  // B restarts, then revokes only a token that expires in seconds (at least two: one second could
  // be over before a loaded machine has the request there, and a revocation of an expired token
  // is refused).
  await killInstance(b)
  running.splice(running.indexOf(b), 1)
  b = await start('fastify', 'node-redis', redis.url, 'js')
  await sleep(1500)
  const short = await post(b.base, '/revokeToken', { jti: 'short-lived', expiresAt: Math.floor(Date.now() / 1000) + 3 })
  assert.equal(short.revoked, true)
  await sleep(200)

  // An instance started now reads the stream and must still refuse ada.
  const c = await start('fastify', 'ioredis', redis.url, 'native')
  for (const i of [a, b, c])
    assert.equal((await me(i.base, pair.accessToken)).status, 401, `${i.name} accepts a revoked user's token`)
  const entries = await admin.call('XLEN', 'cluster:revocations')
  assert.ok(entries >= 2, `the stream holds ${entries} entries`)
})
