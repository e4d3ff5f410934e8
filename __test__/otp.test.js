'use strict'

// One-time codes: the OtpStore, and TOTP/HOTP against RFC vectors and otplib.

const test = require('node:test')
const assert = require('node:assert/strict')
const otplib = require('otplib')
const shield = require('..')

const RFC_SECRET = Buffer.from('12345678901234567890')
const RFC_SECRET_B32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'
const throwsWith = (fn, code) => assert.throws(fn, (e) => e.code === code)

test('OtpStore: a code works once, and the result always has one shape', () => {
  const store = new shield.OtpStore()
  const code = store.generate('user-1')
  assert.match(code, /^\d{6}$/)
  assert.equal(store.size, 1)
  assert.deepEqual(store.verify('user-1', code), { valid: true, code: null, attemptsRemaining: 5 })
  assert.deepEqual(store.verify('user-1', code), { valid: false, code: 'OTP_NOT_FOUND', attemptsRemaining: 0 })
  assert.equal(store.size, 0)
})

test('OtpStore: wrong guesses count down, then the key is locked', () => {
  const store = new shield.OtpStore({ maxAttempts: 3, digits: 8 })
  const code = store.generate('u')
  assert.equal(code.length, 8)
  const wrong = code.replace(/^./, (d) => String((Number(d) + 1) % 10))
  assert.deepEqual(store.verify('u', wrong), { valid: false, code: 'OTP_INVALID', attemptsRemaining: 2 })
  assert.deepEqual(store.verify('u', Number(code)), { valid: false, code: 'OTP_INVALID', attemptsRemaining: 1 })
  assert.deepEqual(store.verify('u', null), { valid: false, code: 'OTP_INVALID', attemptsRemaining: 0 })
  assert.deepEqual(store.verify('u', code), { valid: false, code: 'OTP_LOCKED', attemptsRemaining: 0 })
  const fresh = store.generate('u')
  assert.equal(store.verify('u', fresh).valid, true)
})

test('OtpStore: codes expire', async () => {
  const store = new shield.OtpStore({ ttl: 1 })
  const code = store.generate('u')
  await new Promise((r) => setTimeout(r, 1100))
  assert.deepEqual(store.verify('u', code), { valid: false, code: 'OTP_EXPIRED', attemptsRemaining: 0 })
})

test('OtpStore: memory stays within maxEntries', () => {
  const store = new shield.OtpStore({ maxEntries: 1000 })
  for (let i = 0; i < 20000; i++) store.generate(`user-${i}`)
  assert.equal(store.size, 1000)
  store.clear()
  assert.equal(store.size, 0)
})

test('OtpStore: bad options and keys are coded errors', () => {
  for (const options of [
    { digits: 3 },
    { digits: 11 },
    { ttl: 0 },
    { ttl: '2 days' },
    { maxAttempts: 0 },
    { maxEntries: -1 },
    { length: 6 },
    'x',
  ]) {
    throwsWith(() => new shield.OtpStore(options), 'INVALID_CONFIG')
  }
  const store = new shield.OtpStore({ ttl: '10m' })
  for (const key of [undefined, null, 1, {}, '', 'k'.repeat(513)]) {
    throwsWith(() => store.generate(key), 'INVALID_ARGUMENT')
    throwsWith(() => store.verify(key, '123456'), 'INVALID_ARGUMENT')
  }
})

test('TOTP: RFC 6238 Appendix B vectors', () => {
  const secrets = {
    SHA1: RFC_SECRET,
    SHA256: Buffer.from('12345678901234567890123456789012'),
    SHA512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234'),
  }
  const rows = [
    [59, '94287082', '46119246', '90693936'],
    [1111111109, '07081804', '68084774', '25091201'],
    [1111111111, '14050471', '67062674', '99943326'],
    [1234567890, '89005924', '91819424', '93441116'],
    [2000000000, '69279037', '90698825', '38618901'],
    [20000000000, '65353130', '77737706', '47863826'],
  ]
  for (const [t, ...codes] of rows) {
    for (const [i, algorithm] of ['SHA1', 'SHA256', 'SHA512'].entries()) {
      const options = { algorithm, digits: 8, timestamp: t * 1000 }
      assert.equal(shield.generateTotp(secrets[algorithm], options), codes[i], `${t} ${algorithm}`)
      assert.equal(shield.verifyTotp(codes[i], secrets[algorithm], options).valid, true)
    }
  }
})

test('HOTP: RFC 4226 Appendix D vectors, with look-ahead', () => {
  const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489']
  expected.forEach((code, counter) => assert.equal(shield.generateHotp(RFC_SECRET_B32, counter), code))
  assert.deepEqual(shield.verifyHotp('969429', RFC_SECRET, 1, { window: 2 }), {
    valid: true,
    code: null,
    step: 3,
    delta: 2,
  })
  assert.deepEqual(shield.verifyHotp('755224', RFC_SECRET, 1, { window: 2 }), {
    valid: false,
    code: 'OTP_INVALID',
    step: null,
    delta: null,
  })
})

