'use strict'

// Named keys on every engine: RS256 to PS512, ES256, ES384, EdDSA and HS256 with kid, interoperating with
// jose and jsonwebtoken in both directions, JWK Sets, rotation with setKeys, algorithm confusion
// and kid injection, and identical answers from both engines.

const test = require('node:test')
const assert = require('node:assert/strict')
const crypto = require('node:crypto')
const jose = require('jose')
const jwt = require('jsonwebtoken')
const { Authenticator, createAuthenticator } = require('..')
const { JsAuthenticator } = require('../lib/engines/js/authenticator')
const { rng } = require('./helpers')

const pairs = {
  RS256: crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }),
  PS256: crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }),
  ES256: crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  ES384: crypto.generateKeyPairSync('ec', { namedCurve: 'P-384' }),
  EdDSA: crypto.generateKeyPairSync('ed25519'),
}
// The SHA-384/512 RSA variants share one more key pair: each named key is still bound to one algorithm.
const rsa2 = crypto.generateKeyPairSync('rsa', { modulusLength: 3072 })
Object.assign(pairs, { RS384: rsa2, RS512: rsa2, PS384: rsa2, PS512: rsa2 })
const HS_SECRET = 'hs-secret-hs-secret-hs-secret-0123'
const pem = (k, type) => k.export({ type, format: 'pem' })
const kidOf = (alg) => `kid-${alg.toLowerCase()}`
const now = () => Math.floor(Date.now() / 1000)
const claims = () => ({ sub: 'u1', type: 'access', role: 'admin', exp: now() + 600 })
const bearer = (t) => `Bearer ${t}`
const throwsWith = (fn, code) => assert.throws(fn, (e) => e.code === code)

function publicKeys() {
  return [
    ...Object.entries(pairs).map(([alg, p]) => ({ kid: kidOf(alg), alg, publicKey: pem(p.publicKey, 'spki') })),
    { kid: 'kid-hs256', alg: 'HS256', secret: HS_SECRET },
  ]
}

function privateKeys(alg) {
  if (alg === 'HS256') return [{ kid: 'kid-hs256', alg, secret: HS_SECRET }]
  return [{ kid: kidOf(alg), alg, privateKey: pem(pairs[alg].privateKey, 'pkcs8') }]
}

async function joseSign(alg) {
  const key = alg === 'HS256' ? new TextEncoder().encode(HS_SECRET) : pairs[alg].privateKey
  return new jose.SignJWT(claims())
    .setProtectedHeader({ alg, kid: alg === 'HS256' ? 'kid-hs256' : kidOf(alg) })
    .sign(key)
}

function jsonwebtokenSign(alg) {
  const key = alg === 'HS256' ? HS_SECRET : pairs[alg].privateKey
  return jwt.sign(claims(), key, { algorithm: alg, keyid: alg === 'HS256' ? 'kid-hs256' : kidOf(alg) })
}

const ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA', 'HS256']

