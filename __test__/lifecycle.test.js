'use strict'

// Token pairs, refresh rotation with reuse detection, and revocation, on every engine, with the
// state moving between engines and processes as plain JSON.

const test = require('node:test')
const assert = require('node:assert/strict')
const { Authenticator, createAuthenticator } = require('..')
const { JsAuthenticator } = require('../lib/engines/js/authenticator')
const { createExpressAuth } = require('../lib/integrations/express')
const { baseConfig } = require('./helpers')

const config = baseConfig({ enforceTenantMatch: false })
const ENGINES = ['native', 'js', 'shadow']
const bearer = (t) => `Bearer ${t}`
const payloadOf = (token) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url'))
const throwsWith = (fn, code) => assert.throws(fn, (e) => e.code === code)

function make(engine, extra = {}) {
  const mismatches = []
  const auth = createAuthenticator({ ...config, ...extra }, { engine, onMismatch: (r) => mismatches.push(r.kind) })
  return { auth, mismatches }
}

for (const engine of ENGINES) {
  test(`${engine}: issueTokens gives a pair whose claims read back`, () => {
    const { auth, mismatches } = make(engine)
    const now = Math.floor(Date.now() / 1000)
    const pair = auth.issueTokens({
      sub: 'u1',
      email: 'u1@acme.example',
      role: 'admin',
      permissions: ['read'],
      tenant_id: 'acme',
      plan: 'pro',
    })
    assert.deepEqual(Object.keys(pair), [
      'accessToken',
      'refreshToken',
      'accessExpiresAt',
      'refreshExpiresAt',
      'family',
      'userId',
    ])
    assert.ok(Math.abs(pair.accessExpiresAt - (now + 900)) <= 1)
    assert.ok(Math.abs(pair.refreshExpiresAt - (now + 604800)) <= 1)
    assert.equal(pair.userId, 'u1')
    const access = payloadOf(pair.accessToken)
    const refresh = payloadOf(pair.refreshToken)
    assert.equal(access.type, 'access')
    assert.equal(refresh.type, 'refresh')
    assert.equal(access.fam, pair.family)
    assert.equal(refresh.fam, pair.family)
    assert.notEqual(access.jti, refresh.jti)
    assert.equal(typeof access.iat, 'number')
    assert.equal(refresh.plan, 'pro')
    const result = auth.authenticate(bearer(pair.accessToken), 'acme', null)
    assert.equal(result.authenticated, true)
    assert.deepEqual(
      [result.userId, result.role, result.tenantId, result.permissions],
      ['u1', 'admin', 'acme', ['read']],
    )
    const short = auth.issueTokens({ sub: 'u1' }, { accessExpiresIn: '5m', refreshExpiresIn: 3600 })
    assert.ok(
      Math.abs(short.accessExpiresAt - (now + 300)) <= 1 && Math.abs(short.refreshExpiresAt - (now + 3600)) <= 1,
    )
    assert.deepEqual(mismatches, [])
  })

  test(`${engine}: refresh rotates; a replayed refresh token revokes its family`, () => {
    const { auth, mismatches } = make(engine)
    const first = auth.issueTokens({ sub: 'u1', role: 'admin' })
    const other = auth.issueTokens({ sub: 'u1', role: 'admin' })
    const second = auth.refresh(first.refreshToken)
    assert.equal(second.ok, true)
    assert.equal(second.family, first.family)
    assert.equal(second.errorCode, null)
    assert.equal(auth.authenticate(bearer(second.accessToken)).role, 'admin')
    const replay = auth.refresh(first.refreshToken)
    assert.deepEqual(
      {
        ok: replay.ok,
        code: replay.errorCode,
        status: replay.errorStatus,
        family: replay.family,
        token: replay.accessToken,
      },
      { ok: false, code: 'TOKEN_REUSED', status: 401, family: first.family, token: null },
    )
    for (const t of [first.accessToken, second.accessToken])
      assert.equal(auth.authenticate(bearer(t)).errorCode, 'TOKEN_REVOKED')
    assert.equal(auth.refresh(second.refreshToken).errorCode, 'TOKEN_REVOKED')
    assert.equal(auth.authenticate(bearer(other.accessToken)).authenticated, true)
    assert.equal(auth.refresh(other.refreshToken).ok, true)
    assert.deepEqual(mismatches, [])
  })

  test(`${engine}: refresh with new claims, and refusals with codes`, () => {
    const { auth } = make(engine)
    const pair = auth.issueTokens({ sub: 'u1', role: 'admin' })
    assert.equal(auth.refresh(pair.accessToken).errorCode, 'INVALID_SIGNATURE')
    assert.equal(auth.refresh('not.a.token').errorCode, 'TOKEN_MALFORMED')
    assert.equal(auth.refresh(42).errorCode, 'TOKEN_MALFORMED')
    assert.equal(auth.refresh(auth.signRefreshToken({ sub: 'u1' })).errorCode, 'MISSING_CLAIM')
    throwsWith(() => auth.refresh(pair.refreshToken, { claims: { sub: 7 } }), 'INVALID_ARGUMENT')
    throwsWith(() => auth.refresh(pair.refreshToken, { ttl: 1 }), 'INVALID_ARGUMENT')
    throwsWith(() => auth.refresh(pair.refreshToken, { accessExpiresIn: 'soon' }), 'INVALID_ARGUMENT')
    // None of those spent the refresh token.
    const demoted = auth.refresh(pair.refreshToken, { claims: { sub: 'u1', role: 'viewer' } })
    assert.equal(demoted.ok, true)
    assert.equal(auth.authenticate(bearer(demoted.accessToken)).role, 'viewer')
    throwsWith(() => auth.issueTokens({ sub: 'u1', jti: 'mine' }), 'INVALID_ARGUMENT')
    throwsWith(() => auth.issueTokens({ sub: 'u1', fam: 'mine' }), 'INVALID_ARGUMENT')
    throwsWith(() => auth.signAccessToken({ sub: 'u1', fam: 'mine' }), 'INVALID_ARGUMENT')
    throwsWith(() => auth.issueTokens(null), 'INVALID_ARGUMENT')
    const noRefresh = createAuthenticator({ accessSecret: config.accessSecret }, { engine })
    throwsWith(() => noRefresh.issueTokens({ sub: 'u1' }), 'INVALID_CONFIG')
  })

  test(`${engine}: revokeUser takes effect on the very next call, per tenant, sparing new logins`, () => {
    const { auth, mismatches } = make(engine)
    const acme = auth.issueTokens({ sub: 'u1', tenant_id: 'acme', role: 'admin' })
    const globex = auth.issueTokens({ sub: 'u1', tenant_id: 'globex' })
    const bob = auth.issueTokens({ sub: 'u2' })
    assert.equal(auth.revokeUser('u1', { tenantId: 'acme' }), true)
    assert.equal(auth.authenticate(bearer(acme.accessToken)).errorCode, 'TOKEN_REVOKED')
    assert.equal(auth.authenticate(bearer(globex.accessToken)).authenticated, true)
    auth.revokeUser('u1')
    assert.equal(auth.authenticate(bearer(globex.accessToken)).errorCode, 'TOKEN_REVOKED')
    assert.equal(auth.refresh(globex.refreshToken).errorCode, 'TOKEN_REVOKED')
    assert.equal(auth.authenticate(bearer(bob.accessToken)).authenticated, true)
    // The role change is done: a new login right away (same second) works.
    const relogin = auth.issueTokens({ sub: 'u1', tenant_id: 'acme', role: 'viewer' })
    assert.equal(auth.authenticate(bearer(relogin.accessToken)).role, 'viewer')
    assert.equal(auth.authenticate(bearer(auth.signAccessToken({ sub: 'u1' }))).authenticated, true)
    assert.deepEqual(mismatches, [])
  })

  test(`${engine}: revokeToken and revokeFamily`, () => {
    const { auth, mismatches } = make(engine)
    const a = auth.signAccessToken({ sub: 'u1' })
    const b = auth.signAccessToken({ sub: 'u1' })
    assert.equal(auth.revokeToken(payloadOf(a).jti, payloadOf(a).exp), true)
    assert.equal(auth.authenticate(bearer(a)).errorCode, 'TOKEN_REVOKED')
    assert.equal(auth.authenticate(bearer(b)).authenticated, true)
    assert.equal(auth.revokeToken('long-gone', 1000), false)
    const pair = auth.issueTokens({ sub: 'u1' })
    auth.revokeFamily(pair.family)
    assert.equal(auth.authenticate(bearer(pair.accessToken)).errorCode, 'TOKEN_REVOKED')
    assert.equal(auth.refresh(pair.refreshToken).errorCode, 'TOKEN_REVOKED')
    assert.deepEqual(
      { revocations: auth.stats().revocations, sessions: auth.stats().sessions },
      { revocations: 2, sessions: 1 },
    )
    assert.deepEqual(mismatches, [])
  })

  test(`${engine}: bad revocation arguments are coded errors and change nothing`, () => {
    const { auth } = make(engine, { revocationMaxEntries: 3 })
    for (const bad of [undefined, null, 5, {}, '', 'x'.repeat(257), 'a\nb', 'a\u0085b']) {
      throwsWith(() => auth.revokeToken(bad), 'INVALID_ARGUMENT')
      throwsWith(() => auth.revokeUser(bad), 'INVALID_ARGUMENT')
      throwsWith(() => auth.revokeFamily(bad), 'INVALID_ARGUMENT')
    }
    for (const bad of [-1, 1.5, '2030-01-01', {}, NaN]) {
      throwsWith(() => auth.revokeToken('j', bad), 'INVALID_ARGUMENT')
      throwsWith(() => auth.revokeUser('u', { before: bad }), 'INVALID_ARGUMENT')
    }
    throwsWith(() => auth.revokeUser('u', { tenant: 'acme' }), 'INVALID_ARGUMENT')
    throwsWith(() => auth.revokeUser('u', { tenantId: 5 }), 'INVALID_ARGUMENT')
    assert.equal(auth.stats().revocations, 0)
    for (const jti of ['j1', 'j2', 'j3']) auth.revokeToken(jti)
    throwsWith(() => auth.revokeToken('j4'), 'REVOCATION_LIMIT')
    assert.equal(auth.revokeToken('j1'), true)
    assert.equal(auth.stats().revocations, 3)
  })
}

