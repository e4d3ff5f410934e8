'use strict'

// Argon2id hashing and bcrypt migration through the public API, with interop in both directions
// against node-argon2 and @node-rs/argon2, and bcryptjs hashes.

const test = require('node:test')
const assert = require('node:assert/strict')
const argon2 = require('argon2')
const nodeRs = require('@node-rs/argon2')
const bcrypt = require('bcryptjs')
const shield = require('..')

// Small costs keep the suite quick; the defaults get their own test.
const QUICK = { memoryCost: 1024, timeCost: 1, parallelism: 1 }
const PEPPER = Buffer.from('a pepper that lives outside the database')

const rejectsWith = (promise, code) => assert.rejects(promise, (e) => e.code === code && e instanceof Error)
const throwsWith = (fn, code) => assert.throws(fn, (e) => e.code === code)

test('defaults are Argon2id m=19456 t=2 p=1 in a PHC string, off the event loop', async () => {
  const pending = shield.hashPassword('correct horse battery staple')
  assert.ok(pending instanceof Promise)
  const hash = await pending
  assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/)
  assert.equal(await shield.verifyPassword(hash, 'correct horse battery staple'), true)
  assert.equal(await shield.verifyPassword(hash, 'correct horse battery stapler'), false)
  assert.equal(shield.needsRehash(hash), false)
})

test('sync twins give the same answers', () => {
  const hash = shield.hashPasswordSync('pw', QUICK)
  assert.equal(shield.verifyPasswordSync(hash, 'pw'), true)
  assert.equal(shield.verifyPasswordSync(hash, 'pW'), false)
  assert.equal(shield.verifyPasswordSync(hash, Buffer.from('pw')), true)
})

test('concurrent hashes all complete and all differ', async () => {
  const hashes = await Promise.all(Array.from({ length: 8 }, () => shield.hashPassword('same', QUICK)))
  assert.equal(new Set(hashes).size, 8)
  for (const h of hashes) assert.equal(await shield.verifyPassword(h, 'same'), true)
})

test('node-argon2 hashes verify here and ours verify there, with and without a pepper', async () => {
  const theirs = await argon2.hash('pässword', { type: argon2.argon2id, memoryCost: 1024, timeCost: 2, parallelism: 2 })
  assert.equal(await shield.verifyPassword(theirs, 'pässword'), true)
  assert.equal(await shield.verifyPassword(theirs, 'password'), false)
  const ours = await shield.hashPassword('pässword', QUICK)
  assert.equal(await argon2.verify(ours, 'pässword'), true)

  const pepperedTheirs = await argon2.hash('pw', { ...QUICK, secret: PEPPER })
  assert.equal(await shield.verifyPassword(pepperedTheirs, 'pw', { secret: PEPPER }), true)
  assert.equal(await shield.verifyPassword(pepperedTheirs, 'pw'), false)
  const pepperedOurs = await shield.hashPassword('pw', { ...QUICK, secret: PEPPER })
  assert.equal(await argon2.verify(pepperedOurs, 'pw', { secret: PEPPER }), true)
  assert.equal(await argon2.verify(pepperedOurs, 'pw'), false)
})

test('@node-rs/argon2 hashes verify here and ours verify there', async () => {
  const theirs = await nodeRs.hash('hunter2', { memoryCost: 1024, timeCost: 1, parallelism: 1 })
  assert.equal(await shield.verifyPassword(theirs, 'hunter2'), true)
  const ours = await shield.hashPassword('hunter2', QUICK)
  assert.equal(await nodeRs.verify(ours, 'hunter2'), true)
  assert.equal(await nodeRs.verify(ours, 'hunter3'), false)
  const peppered = await shield.hashPassword('hunter2', { ...QUICK, secret: PEPPER })
  assert.equal(await nodeRs.verify(peppered, 'hunter2', { secret: PEPPER }), true)
})

test('argon2i and argon2d hashes from elsewhere verify and need a rehash', async () => {
  for (const type of [argon2.argon2i, argon2.argon2d]) {
    const h = await argon2.hash('pw', { type, ...QUICK })
    assert.equal(await shield.verifyPassword(h, 'pw'), true)
    assert.equal(shield.needsRehash(h, QUICK), true)
  }
})

test('bcryptjs hashes verify, need a rehash, and truncate at 72 bytes as bcryptjs did', async () => {
  for (const cost of [4, 6]) {
    const h = bcrypt.hashSync('old password', cost)
    assert.equal(await shield.verifyPassword(h, 'old password'), true)
    assert.equal(await shield.verifyPassword(h, 'old passw0rd'), false)
    assert.equal(shield.needsRehash(h), true)
  }
  const long = 'x'.repeat(72)
  const h = bcrypt.hashSync(long, 4)
  assert.equal(
    shield.verifyPasswordSync(h, long + 'ignored by bcrypt'),
    bcrypt.compareSync(long + 'ignored by bcrypt', h),
  )
  const unicode = bcrypt.hashSync('пароль🔑', 4)
  assert.equal(shield.verifyPasswordSync(unicode, 'пароль🔑'), true)
  // Rehash on login: verify the old hash, then store a new one.
  const upgraded = await shield.hashPassword('old password', QUICK)
  assert.equal(shield.needsRehash(upgraded, QUICK), false)
})

