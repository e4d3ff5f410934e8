'use strict'

// Instances sharing state through a real redis-server this file starts (never one left running):
// revocations everywhere and after restarts, refresh rotation decided once, global rate limits in
// both modes, faults. Each "instance" is an authenticator with its own client and link; the
// multi-process HTTP tests are in redis-cluster.test.js.

const test = require('node:test')
const assert = require('node:assert/strict')
const { createAuthenticator, connectRedis } = require('..')
const { startRedis, clients } = require('./redis-server')
const { baseConfig } = require('./helpers')

const config = (extra) => baseConfig({ enforceTenantMatch: false, rateLimitMax: 1000, rateLimitRefill: 100, ...extra })
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const bearer = (t) => `Bearer ${t}`

/** Polls `check` until true; the milliseconds it took, or a failure after `limit`. */
async function within(limit, check, what) {
  const start = Date.now()
  while (!check()) {
    if (Date.now() - start > limit) assert.fail(`${what}: not within ${limit} ms`)
    await sleep(2)
  }
  return Date.now() - start
}

let redis
test.before(async () => {
  redis = await startRedis()
})
test.after(async () => {
  await redis.stop()
})

/** An instance: an authenticator on `engine`, linked through a client of `kind`. */
async function instance(t, kind, extra = {}, linkOptions = {}, engine = 'native') {
  const c = await clients(redis.url)
  const auth = createAuthenticator(config(extra), { engine })
  const link = connectRedis(auth, c[kind], { prefix: `t${test.name}:`, onError: () => {}, ...linkOptions })
  t.after(async () => {
    await link.close()
    await c.close()
  })
  await link.ready()
  return { auth, link }
}