test('revocation state moves between engines and processes as plain JSON', () => {
  for (const [From, To] of [
    [Authenticator, JsAuthenticator],
    [JsAuthenticator, Authenticator],
  ]) {
    const a = new From(config)
    const pair = a.issueTokens({ sub: 'u1' })
    const rotated = a.refresh(pair.refreshToken)
    a.revokeUser('u7', { tenantId: 'acme' })
    a.revokeToken('jti-9')
    const state = a.exportRevocations()
    assert.equal(state.version, 1)
    const b = new To(config)
    assert.equal(b.importRevocations(JSON.parse(JSON.stringify(state))), 2)
    // Rotation state came along: the old refresh token is a replay on b too.
    assert.equal(b.refresh(pair.refreshToken).errorCode, 'TOKEN_REUSED')
    assert.equal(b.authenticate(bearer(rotated.accessToken)).errorCode, 'TOKEN_REVOKED')
    // Changes since a cursor, applied elsewhere.
    const { cursor } = a.revocationChanges()
    a.revokeToken('jti-10')
    const { events } = a.revocationChanges(cursor)
    assert.deepEqual(
      events.map((e) => [e.kind, e.jti]),
      [['token', 'jti-10']],
    )
    const c = new To(config)
    for (const e of events) assert.equal(c.applyRevocation(e), true)
    assert.deepEqual(c.revocationChanges(0).events, [])
    assert.equal(c.stats().revocations, 1)
  }
})