for (const engine of ['native', 'js']) {
  test(`${engine}: tokens from jose and jsonwebtoken verify, for every algorithm`, async () => {
    const auth = createAuthenticator({ keys: publicKeys() }, { engine })
    for (const alg of ALGS) {
      const fromJose = await joseSign(alg)
      assert.equal(auth.authenticate(bearer(fromJose)).role, 'admin', `jose ${alg}`)
      if (alg !== 'EdDSA') {
        // jsonwebtoken does not implement EdDSA.
        assert.equal(auth.authenticate(bearer(jsonwebtokenSign(alg))).role, 'admin', `jsonwebtoken ${alg}`)
      }
    }
  })

  test(`${engine}: tokens we sign verify in jose and jsonwebtoken, for every algorithm`, async () => {
    for (const alg of ALGS) {
      const auth = createAuthenticator({ keys: privateKeys(alg) }, { engine })
      const token = auth.signAccessToken({ sub: 'u1', role: 'admin' })
      const header = jose.decodeProtectedHeader(token)
      assert.deepEqual([header.alg, header.kid], [alg, alg === 'HS256' ? 'kid-hs256' : kidOf(alg)])
      const key = alg === 'HS256' ? new TextEncoder().encode(HS_SECRET) : pairs[alg].publicKey
      const { payload } = await jose.jwtVerify(token, key, { algorithms: [alg] })
      assert.equal(payload.role, 'admin')
      if (alg !== 'EdDSA') {
        const verified = jwt.verify(token, alg === 'HS256' ? HS_SECRET : pem(pairs[alg].publicKey, 'spki'), {
          algorithms: [alg],
        })
        assert.equal(verified.sub, 'u1')
      }
      assert.equal(auth.authenticate(bearer(token)).authenticated, true)
    }
  })

  test(`${engine}: a JWK Set (as an identity provider publishes it) verifies; issueTokens signs with the key`, async () => {
    const jwks = { keys: [] }
    for (const alg of ['RS256', 'ES256', 'EdDSA', 'ES384']) {
      const jwk = await jose.exportJWK(pairs[alg].publicKey)
      jwks.keys.push({ ...jwk, kid: kidOf(alg), alg, use: 'sig' })
    }
    jwks.keys.push({ ...jwks.keys[1], kid: 'encryption', use: 'enc' })
    const verifier = createAuthenticator({ jwks }, { engine })
    for (const alg of ['RS256', 'ES256', 'EdDSA', 'ES384'])
      assert.equal(verifier.authenticate(bearer(await joseSign(alg))).authenticated, true, alg)
    assert.equal(verifier.authenticate(bearer(await joseSign('PS256'))).errorCode, 'UNKNOWN_KEY')
    throwsWith(() => verifier.signAccessToken({ sub: 'u1' }), 'INVALID_CONFIG')

    const privateJwk = { ...(await jose.exportJWK(pairs.ES256.privateKey)), kid: 'es-private', alg: 'ES256' }
    const signer = createAuthenticator({ keys: [privateJwk], refreshSecret: 'r'.repeat(32) }, { engine })
    const pair = signer.issueTokens({ sub: 'u1' })
    const { payload } = await jose.jwtVerify(pair.accessToken, pairs.ES256.publicKey)
    assert.equal(payload.fam, pair.family)
    assert.equal(signer.refresh(pair.refreshToken).ok, true)
  })

  test(`${engine}: algorithm confusion and kid injection are refused`, async () => {
    const auth = createAuthenticator({ keys: publicKeys() }, { engine })
    // HS256 "signed" with a public key's PEM as the secret, under that key's kid.
    for (const alg of ['RS256', 'ES256', 'ES384', 'EdDSA']) {
      const forged = jwt.sign(claims(), pem(pairs[alg].publicKey, 'spki'), { algorithm: 'HS256', keyid: kidOf(alg) })
      assert.equal(auth.authenticate(bearer(forged)).errorCode, 'ALGORITHM_NOT_ALLOWED', alg)
    }
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid: 'kid-rs256' })).toString('base64url')}.${Buffer.from(JSON.stringify(claims())).toString('base64url')}.`
    assert.equal(auth.authenticate(bearer(none)).errorCode, 'TOKEN_MALFORMED')
    for (const kid of ['../../etc/passwd', "' OR 1=1 --", 'KID-RS256', 'kid-rs256 ', '*']) {
      const t = jwt.sign(claims(), HS_SECRET, { algorithm: 'HS256', keyid: kid })
      assert.equal(auth.authenticate(bearer(t)).errorCode, 'UNKNOWN_KEY', kid)
    }
    const long = jwt.sign(claims(), HS_SECRET, { algorithm: 'HS256', keyid: 'k'.repeat(3000) })
    assert.equal(auth.authenticate(bearer(long)).errorCode, 'TOKEN_MALFORMED')
    const numeric = jwt.sign(claims(), HS_SECRET, { algorithm: 'HS256', header: { alg: 'HS256', kid: 42 } })
    assert.equal(auth.authenticate(bearer(numeric)).errorCode, 'TOKEN_MALFORMED')
    const missing = jwt.sign(claims(), HS_SECRET, { algorithm: 'HS256' })
    assert.equal(auth.authenticate(bearer(missing)).errorCode, 'UNKNOWN_KEY')
  })

  test(`${engine}: setKeys rotates without a restart and a bad set changes nothing`, async () => {
    const auth = createAuthenticator({ keys: privateKeys('ES256'), refreshSecret: 'r'.repeat(32) }, { engine })
    const before = auth.signAccessToken({ sub: 'u1' })
    for (const bad of [
      {
        keys: [
          {
            kid: 'a',
            alg: 'RS256',
            publicKey: pem(crypto.generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey, 'spki'),
          },
        ],
      },
      { keys: [...publicKeys(), publicKeys()[0]] },
      { keys: [] },
      { keys: [{ kid: 'x', alg: 'ES256', publicKey: 'garbage' }] },
      { keys: publicKeys(), signingKid: 'kid-rs256' },
      { keys: publicKeys(), extra: 1 },
      null,
    ]) {
      throwsWith(() => auth.setKeys(bad), 'INVALID_CONFIG')
      assert.equal(auth.authenticate(bearer(before)).authenticated, true)
    }
    auth.setKeys({ keys: [...privateKeys('EdDSA'), ...publicKeys().filter((k) => k.alg === 'ES256')] })
    const after = auth.signAccessToken({ sub: 'u1' })
    assert.equal(jose.decodeProtectedHeader(after).kid, 'kid-eddsa')
    // The old ES256 token now needs the ES256 public key, which the new set still holds.
    assert.equal(jose.decodeProtectedHeader(before).kid, 'kid-es256')
    assert.equal(auth.authenticate(bearer(after)).authenticated, true)
    auth.setKeys({ keys: privateKeys('EdDSA') })
    assert.equal(auth.authenticate(bearer(before)).errorCode, 'UNKNOWN_KEY')
    throwsWith(
      () => createAuthenticator({ accessSecret: HS_SECRET }, { engine }).setKeys({ keys: publicKeys() }),
      'INVALID_CONFIG',
    )
  })

  test(`${engine}: bad key configurations are refused with the key named`, () => {
    const rsa1024 = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 })
    const p384 = crypto.generateKeyPairSync('ec', { namedCurve: 'P-384' })
    const cases = [
      [{ keys: [{ kid: 'a', alg: 'RS256', publicKey: pem(rsa1024.publicKey, 'spki') }] }, /2048/],
      [{ keys: [{ kid: 'a', alg: 'ES256', publicKey: pem(p384.publicKey, 'spki') }] }, /P-256/],
      [
        { keys: [{ kid: 'a', alg: 'ES256', publicKey: pem(pairs.RS256.publicKey, 'spki') }] },
        /cannot be used with ES256/,
      ],
      [{ keys: [{ kid: 'a', alg: 'RS256', secret: HS_SECRET }] }, /never a shared secret/],
      [{ keys: [{ kid: 'a', alg: 'ES512', publicKey: pem(pairs.RS256.publicKey, 'spki') }] }, /alg/],
      [{ keys: [{ kid: 'a', alg: 'ES384', publicKey: pem(pairs.ES256.publicKey, 'spki') }] }, /non-P-384/],
      [{ keys: [{ kid: 'a', alg: 'ES256', publicKey: pem(pairs.ES384.publicKey, 'spki') }] }, /non-P-256/],
      [{ keys: [{ kid: 'a', alg: 'ES384', privateKey: pem(pairs.ES256.privateKey, 'pkcs8') }] }, /rejected/],
      [{ keys: [{ alg: 'RS256', publicKey: pem(pairs.RS256.publicKey, 'spki') }] }, /kid/],
      [
        {
          keys: [
            {
              kid: 'a',
              alg: 'ES256',
              publicKey: pem(pairs.ES256.publicKey, 'spki'),
              privateKey: pem(crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, 'pkcs8'),
            },
          ],
        },
        /does not match/,
      ],
      [
        {
          keys: [
            { kid: 'a', alg: 'ES256', privateKey: pairs.ES256.privateKey.export({ type: 'sec1', format: 'pem' }) },
          ],
        },
        /PKCS#8/,
      ],
      [{ accessSecret: HS_SECRET, keys: publicKeys() }, /not both/],
      [{ signingKid: 'a', accessSecret: HS_SECRET }, /signingKid/],
      [{ jwks: { keys: [{ kty: 'RSA', kid: 'x', n: 'AQAB', e: 'AQAB' }] } }, /no usable key .*2048/],
      [{ keys: 'kid-rs256' }, /keys/],
    ]
    for (const [config, message] of cases) {
      assert.throws(
        () => createAuthenticator(config, { engine }),
        (e) => e.code === 'INVALID_CONFIG' && message.test(e.message),
        `${JSON.stringify(config).slice(0, 120)}`,
      )
    }
    assert.throws(
      () => createAuthenticator({ keys: [{ kid: 'a', alg: 'HS256', secret: 'short' }] }, { engine }),
      (e) => e.code === 'WEAK_SECRET',
    )
  })
}

test('both engines give identical answers on tokens across keys, algorithms and mutations', async () => {
  // Buckets that do not refill during the test, so both engines count the same remaining.
  const config = { keys: publicKeys(), rateLimitMax: 100000, rateLimitRefill: 0.001 }
  const native = new Authenticator(config)
  const js = new JsAuthenticator(config)
  const random = rng(4711)
  const tokens = []
  for (const alg of ALGS) {
    const good = await joseSign(alg)
    tokens.push(good, jsonwebtokenSign(alg === 'EdDSA' ? 'ES256' : alg))
    for (let i = 0; i < 40; i++) {
      const chars = [...good]
      const at = Math.floor(random() * chars.length)
      chars[at] = 'ABCxyz019-_.'[Math.floor(random() * 12)]
      tokens.push(chars.join(''))
    }
    const [h, p, s] = good.split('.')
    tokens.push(`${h}.${p}.${s}A`, `${h}.${p}`, `${h}.${p}.${s.slice(0, -2)}`)
    for (const kid of ['kid-rs256', 'kid-ps256', 'kid-es256', 'kid-eddsa', 'kid-hs256', 'nope']) {
      const header = Buffer.from(JSON.stringify({ alg, kid })).toString('base64url')
      tokens.push(`${header}.${p}.${s}`)
    }
  }
  const codes = new Set()
  for (const [i, t] of tokens.entries()) {
    const a = native.authenticate(bearer(t))
    const b = js.authenticate(bearer(t))
    codes.add(a.errorCode)
    assert.deepEqual({ ...b, requestId: null }, { ...a, requestId: null }, `token ${i}: ${t.slice(0, 60)}`)
  }
  assert.ok(
    ['UNKNOWN_KEY', 'ALGORITHM_NOT_ALLOWED', 'INVALID_SIGNATURE', null].every((c) => codes.has(c)),
    [...codes].join(),
  )
})

test('shadow mode sees no difference on named keys, and setKeys reaches both engines', async () => {
  const mismatches = []
  const auth = createAuthenticator(
    { keys: privateKeys('RS256') },
    { engine: 'shadow', onMismatch: (r) => mismatches.push(r.kind) },
  )
  for (const alg of ALGS) auth.authenticate(bearer(await joseSign(alg)))
  auth.setKeys({ keys: publicKeys() })
  for (const alg of ALGS) auth.authenticate(bearer(await joseSign(alg)))
  auth.authenticate(bearer(auth.signAccessToken({ sub: 'u1' })))
  assert.deepEqual(mismatches, [])
})

test('the JS engine agrees with the Wycheproof JWS vectors at the signature level', () => {
  const { KeySet } = require('../lib/engines/js/keys')
  const doc = require('../core/src/jwt/testdata/wycheproof_jws.json')
  let checked = 0
  for (const group of doc.testGroups) {
    const jwk = group.key
    const spec = jwk.kty === 'oct' ? { kid: jwk.kid, alg: jwk.alg, secret: Buffer.from(jwk.k, 'base64url') } : jwk
    const keys = KeySet.from([spec], undefined, undefined, false)
    for (const t of group.tests) {
      const parts = t.jws.split('.')
      if (parts.length !== 3 || parts.some((p) => p === '')) continue
      const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString())
      const key = keys.lookup(typeof header.kid === 'string' ? header.kid : null)
      const ok =
        key !== null && key.accepts.has(header.alg) && key.verify(header.alg, `${parts[0]}.${parts[1]}`, parts[2])
      assert.equal(ok, t.result === 'valid', `tcId ${t.tcId} ${t.comment}`)
      checked++
    }
  }
  assert.ok(checked >= 35, String(checked))
})

for (const engine of ['native', 'js']) {
  test(`${engine}: refresh keys rotate, and may be asymmetric`, async () => {
    const r1 = { kid: 'r1', alg: 'HS256', secret: 'refresh-one-refresh-one-refresh-1' }
    const r2 = { kid: 'r2', alg: 'ES256', privateKey: pem(pairs.ES256.privateKey, 'pkcs8') }
    const auth = createAuthenticator({ accessSecret: HS_SECRET, refreshKeys: [r1] }, { engine })
    const first = auth.issueTokens({ sub: 'u1' })
    assert.equal(jose.decodeProtectedHeader(first.refreshToken).kid, 'r1')
    auth.setKeys({ refreshKeys: [r2, r1] })
    const second = auth.refresh(first.refreshToken)
    assert.equal(second.ok, true)
    assert.equal(jose.decodeProtectedHeader(second.refreshToken).alg, 'ES256')
    await jose.jwtVerify(second.refreshToken, pairs.ES256.publicKey)
    assert.throws(
      () => auth.setKeys({ refreshKeys: [{ kid: 'x', alg: 'HS256', secret: 'short' }] }),
      (e) => e.code === 'WEAK_SECRET' && /refreshKeys/.test(e.message),
    )
    assert.throws(
      () => auth.setKeys({ keys: publicKeys(), refreshKeys: [r2] }),
      (e) => e.code === 'INVALID_CONFIG',
    )
    assert.equal(auth.refresh(second.refreshToken).ok, true)
    throwsWith(
      () => createAuthenticator({ accessSecret: HS_SECRET, refreshSecret: HS_SECRET, refreshKeys: [r1] }, { engine }),
      'INVALID_CONFIG',
    )
    throwsWith(
      () =>
        createAuthenticator({ accessSecret: HS_SECRET, refreshSecret: HS_SECRET }, { engine }).setKeys({
          refreshKeys: [r1],
        }),
      'INVALID_CONFIG',
    )
  })
}

for (const engine of ['native', 'js']) {
  test(`${engine}: with the verified-token cache, setKeys forgets every verified user, so no later token is answered with an earlier one's`, () => {
    const auth = createAuthenticator(
      { keys: privateKeys('ES256'), cache: true, rateLimitMax: 1e6, rateLimitRefill: 1e6 },
      { engine },
    )
    const ada = auth.signAccessToken({ sub: 'ada', email: 'ada@example.com' })
    for (let i = 0; i < 3; i++) assert.equal(auth.authenticate(`Bearer ${ada}`).userId, 'ada')
    auth.setKeys({ keys: privateKeys('ES256') })
    const grace = auth.signAccessToken({ sub: 'grace', email: 'grace@example.com' })
    for (let i = 0; i < 3; i++) {
      const r = auth.authenticate(`Bearer ${grace}`)
      assert.deepEqual([r.userId, r.email], ['grace', 'grace@example.com'])
    }
    assert.equal(auth.authenticate(`Bearer ${ada}`).userId, 'ada')
  })
}
