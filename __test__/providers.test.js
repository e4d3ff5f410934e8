'use strict'

// Tokens shaped as Auth0, Keycloak, Cognito, Entra ID and RFC 9068 issuers mint them, against the
// README's configuration for each, run as written (only the JWKS fetch is pointed at a local
// server), on real Express and Fastify servers with both engines. Their access tokens must pass
// with the right user fields; their ID and refresh tokens must not. Then key rotation at the
// provider: a token signed with a key published after start is answered 200 on its first request.

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const http = require('node:http')
const crypto = require('node:crypto')
const jose = require('jose')
const { start } = require('./servers')

// The provider blocks live in docs/providers.md, which the README links to.
const README = fs.readFileSync(path.join(__dirname, '..', 'docs', 'providers.md'), 'utf8')

/** `{ config, options }` of the README's block for `name`, evaluated as written. */
function readmeConfig(name) {
  const block = new RegExp(`<!-- provider: ${name} -->\\n\`\`\`js\\n([\\s\\S]*?)\`\`\``).exec(README)
  assert.ok(block, `docs/providers.md has no provider block "${name}"`)
  let used = null
  const app = { use: (m) => (used = m) }
  new Function('app', 'createExpressAuth', block[1])(app, (config, options) => ({ config, options }))
  return used
}

const now = () => Math.floor(Date.now() / 1000)
const uuid = () => crypto.randomUUID()

