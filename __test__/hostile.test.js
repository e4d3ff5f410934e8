'use strict'

// Whatever reaches the exported functions gets a defined answer: a coded result for a bad
// request, a coded throw for a bad config or argument, never a crash or a silent pass.

const test = require('node:test')
const assert = require('node:assert')
const { Authenticator, authenticateRequest } = require('..')
const { baseConfig, mint, b64url, rng } = require('./helpers')

const auth = new Authenticator(baseConfig({ enforceTenantMatch: false }))
const token = mint()
const [h, p, s] = token.split('.')
const codeOf = (...args) => auth.authenticate(...args).errorCode

test('authorization values of every JS type', () => {
  const cases = [
    [undefined, 'MISSING_AUTHORIZATION'],
    [null, 'MISSING_AUTHORIZATION'],
    ['', 'MISSING_AUTHORIZATION'],
    ['   ', 'MISSING_AUTHORIZATION'],
    [42, 'INVALID_AUTHORIZATION_FORMAT'],
    [true, 'INVALID_AUTHORIZATION_FORMAT'],
    [{}, 'INVALID_AUTHORIZATION_FORMAT'],
    [[`Bearer ${token}`], 'INVALID_AUTHORIZATION_FORMAT'],
    [Buffer.from(`Bearer ${token}`), 'INVALID_AUTHORIZATION_FORMAT'],
    [Symbol('x'), 'INVALID_AUTHORIZATION_FORMAT'],
    [10n, 'INVALID_AUTHORIZATION_FORMAT'],
    [() => token, 'INVALID_AUTHORIZATION_FORMAT'],
  ]
  for (const [value, code] of cases) assert.strictEqual(codeOf(value), code, String(typeof value))
})

test('Bearer spelling: case-insensitive scheme, repeated spaces; nothing else', () => {
  assert.strictEqual(codeOf(`bearer ${token}`), null)
  assert.strictEqual(codeOf(`BEARER ${token}`), null)
  assert.strictEqual(codeOf(`Bearer    ${token}`), null)
  assert.strictEqual(codeOf(`  Bearer ${token}  `), null)
  for (const bad of [
    `Bearer${token}`,
    `Bearer\t${token}`,
    `Bearer ${token} extra`,
    `Token ${token}`,
    'Bearer',
    'Bearer ',
    token,
    `Bearer ${h}. ${p}.${s}`,
  ]) {
    assert.strictEqual(codeOf(bad), 'INVALID_AUTHORIZATION_FORMAT', bad.slice(0, 30))
  }
})

test('tokens with the wrong number of segments or empty ones are malformed', () => {
  for (const bad of [
    `${h}.${p}`,
    `${h}.${p}.${s}.${s}`,
    `${h}.${p}.${s}.`,
    `${h}..${s}`,
    `.${p}.${s}`,
    `${h}.${p}.`,
    '..',
    '.',
    'x',
  ]) {
    assert.strictEqual(codeOf(`Bearer ${bad}`), 'TOKEN_MALFORMED', bad.slice(0, 40))
  }
})

test('NUL bytes, lone surrogates and non-ASCII never authenticate', () => {
  for (const bad of [
    `${token}\u0000`,
    `${h}.${p}.${s.slice(0, -1)}\ud800`,
    `${h}.${p}.${s}\u00e9`,
    `${h}\u0000.${p}.${s}`,
    `${h}.${p}.${s.slice(0, -1)}\u0141`,
  ]) {
    const code = codeOf(`Bearer ${bad}`)
    assert.ok(['TOKEN_MALFORMED', 'INVALID_SIGNATURE', 'INVALID_AUTHORIZATION_FORMAT'].includes(code), `${code}`)
  }
  // U+0161 would become 'a' if characters were truncated to one byte.
  const last = s.at(-1)
  if (last === 'a') assert.strictEqual(codeOf(`Bearer ${h}.${p}.${s.slice(0, -1)}\u0161`), 'INVALID_SIGNATURE')
  assert.notStrictEqual(
    codeOf(`Bearer ${h}.${p}.${s.slice(0, -1)}${String.fromCharCode(0x100 + last.charCodeAt(0))}`),
    null,
  )
})