test('malformed imports are refused whole', () => {
  for (const Engine of [Authenticator, JsAuthenticator]) {
    const auth = new Engine(config)
    for (const bad of [
      'nope',
      [],
      { version: 2 },
      { version: 1, revocations: {} },
      { version: 1, revocations: [{ kind: 'token', jti: 'ok', expiresAt: 9999999999 }, { kind: 'token' }] },
      { version: 1, revocations: [{ kind: 'user', userId: 'u', before: 1, expiresAt: 9999999999, extra: true }] },
      { version: 1, revocations: [{ kind: 'token', jti: '', expiresAt: 9999999999 }] },
      { version: 1, sessions: [{ family: 'f' }] },
      null,
      7,
    ]) {
      throwsWith(() => auth.importRevocations(bad), 'INVALID_ARGUMENT')
      assert.equal(auth.stats().revocations, 0, `${Engine.name} ${JSON.stringify(bad)}`)
    }
    for (const bad of [null, 'x', { kind: 'token', jti: 'j' }, { kind: 'other' }])
      throwsWith(() => auth.applyRevocation(bad), 'INVALID_ARGUMENT')
    throwsWith(() => auth.revocationChanges(-1), 'INVALID_ARGUMENT')
  }
})

test('both engines give identical answers for revoked, rotated and live tokens', () => {
  // Buckets that do not refill during the test, so both engines count the same remaining.
  const still = { ...config, rateLimitMax: 100000, rateLimitRefill: 0.001 }
  const native = new Authenticator(still)
  const js = new JsAuthenticator(still)
  const tokens = []
  for (let i = 0; i < 60; i++) {
    const issuer = i % 2 ? native : js
    const pair = issuer.issueTokens({ sub: `u${i % 7}`, tenant_id: i % 3 ? 'acme' : 'globex', role: 'r' })
    tokens.push(pair.accessToken, pair.refreshToken)
    if (i % 5 === 0) tokens.push(issuer.refresh(pair.refreshToken).accessToken)
    if (i % 11 === 0) issuer.revokeFamily(pair.family)
    if (i % 13 === 0) issuer.revokeToken(payloadOf(pair.accessToken).jti)
  }
  native.revokeUser('u3')
  js.revokeUser('u4', { tenantId: 'acme' })
  // One shared state: what each revoked, the other learns.
  native.importRevocations(js.exportRevocations())
  js.importRevocations(native.exportRevocations())
  const codes = new Set()
  for (const t of tokens) {
    const a = native.authenticate(bearer(t), null, null)
    const b = js.authenticate(bearer(t), null, null)
    codes.add(a.errorCode)
    assert.deepEqual({ ...b, requestId: null }, { ...a, requestId: null })
  }
  assert.ok(codes.has(null) && codes.has('TOKEN_REVOKED'), [...codes].join())
})

