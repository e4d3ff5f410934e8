'use strict'

// The Nest guard and module in a real Nest app, on both platforms (Express and Fastify): the same
// statuses, bodies and headers as the Express middleware, the decorators' guards, the user as a
// parameter, public routes, and refusals that an app's exception filter can map.

require('reflect-metadata')
const crypto = require('node:crypto')
const http = require('node:http')
const test = require('node:test')
const assert = require('node:assert')
const { Controller, Get, UseGuards, Catch, Module, HttpException } = require('@nestjs/common')
const { NestFactory, APP_GUARD, APP_FILTER } = require('@nestjs/core')
const { FastifyAdapter } = require('@nestjs/platform-fastify')
const { ExpressAdapter } = require('@nestjs/platform-express')
const { createAuthenticator } = require('..')
const nest = require('../lib/integrations/nest')
const { AuthShieldModule, AuthShieldGuard, AUTH_SHIELD, Roles, Permissions, Scopes, Public, AuthUser, AuthTenant } =
  nest
const { AuthError } = nest
const { refresherOf } = require('../lib/helpers/jwks')
const { baseConfig, mint, REQUEST_ID } = require('./helpers')

/** Applies method decorators as TypeScript would: `decorate(Class, 'method', d1, d2…)`. */
function decorate(target, method, ...decorators) {
  const descriptor = Object.getOwnPropertyDescriptor(target.prototype, method)
  for (const d of decorators.reverse()) d(target.prototype, method, descriptor)
}

class Api {
  me(user) {
    return { user }
  }
  userId(id) {
    return { id }
  }
  admin() {
    return { ok: true }
  }
  billing() {
    return { ok: true }
  }
  health() {
    return { ok: true }
  }
  tenant(tenant, user) {
    return { tenant, user: user ?? null }
  }
}
Controller('api')(Api)
UseGuards(AuthShieldGuard)(Api)
decorate(Api, 'me', Get('me'))
AuthUser()(Api.prototype, 'me', 0)
decorate(Api, 'userId', Get('id'))
AuthUser('userId')(Api.prototype, 'userId', 0)
decorate(Api, 'admin', Get('admin'), Roles('admin'))
decorate(Api, 'billing', Get('billing'), Permissions('billing:read'), Scopes('invoices'))
decorate(Api, 'health', Get('health'), Public())
decorate(Api, 'tenant', Get('tenant'))
AuthTenant()(Api.prototype, 'tenant', 0)
AuthUser('userId')(Api.prototype, 'tenant', 1)

class Open {
  tenant(tenant, user) {
    return { tenant, user: user ?? null }
  }
}
Controller('open')(Open)
decorate(Open, 'tenant', Get('tenant'))
AuthTenant()(Open.prototype, 'tenant', 0)
AuthUser()(Open.prototype, 'tenant', 1)

async function start(platform, moduleOf) {
  class AppModule {}
  Module(moduleOf())(AppModule)
  const adapter = platform === 'fastify' ? new FastifyAdapter() : new ExpressAdapter()
  const app = await NestFactory.create(AppModule, adapter, { logger: false })
  await app.listen(0, '127.0.0.1')
  return { app, base: await app.getUrl().then((u) => u.replace('[::1]', '127.0.0.1')) }
}

const get = async (base, path, headers = {}) => {
  const res = await fetch(base + path, { headers })
  return { status: res.status, body: await res.json(), headers: res.headers }
}