test('megabyte headers are refused without being processed', () => {
  const huge = 'A'.repeat(1024 * 1024)
  assert.strictEqual(codeOf(`Bearer ${huge}`), 'TOKEN_MALFORMED')
  assert.strictEqual(codeOf(`Bearer ${h}.${huge}.${s}`), 'TOKEN_MALFORMED')
  assert.strictEqual(codeOf(`Basic ${huge}`), 'INVALID_AUTHORIZATION_FORMAT')
  assert.strictEqual(codeOf(huge), 'INVALID_AUTHORIZATION_FORMAT')
  assert.strictEqual(codeOf(`Bearer ${token}`, huge), 'INVALID_TENANT')
  assert.strictEqual(codeOf(`Bearer ${token}`, null, `${huge}.example.com`), null)
  assert.strictEqual(codeOf(`Bearer ${'é'.repeat(600 * 1024)}`), 'TOKEN_MALFORMED')
})

test('tenant headers and hosts of every type and shape', () => {
  const t = `Bearer ${token}`
  for (const bad of [42, {}, ['a', 'b'], 'a, b', 'a b', 'a\u0000b', 'ténant', 'x'.repeat(129), '../etc', 'a;b']) {
    assert.strictEqual(codeOf(t, bad), 'INVALID_TENANT', String(bad).slice(0, 20))
  }
  for (const ok of [undefined, null, '', '  ', 'acme', 'ACME-1_x.y'])
    assert.strictEqual(codeOf(t, ok), null, String(ok))
  for (const host of [
    undefined,
    null,
    '',
    42,
    {},
    '[::1]',
    '[::1]:80',
    'ACME.Example.COM',
    'a.b.c:99999',
    '::::',
    '\u0000',
    'é.example.com',
  ]) {
    assert.strictEqual(codeOf(t, null, host), null, String(host))
  }
})

test('headers and payloads that are not JSON objects, or carry tricks, are malformed', () => {
  const sign = (header, payload) => {
    const crypto = require('node:crypto')
    const input = `${b64url(header)}.${b64url(payload)}`
    const sig = crypto.createHmac('sha256', baseConfig().accessSecret).update(input).digest('base64url')
    return `Bearer ${input}.${sig}`
  }
  const exp = Math.floor(Date.now() / 1000) + 60
  const claims = { sub: 'u', type: 'access', iss: 'auth-shield-test', exp }
  assert.strictEqual(codeOf(sign({ alg: 'HS256' }, claims)), null)
  assert.strictEqual(codeOf(sign('{"alg":"HS256","alg":"none"}', claims)), 'TOKEN_MALFORMED')
  assert.strictEqual(codeOf(sign({ alg: 'HS256', crit: ['exp'] }, claims)), 'TOKEN_MALFORMED')
  assert.strictEqual(codeOf(sign('[]', claims)), 'TOKEN_MALFORMED')
  assert.strictEqual(codeOf(sign({ alg: 'HS256' }, '[1]')), 'TOKEN_MALFORMED')
  assert.strictEqual(
    codeOf(sign({ alg: 'HS256' }, `{"sub":"u","sub":"admin","type":"access","exp":${exp}}`)),
    'TOKEN_MALFORMED',
  )
  assert.strictEqual(codeOf(sign({ alg: 'HS256' }, { ...claims, exp: String(exp) })), 'TOKEN_MALFORMED')
  assert.strictEqual(codeOf(sign({ alg: 'HS256' }, { ...claims, sub: 4.2 })), 'TOKEN_MALFORMED')
  assert.strictEqual(codeOf(sign({ alg: 'HS256' }, { ...claims, sub: 2 ** 53 })), 'TOKEN_MALFORMED')
  assert.strictEqual(codeOf(sign({ alg: 'HS256' }, { ...claims, sub: { id: 'u' } })), 'TOKEN_MALFORMED')
  assert.strictEqual(codeOf(sign({ alg: 'HS256' }, { ...claims, role: ['admin', 1] })), 'TOKEN_MALFORMED')
  assert.strictEqual(
    codeOf(
      sign(
        { alg: 'HS256' },
        `{"x":${'['.repeat(2000)}${']'.repeat(2000)},"sub":"u","type":"access","iss":"auth-shield-test","exp":${exp}}`,
      ),
    ),
    null,
  )
  assert.strictEqual(codeOf(sign({ alg: 'hs256' }, claims)), 'ALGORITHM_NOT_ALLOWED')
  assert.strictEqual(codeOf(sign({ alg: 'RS256' }, claims)), 'ALGORITHM_NOT_ALLOWED')
  // Padding or the standard alphabet make a non-canonical encoding.
  assert.strictEqual(codeOf(`Bearer ${h}=.${p}.${s}`), 'TOKEN_MALFORMED')
  assert.strictEqual(codeOf(`Bearer ${h}.${p}.${s}=`), 'INVALID_SIGNATURE')
})