async function rsaKey(kid) {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
  return { kid, privateKey, jwk: { ...(await jose.exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } }
}

// Signed synchronously with node:crypto: dozens of WebCrypto signatures queued at once on a loaded
// machine once stalled this file.
const segment = (v) => Buffer.from(JSON.stringify(v)).toString('base64url')
function sign(key, payload, typ = 'JWT', header = {}) {
  const input = `${segment({ typ, alg: 'RS256', ...header, kid: key.kid })}.${segment(payload)}`
  return Promise.resolve(
    `${input}.${crypto.createSign('sha256').update(input).sign(key.privateKey).toString('base64url')}`,
  )
}

/**
 * A key as Entra ID publishes it (its discovery/v2.0/keys document): RSA with no `alg`, the
 * certificate's thumbprint and chain, and Microsoft's own members.
 */
function entraJwk({ jwk }) {
  const { alg, ...rest } = jwk
  return {
    ...rest,
    x5t: jwk.kid,
    x5c: ['MIIC/TCCAeWgAwIBAgIIbm90LWEtcmVhbC1jZXJ0'],
    issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0',
    cloud_instance_name: 'microsoftonline.com',
  }
}
// Entra's set also holds keys for other clouds and uses; one this engine cannot use must not cost the others.
const ENTRA_EXTRA = [{ kty: 'EC', crv: 'P-521', kid: 'p521-other', use: 'sig', x: 'AQ', y: 'AQ' }]

/** A JWKS server: answers any path with the current set, recording the paths asked for. */
async function jwksServer(keys) {
  const state = { keys, asked: [], entra: false }
  const server = http.createServer((req, res) => {
    state.asked.push(req.url)
    res.setHeader('content-type', 'application/json')
    res.end(
      JSON.stringify({
        keys: state.entra ? [...state.keys.map(entraJwk), ...ENTRA_EXTRA] : state.keys.map((k) => k.jwk),
      }),
    )
  })
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  const local = `http://127.0.0.1:${server.address().port}`
  // The README's https URL, fetched from the local server under the same path.
  state.fetch = (url, init) => globalThis.fetch(local + new URL(url).pathname, init)
  state.close = () =>
    new Promise((r) => {
      server.close(r)
      server.closeAllConnections()
    })
  return state
}

// Entra ID's headers carry the certificate thumbprint beside the kid.
const entraSign = (key, payload) => sign(key, payload, 'JWT', { x5t: key.kid })
const CUSTOMER = '9188040d-6c67-4c5b-b112-36a304b66dad'
const OTHER = '72f988bf-86f1-41af-91ab-2d7cd011db47'

// Each provider: the README block, tokens as it issues them, and what each must come to.
function providers(key) {
  const t = now()
  return {
    auth0: [
      [
        'access token',
        sign(key, {
          iss: 'https://YOUR_TENANT.eu.auth0.com/',
          sub: 'auth0|64f1c2a9',
          aud: ['https://api.example.com', 'https://YOUR_TENANT.eu.auth0.com/userinfo'],
          iat: t,
          exp: t + 86400,
          azp: 'Hk3tQ0ClientId',
          scope: 'openid profile read:orders',
          org_id: 'org_abc123',
          permissions: ['read:orders'],
          'https://example.com/roles': ['billing-admin'],
        }),
        { userId: 'auth0|64f1c2a9', tenantId: 'org_abc123', roles: ['billing-admin'], permissions: ['read:orders'] },
      ],
      [
        'ID token',
        sign(key, {
          iss: 'https://YOUR_TENANT.eu.auth0.com/',
          sub: 'auth0|64f1c2a9',
          aud: 'Hk3tQ0ClientId',
          iat: t,
          exp: t + 36000,
          nonce: 'n-0S6',
          name: 'Ada',
          email: 'ada@example.com',
        }),
        'INVALID_AUDIENCE',
      ],
      [
        'refresh token (opaque)',
        Promise.resolve('v1.MjQ3ZGUxNDQtOTEzNi00YTc4LWE4ZjEtZTI5NjM0NWQ1ZDcz'),
        'TOKEN_MALFORMED',
      ],
    ],
    keycloak: [
      [
        'access token',
        sign(key, {
          exp: t + 300,
          iat: t,
          jti: uuid(),
          iss: 'https://keycloak.example.com/realms/YOUR_REALM',
          aud: ['YOUR_API_CLIENT', 'account'],
          sub: '9f1b4c2e-7d0a-4b8e-9c1d-2a3b4c5d6e7f',
          typ: 'Bearer',
          azp: 'web-app',
          session_state: uuid(),
          acr: '1',
          realm_access: { roles: ['default-roles-acme', 'admin'] },
          resource_access: { account: { roles: ['manage-account'] } },
          scope: 'openid email profile',
          sid: uuid(),
          email_verified: true,
          preferred_username: 'ada',
          email: 'ada@example.com',
        }),
        {
          userId: '9f1b4c2e-7d0a-4b8e-9c1d-2a3b4c5d6e7f',
          tenantId: null,
          roles: ['default-roles-acme', 'admin'],
          permissions: ['openid', 'email', 'profile'],
          email: 'ada@example.com',
        },
      ],
      // Keycloak up to 24 (and keycloak-js) put the sign-in's nonce in access tokens too.
      [
        'access token carrying the sign-in nonce',
        sign(key, {
          exp: t + 300,
          iat: t,
          jti: uuid(),
          iss: 'https://keycloak.example.com/realms/YOUR_REALM',
          aud: ['YOUR_API_CLIENT', 'account'],
          sub: '9f1b4c2e-7d0a-4b8e-9c1d-2a3b4c5d6e7f',
          typ: 'Bearer',
          azp: 'web-app',
          nonce: 'c0ffee-nonce',
          session_state: uuid(),
          realm_access: { roles: ['admin'] },
          scope: 'openid',
        }),
        { userId: '9f1b4c2e-7d0a-4b8e-9c1d-2a3b4c5d6e7f', tenantId: null, roles: ['admin'], permissions: ['openid'] },
      ],
      [
        'ID token',
        sign(key, {
          exp: t + 300,
          iat: t,
          jti: uuid(),
          iss: 'https://keycloak.example.com/realms/YOUR_REALM',
          aud: 'web-app',
          sub: '9f1b4c2e-7d0a-4b8e-9c1d-2a3b4c5d6e7f',
          typ: 'ID',
          azp: 'web-app',
          nonce: 'n',
          at_hash: 'aGFzaA',
          email: 'ada@example.com',
        }),
        'INVALID_AUDIENCE',
      ],
      // An ID token issued to the API's own client (or through a refresh, without nonce or at_hash).
      [
        'ID token for the API client',
        sign(key, {
          exp: t + 300,
          iat: t,
          jti: uuid(),
          iss: 'https://keycloak.example.com/realms/YOUR_REALM',
          aud: 'YOUR_API_CLIENT',
          sub: '9f1b4c2e-7d0a-4b8e-9c1d-2a3b4c5d6e7f',
          typ: 'ID',
          azp: 'YOUR_API_CLIENT',
          email: 'ada@example.com',
        }),
        'INVALID_TOKEN_TYPE',
      ],
      [
        'refresh token',
        sign(key, {
          exp: t + 1800,
          iat: t,
          jti: uuid(),
          iss: 'https://keycloak.example.com/realms/YOUR_REALM',
          aud: 'https://keycloak.example.com/realms/YOUR_REALM',
          sub: '9f1b4c2e-7d0a-4b8e-9c1d-2a3b4c5d6e7f',
          typ: 'Refresh',
          azp: 'web-app',
          scope: 'openid email profile',
        }),
        'INVALID_AUDIENCE',
      ],
      // Signed for the API by mistake, it is still not an access token.
      [
        'refresh token with the API audience',
        sign(key, {
          exp: t + 1800,
          iat: t,
          iss: 'https://keycloak.example.com/realms/YOUR_REALM',
          aud: 'YOUR_API_CLIENT',
          sub: 'u',
          typ: 'Refresh',
        }),
        'INVALID_TOKEN_TYPE',
      ],
    ],
    cognito: [
      [
        'access token',
        sign(key, {
          sub: '4a1f5e2b-90c3-4d7e-8f6a-1b2c3d4e5f60',
          'cognito:groups': ['admins', 'staff'],
          iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_YOURPOOL',
          version: 2,
          client_id: '3n4b5urk1ft4fl3mg5e62d9ado',
          origin_jti: uuid(),
          event_id: uuid(),
          token_use: 'access',
          scope: 'aws.cognito.signin.user.admin openid profile',
          auth_time: t,
          exp: t + 3600,
          iat: t,
          jti: uuid(),
          username: 'ada',
        }),
        {
          userId: '4a1f5e2b-90c3-4d7e-8f6a-1b2c3d4e5f60',
          tenantId: null,
          roles: ['admins', 'staff'],
          permissions: ['aws.cognito.signin.user.admin', 'openid', 'profile'],
        },
      ],
      [
        'ID token',
        sign(key, {
          sub: '4a1f5e2b-90c3-4d7e-8f6a-1b2c3d4e5f60',
          'cognito:groups': ['admins'],
          email_verified: true,
          iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_YOURPOOL',
          'cognito:username': 'ada',
          origin_jti: uuid(),
          aud: '3n4b5urk1ft4fl3mg5e62d9ado',
          event_id: uuid(),
          token_use: 'id',
          auth_time: t,
          exp: t + 3600,
          iat: t,
          jti: uuid(),
          email: 'ada@example.com',
        }),
        'INVALID_TOKEN_TYPE',
      ],
      // Cognito's refresh tokens are encrypted JWTs: five segments.
      [
        'refresh token (JWE)',
        Promise.resolve('eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.c2Vj.aXY.Y2lwaGVy.dGFn'),
        'TOKEN_MALFORMED',
      ],
    ],
    entra: [
      [
        'access token',
        entraSign(key, {
          aud: 'YOUR_API_CLIENT_ID',
          iss: 'https://login.microsoftonline.com/YOUR_TENANT_ID/v2.0',
          iat: t,
          nbf: t,
          exp: t + 3900,
          aio: 'AXQAi/8TAAAA',
          azp: 'YOUR_CLIENT_APP_ID',
          azpacr: '0',
          name: 'Ada Lovelace',
          oid: '00000000-0000-0000-66f3-3332eca7ea81',
          preferred_username: 'ada@example.com',
          rh: '0.AAAA.',
          roles: ['Orders.Admin'],
          scp: 'Orders.Read Orders.Write',
          sub: 'AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ',
          tid: 'YOUR_TENANT_ID',
          uti: 'fqiBqXLPj0eQa82S-IYFAA',
          ver: '2.0',
        }),
        {
          userId: '00000000-0000-0000-66f3-3332eca7ea81',
          tenantId: 'YOUR_TENANT_ID',
          roles: ['Orders.Admin'],
          permissions: ['Orders.Read', 'Orders.Write'],
        },
      ],
      [
        'app-only access token',
        sign(key, {
          aud: 'YOUR_API_CLIENT_ID',
          iss: 'https://login.microsoftonline.com/YOUR_TENANT_ID/v2.0',
          iat: t,
          nbf: t,
          exp: t + 3600,
          azp: 'DAEMON_APP_ID',
          oid: 'a7c1-daemon',
          roles: ['Orders.Sync'],
          sub: 'a7c1-daemon',
          tid: 'YOUR_TENANT_ID',
          ver: '2.0',
        }),
        { userId: 'a7c1-daemon', tenantId: 'YOUR_TENANT_ID', roles: ['Orders.Sync'], permissions: [] },
      ],
      [
        'ID token',
        sign(key, {
          aud: 'YOUR_CLIENT_APP_ID',
          iss: 'https://login.microsoftonline.com/YOUR_TENANT_ID/v2.0',
          iat: t,
          nbf: t,
          exp: t + 3600,
          name: 'Ada',
          nonce: 'n-123',
          oid: '00000000-0000-0000-66f3-3332eca7ea81',
          preferred_username: 'ada@example.com',
          sub: 'pairwise',
          tid: 'YOUR_TENANT_ID',
          ver: '2.0',
        }),
        'INVALID_AUDIENCE',
      ],
      [
        'ID token for the API app',
        sign(key, {
          aud: 'YOUR_API_CLIENT_ID',
          iss: 'https://login.microsoftonline.com/YOUR_TENANT_ID/v2.0',
          iat: t,
          exp: t + 3600,
          nonce: 'n-123',
          oid: 'o',
          sub: 's',
          tid: 'YOUR_TENANT_ID',
          ver: '2.0',
        }),
        'INVALID_TOKEN_TYPE',
      ],
    ],
    'entra-common': [
      [
        'access token of one customer tenant',
        entraSign(key, {
          aud: 'YOUR_API_CLIENT_ID',
          iss: `https://login.microsoftonline.com/${CUSTOMER}/v2.0`,
          iat: t,
          nbf: t,
          exp: t + 3600,
          oid: 'oid-1',
          roles: [],
          scp: 'Orders.Read',
          sub: 'pairwise',
          tid: CUSTOMER,
          ver: '2.0',
        }),
        { userId: 'oid-1', tenantId: CUSTOMER, roles: [], permissions: ['Orders.Read'] },
      ],
      [
        'another tenant named as issuer',
        entraSign(key, {
          aud: 'YOUR_API_CLIENT_ID',
          iss: `https://login.microsoftonline.com/${OTHER}/v2.0`,
          iat: t,
          exp: t + 3600,
          oid: 'o',
          sub: 's',
          tid: CUSTOMER,
          ver: '2.0',
        }),
        'INVALID_ISSUER',
      ],
      [
        'no tenant',
        entraSign(key, {
          aud: 'YOUR_API_CLIENT_ID',
          iss: `https://login.microsoftonline.com/${CUSTOMER}/v2.0`,
          iat: t,
          exp: t + 3600,
          oid: 'o',
          sub: 's',
          ver: '2.0',
        }),
        'INVALID_ISSUER',
      ],
      [
        'another issuer',
        entraSign(key, {
          aud: 'YOUR_API_CLIENT_ID',
          iss: `https://evil.example.com/${CUSTOMER}/v2.0`,
          iat: t,
          exp: t + 3600,
          oid: 'o',
          sub: 's',
          tid: CUSTOMER,
          ver: '2.0',
        }),
        'INVALID_ISSUER',
      ],
      [
        'ID token',
        entraSign(key, {
          aud: 'YOUR_CLIENT_APP_ID',
          iss: `https://login.microsoftonline.com/${CUSTOMER}/v2.0`,
          iat: t,
          exp: t + 3600,
          nonce: 'n',
          oid: 'o',
          sub: 's',
          tid: CUSTOMER,
          ver: '2.0',
        }),
        'INVALID_AUDIENCE',
      ],
    ],
    rfc9068: [
      [
        'access token',
        sign(
          key,
          {
            iss: 'https://auth.example.com/',
            sub: '5ba552d67',
            aud: 'https://api.example.com',
            client_id: 's6BhdRkqt3',
            iat: t,
            exp: t + 600,
            jti: 'dbe39bf3a3ba4238a513f51d6e1691c4',
            scope: 'read:orders write:orders',
          },
          'at+jwt',
        ),
        { userId: '5ba552d67', tenantId: null, roles: [], permissions: ['read:orders', 'write:orders'] },
      ],
      [
        'the same claims without at+jwt',
        sign(key, {
          iss: 'https://auth.example.com/',
          sub: '5ba552d67',
          aud: 'https://api.example.com',
          iat: t,
          exp: t + 600,
          scope: 'read:orders',
        }),
        'INVALID_TOKEN_TYPE',
      ],
      [
        'ID token',
        sign(
          key,
          {
            iss: 'https://auth.example.com/',
            sub: '5ba552d67',
            aud: 'https://api.example.com',
            iat: t,
            exp: t + 600,
            nonce: 'n',
            at_hash: 'h',
          },
          'at+jwt',
        ),
        'INVALID_TOKEN_TYPE',
      ],
      [
        'refresh token',
        sign(
          key,
          {
            iss: 'https://auth.example.com/',
            sub: '5ba552d67',
            aud: 'https://api.example.com',
            iat: t,
            exp: t + 600,
            type: 'refresh',
          },
          'at+jwt',
        ),
        'INVALID_TOKEN_TYPE',
      ],
      [
        'another issuer',
        sign(
          key,
          { iss: 'https://evil.example.com/', sub: 'x', aud: 'https://api.example.com', iat: t, exp: t + 600 },
          'at+jwt',
        ),
        'INVALID_ISSUER',
      ],
    ],
  }
}

const get = (base, token) => fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${token}` } })

for (const framework of ['express 5', 'fastify 5']) {
  for (const engine of ['native', 'js']) {
    test(`${framework} (${engine}): each provider's tokens with the README's configuration`, async (t) => {
      const key = await rsaKey('provider-key-1')
      const jwks = await jwksServer([key])
      t.after(() => jwks.close())
      for (const [name, cases] of Object.entries(providers(key))) {
        const { config, options } = readmeConfig(name)
        jwks.entra = name.startsWith('entra')
        const server = await start(framework, config, {
          ...options,
          engine,
          jwksOptions: { fetch: jwks.fetch, onError: () => {} },
        })
        try {
          assert.equal(server.engine, engine)
          for (const [what, tokenPromise, expected] of cases) {
            const res = await get(server.base, await tokenPromise)
            const body = await res.json()
            if (typeof expected === 'string') {
              assert.deepEqual([res.status, body.code], [401, expected], `${name} ${what}`)
            } else {
              assert.equal(res.status, 200, `${name} ${what}: ${JSON.stringify(body)}`)
              const { userId, roles, permissions } = body.user
              const { email, ...fields } = expected
              assert.deepEqual({ userId, tenantId: body.tenantId, roles, permissions }, fields, `${name} ${what}`)
              if (email) assert.equal(body.user.email, email)
            }
          }
        } finally {
          await server.close()
        }
        assert.equal(
          new URL(options.jwksUri).pathname,
          jwks.asked.at(-1),
          `${name}: the README's JWKS URL was the one fetched`,
        )
      }
    })
  }
}