for (const platform of ['express', 'fastify']) {
  test(`nest on ${platform}: the guard authenticates, refuses and guards as the middleware does`, async () => {
    const { app, base } = await start(platform, () => ({
      imports: [AuthShieldModule.forRoot(baseConfig())],
      controllers: [Api],
    }))
    try {
      const user = mint({ sub: 'user-1', tenant_id: 'acme', role: 'user', permissions: ['billing:read', 'invoices'] })
      const admin = mint({ sub: 'user-2', tenant_id: 'acme', role: 'admin' })
      const ok = await get(base, '/api/me', { authorization: `Bearer ${user}`, 'x-tenant-id': 'acme' })
      assert.strictEqual(ok.status, 200)
      assert.strictEqual(ok.body.user.userId, 'user-1')
      assert.deepStrictEqual(ok.body.user.permissions, ['billing:read', 'invoices'])
      assert.match(ok.headers.get('x-request-id'), REQUEST_ID)
      assert.ok(ok.headers.get('ratelimit-limit'))
      assert.deepStrictEqual((await get(base, '/api/id', { authorization: `Bearer ${user}` })).body, { id: 'user-1' })

      const missing = await get(base, '/api/me')
      assert.strictEqual(missing.status, 401)
      assert.deepStrictEqual(missing.body, { error: 'No Authorization header provided', code: 'MISSING_AUTHORIZATION' })
      assert.strictEqual(missing.headers.get('www-authenticate'), 'Bearer')
      const forged = await get(base, '/api/me', { authorization: `Bearer ${user.slice(0, -2)}xx` })
      assert.strictEqual(forged.status, 401)
      assert.strictEqual(forged.body.code, 'INVALID_SIGNATURE')
      assert.match(forged.headers.get('www-authenticate'), /error="invalid_token"/)
      const none = mint({ sub: 'x' }, { algorithm: 'none' })
      assert.strictEqual((await get(base, '/api/me', { authorization: `Bearer ${none}` })).status, 401)
      const mismatch = await get(base, '/api/me', { authorization: `Bearer ${user}`, 'x-tenant-id': 'globex' })
      assert.deepStrictEqual([mismatch.status, mismatch.body.code], [403, 'TENANT_MISMATCH'])

      const refused = await get(base, '/api/admin', { authorization: `Bearer ${user}` })
      assert.deepStrictEqual([refused.status, refused.body.code], [403, 'INSUFFICIENT_PERMISSIONS'])
      assert.match(refused.headers.get('www-authenticate'), /insufficient_scope/)
      const allowed = await get(base, '/api/admin', { authorization: `Bearer ${admin}` })
      assert.strictEqual(allowed.status, 200, JSON.stringify(allowed.body))
      assert.strictEqual((await get(base, '/api/billing', { authorization: `Bearer ${user}` })).status, 200)
      assert.strictEqual((await get(base, '/api/billing', { authorization: `Bearer ${admin}` })).status, 403)

      assert.deepStrictEqual(await get(base, '/api/health').then((r) => [r.status, r.body]), [200, { ok: true }])
    } finally {
      await app.close()
    }
  })

  test(`nest on ${platform}: an app-wide guard, a shared authenticator, rate limits and an exception filter`, async () => {
    const auth = createAuthenticator(baseConfig({ rateLimitMax: 2, rateLimitRefill: 0.001 }))
    const seen = []
    class Filter {
      catch(exception, host) {
        seen.push(exception.cause)
        const res = host.switchToHttp().getResponse()
        const body = { problem: exception.getResponse().code }
        if (typeof res.code === 'function' && res.raw !== undefined) res.code(exception.getStatus()).send(body)
        else res.status(exception.getStatus()).json(body)
      }
    }
    Catch(HttpException)(Filter)
    const { app, base } = await start(platform, () => ({
      imports: [AuthShieldModule.forRoot(auth, { tenantHeader: 'x-org' })],
      controllers: [Api],
      providers: [
        { provide: APP_GUARD, useClass: AuthShieldGuard },
        { provide: APP_FILTER, useClass: Filter },
      ],
    }))
    try {
      const token = auth.signAccessToken({ sub: 'user-9', tenant_id: 'acme' })
      const headers = { authorization: `Bearer ${token}`, 'x-org': 'acme' }
      assert.strictEqual((await get(base, '/api/me', headers)).status, 200)
      assert.strictEqual((await get(base, '/api/me', headers)).status, 200)
      const limited = await get(base, '/api/me', headers)
      assert.deepStrictEqual([limited.status, limited.body], [429, { problem: 'RATE_LIMITED' }])
      assert.ok(Number(limited.headers.get('retry-after')) > 0)
      assert.ok(seen.at(-1) instanceof AuthError)
      assert.strictEqual(seen.at(-1).code, 'RATE_LIMITED')
      auth.revokeUser('user-9')
      const revoked = await get(base, '/api/me', headers)
      assert.deepStrictEqual([revoked.status, revoked.body], [401, { problem: 'TOKEN_REVOKED' }])
      assert.strictEqual((await get(base, '/api/health')).status, 200)
    } finally {
      await app.close()
    }
  })
}

test('nest: a bad config or option throws at forRoot, and decorators check their arguments', () => {
  assert.throws(() => AuthShieldModule.forRoot({}), { code: 'INVALID_CONFIG' })
  assert.throws(() => AuthShieldModule.forRoot(baseConfig(), { nope: 1 }), { code: 'INVALID_CONFIG' })
  assert.throws(() => AuthShieldModule.forRoot(baseConfig(), { errors: 'forward' }), /exception filter/)
  assert.throws(() => AuthShieldModule.forRoot(baseConfig(), { onError: () => {} }), { code: 'INVALID_CONFIG' })
  assert.throws(() => Roles(), { code: 'INVALID_CONFIG' })
  assert.throws(() => Permissions(42), { code: 'INVALID_CONFIG' })
})

