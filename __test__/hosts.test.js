'use strict'

// Which host an integration reads (the framework's own, behind its trust-proxy setting), a tenant
// named by a function of the host, and anonymous requests with credentialsRequired: false, on real
// Express 4/5 and Fastify 4/5 servers.

const test = require('node:test')
const assert = require('node:assert')
const http = require('node:http')
const { FRAMEWORKS, start } = require('./servers')
const { baseConfig, mint, REQUEST_ID } = require('./helpers')

/** GET with any headers, Host included (fetch may not set it). */
function get(base, path, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, { headers, timeout: 5000 }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c) => (body += c))
      res.on('end', () =>
        resolve({
          status: res.statusCode,
          headers: res.headers,
          body: /json/.test(res.headers['content-type'] ?? '') ? JSON.parse(body) : body,
        }),
      )
    })
    req.on('error', reject)
    req.on('timeout', () => req.destroy(new Error('timed out')))
    req.end()
  })
}

const untenanted = `Bearer ${mint()}`
const open = baseConfig({ enforceTenantMatch: false, baseDomain: 'example.com' })

for (const framework of Object.keys(FRAMEWORKS)) {
  test(`${framework}: the host is the framework's, and X-Forwarded-Host counts only behind a trusted proxy`, async () => {
    for (const trustProxy of [false, true]) {
      const server = await start(framework, open, {}, { trustProxy })
      try {
        const res = await get(server.base, '/api/me', {
          authorization: untenanted,
          host: 'acme.example.com',
          'x-forwarded-host': 'globex.example.com',
        })
        assert.strictEqual(res.status, 200)
        assert.strictEqual(res.body.tenantId, trustProxy ? 'globex' : 'acme', `trust proxy ${trustProxy}`)
      } finally {
        await server.close()
      }
    }
  })

  test(`${framework}: tenantFromHost names the tenant; a tenant header still comes first; enforcement applies`, async () => {
    const tenantFromHost = (host) => (host.endsWith('.tenants.example.net') ? host.split('.')[0] : null)
    const server = await start(framework, baseConfig(), { tenantFromHost })
    try {
      const acme = `Bearer ${mint({ tenant_id: 'acme' })}`
      let res = await get(server.base, '/api/me', { authorization: acme, host: 'acme.tenants.example.net' })
      assert.deepStrictEqual([res.status, res.body.tenantId], [200, 'acme'])
      res = await get(server.base, '/api/me', { authorization: acme, host: 'globex.tenants.example.net' })
      assert.deepStrictEqual([res.status, res.body.code], [403, 'TENANT_MISMATCH'])
      res = await get(server.base, '/api/me', { authorization: acme, host: 'api.example.com' })
      assert.deepStrictEqual([res.status, res.body.tenantId], [200, 'acme'])
      res = await get(server.base, '/api/me', {
        authorization: acme,
        host: 'globex.tenants.example.net',
        'x-tenant-id': 'acme',
      })
      assert.deepStrictEqual([res.status, res.body.tenantId], [200, 'acme'])
    } finally {
      await server.close()
    }
    // Its answer is checked as a tenant header is; a throwing function fails that request only.
    const odd = await start(framework, baseConfig(), {
      tenantFromHost: (host) =>
        host.startsWith('bad.') ? 'a b' : host.startsWith('boom.') ? assert.fail('boom') : null,
    })
    try {
      assert.strictEqual(
        (await get(odd.base, '/api/me', { authorization: untenanted, host: 'bad.example.com' })).status,
        400,
      )
      assert.strictEqual(
        (await get(odd.base, '/api/me', { authorization: untenanted, host: 'boom.example.com' })).status,
        500,
      )
      assert.strictEqual(
        (await get(odd.base, '/api/me', { authorization: untenanted, host: 'ok.example.com' })).status,
        200,
      )
    } finally {
      await odd.close()
    }
  })

  test(`${framework}: credentialsRequired: false lets an anonymous request through, never a bad token`, async () => {
    const server = await start(framework, baseConfig(), { credentialsRequired: false })
    try {
      let res = await get(server.base, '/api/me')
      assert.strictEqual(res.status, 200)
      assert.ok(res.body.user === null || res.body.user === undefined, JSON.stringify(res.body))
      assert.match(res.headers['x-request-id'], REQUEST_ID)
      res = await get(server.base, '/api/me', { authorization: 'Bearer a.b' })
      assert.deepStrictEqual([res.status, res.body.code], [401, 'TOKEN_MALFORMED'])
      res = await get(server.base, '/api/me', { authorization: untenanted })
      assert.deepStrictEqual([res.status, res.body.user.userId], [200, 'user-1'])
    } finally {
      await server.close()
    }
  })
}

test('integration options are checked at setup', async () => {
  for (const [options, name] of [
    [{ tenantFromHost: 'acme' }, 'tenantFromHost'],
    [{ credentialsRequired: 'no' }, 'credentialsRequired'],
  ]) {
    await assert.rejects(async () => (await start('express 5', baseConfig(), options)).close(), {
      code: 'INVALID_CONFIG',
      message: new RegExp(name),
    })
  }
})

test('where hosts name tenants, a Host that cannot be read is refused (INVALID_HOST, 400), never skipped', () => {
  const { createAuthenticator } = require('..')
  const token = `Bearer ${mint({ tenant_id: 'acme' })}`
  for (const engine of ['native', 'js']) {
    const auth = createAuthenticator(baseConfig({ baseDomain: 'example.com', enforceTenantMatch: true }), { engine })
    assert.strictEqual(auth.authenticate(token, null, 'evil.example.com').errorCode, 'TENANT_MISMATCH')
    for (const host of [
      'evil.example.com:abc',
      'evil.example.com:',
      `evil.${'a'.repeat(523)}`,
      'ev!l.example.com',
      '[::1',
      42,
    ]) {
      const r = auth.authenticate(token, null, host)
      assert.deepStrictEqual(
        [r.errorCode, r.errorStatus],
        ['INVALID_HOST', 400],
        `${engine} ${String(host).slice(0, 24)}`,
      )
    }
    for (const host of [
      'acme.example.com',
      'acme.example.com:8443',
      'localhost:3000',
      '10.0.0.7',
      '[::1]:3000',
      null,
      undefined,
    ]) {
      assert.strictEqual(auth.authenticate(token, null, host).errorCode, null, `${engine} ${host}`)
    }
    // A tenant header comes first; without a base domain no host is read at all.
    assert.strictEqual(auth.authenticate(token, 'acme', 'evil.example.com:abc').errorCode, null)
    const open = createAuthenticator(baseConfig({ enforceTenantMatch: true }), { engine })
    assert.strictEqual(open.authenticate(token, null, 'evil.example.com:abc').errorCode, null)
  }
})