test('needsRehash compares the costs it is given', async () => {
  const h = await shield.hashPassword('pw', QUICK)
  assert.equal(shield.needsRehash(h, QUICK), false)
  assert.equal(shield.needsRehash(h, { ...QUICK, timeCost: 3 }), true)
  assert.equal(shield.needsRehash(h, { ...QUICK, memoryCost: 2048 }), true)
  assert.equal(shield.needsRehash(h), true)
})

test('a malformed hash is INVALID_HASH, not false', async () => {
  const good = await shield.hashPassword('pw', QUICK)
  for (const bad of [
    '',
    'plaintext',
    '$argon2id$',
    good.slice(0, -5) + '!!!!!',
    good.replace('m=1024', 'm=99999999'),
    '$2b$31$' + 'C'.repeat(53),
    '$2b$04$short',
  ]) {
    await rejectsWith(shield.verifyPassword(bad, 'pw'), 'INVALID_HASH')
    throwsWith(() => shield.verifyPasswordSync(bad, 'pw'), 'INVALID_HASH')
    throwsWith(() => shield.needsRehash(bad), 'INVALID_HASH')
  }
})

test('empty and huge passwords have defined answers', async () => {
  await rejectsWith(shield.hashPassword(''), 'INVALID_ARGUMENT')
  await rejectsWith(shield.hashPassword('x'.repeat(1 << 20)), 'INVALID_ARGUMENT')
  const h = await shield.hashPassword('x'.repeat(4096), QUICK)
  assert.equal(await shield.verifyPassword(h, 'x'.repeat(4096)), true)
  assert.equal(await shield.verifyPassword(h, ''), false)
  assert.equal(await shield.verifyPassword(h, 'x'.repeat(1 << 20)), false)
  // A lone surrogate becomes U+FFFD, as in every UTF-8 conversion Node does.
  const s = await shield.hashPassword('a\ud800b', QUICK)
  assert.equal(await shield.verifyPassword(s, 'a\ufffdb'), true)
})

test('wrong types and absurd options are coded rejections, never synchronous throws', async () => {
  for (const bad of [undefined, null, 42, {}, [], () => {}, Symbol('x'), 1n]) {
    await rejectsWith(shield.hashPassword(bad), 'INVALID_ARGUMENT')
    await rejectsWith(
      shield.verifyPassword('$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA', bad),
      'INVALID_ARGUMENT',
    )
    await rejectsWith(shield.verifyPassword(bad, 'pw'), 'INVALID_ARGUMENT')
  }
  for (const options of [
    { memoryCost: 1 },
    { memoryCost: 2 ** 40 },
    { timeCost: 0 },
    { timeCost: 1e9 },
    { parallelism: 0 },
    { parallelism: 1.5 },
    { secret: '' },
    { secret: 5 },
    { type: 'argon2i' },
    'fast',
    7,
  ]) {
    await rejectsWith(shield.hashPassword('pw', options), 'INVALID_CONFIG')
    throwsWith(() => shield.hashPasswordSync('pw', options), 'INVALID_CONFIG')
  }
  await rejectsWith(shield.verifyPassword('$2b$04$' + 'C'.repeat(53), 'pw', { timeCost: 3 }), 'INVALID_CONFIG')
})

test('setPasswordConcurrency bounds hashes in flight and still completes every one', async () => {
  const previous = shield.setPasswordConcurrency(1)
  try {
    assert.ok(Number.isInteger(previous) && previous >= 1)
    const results = await Promise.allSettled([
      shield.hashPassword('a', QUICK),
      shield.hashPassword(5),
      shield.verifyPassword('nope', 'a'),
      shield.hashPassword('b', QUICK),
    ])
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'rejected', 'fulfilled'],
    )
    assert.deepEqual(
      results.filter((r) => r.reason).map((r) => r.reason.code),
      ['INVALID_ARGUMENT', 'INVALID_HASH'],
    )
    for (const bad of [0, 1.5, 257, '2', null]) {
      assert.throws(
        () => shield.setPasswordConcurrency(bad),
        (e) => e.code === 'INVALID_ARGUMENT',
      )
    }
  } finally {
    shield.setPasswordConcurrency(previous)
  }
})

test('verifyPassword refuses a stored hash whose costs are over its bounds (a tampered row), before any work', async () => {
  const { hashPassword, verifyPassword, verifyPasswordSync } = require('..')
  const stored = await hashPassword('pw', { memoryCost: 64, timeCost: 1 })
  const tampered = stored.replace('m=64,', 'm=4194304,')
  const start = Date.now()
  await assert.rejects(verifyPassword(tampered, 'pw'), { code: 'INVALID_HASH', message: /maxMemoryCost/ })
  assert.throws(() => verifyPasswordSync(stored.replace('t=1,', 't=40,'), 'pw'), { code: 'INVALID_HASH' })
  assert.ok(Date.now() - start < 2000)
  // Hashes made with more than the defaults verify once the bounds are raised.
  const slow = await hashPassword('pw', { memoryCost: 64, timeCost: 12 })
  await assert.rejects(verifyPassword(slow, 'pw'), { code: 'INVALID_HASH' })
  assert.equal(await verifyPassword(slow, 'pw', { maxTimeCost: 12 }), true)
  assert.throws(() => verifyPasswordSync(slow, 'pw', { memoryCost: 64 }), { code: 'INVALID_CONFIG' })
  await assert.rejects(hashPassword('pw', { maxMemoryCost: 64 }), { code: 'INVALID_CONFIG' })
})