for (const framework of ['express 5', 'fastify 5']) {
  test(`${framework}: a key the provider starts using after start is fetched once and the request answered`, async (t) => {
    const [k1, k2, k3] = [await rsaKey('2026-11'), await rsaKey('2026-12'), await rsaKey('never-published')]
    const jwks = await jwksServer([k1])
    t.after(() => jwks.close())
    const { config, options } = readmeConfig('rfc9068')
    const server = await start(framework, config, { ...options, jwksOptions: { fetch: jwks.fetch, cooldown: 1000 } })
    t.after(() => server.close())
    const claims = () => ({
      iss: 'https://auth.example.com/',
      sub: 'u1',
      aud: 'https://api.example.com',
      iat: now(),
      exp: now() + 600,
    })
    // The first request may race the fetch made at start; it waits for it rather than failing.
    assert.equal((await get(server.base, await sign(k1, claims(), 'at+jwt'))).status, 200)
    const fetchesBefore = jwks.asked.length

    // The provider publishes a new key after the cool-down since the last fetch has passed.
    await new Promise((r) => setTimeout(r, 1100))
    jwks.keys = [k1, k2]
    const rotated = await sign(k2, claims(), 'at+jwt')
    const answers = await Promise.all(Array.from({ length: 20 }, () => get(server.base, rotated)))
    assert.deepEqual(
      answers.map((r) => r.status),
      Array(20).fill(200),
    )
    assert.equal(jwks.asked.length, fetchesBefore + 1, 'twenty requests with a new kid: one fetch')

    // A kid the provider never publishes: 401, and no fetch within the cool-down.
    const unknown = await sign(k3, claims(), 'at+jwt')
    for (let i = 0; i < 5; i++) {
      const res = await get(server.base, unknown)
      assert.deepEqual([res.status, (await res.json()).code], [401, 'UNKNOWN_KEY'])
    }
    assert.equal(jwks.asked.length, fetchesBefore + 1, 'unknown kids within the cool-down fetch nothing')
  })
}