let prefixes = 0
for (const kind of ['ioredis', 'nodeRedis']) {
  test(`${kind}: a revocation on one instance is refused on the others within milliseconds`, async (t) => {
    const prefix = { prefix: `rev${prefixes++}:` }
    const [a, b, c] = [
      await instance(t, kind, {}, prefix),
      await instance(t, kind, {}, prefix, 'js'),
      await instance(t, kind, {}, prefix),
    ]
    const pair = a.auth.issueTokens({ sub: 'u1' })
    const header = bearer(pair.accessToken)
    for (const i of [a, b, c]) assert.equal(i.auth.authenticate(header).errorCode, null)
    const jti = JSON.parse(Buffer.from(pair.accessToken.split('.')[1], 'base64url')).jti
    a.auth.revokeToken(jti, Math.floor(Date.now() / 1000) + 600)
    const took = await within(
      500,
      () =>
        b.auth.authenticate(header).errorCode === 'TOKEN_REVOKED' &&
        c.auth.authenticate(header).errorCode === 'TOKEN_REVOKED',
      'revokeToken',
    )
    assert.ok(took < 500)
    // revokeUser on the JS-engine instance reaches the native ones.
    const other = a.auth.issueTokens({ sub: 'u2' })
    await sleep(1100)
    b.auth.revokeUser('u2')
    await within(500, () => a.auth.authenticate(bearer(other.accessToken)).errorCode === 'TOKEN_REVOKED', 'revokeUser')
    // An instance that starts later holds every revocation before it is ready.
    const late = await instance(t, kind, {}, prefix)
    assert.equal(late.auth.authenticate(header).errorCode, 'TOKEN_REVOKED')
    assert.equal(late.auth.authenticate(bearer(other.accessToken)).errorCode, 'TOKEN_REVOKED')
    assert.ok(a.link.stats().revocations.published >= 1 && b.link.stats().revocations.applied >= 1)
  })

  test(`${kind}: a refresh token raced on two instances rotates once; the family dies everywhere`, async (t) => {
    const prefix = { prefix: `refresh${prefixes++}:` }
    const [a, b] = [await instance(t, kind, {}, prefix), await instance(t, kind, {}, prefix, 'js')]
    // Rotation hops between instances without a false alarm.
    let pair = a.auth.issueTokens({ sub: 'u1' })
    for (const i of [b, a, b, a]) {
      const next = await i.link.refresh(pair.refreshToken)
      assert.equal(next.ok, true, next.errorCode)
      pair = next
    }
    const [x, y] = await Promise.all([a.link.refresh(pair.refreshToken), b.link.refresh(pair.refreshToken)])
    assert.deepEqual([x.ok, y.ok].sort(), [false, true])
    const loser = x.ok ? y : x
    const winner = x.ok ? x : y
    assert.equal(loser.errorCode, 'TOKEN_REUSED')
    await within(
      500,
      () => [a, b].every((i) => i.auth.authenticate(bearer(winner.accessToken)).errorCode === 'TOKEN_REVOKED'),
      'family revoked',
    )
    assert.equal((await a.link.refresh(winner.refreshToken)).errorCode, 'TOKEN_REVOKED')
    assert.equal((await b.link.refresh('not a token')).errorCode, 'TOKEN_MALFORMED')
  })

  test(`${kind}: local-first limits are global within the documented bound`, async (t) => {
    const prefix = { prefix: `rl${prefixes++}:`, syncInterval: 20 }
    const limits = { rateLimitMax: 20, rateLimitRefill: 0.01 }
    const instances = [
      await instance(t, kind, limits, prefix),
      await instance(t, kind, limits, prefix, 'js'),
      await instance(t, kind, limits, prefix),
    ]
    const token = instances[0].auth.signAccessToken({ sub: 'spender' })
    let accepted = 0
    for (let round = 0; round < 12; round++) {
      for (const i of instances)
        for (let k = 0; k < 3; k++) accepted += i.auth.authenticate(bearer(token)).errorCode === null ? 1 : 0
      await sleep(30)
    }
    // 108 requests against a budget of 20: without Redis each instance would accept 20 (60).
    const bound = 20 + (instances.length - 1) * (20 + 0.01 * 0.02)
    assert.ok(accepted >= 20 && accepted <= bound, `accepted ${accepted}, bound ${bound}`)
    assert.ok(accepted < 40, `accepted ${accepted}: the instances did not share the budget`)
    assert.ok(instances.every((i) => i.link.stats().rateLimits.syncs > 0))
  })

  test(`${kind}: exact limits take from Redis before answering`, async (t) => {
    const prefix = { prefix: `exact${prefixes++}:`, rateLimit: 'exact' }
    const limits = { rateLimitMax: 10, rateLimitRefill: 0.01 }
    const [a, b] = [await instance(t, kind, limits, prefix), await instance(t, kind, limits, prefix, 'js')]
    const token = a.auth.signAccessToken({ sub: 'strict' })
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).link.authenticate(bearer(token))),
    )
    assert.equal(answers.filter((r) => r.errorCode === null).length, 10)
    const refused = answers.find((r) => r.errorCode === 'RATE_LIMITED')
    assert.ok(refused.retryAfter >= 1 && refused.rateLimitLimit === 10)
  })

  test(`${kind}: exact takes key the token's own tenant, never one the request names`, async (t) => {
    for (const engine of ['native', 'js']) {
      const prefix = { prefix: `exact${prefixes++}:`, rateLimit: 'exact' }
      const { auth, link } = await instance(t, kind, { rateLimitMax: 4, rateLimitRefill: 0.01 }, prefix, engine)
      const roamer = bearer(auth.signAccessToken({ sub: 'roamer' }))
      const answers = []
      for (let i = 0; i < 12; i++) answers.push(await link.authenticate(roamer, `t${i}`))
      assert.equal(answers.filter((r) => r.errorCode === null).length, 4, engine)
      const member = bearer(auth.signAccessToken({ sub: 'member', tenant_id: 'acme' }))
      for (let i = 0; i < 4; i++) assert.equal((await link.authenticate(member, 'acme')).errorCode, null, engine)
      assert.equal((await link.authenticate(member)).errorCode, 'RATE_LIMITED', engine)
    }
  })

  test(`${kind}: exact takes sent together still answer each request for its own bucket`, async (t) => {
    const prefix = { prefix: `exact${prefixes++}:`, rateLimit: 'exact' }
    const { auth, link } = await instance(t, kind, { rateLimitMax: 10, rateLimitRefill: 0.01 }, prefix)
    const users = ['ann', 'bob', 'cy']
    const tokens = users.map((sub) => auth.signAccessToken({ sub }))
    // 120 requests at once, interleaved: they reach Redis as a few scripts of many takes each.
    const answers = await Promise.all(Array.from({ length: 120 }, (_, i) => link.authenticate(bearer(tokens[i % 3]))))
    for (const [u, user] of users.entries()) {
      const mine = answers.filter((_, i) => i % 3 === u)
      const allowed = mine.filter((r) => r.errorCode === null)
      assert.equal(allowed.length, 10, user)
      assert.deepEqual(
        allowed.map((r) => r.rateLimitRemaining).sort((a, b) => b - a),
        [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
        user,
      )
      assert.ok(mine.filter((r) => r.errorCode !== null).every((r) => r.errorCode === 'RATE_LIMITED'))
    }
    assert.equal(link.stats().rateLimits.exactTaken, 120)
  })
}