test('a revoked token reaches an Express client as 401 TOKEN_REVOKED with invalid_token', async (t) => {
  const express = require('express')
  const app = express()
  const middleware = createExpressAuth(config)
  app.use('/api', middleware)
  app.get('/api/me', (req, res) => res.json({ id: req.user.userId }))
  const server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  t.after(() => new Promise((r) => server.close(r)))
  const auth = middleware.authenticator
  const pair = auth.issueTokens({ sub: 'u1' })
  const url = `http://127.0.0.1:${server.address().port}/api/me`
  assert.equal((await fetch(url, { headers: { authorization: bearer(pair.accessToken) } })).status, 200)
  auth.revokeUser('u1')
  const res = await fetch(url, { headers: { authorization: bearer(pair.accessToken) } })
  assert.equal(res.status, 401)
  assert.deepEqual(await res.json(), { error: 'Token revoked', code: 'TOKEN_REVOKED' })
  assert.match(res.headers.get('www-authenticate'), /error="invalid_token"/)
})

test('integrations take a prepared authenticator, and refuse engine options with one', async () => {
  const auth = createAuthenticator(config)
  const middleware = createExpressAuth(auth)
  assert.equal(middleware.authenticator, auth)
  throwsWith(() => createExpressAuth(auth, { engine: 'js' }), 'INVALID_CONFIG')
  const fastify = require('fastify')({ logger: false })
  await fastify.register(require('../lib/integrations/fastify'), { config: auth })
  await fastify.ready()
  assert.equal(fastify.authShieldAuthenticator, auth)
  await fastify.close()
})

for (const engine of ['native', 'js']) {
  test(`${engine}: the verified-token cache changes speed, not answers`, () => {
    const auth = createAuthenticator({ ...config, cache: { max: 50, ttl: 60 } }, { engine })
    const plain = createAuthenticator(config, { engine })
    const pair = auth.issueTokens({ sub: 'u1', role: 'admin' })
    for (let i = 0; i < 3; i++) assert.equal(auth.authenticate(bearer(pair.accessToken)).role, 'admin')
    assert.equal(auth.stats().cachedTokens, 1)
    auth.revokeFamily(pair.family)
    assert.equal(auth.authenticate(bearer(pair.accessToken)).errorCode, 'TOKEN_REVOKED')
    const forged = pair.accessToken.slice(0, -2) + (pair.accessToken.endsWith('AA') ? 'BB' : 'AA')
    assert.equal(auth.authenticate(bearer(forged)).errorCode, plain.authenticate(bearer(forged)).errorCode)
    assert.equal(auth.stats().cachedTokens, 1)
    for (let i = 0; i < 500; i++) auth.authenticate(bearer(auth.signAccessToken({ sub: `u${i}` })))
    assert.ok(auth.stats().cachedTokens <= 50)
    for (const bad of [1, 'yes', { size: 5 }, { max: 1 }, { ttl: 0 }, []]) {
      throwsWith(() => createAuthenticator({ ...config, cache: bad }, { engine }), 'INVALID_CONFIG')
    }
  })
}

