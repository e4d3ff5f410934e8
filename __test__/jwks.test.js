'use strict'

// Fetching a JWK Set and keeping keys in step with it, against a real server on 127.0.0.1.

const test = require('node:test')
const assert = require('node:assert/strict')
const http = require('node:http')
const crypto = require('node:crypto')
const jose = require('jose')
const { Authenticator, fetchJwks, createJwksRefresher } = require('..')

async function keyPair(kid) {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' })
  return { kid, privateKey, jwk: { ...(await jose.exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } }
}

const sign = (k) =>
  new jose.SignJWT({ sub: 'u1', type: 'access' })
    .setProtectedHeader({ alg: 'ES256', kid: k.kid })
    .setExpirationTime('10m')
    .sign(k.privateKey)

async function server(handler) {
  const s = http.createServer(handler)
  await new Promise((r) => s.listen(0, '127.0.0.1', r))
  return { url: `http://127.0.0.1:${s.address().port}/jwks.json`, close: () => new Promise((r) => s.close(r)) }
}

test('fetchJwks reads a JWK Set and says why it could not', async (t) => {
  const k1 = await keyPair('k1')
  let mode = 'ok'
  const s = await server((req, res) => {
    if (mode === 'ok') return res.end(JSON.stringify({ keys: [k1.jwk] }))
    if (mode === '500') return res.writeHead(500).end()
    if (mode === 'html') return res.end('<html>')
    if (mode === 'shape') return res.end('{"nokeys":1}')
    if (mode === 'big') return res.end(JSON.stringify({ keys: [], pad: 'x'.repeat(1 << 21) }))
    // 'hang': never answers
  })
  t.after(() => s.close())
  assert.deepEqual((await fetchJwks(s.url)).keys[0].kid, 'k1')
  for (const [m, why] of [
    ['500', /HTTP 500/],
    ['html', /not JSON/],
    ['shape', /JWK Set/],
    ['big', /larger/],
    ['hang', /no answer within 200 ms/],
  ]) {
    mode = m
    await assert.rejects(
      fetchJwks(s.url, { timeout: 200 }),
      (e) => e.code === 'INVALID_CONFIG' && why.test(e.message),
      m,
    )
  }
  await assert.rejects(fetchJwks('ftp://example.com/jwks'), (e) => e.code === 'INVALID_CONFIG')
  await assert.rejects(fetchJwks('not a url'), (e) => e.code === 'INVALID_CONFIG')
})

test('a refresher follows key rotation, keeps keys on failure, and honours the cool-down', async (t) => {
  const [k1, k2] = [await keyPair('k1'), await keyPair('k2')]
  let served = { keys: [k1.jwk] }
  let fail = false
  let fetches = 0
  const s = await server((req, res) => {
    fetches++
    if (fail) return res.writeHead(503).end()
    res.end(JSON.stringify(served))
  })
  t.after(() => s.close())
  const auth = new Authenticator({ jwks: await fetchJwks(s.url) })
  const errors = []
  const refresher = createJwksRefresher(auth, s.url, { cooldown: 60_000, onError: (e) => errors.push(e.code) })
  t.after(() => refresher.stop())
  assert.equal(await refresher.ready, true)
  assert.equal(auth.authenticate(`Bearer ${await sign(k1)}`).authenticated, true)
  // The provider rotates: k2 is unknown until the next fetch, which the cool-down holds back.
  served = { keys: [k1.jwk, k2.jwk] }
  const t2 = await sign(k2)
  assert.equal(auth.authenticate(`Bearer ${t2}`).errorCode, 'UNKNOWN_KEY')
  assert.equal(await refresher.refresh(), false)
  const before = fetches
  refresher.stop()
  const eager = createJwksRefresher(auth, s.url, { cooldown: 0, onError: (e) => errors.push(e.code) })
  t.after(() => eager.stop())
  await eager.ready
  assert.equal(auth.authenticate(`Bearer ${t2}`).authenticated, true)
  assert.ok(fetches > before)
  // A failing fetch keeps the keys in force.
  fail = true
  assert.equal(await eager.refresh(), false)
  assert.deepEqual(errors, ['INVALID_CONFIG'])
  assert.equal(auth.authenticate(`Bearer ${t2}`).authenticated, true)
})

test('refresher options are checked at creation', () => {
  const auth = new Authenticator({ accessSecret: 'x'.repeat(32) })
  for (const [a, url, o] of [
    [null, 'http://127.0.0.1/j', {}],
    [auth, 'nope', {}],
    [auth, 'http://127.0.0.1/j', { interval: 5 }],
    [auth, 'http://127.0.0.1/j', { timeout: 0 }],
    [auth, 'http://127.0.0.1/j', { every: 1000 }],
    [auth, 'http://127.0.0.1/j', { onError: 'log' }],
  ]) {
    assert.throws(
      () => createJwksRefresher(a, url, o),
      (e) => e.code === 'INVALID_CONFIG',
    )
  }
})

for (const engine of ['native', 'js']) {
  test(`${engine}: keys of a fetched set the engine cannot use are skipped and reported; the rest rotate in`, async (t) => {
    const { createAuthenticator } = require('..')
    const k1 = await keyPair('k1')
    // The provider's next signing key, published as Entra ID publishes keys: RSA, no `alg`.
    const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
    const entraKey = {
      ...rsa.publicKey.export({ format: 'jwk' }),
      kid: 'rsa-next',
      use: 'sig',
      x5t: 'bm90LWEtdGh1bWI',
      x5c: ['bm90LWEtY2VydA=='],
    }
    const p521 = {
      ...crypto.generateKeyPairSync('ec', { namedCurve: 'P-521' }).publicKey.export({ format: 'jwk' }),
      kid: 'p521',
      use: 'sig',
    }
    const ed448 = {
      ...crypto.generateKeyPairSync('ed448').publicKey.export({ format: 'jwk' }),
      kid: 'ed448',
      use: 'sig',
    }
    let served = { keys: [k1.jwk] }
    const s = await server((req, res) => res.end(JSON.stringify(served)))
    t.after(() => s.close())
    const auth = createAuthenticator({ jwks: { keys: [] } }, { engine })
    const errors = []
    const refresher = createJwksRefresher(auth, s.url, { cooldown: 0, onError: (e) => errors.push(e) })
    t.after(() => refresher.stop())
    assert.equal(await refresher.ready, true)
    assert.deepEqual(errors, [])

    served = { keys: [k1.jwk, p521, ed448, entraKey, { ...k1.jwk, kid: 'rsa-next' }] }
    assert.equal(await refresher.refresh(), true)
    const rsaToken = (alg, kid = 'rsa-next') =>
      new jose.SignJWT({ sub: 'u2', type: 'access' })
        .setProtectedHeader({ alg, kid })
        .setExpirationTime('10m')
        .sign(rsa.privateKey)
    for (const alg of ['RS256', 'PS256', 'RS512'])
      assert.equal(auth.authenticate(`Bearer ${await rsaToken(alg)}`).userId, 'u2', alg)
    assert.equal(auth.authenticate(`Bearer ${await sign(k1)}`).authenticated, true, 'the keys already in use stay')
    // The RSA key's own bytes as an HMAC secret: algorithm confusion is still refused.
    const confused = await new jose.SignJWT({ sub: 'u2', type: 'access' })
      .setProtectedHeader({ alg: 'HS256', kid: 'rsa-next' })
      .setExpirationTime('10m')
      .sign(Buffer.from(entraKey.n))
    assert.equal(auth.authenticate(`Bearer ${confused}`).errorCode, 'ALGORITHM_NOT_ALLOWED')
    const result = auth.authenticate(
      `Bearer ${await rsaToken('ES256', 'p521').catch(() => sign({ ...k1, kid: 'p521' }))}`,
    )
    assert.equal(result.errorCode, 'UNKNOWN_KEY')
    assert.equal(result.error, 'Invalid token', 'a client never hears why a key was skipped')

    assert.deepEqual(
      errors.map((e) => e.code),
      ['JWK_SKIPPED', 'JWK_SKIPPED', 'JWK_SKIPPED'],
    )
    const said = errors.map((e) => e.message).join('\n')
    assert.match(said, /P-521/)
    assert.match(said, /Ed448/)
    assert.match(said, /appears twice/)
  })
}
