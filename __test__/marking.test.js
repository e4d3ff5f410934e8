'use strict'

// accessTokenMark: how access tokens from identity providers are told from their ID and refresh
// tokens, on both engines.

const test = require('node:test')
const assert = require('node:assert')
const jwt = require('jsonwebtoken')
const { createAuthenticator } = require('..')
const { ACCESS_SECRET, baseConfig, now } = require('./helpers')

/** A token as a provider would shape it: no `type` claim unless given, any header `typ`. */
function provider(claims, typ = 'JWT') {
  const payload = { sub: 'auth0|123', iss: 'auth-shield-test', exp: now() + 600, iat: now(), ...claims }
  return `Bearer ${jwt.sign(payload, ACCESS_SECRET, { algorithm: 'HS256', header: { alg: 'HS256', typ } })}`
}

const cases = {
  type: [
    [provider({ type: 'access' }), null],
    [provider({}), 'INVALID_TOKEN_TYPE'],
    [provider({}, 'at+jwt'), 'INVALID_TOKEN_TYPE'],
  ],
  'at+jwt': [
    [provider({ scope: 'read:orders' }, 'at+jwt'), null],
    [provider({}, 'application/AT+JWT'), null],
    [provider({ type: 'access' }, 'at+jwt'), null],
    [provider({}), 'INVALID_TOKEN_TYPE'],
    [provider({ nonce: 'n', at_hash: 'h' }), 'INVALID_TOKEN_TYPE'],
    [provider({ nonce: 'n' }, 'at+jwt'), 'INVALID_TOKEN_TYPE'],
    [provider({ type: 'refresh' }, 'at+jwt'), 'INVALID_TOKEN_TYPE'],
  ],
  cognito: [
    [provider({ token_use: 'access', scope: 'aws.cognito.signin.user.admin' }), null],
    [provider({ token_use: 'id', email: 'a@b.c' }), 'INVALID_TOKEN_TYPE'],
    [provider({}), 'INVALID_TOKEN_TYPE'],
    [provider({ token_use: 42 }), 'TOKEN_MALFORMED'],
  ],
  custom: [
    [provider({ 'https://example.com/kind': 'api' }), null],
    [provider({ 'https://example.com/kind': 'web' }), 'INVALID_TOKEN_TYPE'],
    [provider({ 'https://example.com/kind': 'api', token_use: 'id' }), 'INVALID_TOKEN_TYPE'],
    [provider({ 'https://example.com/kind': ['api'] }), 'TOKEN_MALFORMED'],
  ],
  none: [
    [provider({}), null],
    [provider({ type: 'access', token_use: 'access' }), null],
    [provider({ type: 'refresh' }), 'INVALID_TOKEN_TYPE'],
    [provider({ token_use: 'id' }), 'INVALID_TOKEN_TYPE'],
    [provider({ at_hash: 'h' }), 'INVALID_TOKEN_TYPE'],
  ],
}

const marks = {
  type: undefined,
  'at+jwt': 'at+jwt',
  cognito: { claim: 'token_use', value: 'access' },
  custom: { claim: 'https://example.com/kind', value: 'api' },
  none: 'none',
}

for (const engine of ['native', 'js']) {
  for (const [name, list] of Object.entries(cases)) {
    test(`${engine}: accessTokenMark ${name} accepts access tokens and refuses the others`, () => {
      const auth = createAuthenticator(baseConfig({ accessTokenMark: marks[name], enforceTenantMatch: false }), {
        engine,
      })
      for (const [i, [header, code]] of list.entries())
        assert.strictEqual(auth.authenticate(header).errorCode, code, `${name} case ${i}`)
    })
  }

  test(`${engine}: a refresh token never passes, whatever the mark; bad marks are refused naming the option`, () => {
    for (const mark of Object.values(marks)) {
      const auth = createAuthenticator(baseConfig({ accessTokenMark: mark }), { engine })
      // A refresh token under the access key, marked as an access token would be in every way but its `type`.
      const refresh = provider({ type: 'refresh', token_use: 'access', 'https://example.com/kind': 'api' }, 'at+jwt')
      assert.strictEqual(auth.authenticate(refresh).errorCode, 'INVALID_TOKEN_TYPE', JSON.stringify(mark))
    }
    for (const bad of [
      'jwt',
      '',
      1,
      [],
      { claim: 'token_use' },
      { claim: 'sub', value: 'x' },
      { claim: 'k', value: 'v', extra: 1 },
    ]) {
      assert.throws(
        () => createAuthenticator(baseConfig({ accessTokenMark: bad }), { engine }),
        { code: 'INVALID_CONFIG', message: /accessTokenMark/ },
        JSON.stringify(bad),
      )
    }
  })
}