test('TOTP codes agree with otplib both ways', () => {
  for (let i = 0; i < 50; i++) {
    const secret = shield.generateTotpSecret()
    const epoch = 1_600_000_000 + i * 7919
    const ours = shield.generateTotp(secret, { timestamp: epoch * 1000 })
    assert.equal(ours, otplib.generateSync({ secret, epoch }))
    assert.equal(
      shield.verifyTotp(otplib.generateSync({ secret, epoch }), secret, { timestamp: epoch * 1000 }).valid,
      true,
    )
  }
  const secret = shield.generateTotpSecret()
  for (const [algorithm, digits] of [
    ['SHA256', 8],
    ['SHA512', 6],
  ]) {
    const epoch = 1_700_000_000
    assert.equal(
      shield.generateTotp(secret, { algorithm, digits, timestamp: epoch * 1000 }),
      otplib.generateSync({ secret, epoch, algorithm: algorithm.toLowerCase(), digits }),
    )
  }
})

test('TOTP: window and replay protection with afterStep', () => {
  const secret = shield.generateTotpSecret()
  const now = 1_700_000_000_000
  const previous = shield.generateTotp(secret, { timestamp: now - 30_000 })
  const first = shield.verifyTotp(previous, secret, { timestamp: now })
  assert.equal(first.valid, true)
  assert.equal(first.delta, -1)
  const replay = shield.verifyTotp(previous, secret, { timestamp: now, afterStep: first.step })
  assert.deepEqual(replay, { valid: false, code: 'OTP_REPLAYED', step: first.step, delta: -1 })
  const current = shield.generateTotp(secret, { timestamp: now })
  assert.equal(shield.verifyTotp(current, secret, { timestamp: now, afterStep: first.step }).valid, true)
  assert.equal(shield.verifyTotp(previous, secret, { timestamp: now, window: 0 }).code, 'OTP_INVALID')
  for (const code of [undefined, null, 123456, '', '12345', '1234567', 'abcdef', '１２３４５６']) {
    assert.deepEqual(shield.verifyTotp(code, secret), { valid: false, code: 'OTP_INVALID', step: null, delta: null })
  }
})

test('secrets: base32 as typed, weak ones refused unless allowed', () => {
  assert.match(shield.generateTotpSecret(), /^[A-Z2-7]{32}$/)
  assert.match(shield.generateTotpSecret(32), /^[A-Z2-7]{52}$/)
  const spaced = RFC_SECRET_B32.toLowerCase().replace(/(.{4})/g, '$1 ')
  assert.equal(shield.generateHotp(spaced, 0), '755224')
  throwsWith(() => shield.generateTotp('JBSWY3DPEHPK3PXP'), 'WEAK_SECRET')
  assert.match(shield.generateTotp('JBSWY3DPEHPK3PXP', { allowWeakSecrets: true }), /^\d{6}$/)
  for (const bad of ['', '1891', 'not base32!', undefined, null, 5, {}])
    throwsWith(() => shield.generateTotp(bad), 'INVALID_ARGUMENT')
  for (const bytes of [8, 1e6, -1, 1.5, 'x']) throwsWith(() => shield.generateTotpSecret(bytes), 'INVALID_ARGUMENT')
  for (const options of [
    { digits: 5 },
    { period: 0 },
    { algorithm: 'MD5' },
    { window: 11 },
    { timestamp: -1 },
    { afterStep: 1.5 },
    { epoch: 1 },
  ]) {
    throwsWith(() => shield.generateTotp(RFC_SECRET_B32, options), 'INVALID_CONFIG')
  }
  for (const counter of [-1, 1.5, '1', undefined, 2 ** 60])
    throwsWith(() => shield.generateHotp(RFC_SECRET_B32, counter), 'INVALID_ARGUMENT')
})

test('otpauth URIs match what otplib writes and authenticator apps read', () => {
  const secret = RFC_SECRET_B32
  const ours = shield.otpauthUri({ secret, account: 'alice@example.com', issuer: 'Acme Co' })
  assert.equal(
    ours,
    'otpauth://totp/Acme%20Co:alice%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Acme%20Co&algorithm=SHA1&digits=6&period=30',
  )
  const url = new URL(ours)
  assert.equal(url.searchParams.get('secret'), secret)
  assert.equal(url.searchParams.get('issuer'), 'Acme Co')
  const theirs = new URL(otplib.generateURI({ secret, label: 'alice@example.com', issuer: 'Acme Co' }))
  assert.equal(decodeURIComponent(url.pathname), decodeURIComponent(theirs.pathname))
  assert.match(
    shield.otpauthUri({ secret, account: 'bob', counter: 7, digits: 8 }),
    /^otpauth:\/\/hotp\/bob\?.*&digits=8&counter=7$/,
  )
  throwsWith(() => shield.otpauthUri({ secret, account: 'a:b' }), 'INVALID_ARGUMENT')
  throwsWith(() => shield.otpauthUri({ secret }), 'INVALID_ARGUMENT')
  throwsWith(() => shield.otpauthUri(null), 'INVALID_ARGUMENT')
  throwsWith(() => shield.otpauthUri({ secret, account: 'a', label: 'x' }), 'INVALID_CONFIG')
})