test('jwksUri and jwksOptions are checked when the middleware is built', () => {
  const { createExpressAuth } = require('../lib/integrations/express')
  const config = readmeConfig('rfc9068').config
  for (const [options, message] of [
    [{ jwksUri: 42 }, /jwksUri/],
    [{ jwksOptions: { cooldown: 0 } }, /jwksOptions/],
    [{ jwksUri: 'ftp://x/jwks' }, /http/],
    [{ jwksUri: 'https://x/jwks', jwksOptions: { cooldown: -1 } }, /cooldown/],
    [{ jwksUri: 'https://x/jwks', jwksOptions: { when: 1 } }, /Unknown option/],
  ]) {
    assert.throws(
      () => createExpressAuth(config, options),
      (e) => e.code === 'INVALID_CONFIG' && message.test(e.message),
      JSON.stringify(options),
    )
  }
  // Without jwksUri or keys of its own, a config has nothing to verify with.
  assert.throws(
    () => createExpressAuth(config),
    (e) => e.code === 'INVALID_CONFIG',
  )
})

test('an authenticator wired with createJwksRefresher gets the same early fetch in the integrations', async (t) => {
  const { createAuthenticator, createJwksRefresher } = require('..')
  const [k1, k2] = [await rsaKey('a'), await rsaKey('b')]
  const jwks = await jwksServer([k1])
  t.after(() => jwks.close())
  const { config } = readmeConfig('rfc9068')
  const auth = createAuthenticator({ ...config, jwks: { keys: [] } })
  const refresher = createJwksRefresher(auth, 'https://auth.example.com/.well-known/jwks.json', {
    fetch: jwks.fetch,
    cooldown: 0,
  })
  t.after(() => refresher.stop())
  await refresher.ready
  const server = await start('express 5', auth)
  t.after(() => server.close())
  jwks.keys = [k1, k2]
  const claims = {
    iss: 'https://auth.example.com/',
    sub: 'u1',
    aud: 'https://api.example.com',
    iat: now(),
    exp: now() + 600,
  }
  assert.equal((await get(server.base, await sign(k2, claims, 'at+jwt'))).status, 200)
  refresher.stop()
  jwks.keys = [k1, k2, await rsaKey('c')]
  const third = await sign(jwks.keys[2], claims, 'at+jwt')
  assert.equal((await get(server.base, third)).status, 401, 'a stopped refresher is no longer asked')
})