test('Redis restarted empty: every instance republishes what it holds; nothing revoked comes back', async (t) => {
  const prefix = { prefix: 'restart:' }
  const [a, b] = [await instance(t, 'ioredis', {}, prefix), await instance(t, 'nodeRedis', {}, prefix)]
  const pair = a.auth.issueTokens({ sub: 'u1' })
  a.auth.revokeFamily(pair.family, Math.floor(Date.now() / 1000) + 600)
  await within(
    500,
    () => b.auth.authenticate(bearer(pair.accessToken)).errorCode === 'TOKEN_REVOKED',
    'before the restart',
  )
  await redis.restart()
  // The instances notice, republish, and a new instance learns the revocation from Redis.
  await within(
    10_000,
    () => a.link.stats().revocations.republished > 0 && b.link.stats().revocations.republished > 0,
    'republished',
  )
  const late = await instance(t, 'ioredis', {}, prefix)
  assert.equal(late.auth.authenticate(bearer(pair.accessToken)).errorCode, 'TOKEN_REVOKED')
  assert.equal(a.auth.authenticate(bearer(pair.accessToken)).errorCode, 'TOKEN_REVOKED')
})

test('Redis down: requests are still answered, exact limits fall back to the instance, refresh refuses as configured', async (t) => {
  const prefix = { prefix: 'down:', timeout: 50 }
  const exact = await instance(
    t,
    'ioredis',
    { rateLimitMax: 3, rateLimitRefill: 0.01 },
    { ...prefix, rateLimit: 'exact' },
  )
  const local = await instance(t, 'nodeRedis', {}, prefix)
  const strict = await instance(t, 'nodeRedis', {}, { ...prefix, rateLimit: 'exact', exactWhenUnavailable: 'refuse' })
  const token = exact.auth.signAccessToken({ sub: 'u1' })
  const pair = local.auth.issueTokens({ sub: 'u1' })
  await redis.kill()
  t.after(() => redis.restart())
  assert.equal(local.auth.authenticate(bearer(token)).errorCode, null)
  const started = Date.now()
  const answers = []
  for (let i = 0; i < 4; i++) answers.push((await exact.link.authenticate(bearer(token))).errorCode)
  assert.deepEqual(answers, [null, null, null, 'RATE_LIMITED'], 'the instance bucket decides while Redis is away')
  assert.ok(Date.now() - started < 4 * 50 + 400, 'no request waits on Redis past its timeout')
  const refused = await local.link.refresh(pair.refreshToken)
  assert.equal(refused.errorCode, 'STATE_UNAVAILABLE')
  assert.equal(
    (await strict.link.authenticate(bearer(token))).errorCode,
    'STATE_UNAVAILABLE',
    'failing closed when asked to',
  )
  assert.ok(exact.link.stats().errors.count > 0)
  await redis.restart()
  // Back: the revocation made while Redis was away reaches a new instance.
  local.auth.revokeUser('u9')
  const late = await instance(t, 'ioredis', {}, prefix)
  await within(5000, () => late.link.stats().revocations.applied > 0, 'resynchronised')
})

test('connectRedis refuses what it cannot use, naming it', () => {
  const auth = createAuthenticator(config())
  for (const [client, options, message] of [
    [{}, {}, /ioredis \(5\+\) client or cluster, or a node-redis/],
    [null, {}, /ioredis \(5\+\) client or cluster, or a node-redis/],
  ]) {
    assert.throws(
      () => connectRedis(auth, client, options),
      (e) => e.code === 'INVALID_CONFIG' && message.test(e.message),
    )
  }
  const fake = { call() {}, status: 'ready', duplicate() {}, on() {}, off() {} }
  for (const [options, message] of [
    [{ rateLimit: 'sometimes' }, /rateLimit/],
    [{ timeout: 0 }, /timeout/],
    [{ syncInterval: 1 }, /syncInterval/],
    [{ prefix: 7 }, /prefix/],
    [{ prefix: 'a}b:' }, /hash tag/],
    [{ prefix: 'a\r\nb:' }, /one line/],
    [{ refreshWhenUnavailable: 'maybe' }, /refreshWhenUnavailable/],
    [{ when: 1 }, /Unknown Redis option/],
  ]) {
    assert.throws(
      () => connectRedis(auth, fake, options),
      (e) => e.code === 'INVALID_CONFIG' && message.test(e.message),
      JSON.stringify(options),
    )
  }
  assert.throws(
    () => connectRedis({}, fake),
    (e) => e.code === 'INVALID_CONFIG',
  )
})