/** A provider's JWKS endpoint on loopback, and RS256 tokens signed by its key (node:crypto). */
async function provider() {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'kc-1', alg: 'RS256', use: 'sig' }
  const state = { fetched: 0 }
  const server = http.createServer((req, res) => {
    state.fetched++
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ keys: [jwk] }))
  })
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  const local = `http://127.0.0.1:${server.address().port}`
  const segment = (v) => Buffer.from(JSON.stringify(v)).toString('base64url')
  state.fetch = (url, init) => globalThis.fetch(local + new URL(url).pathname, init)
  state.sign = (payload) => {
    const input = `${segment({ typ: 'JWT', alg: 'RS256', kid: 'kc-1' })}.${segment(payload)}`
    return `${input}.${crypto.createSign('sha256').update(input).sign(privateKey).toString('base64url')}`
  }
  state.close = () => new Promise((r) => server.close(r))
  return state
}

const ISSUER = 'https://keycloak.example.com/realms/acme'

for (const platform of ['express', 'fastify']) {
  test(`nest on ${platform}: forRootAsync from an injected config service, a provider's JWKS, the tenant parameter`, async (t) => {
    const keys = await provider()
    t.after(() => keys.close())
    const CONFIG = Symbol('config service')
    class ConfigModule {}
    Module({ providers: [{ provide: CONFIG, useValue: { issuer: ISSUER } }], exports: [CONFIG] })(ConfigModule)
    let asked = null
    const { app, base } = await start(platform, () => ({
      imports: [
        AuthShieldModule.forRootAsync({
          imports: [ConfigModule],
          inject: [CONFIG],
          useFactory: async (settings) => {
            asked = settings
            return {
              config: {
                issuer: settings.issuer,
                audience: 'api',
                accessTokenMark: { claim: 'typ', value: 'Bearer' },
                claims: { roles: ['realm_access', 'roles'], permissions: 'scope' },
              },
              options: {
                jwksUri: `${settings.issuer}/protocol/openid-connect/certs`,
                jwksOptions: { fetch: keys.fetch },
              },
            }
          },
        }),
      ],
      controllers: [Api, Open],
    }))
    let state
    try {
      assert.deepStrictEqual(asked, { issuer: ISSUER })
      // The keys were fetched before the app listened.
      assert.strictEqual(keys.fetched, 1)
      state = app.get(AUTH_SHIELD)
      assert.ok(refresherOf(state.authenticator))
      const now = Math.floor(Date.now() / 1000)
      const claims = { iss: ISSUER, aud: 'api', typ: 'Bearer', iat: now, exp: now + 300, jti: crypto.randomUUID() }
      const token = keys.sign({ ...claims, sub: 'kc-user', tenant_id: 'acme', realm_access: { roles: ['admin'] } })
      const ok = await get(base, '/api/tenant', { authorization: `Bearer ${token}` })
      assert.deepStrictEqual([ok.status, ok.body], [200, { tenant: 'acme', user: 'kc-user' }])
      assert.strictEqual((await get(base, '/api/admin', { authorization: `Bearer ${token}` })).status, 200)
      const id = keys.sign({ ...claims, typ: 'ID', sub: 'kc-user' })
      const refused = await get(base, '/api/me', { authorization: `Bearer ${id}` })
      assert.deepStrictEqual([refused.status, refused.body.code], [401, 'INVALID_TOKEN_TYPE'])
      // Unguarded: no user and no tenant, not a crash.
      assert.deepStrictEqual((await get(base, '/open/tenant')).body, { tenant: null, user: null })
    } finally {
      await app.close()
    }
    assert.strictEqual(refresherOf(state.authenticator) ?? null, null, 'the refresher stopped with the app')
  })
}

test('nest: forRootAsync refuses a bad setup at once and a bad answer at the start of the app', async () => {
  assert.throws(() => AuthShieldModule.forRootAsync(), { code: 'INVALID_CONFIG' })
  assert.throws(() => AuthShieldModule.forRootAsync({ useValue: baseConfig() }), { code: 'INVALID_CONFIG' })
  assert.throws(() => AuthShieldModule.forRootAsync({ useFactory: () => ({}), inject: [], extra: 1 }), /extra/)
  for (const [answer, message] of [
    [null, /useFactory/],
    [{ options: {} }, /useFactory/],
    [{ config: {} }, /./],
    [{ config: baseConfig(), options: { errors: 'forward' } }, /exception filter/],
  ]) {
    class AppModule {}
    Module({ imports: [AuthShieldModule.forRootAsync({ useFactory: async () => answer })], controllers: [Api] })(
      AppModule,
    )
    await assert.rejects(NestFactory.create(AppModule, new ExpressAdapter(), { logger: false, abortOnError: false }), {
      code: 'INVALID_CONFIG',
      message,
    })
  }
})
