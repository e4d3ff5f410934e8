'use strict'

// timingSafeEqual and API keys through the public API.

const test = require('node:test')
const assert = require('node:assert/strict')
const crypto = require('node:crypto')
const shield = require('..')

const PEPPER = 'pepper-pepper-pepper-pepper-pepper!'
const throwsWith = (fn, code) => assert.throws(fn, (e) => e.code === code)

test('timingSafeEqual agrees with crypto.timingSafeEqual and never throws on length', () => {
  const cases = [
    ['', ''],
    ['a', 'a'],
    ['a', 'b'],
    ['abc', 'abcd'],
    ['é', 'é'],
    ['é', 'e\u0301'],
    ['🔑', '🔑'],
  ]
  for (const [a, b] of cases) {
    const expected =
      Buffer.byteLength(a) === Buffer.byteLength(b) && crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b))
    assert.equal(shield.timingSafeEqual(a, b), expected, `${a} ${b}`)
    assert.equal(shield.timingSafeEqual(Buffer.from(a), Buffer.from(b)), expected)
    assert.equal(shield.timingSafeEqual(a, new Uint8Array(Buffer.from(b))), expected)
  }
  const big = crypto.randomBytes(1 << 20)
  assert.equal(shield.timingSafeEqual(big, Buffer.from(big)), true)
  assert.equal(shield.timingSafeEqual(big, big.subarray(1)), false)
  for (const bad of [undefined, null, 1, {}, [], new Int16Array(2), new DataView(new ArrayBuffer(2))]) {
    throwsWith(() => shield.timingSafeEqual(bad, 'a'), 'INVALID_ARGUMENT')
    throwsWith(() => shield.timingSafeEqual('a', bad), 'INVALID_ARGUMENT')
  }
})

test('generated API keys: shape, parse, hash and verify', () => {
  const { key, id, hash } = shield.generateApiKey({ pepper: PEPPER })
  assert.match(key, /^pk_[0-9A-Za-z]{12}_[0-9A-Za-z]{38}$/)
  assert.equal(key.split('_')[1], id)
  assert.match(hash, /^[0-9a-f]{64}$/)
  assert.equal(shield.hashApiKey(key, PEPPER), hash)
  assert.equal(hash, crypto.createHmac('sha256', PEPPER).update(key).digest('hex'))
  assert.deepEqual(shield.parseApiKey(key), { prefix: 'pk', id })
  assert.equal(shield.verifyApiKey(key, hash, PEPPER), true)
  assert.equal(shield.verifyApiKey(key, hash, Buffer.from(PEPPER)), true)
  assert.equal(shield.verifyApiKey(key, hash, PEPPER + 'x'), false)
  const live = shield.generateApiKey({ prefix: 'live', pepper: PEPPER })
  assert.equal(shield.parseApiKey(live.key).prefix, 'live')
  assert.equal(shield.verifyApiKey(live.key, hash, PEPPER), false)
})

test("API keys in the user's own format: multi-part prefixes, and keys of the previous version still parse", () => {
  for (const prefix of ['sk_live', 'acme_pk', 'sk_test_eu1']) {
    const { key, id, hash } = shield.generateApiKey({ prefix, pepper: PEPPER })
    assert.ok(key.startsWith(`${prefix}_`) && !key.includes('auth1'), key)
    assert.deepEqual(shield.parseApiKey(key), { prefix, id })
    assert.equal(shield.verifyApiKey(key, hash, PEPPER), true)
  }
  // Made by the previous version (auth1_<prefix>_<id>_<secret><checksum>), with its stored hash.
  const legacy = 'auth1_pk_AUE0l9Ghqd3Z_dsRJeCu6OIaqVp2r4OXdWVdRHxLoMDZ43rdH9e'
  assert.deepEqual(shield.parseApiKey(legacy), { prefix: 'pk', id: 'AUE0l9Ghqd3Z' })
  assert.equal(
    shield.verifyApiKey(legacy, crypto.createHmac('sha256', PEPPER).update(legacy).digest('hex'), PEPPER),
    true,
  )
  for (const prefix of ['auth1_pk', 'auth1', 'sk__live', '_sk', 'sk_', 'Sk_live', 'sk-live', 'x'.repeat(33)]) {
    throwsWith(() => shield.generateApiKey({ pepper: PEPPER, prefix }), 'INVALID_ARGUMENT')
  }
})

test('typos, truncations and random strings are refused by the checksum alone', () => {
  const { key, hash } = shield.generateApiKey({ pepper: PEPPER })
  const variants = [
    key.slice(0, -1),
    key + 'A',
    key.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
    key.toUpperCase(),
    ` ${key}`,
    'auth1_pk_' + 'A'.repeat(51),
    'pk_' + 'A'.repeat(12) + '_' + 'A'.repeat(38),
    '',
    'x'.repeat(1 << 20),
  ]
  for (let i = 12; i < key.length; i += 7)
    variants.push(key.slice(0, i) + (key[i] === 'z' ? 'y' : 'z') + key.slice(i + 1))
  for (const v of variants) {
    if (v === key) continue
    throwsWith(() => shield.parseApiKey(v), 'INVALID_API_KEY')
    assert.equal(shield.verifyApiKey(v, hash, PEPPER), false)
  }
  for (const v of [undefined, null, 5, {}, Buffer.from(key)]) {
    throwsWith(() => shield.parseApiKey(v), 'INVALID_API_KEY')
    assert.equal(shield.verifyApiKey(v, hash, PEPPER), false)
  }
})

test('programmer errors are thrown with their codes', () => {
  const { key } = shield.generateApiKey({ pepper: PEPPER })
  throwsWith(() => shield.generateApiKey(), 'INVALID_ARGUMENT')
  throwsWith(() => shield.generateApiKey({ pepper: 'short' }), 'WEAK_SECRET')
  throwsWith(() => shield.generateApiKey({ pepper: PEPPER, prefix: 'Bad_Prefix' }), 'INVALID_ARGUMENT')
  throwsWith(() => shield.generateApiKey({ pepper: PEPPER, prefix: 7 }), 'INVALID_ARGUMENT')
  throwsWith(() => shield.hashApiKey('not a key', PEPPER), 'INVALID_API_KEY')
  throwsWith(() => shield.hashApiKey(key, undefined), 'INVALID_ARGUMENT')
  throwsWith(() => shield.verifyApiKey(key, 'abc', PEPPER), 'INVALID_HASH')
  throwsWith(() => shield.verifyApiKey(key, null, PEPPER), 'INVALID_HASH')
  throwsWith(() => shield.verifyApiKey(key, 'a'.repeat(64), 'short'), 'WEAK_SECRET')
})

test('keys are unique', () => {
  const keys = new Set(Array.from({ length: 5000 }, () => shield.generateApiKey({ pepper: PEPPER }).key))
  assert.equal(keys.size, 5000)
})
