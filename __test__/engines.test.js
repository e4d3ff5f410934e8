'use strict'

// Every engine (native, JS, shadow) offers the one interface of lib/shared/engine-interface.js,
// tells its revocation listeners of every revocation it makes, and a Redis link wraps it without
// replacing any of its methods.

const test = require('node:test')
const assert = require('node:assert/strict')
const { createAuthenticator, connectRedis } = require('..')
const { PUBLIC_METHODS, missingMethods } = require('../lib/shared/engine-interface')
const { ON_REVOCATION } = require('../lib/shared/internal')
const { startRedis } = require('./redis-server')
const { connectClient, closeClient } = require('./redis-clients')
const { baseConfig } = require('./helpers')

const ENGINES = ['native', 'js', 'shadow']
const make = (engine) =>
  createAuthenticator(baseConfig({ enforceTenantMatch: false }), { engine, onMismatch: () => {} })

for (const engine of ENGINES) {
  test(`${engine}: offers every method of the engine interface`, () => {
    assert.deepEqual(missingMethods(make(engine)), [])
  })

  test(`${engine}: every revocation it makes is told to its listeners, once`, () => {
    const auth = make(engine)
    let told = 0
    const unsubscribe = auth[ON_REVOCATION](() => told++)
    const pair = auth.issueTokens({ sub: 'ada' })
    const steps = [
      () => auth.revokeToken('a-jti', Math.floor(Date.now() / 1000) + 60),
      () => auth.revokeUser('grace'),
      () => auth.revokeFamily(pair.family),
      () => auth.importRevocations(make(engine === 'js' ? 'native' : 'js').exportRevocations()),
    ]
    for (const [i, step] of steps.entries()) {
      step()
      assert.equal(told, i + 1, `step ${i}`)
    }
    // A reused refresh token revokes its family: told too.
    const fresh = auth.issueTokens({ sub: 'lin' })
    assert.equal(auth.refresh(fresh.refreshToken).ok, true)
    const before = told
    assert.equal(auth.refresh(fresh.refreshToken).errorCode, 'TOKEN_REUSED')
    assert.ok(told > before)
    const last = told
    unsubscribe()
    auth.revokeToken('after', Math.floor(Date.now() / 1000) + 60)
    assert.equal(told, last, 'an unsubscribed listener is not told')
  })
}

test('a Redis link wraps an engine: the authenticator keeps its own methods, and revocations still cross', async (t) => {
  const redis = await startRedis()
  t.after(() => redis.stop())
  for (const engine of ENGINES) {
    const [a, b] = [make(engine), make(engine)]
    const ownBefore = Object.getOwnPropertyNames(a).sort()
    const methodsBefore = PUBLIC_METHODS.map((m) => a[m])
    const clients = [await connectClient('ioredis@5', redis.url), await connectClient('node-redis@4', redis.url)]
    const links = [
      connectRedis(a, clients[0], { prefix: `wrap-${engine}:`, onError: () => {} }),
      connectRedis(b, clients[1], { prefix: `wrap-${engine}:`, onError: () => {} }),
    ]
    await Promise.all(links.map((l) => l.ready()))
    assert.deepEqual(Object.getOwnPropertyNames(a).sort(), ownBefore, `${engine}: own properties changed`)
    assert.deepEqual(
      PUBLIC_METHODS.map((m) => a[m]),
      methodsBefore,
      `${engine}: a method was replaced`,
    )
    for (const m of ['authenticate', 'refresh', 'stats', 'ready', 'close'])
      assert.equal(typeof links[0][m], 'function', m)
    const pair = a.issueTokens({ sub: 'ada' })
    const jti = JSON.parse(Buffer.from(pair.accessToken.split('.')[1], 'base64url')).jti
    a.revokeToken(jti, Math.floor(Date.now() / 1000) + 600)
    const start = Date.now()
    while (b.authenticate(`Bearer ${pair.accessToken}`).errorCode !== 'TOKEN_REVOKED') {
      assert.ok(Date.now() - start < 2000, `${engine}: the revocation did not cross`)
      await new Promise((r) => setTimeout(r, 5))
    }
    for (const link of links) await link.close()
    for (const c of clients) await closeClient(c)
  }
})
