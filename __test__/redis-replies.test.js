'use strict'

// The shapes in which the supported clients hand over stream replies (RESP2 pairs, RESP3 maps as
// objects, flat arrays or Maps), and a reply none of them would give: reported through the link's
// onError, then recovered from without losing a revocation.

const test = require('node:test')
const assert = require('node:assert/strict')
const { createAuthenticator, connectRedis } = require('..')
const { readStream, readEntries, RedisReplyError } = require('../lib/redis/replies')
const { startRedis } = require('./redis-server')
const { SUPPORTED, connectClient, closeClient } = require('./redis-clients')
const { baseConfig } = require('./helpers')

const entries = [['1-0', ['origin', 'o', 'event', '{"a":1}']]]
const read = (list) => list.map(({ id, field }) => [id, field('origin'), field('event')])
const expected = [['1-0', 'o', '{"a":1}']]

test('every shape of a stream read gives the same entries', () => {
  const shapes = {
    resp2: [['s', entries]],
    'flat map (ioredis 6)': ['s', entries],
    'object map (node-redis RESP3)': { s: entries },
    Map: new Map([['s', entries]]),
    'fields as an object': [['s', [['1-0', { origin: 'o', event: '{"a":1}' }]]]],
    'node-redis stream messages': [['s', [{ id: '1-0', message: { origin: 'o', event: '{"a":1}' } }]]],
    Buffers: [
      [
        Buffer.from('s'),
        [[Buffer.from('1-0'), [Buffer.from('origin'), Buffer.from('o'), Buffer.from('event'), Buffer.from('{"a":1}')]]],
      ],
    ],
  }
  for (const [name, reply] of Object.entries(shapes)) assert.deepEqual(read(readStream(reply, 's')), expected, name)
  assert.deepEqual(
    read(
      readStream(
        [
          ['s', entries],
          ['other', entries],
        ],
        's',
      ),
    ),
    expected,
    'two streams',
  )
  assert.deepEqual(readStream(null, 's'), [])
  assert.deepEqual(read(readEntries(entries, 'a range')), expected)
})

test('a reply no client gives is a RedisReplyError naming its shape, never an empty read', () => {
  for (const reply of [42, 'OK', [1, 2, 3], [['s', 7]], [['s', [['1-0', 9]]]], { s: [[1, 2, 3]] }]) {
    assert.throws(
      () => readStream(reply, 's'),
      (e) => e instanceof RedisReplyError && /cannot read/.test(e.message),
      JSON.stringify(reply),
    )
  }
})

test('every supported client, RESP3 where it offers it: a revocation crosses with no error', async (t) => {
  const redis = await startRedis()
  t.after(() => redis.stop())
  const kinds = [
    ...SUPPORTED.map((kind) => [kind, {}]),
    ['node-redis@5', { resp3: true }],
    ['node-redis@6', { resp3: true }],
  ]
  for (const [kind, options] of kinds) {
    const prefix = `${kind}${options.resp3 ? '-resp3' : ''}:`
    const errors = []
    const made = []
    for (const engine of ['native', 'js']) {
      const client = await connectClient(kind, redis.url, options)
      const auth = createAuthenticator(baseConfig({ enforceTenantMatch: false }), { engine })
      const link = connectRedis(auth, client, { prefix, onError: (e) => errors.push(e) })
      t.after(async () => {
        await link.close()
        await closeClient(client)
      })
      await link.ready()
      made.push(auth)
    }
    const [a, b] = made
    const pair = a.issueTokens({ sub: 'u1' })
    const jti = JSON.parse(Buffer.from(pair.accessToken.split('.')[1], 'base64url')).jti
    a.revokeToken(jti, Math.floor(Date.now() / 1000) + 600)
    const start = Date.now()
    while (b.authenticate(`Bearer ${pair.accessToken}`).errorCode !== 'TOKEN_REVOKED') {
      assert.ok(Date.now() - start < 1000, `${prefix} the revocation did not arrive`)
      await new Promise((r) => setTimeout(r, 5))
    }
    assert.deepEqual(
      errors.map((e) => e.message),
      [],
      prefix,
    )
  }
})

test('an unreadable stream reply is reported and the revocations still arrive', async (t) => {
  const redis = await startRedis()
  t.after(() => redis.stop())
  const writer = await connectClient('node-redis@4', redis.url)
  const follower = await connectClient('node-redis@4', redis.url)
  // The follower's reading connection mangles its first blocking reads, as a client whose reply
  // format changed under us would.
  let mangled = 0
  const duplicate = follower.duplicate.bind(follower)
  follower.duplicate = () => {
    const copy = duplicate()
    const send = copy.sendCommand.bind(copy)
    copy.sendCommand = async (args) => {
      const reply = await send(args)
      if (args[0] === 'XREAD' && mangled < 3) {
        mangled++
        return 42
      }
      return reply
    }
    return copy
  }
  const errors = []
  const a = createAuthenticator(baseConfig({ enforceTenantMatch: false }))
  const b = createAuthenticator(baseConfig({ enforceTenantMatch: false }))
  const links = [
    connectRedis(a, writer, { prefix: 'mangled:', onError: () => {} }),
    connectRedis(b, follower, { prefix: 'mangled:', onError: (e) => errors.push(e) }),
  ]
  t.after(async () => {
    for (const link of links) await link.close()
    for (const c of [writer, follower]) await closeClient(c)
  })
  await Promise.all(links.map((l) => l.ready()))
  const pair = a.issueTokens({ sub: 'u1' })
  const jti = JSON.parse(Buffer.from(pair.accessToken.split('.')[1], 'base64url')).jti
  a.revokeToken(jti, Math.floor(Date.now() / 1000) + 600)
  const start = Date.now()
  while (b.authenticate(`Bearer ${pair.accessToken}`).errorCode !== 'TOKEN_REVOKED') {
    assert.ok(Date.now() - start < 5000, 'the revocation was lost')
    await new Promise((r) => setTimeout(r, 10))
  }
  assert.ok(mangled > 0)
  assert.ok(
    errors.some((e) => e instanceof RedisReplyError),
    errors.map((e) => e.message).join('; '),
  )
})