test('bad configurations throw coded errors naming the option', () => {
  const bad = [
    [undefined, 'INVALID_CONFIG', 'configuration'],
    [null, 'INVALID_CONFIG', 'configuration'],
    ['secret', 'INVALID_CONFIG', 'configuration'],
    [[], 'INVALID_CONFIG', 'configuration'],
    [{}, 'INVALID_CONFIG', 'accessSecret'],
    [{ accessSecret: 'short' }, 'WEAK_SECRET', 'accessSecret'],
    [{ accessSecret: Buffer.alloc(31) }, 'WEAK_SECRET', 'accessSecret'],
    [{ accessSecret: '' }, 'INVALID_CONFIG', 'accessSecret'],
    [{ accessSecret: 12345 }, 'INVALID_CONFIG', 'accessSecret'],
    [baseConfig({ refreshSecret: 'short' }), 'WEAK_SECRET', 'refreshSecret'],
    [baseConfig({ algorithms: ['none'] }), 'INVALID_CONFIG', 'algorithms'],
    [baseConfig({ algorithms: ['RS256'] }), 'INVALID_CONFIG', 'algorithms'],
    [baseConfig({ algorithms: 'HS256' }), 'INVALID_CONFIG', 'algorithms'],
    [baseConfig({ algorithms: ['HS512'] }), 'WEAK_SECRET', 'accessSecret'],
    [baseConfig({ leeway: -1 }), 'INVALID_CONFIG', 'leeway'],
    [baseConfig({ leeway: '5' }), 'INVALID_CONFIG', 'leeway'],
    [baseConfig({ rateLimitMax: 0 }), 'INVALID_CONFIG', 'rateLimitMax'],
    [baseConfig({ rateLimitMax: 1.5 }), 'INVALID_CONFIG', 'rateLimitMax'],
    [baseConfig({ rateLimitMax: NaN }), 'INVALID_CONFIG', 'rateLimitMax'],
    [baseConfig({ rateLimitRefill: 0 }), 'INVALID_CONFIG', 'rateLimitRefill'],
    [baseConfig({ rateLimitRefill: Infinity }), 'INVALID_CONFIG', 'rateLimitRefill'],
    [baseConfig({ enforceTenantMatch: 'yes' }), 'INVALID_CONFIG', 'enforceTenantMatch'],
    [baseConfig({ issuer: 7 }), 'INVALID_CONFIG', 'issuer'],
    [baseConfig({ audience: [] }), 'INVALID_CONFIG', 'audience'],
    [baseConfig({ baseDomain: 'not a domain' }), 'INVALID_CONFIG', 'baseDomain'],
    [baseConfig({ maxTokenLength: 10 }), 'INVALID_CONFIG', 'maxTokenLength'],
    [baseConfig({ enforceTenantMach: true }), 'INVALID_CONFIG', 'enforceTenantMach'],
    [baseConfig({ rateLimitMax: 10n }), 'INVALID_CONFIG', 'rateLimitMax'],
    [baseConfig({ issuer: () => 'x' }), 'INVALID_CONFIG', 'issuer'],
  ]
  for (const [config, code, name] of bad) {
    assert.throws(
      () => new Authenticator(config),
      (e) => e instanceof Error && e.code === code && e.message.includes(name),
      `${name}`,
    )
    assert.throws(
      () => authenticateRequest('Bearer x', null, null, config),
      (e) => e.code === code,
      `${name} (authenticateRequest)`,
    )
  }
})

