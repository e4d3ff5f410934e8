'use strict'

// `claims`: where tokens from identity providers hold the user, tenant, roles and permissions, on
// both engines and in shadow mode (which fails the test on any difference).

const test = require('node:test')
const assert = require('node:assert')
const jwt = require('jsonwebtoken')
const { createAuthenticator } = require('..')
const { ACCESS_SECRET, baseConfig, now } = require('./helpers')

const token = (claims) =>
  `Bearer ${jwt.sign({ iss: 'auth-shield-test', exp: now() + 600, type: 'access', ...claims }, ACCESS_SECRET, { algorithm: 'HS256' })}`
const user = ({ userId, tenantId, role, roles, permissions, errorCode }) => ({
  userId,
  tenantId,
  role,
  roles,
  permissions,
  errorCode,
})
const engines = ['native', 'js', 'shadow']
const strict = { onMismatch: (m) => assert.fail(`engines differ: ${JSON.stringify(m.differences)}`) }

for (const engine of engines) {
  const make = (extra) =>
    createAuthenticator(baseConfig({ enforceTenantMatch: false, ...extra }), { engine, ...strict })

  test(`${engine}: the default names read integer ids, role arrays and scope strings`, () => {
    const auth = make()
    assert.deepStrictEqual(
      user(
        auth.authenticate(
          token({ sub: 1234, tenant_id: 56, role: ['editor', 'viewer'], permissions: 'read:a write:b' }),
        ),
      ),
      {
        userId: '1234',
        tenantId: '56',
        role: 'editor',
        roles: ['editor', 'viewer'],
        permissions: ['read:a', 'write:b'],
        errorCode: null,
      },
    )
    assert.deepStrictEqual(user(auth.authenticate(token({ sub: 'u', role: 'admin' }))), {
      userId: 'u',
      tenantId: null,
      role: 'admin',
      roles: ['admin'],
      permissions: [],
      errorCode: null,
    })
    assert.deepStrictEqual(user(auth.authenticate(token({ sub: 'u' }))).roles, [])
    for (const bad of [
      { sub: 1.5 },
      { sub: 2 ** 53 },
      { sub: 'u', tenant_id: {} },
      { sub: 'u', role: [1] },
      { sub: 'u', permissions: 7 },
    ]) {
      assert.strictEqual(auth.authenticate(token(bad)).errorCode, 'TOKEN_MALFORMED', JSON.stringify(bad))
    }
  })

  test(`${engine}: Entra ID, Keycloak and namespaced claims are read where the map says`, () => {
    const entra = make({ claims: { userId: 'oid', tenantId: 'tid', roles: 'roles', permissions: 'scp' } })
    assert.deepStrictEqual(
      user(
        entra.authenticate(
          token({ sub: 'pairwise', oid: 'o-1', tid: 't-1', roles: ['Orders.Admin'], scp: 'Orders.Read Orders.Write' }),
        ),
      ),
      {
        userId: 'o-1',
        tenantId: 't-1',
        role: 'Orders.Admin',
        roles: ['Orders.Admin'],
        permissions: ['Orders.Read', 'Orders.Write'],
        errorCode: null,
      },
    )
    // The user id claim is required wherever it is mapped.
    assert.strictEqual(entra.authenticate(token({ sub: 'pairwise' })).errorCode, 'MISSING_CLAIM')

    const keycloak = make({ claims: { roles: ['realm_access', 'roles'], permissions: 'scope' } })
    const kc = keycloak.authenticate(
      token({ sub: 'k', realm_access: { roles: ['admin', 'user'] }, scope: 'openid profile' }),
    )
    assert.deepStrictEqual([kc.roles, kc.role, kc.permissions], [['admin', 'user'], 'admin', ['openid', 'profile']])
    assert.deepStrictEqual(keycloak.authenticate(token({ sub: 'k', realm_access: {} })).roles, [])
    assert.strictEqual(keycloak.authenticate(token({ sub: 'k', realm_access: ['admin'] })).errorCode, 'TOKEN_MALFORMED')

    const auth0 = make({
      claims: { tenantId: 'org_id', roles: 'https://example.com/roles', permissions: 'permissions' },
    })
    const a0 = auth0.authenticate(
      token({
        sub: 'auth0|1',
        org_id: 'org_abc',
        'https://example.com/roles': ['billing'],
        permissions: ['read:invoices'],
      }),
    )
    assert.deepStrictEqual([a0.tenantId, a0.roles, a0.permissions], ['org_abc', ['billing'], ['read:invoices']])
  })

  test(`${engine}: bad claim maps are refused when the authenticator is built, naming the option`, () => {
    for (const claims of [
      'sub',
      [],
      { user: 'sub' },
      { userId: '' },
      { userId: [] },
      { userId: 7 },
      { roles: ['a', 1] },
      { roles: ['a', ''] },
      { tenantId: 'exp' },
      { permissions: ['type', 'x'] },
      { userId: undefined },
    ]) {
      assert.throws(() => make({ claims }), { code: 'INVALID_CONFIG', message: /claims/ }, JSON.stringify(claims))
    }
    assert.throws(() => make({ claims: { tenantId: 'kind' }, accessTokenMark: { claim: 'kind', value: 'api' } }), {
      code: 'INVALID_CONFIG',
      message: /accessTokenMark.*claims/,
    })
  })
}

test('both engines word a bad claim map alike', () => {
  for (const claims of [{ userId: 7 }, { user: 'x' }, { roles: ['exp'] }, 'sub']) {
    const messages = ['native', 'js'].map((engine) => {
      try {
        createAuthenticator(baseConfig({ claims }), { engine })
      } catch (e) {
        return e.message
      }
      return null
    })
    assert.strictEqual(messages[0], messages[1])
  }
})
