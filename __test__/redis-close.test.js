'use strict'

// `link.close()` settles when Redis has gone away mid-sync, whatever the client: node-redis queues
// commands while offline, so a sync sent then never settles, and a close that waited for it hung
// (and with it a server's shutdown).

const test = require('node:test')
const assert = require('node:assert/strict')
const { createAuthenticator, connectRedis } = require('..')
const { startRedis } = require('./redis-server')
const { SUPPORTED, connectClient, closeClient } = require('./redis-clients')
const { baseConfig, mint } = require('./helpers')

const settles = (promise, ms) =>
  Promise.race([promise.then(() => true), new Promise((r) => setTimeout(() => r(false), ms).unref())])

for (const kind of SUPPORTED) {
  test(`${kind}: close() settles after Redis died with a sync on its way`, async (t) => {
    const redis = await startRedis()
    t.after(() => redis.stop())
    const client = await connectClient(kind, redis.url)
    t.after(() => closeClient(client))
    const auth = createAuthenticator(baseConfig({ enforceTenantMatch: false, rateLimitMax: 1e6 }))
    const link = connectRedis(auth, client, { prefix: 'close:', syncInterval: 5, onError: () => {} })
    await link.ready()
    const header = `Bearer ${mint({ sub: 'u1' })}`
    for (let i = 0; i < 50; i++) auth.authenticate(header)
    await redis.kill()
    // Spend again so a sync goes out to the dead server, then close while it is pending.
    for (let i = 0; i < 50; i++) auth.authenticate(header)
    await new Promise((r) => setTimeout(r, 30))
    assert.equal(await settles(link.close(), 5000), true, 'close() did not settle')
  })
}