for (const engine of ENGINES) {
  test(`${engine}: custom claims are read back on demand`, () => {
    const { auth } = make(engine)
    const pair = auth.issueTokens({ sub: 'u1', role: 'admin', plan: 'pro', limits: { seats: 5 }, tags: ['a', 'é'] })
    const result = auth.authenticate(bearer(pair.accessToken))
    assert.equal(result.authenticated, true)
    assert.equal('plan' in result, false)
    const claims = auth.verifiedClaims(bearer(pair.accessToken))
    assert.deepEqual(
      [claims.plan, claims.limits, claims.tags, claims.fam],
      ['pro', { seats: 5 }, ['a', 'é'], pair.family],
    )
    for (const bad of [undefined, null, 42, '', 'Basic x', bearer('a.b.c'), bearer(pair.refreshToken)])
      assert.equal(auth.verifiedClaims(bad), null)
    auth.revokeFamily(pair.family)
    assert.equal(auth.verifiedClaims(bearer(pair.accessToken)), null)
  })
}

test('native: repeat requests name the cached entry and answer exactly as the first did', () => {
  const cfg = { ...config, rateLimitMax: 5, rateLimitRefill: 0.001, enforceTenantMatch: true }
  const cached = new Authenticator({ ...cfg, cache: true })
  const plain = new Authenticator(cfg)
  const token = cached.signAccessToken({ sub: 'u1', role: 'admin', permissions: ['read'], tenant_id: 'acme' })
  const strip = ({ requestId, ...rest }) => rest
  const requests = [
    [bearer(token), 'acme', null],
    [bearer(token), 'acme', null],
    [bearer(token), 'globex', null],
    [bearer(token), null, 'acme.example.com'],
    [bearer(token), ['a', 'b'], null],
    [bearer(token), 'acme', 'globex.example.com'],
    [`bearer  ${token}`, 'acme', null],
    [bearer(token), 'acme', null],
    [bearer(token), 'acme', null],
    [bearer(token), 'acme', null],
  ]
  for (const [i, r] of requests.entries()) {
    const a = cached.authenticate(...r)
    const b = plain.authenticate(...r)
    assert.deepEqual(strip(a), strip(b), `request ${i}`)
    if (a.permissions) a.permissions.push('mutated by the caller')
  }
  assert.equal(cached.authenticate(bearer(token), 'acme', null).errorCode, 'RATE_LIMITED')
  const fresh = new Authenticator({ ...cfg, rateLimitMax: 100, cache: true })
  const t2 = fresh.signAccessToken({ sub: 'u2', permissions: ['read'] })
  fresh.authenticate(bearer(t2))
  assert.deepEqual(fresh.authenticate(bearer(t2)).permissions, ['read'])
  fresh.revokeUser('u2', { before: Math.floor(Date.now() / 1000) + 1 })
  assert.equal(fresh.authenticate(bearer(t2)).errorCode, 'TOKEN_REVOKED')
})

test('at revocationMaxEntries a refusal costs the same however many entries are held, on both engines', () => {
  for (const engine of ['native', 'js']) {
    const perRefusal = (n) => {
      const auth = createAuthenticator(baseConfig({ revocationMaxEntries: n }), { engine })
      for (let i = 0; i < n; i++) auth.revokeToken(`j${i}`)
      let best = Infinity
      for (let round = 0; round < 5; round++) {
        const start = process.hrtime.bigint()
        for (let i = 0; i < 1000; i++)
          assert.throws(() => auth.revokeToken(`x${round}-${i}`), { code: 'REVOCATION_LIMIT' })
        best = Math.min(best, Number(process.hrtime.bigint() - start) / 1000)
      }
      return best
    }
    const [small, large] = [perRefusal(5000), perRefusal(20000)]
    assert.ok(large < small * 2.5, `${engine}: 4x the entries made a refusal ${(large / small).toFixed(1)}x as costly`)
  }
})

test('the signer refuses a token authenticate would refuse (over maxTokenLength), on both engines', () => {
  for (const engine of ['native', 'js']) {
    const auth = createAuthenticator(baseConfig({ maxTokenLength: 2048 }), { engine })
    for (const sign of [(c) => auth.signAccessToken(c), (c) => auth.signRefreshToken(c), (c) => auth.issueTokens(c)]) {
      assert.throws(
        () => sign({ sub: 'u', blob: 'x'.repeat(1_180_000) }),
        { code: 'INVALID_ARGUMENT', message: /maxTokenLength/ },
        engine,
      )
      assert.throws(() => sign({ sub: 'u', blob: 'x'.repeat(1600) }), { code: 'INVALID_ARGUMENT' }, engine)
    }
    const fits = auth.signAccessToken({ sub: 'u', blob: 'x'.repeat(1000) })
    assert.ok(fits.length <= 2048)
    assert.equal(auth.authenticate(`Bearer ${fits}`).errorCode, null, engine)
  }
})
