'use strict'

// Tokens cross between auth-shield and the libraries users already run, in both directions.

const test = require('node:test')
const assert = require('node:assert')
const jwt = require('jsonwebtoken')
const { Authenticator } = require('..')
const { baseConfig, ACCESS_SECRET, now } = require('./helpers')

const claims = {
  sub: 'user-9',
  email: 'grace@example.com',
  role: 'admin',
  permissions: ['a', 'b'],
  tenant_id: 'acme',
  type: 'access',
}

for (const alg of ['HS256', 'HS384', 'HS512']) {
  const secret = ACCESS_SECRET.repeat(2)
  const config = baseConfig({
    accessSecret: secret,
    refreshSecret: secret.split('').reverse().join(''),
    algorithms: [alg],
    audience: 'api',
  })

  test(`${alg}: jsonwebtoken's tokens authenticate`, () => {
    const token = jwt.sign(claims, secret, {
      algorithm: alg,
      expiresIn: '5m',
      issuer: 'auth-shield-test',
      audience: 'api',
    })
    const r = new Authenticator(config).authenticate(`Bearer ${token}`, 'acme')
    assert.strictEqual(r.authenticated, true, r.errorCode)
    assert.deepStrictEqual(
      [r.userId, r.email, r.role, r.permissions, r.tenantId],
      ['user-9', 'grace@example.com', 'admin', ['a', 'b'], 'acme'],
    )
  })

  test(`${alg}: jose's tokens authenticate`, async () => {
    const jose = await import('jose')
    const token = await new jose.SignJWT(claims)
      .setProtectedHeader({ alg })
      .setIssuedAt()
      .setIssuer('auth-shield-test')
      .setAudience(['other', 'api'])
      .setExpirationTime('5m')
      .setJti('j-1')
      .sign(Buffer.from(secret))
    const r = new Authenticator(config).authenticate(`Bearer ${token}`, 'acme')
    assert.strictEqual(r.authenticated, true, r.errorCode)
    assert.strictEqual(r.userId, 'user-9')
  })

  test(`${alg}: our tokens verify under jsonwebtoken and jose`, async () => {
    const jose = await import('jose')
    const auth = new Authenticator(config)
    const token = auth.signAccessToken(
      { sub: 'user-9', role: 'admin', tenant_id: 'acme', custom: { deep: [1] } },
      { expiresIn: '5m' },
    )
    const viaJwt = jwt.verify(token, secret, { algorithms: [alg], issuer: 'auth-shield-test', audience: 'api' })
    assert.strictEqual(viaJwt.sub, 'user-9')
    assert.strictEqual(viaJwt.type, 'access')
    assert.deepStrictEqual(viaJwt.custom, { deep: [1] })
    assert.ok(viaJwt.exp - viaJwt.iat === 300 && Math.abs(viaJwt.iat - now()) <= 2)
    assert.match(viaJwt.jti, /^[0-9a-f-]{36}$/)
    const { payload, protectedHeader } = await jose.jwtVerify(token, Buffer.from(secret), {
      algorithms: [alg],
      issuer: 'auth-shield-test',
      audience: 'api',
    })
    assert.strictEqual(protectedHeader.alg, alg)
    assert.strictEqual(payload.tenant_id, 'acme')
    const refresh = auth.signRefreshToken({ sub: 'user-9' })
    assert.strictEqual(jwt.verify(refresh, config.refreshSecret, { algorithms: [alg] }).type, 'refresh')
  })
}

test('a secret given as a Buffer is the same key as its string', () => {
  const token = jwt.sign({ ...claims, iss: 'auth-shield-test' }, ACCESS_SECRET, { expiresIn: 60 })
  const auth = new Authenticator(baseConfig({ accessSecret: Buffer.from(ACCESS_SECRET) }))
  assert.strictEqual(auth.authenticate(`Bearer ${token}`, 'acme').authenticated, true)
  const bytes = new Authenticator(baseConfig({ accessSecret: new Uint8Array(Buffer.from(ACCESS_SECRET)) }))
  assert.strictEqual(bytes.authenticate(`Bearer ${token}`, 'acme').authenticated, true)
})

test('tokens jsonwebtoken rejects as forged we reject too', () => {
  const token = jwt.sign({ ...claims, iss: 'auth-shield-test' }, 'a-different-secret-of-enough-length!', {
    expiresIn: 60,
  })
  assert.throws(() => jwt.verify(token, ACCESS_SECRET))
  assert.strictEqual(
    new Authenticator(baseConfig()).authenticate(`Bearer ${token}`, 'acme').errorCode,
    'INVALID_SIGNATURE',
  )
})