test('one-time codes: made on one instance, verified on another, attempts counted globally, consumed once', async (t) => {
  const { RedisOtpStore } = require('..')
  const c = await clients(redis.url)
  t.after(() => c.close())
  const secret = 's'.repeat(32)
  const a = new RedisOtpStore(c.ioredis, { secret, prefix: 'otp-test:', maxAttempts: 3 })
  const b = new RedisOtpStore(c.nodeRedis, { secret, prefix: 'otp-test:', maxAttempts: 3 })
  const code = await a.generate('user-1')
  assert.match(code, /^\d{6}$/)
  const wrong = code === '000000' ? '111111' : '000000'
  assert.deepEqual(await b.verify('user-1', wrong), { valid: false, code: 'OTP_INVALID', attemptsRemaining: 2 })
  assert.deepEqual(await a.verify('user-1', 'abc'), { valid: false, code: 'OTP_INVALID', attemptsRemaining: 1 })
  const answers = await Promise.all([a, b, a, b, a].map((s) => s.verify('user-1', code)))
  assert.equal(answers.filter((r) => r.valid).length, 1, 'a code is consumed exactly once')
  assert.deepEqual(await b.verify('user-1', code), { valid: false, code: 'OTP_NOT_FOUND', attemptsRemaining: 0 })
  // Locked after the attempts, on every instance, until the code expires.
  const next = await b.generate('user-2')
  for (let i = 0; i < 3; i++) await a.verify('user-2', next === '000000' ? '111111' : '000000')
  assert.equal((await b.verify('user-2', next)).code, 'OTP_LOCKED')
  const short = new RedisOtpStore(c.ioredis, { secret, prefix: 'otp-test:', ttl: 1 })
  const soon = await short.generate('user-3')
  await sleep(1100)
  assert.equal((await short.verify('user-3', soon)).code, 'OTP_EXPIRED')
  assert.equal(await a.delete('user-2'), true)
  // A store keyed with another secret cannot verify these codes.
  const stranger = new RedisOtpStore(c.ioredis, { secret: 'x'.repeat(32), prefix: 'otp-test:' })
  const fresh = await a.generate('user-4')
  assert.equal((await stranger.verify('user-4', fresh)).code, 'OTP_INVALID')
  for (const [options, message] of [
    [{}, /secret/],
    [{ secret: 'short' }, /secret/],
    [{ secret, digits: 3 }, /digits/],
    [{ secret, ttl: 0 }, /ttl/],
    [{ secret, extra: 1 }, /Unknown RedisOtpStore option `extra`/],
  ]) {
    assert.throws(
      () => new RedisOtpStore(c.ioredis, options),
      (e) => e.code === 'INVALID_CONFIG' && message.test(e.message),
      JSON.stringify(options),
    )
  }
  await assert.rejects(a.generate(''), (e) => e.code === 'INVALID_ARGUMENT')
})

test('Redis slow (DEBUG SLEEP): local-first never waits; exact waits at most its timeout, then the instance decides', async (t) => {
  const prefix = { prefix: 'slow:' }
  const local = await instance(t, 'ioredis', {}, prefix)
  const exact = await instance(t, 'nodeRedis', { rateLimitMax: 100 }, { ...prefix, rateLimit: 'exact', timeout: 50 })
  const token = local.auth.signAccessToken({ sub: 'u1' })
  const c = await clients(redis.url)
  t.after(() => c.close())
  // The server stops answering anyone for 300 ms.
  const sleeping = c.ioredis.call('DEBUG', 'SLEEP', '0.3')
  await sleep(20)
  let started = process.hrtime.bigint()
  for (let i = 0; i < 100; i++) assert.equal(local.auth.authenticate(bearer(token)).errorCode, null)
  assert.ok(Number(process.hrtime.bigint() - started) / 1e6 < 100, 'local-first requests do not wait on Redis')
  started = process.hrtime.bigint()
  const answer = await exact.link.authenticate(bearer(token))
  const waited = Number(process.hrtime.bigint() - started) / 1e6
  assert.equal(answer.errorCode, null)
  assert.ok(waited >= 40 && waited < 250, `waited ${waited} ms for a 50 ms timeout`)
  assert.ok(exact.link.stats().rateLimits.exactFallbacks >= 1)
  await sleeping
})