for (const engine of ['native', 'js']) {
  test(`${engine}: the README's Entra configurations through the plain API (fetchJwks, createAuthenticator)`, async (t) => {
    const { createAuthenticator, fetchJwks } = require('..')
    const key = await rsaKey('entra-key-1')
    const jwks = await jwksServer([key])
    jwks.entra = true
    t.after(() => jwks.close())
    const cases = providers(key)
    for (const name of ['entra', 'entra-common']) {
      const { config, options } = readmeConfig(name)
      const auth = createAuthenticator(
        { ...config, jwks: await fetchJwks(options.jwksUri, { fetch: jwks.fetch }) },
        { engine },
      )
      for (const [what, tokenPromise, expected] of cases[name]) {
        const result = auth.authenticate(`Bearer ${await tokenPromise}`)
        if (typeof expected === 'string') assert.equal(result.errorCode, expected, `${name} ${what}`)
        else
          assert.deepEqual(
            [result.errorCode, result.userId, result.tenantId],
            [null, expected.userId, expected.tenantId],
            `${name} ${what}`,
          )
      }
    }
  })
}

test('an issuer naming {tenantid} more than once is refused at creation, on both engines', () => {
  const { createAuthenticator } = require('..')
  for (const engine of ['native', 'js']) {
    assert.throws(
      () => createAuthenticator({ jwks: { keys: [] }, issuer: 'https://x/{tenantid}/{tenantid}' }, { engine }),
      (e) => e.code === 'INVALID_CONFIG' && /tenantid/.test(e.message),
      engine,
    )
  }
})