test('secrets never appear in error messages', () => {
  const secret = 'hunter2-is-my-password'
  try {
    new Authenticator({ accessSecret: secret })
    assert.fail('should throw')
  } catch (e) {
    assert.strictEqual(e.code, 'WEAK_SECRET')
    assert.ok(!e.message.includes(secret))
  }
})

test('a config getter that throws surfaces its own error, and nothing crashes', () => {
  const config = baseConfig()
  Object.defineProperty(config, 'leeway', {
    enumerable: true,
    get() {
      throw new Error('boom')
    },
  })
  assert.throws(() => new Authenticator(config), /boom|leeway/)
})

test('signing refuses bad claims and options with coded errors', () => {
  const bad = [
    [null, undefined],
    ['sub', undefined],
    [[], undefined],
    [{}, undefined],
    [{ sub: 42 }, undefined],
    [{ sub: 'u', exp: 1 }, undefined],
    [{ sub: 'u', type: 'refresh' }, undefined],
    [{ sub: 'u', permissions: 'admin' }, undefined],
    [{ sub: 'u', big: 10n }, undefined],
    [{ sub: 'u' }, { expiresIn: '1 fortnight' }],
    [{ sub: 'u' }, { expiresIn: -5 }],
    [{ sub: 'u' }, { expiresIn: 0 }],
    [{ sub: 'u' }, { expiresin: 60 }],
    [{ sub: 'u' }, 'options'],
  ]
  for (const [claims, options] of bad) {
    assert.throws(
      () => auth.signAccessToken(claims, options),
      (e) => e.code === 'INVALID_ARGUMENT',
      JSON.stringify(options) || String(claims),
    )
  }
  const cyclic = { sub: 'u' }
  cyclic.self = cyclic
  assert.throws(
    () => auth.signAccessToken(cyclic),
    (e) => e.code === 'INVALID_ARGUMENT',
  )
  const noRefresh = new Authenticator({ accessSecret: baseConfig().accessSecret })
  assert.throws(
    () => noRefresh.signRefreshToken({ sub: 'u' }),
    (e) => e.code === 'INVALID_CONFIG',
  )
})

test('20,000 random arguments of random types: always a result of the documented shape', () => {
  const random = rng(0x9e3779b9)
  const pieces = [
    'Bearer ',
    'bearer ',
    h,
    p,
    s,
    '.',
    '=',
    ' ',
    '\t',
    '\u0000',
    '\ud800',
    '\udc00',
    'é',
    '😀',
    'A'.repeat(300),
    ',',
    'acme',
    ':',
    '[',
    ']',
    '::1',
  ]
  const randomString = () =>
    Array.from({ length: Math.floor(random() * 6) }, () => pieces[Math.floor(random() * pieces.length)]).join('')
  const values = [
    () => randomString(),
    () => undefined,
    () => null,
    () => 0,
    () => -1.5,
    () => NaN,
    () => true,
    () => ({}),
    () => [randomString()],
    () => Buffer.from(randomString()),
    () => 10n,
    () => Symbol('s'),
  ]
  const pick = () => values[Math.floor(random() * values.length)]()
  const keys = Object.keys(auth.authenticate(null))
  for (let i = 0; i < 20000; i++) {
    const r = auth.authenticate(pick(), pick(), pick())
    assert.deepStrictEqual(Object.keys(r), keys)
    assert.strictEqual(typeof r.authenticated, 'boolean')
    if (!r.authenticated) assert.ok([400, 401, 403, 429].includes(r.errorStatus), String(r.errorCode))
  }
})

test('the internal request-path call answers bad authenticator ids with a coded throw', () => {
  const native = require('../binding.js')
  const live = native.authenticatorId(native.createAuthenticator(baseConfig({ cache: true })))
  const header = `Bearer ${mint()}`
  assert.strictEqual(native.authenticate(live, header, null, null).charCodeAt(0), 0)
  for (const id of [live + 1, live ^ (1 << 24), 0xffffffff, -1, 2 ** 40, NaN, '1', null, undefined, {}, 10n]) {
    assert.throws(
      () => native.authenticate(id, header, null, null),
      (e) => e.code === 'INVALID_ARGUMENT',
      String(id),
    )
  }
  assert.throws(
    () => native.authenticate(),
    (e) => e.code === 'INVALID_ARGUMENT',
  )
})
