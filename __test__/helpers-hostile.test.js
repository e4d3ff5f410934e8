'use strict'

// Every helper, fed arguments of every type and size: each call returns or throws an error with
// one of our codes (async ones reject the same way). Nothing crashes, hangs or throws uncoded.

const test = require('node:test')
const assert = require('node:assert/strict')
const shield = require('..')
const { rng } = require('./helpers')

const CODES = new Set(Object.keys(shield.ErrorCodes))
const HASH = shield.hashPasswordSync('pw', { memoryCost: 64, timeCost: 1 })
const PEPPER = 'p'.repeat(32)

const VALUES = [
  undefined,
  null,
  true,
  0,
  -1,
  1.5,
  NaN,
  Infinity,
  2 ** 53,
  1n,
  '',
  ' ',
  'x',
  '0000',
  '123456',
  'a\u0000b',
  '\ud800',
  '🔑'.repeat(3),
  'é',
  'x'.repeat(1 << 20),
  Symbol('s'),
  () => 1,
  [],
  ['a'],
  [1, 2],
  {},
  { a: 1 },
  { digits: 6 },
  Buffer.alloc(0),
  Buffer.from('secret-secret-secret-secret-secret'),
  new Uint8Array(64),
  new Int32Array(2),
  new ArrayBuffer(8),
  new Date(0),
  /x/,
  new Map(),
  Object.create(null),
  HASH,
  '$2b$04$' + 'C'.repeat(53),
  'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
  PEPPER,
  new Proxy(
    {},
    {
      get() {
        throw new Error('trap')
      },
      ownKeys() {
        throw new Error('trap')
      },
    },
  ),
]

const SYNC = {
  hashPasswordSync: 2,
  verifyPasswordSync: 3,
  needsRehash: 2,
  timingSafeEqual: 2,
  generateTotpSecret: 1,
  generateTotp: 2,
  verifyTotp: 3,
  generateHotp: 3,
  verifyHotp: 4,
  otpauthUri: 1,
  sanitizeHtml: 2,
  sanitizeFilename: 2,
  validateSqlInterval: 1,
  createHtmlSanitizer: 1,
  createFilenameSanitizer: 1,
  generateApiKey: 1,
  hashApiKey: 2,
  verifyApiKey: 3,
  parseApiKey: 1,
}

function coded(error, where) {
  assert.ok(error instanceof Error, `${where}: threw a non-Error`)
  // A proxy that throws from its traps surfaces its own error: the caller's exception, unchanged.
  if (error.message === 'trap') return
  assert.ok(CODES.has(error.code), `${where}: uncoded error ${error.code} ${error.message}`)
}

test('sync helpers answer or throw a coded error for any arguments', () => {
  const random = rng(4242)
  const pick = () => VALUES[Math.floor(random() * VALUES.length)]
  let calls = 0
  for (const [name, arity] of Object.entries(SYNC)) {
    const rounds = name.includes('Password') ? 150 : 1500
    for (let i = 0; i < rounds; i++) {
      const args = Array.from({ length: arity }, pick)
      // Costly-but-valid Argon2 parameters are not the point here.
      if (name === 'hashPasswordSync' && args[1] !== null && typeof args[1] === 'object')
        args[1] = { memoryCost: 64, timeCost: 1 }
      try {
        shield[name](...args)
      } catch (error) {
        coded(error, `${name}(${args.map((a) => typeof a).join(', ')})`)
      }
      calls++
    }
  }
  assert.ok(calls > 20000)
})

test('async password helpers reject with coded errors and never throw synchronously', async () => {
  const random = rng(99)
  const pick = () => VALUES[Math.floor(random() * VALUES.length)]
  for (let i = 0; i < 150; i++) {
    const a = pick()
    const b = pick()
    let promise
    assert.doesNotThrow(() => {
      promise =
        i % 2
          ? shield.hashPassword(a, typeof b === 'object' && b !== null ? { memoryCost: 64, timeCost: 1 } : b)
          : shield.verifyPassword(a, b)
    })
    await promise.catch((e) => coded(e, `#${i}`))
  }
})

test('OtpStore and CspBuilder methods with hostile arguments', () => {
  const random = rng(7)
  const pick = () => VALUES[Math.floor(random() * VALUES.length)]
  const store = new shield.OtpStore({ maxEntries: 100 })
  const csp = new shield.CspBuilder()
  const methods = [
    'directive',
    'add',
    'remove',
    'hash',
    'useNonce',
    'reportTo',
    'scriptSrc',
    'imgSrc',
    'sandbox',
    'reportUri',
  ]
  for (let i = 0; i < 3000; i++) {
    for (const call of [
      () => store.generate(pick()),
      () => store.verify(pick(), pick()),
      () => store.delete(pick()),
      () => csp[methods[i % methods.length]](pick(), pick()),
    ]) {
      try {
        call()
      } catch (error) {
        coded(error, `call ${i}`)
      }
    }
  }
  assert.ok(store.size <= 100)
  assert.ok(!/[\r\n,]/.test(csp.build().value))
})
