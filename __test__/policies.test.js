'use strict'

// Rate-limit policies: the limiter turned off, and whose bucket a request spends, on both engines
// and through the integrations.

const test = require('node:test')
const assert = require('node:assert')
const { createAuthenticator } = require('..')
const { start } = require('./servers')
const { baseConfig, mint, REQUEST_ID } = require('./helpers')

const bearer = (claims) => `Bearer ${mint(claims)}`

for (const engine of ['native', 'js']) {
  test(`${engine}: rateLimit: false keeps no bucket, never refuses and reports null`, () => {
    const auth = createAuthenticator(baseConfig({ rateLimit: false, rateLimitMax: 1 }), { engine })
    const h = bearer()
    for (let i = 0; i < 50; i++) {
      const r = auth.authenticate(h)
      assert.strictEqual(r.errorCode, null)
      assert.deepStrictEqual(
        [r.rateLimitLimit, r.rateLimitRemaining, r.rateLimitReset, r.retryAfter],
        [null, null, null, null],
      )
    }
    assert.strictEqual(auth.stats().rateLimitKeys, 0)
  })

  test(`${engine}: rateLimitKey chooses whose bucket is spent`, () => {
    const remaining = (rateLimitKey) => {
      const auth = createAuthenticator(
        baseConfig({ rateLimitMax: 3, rateLimitRefill: 0.001, enforceTenantMatch: false, rateLimitKey }),
        { engine },
      )
      // The tenant is the token's own (a tenant the request names never keys a bucket).
      return [
        ['a', 't1'],
        ['a', 't2'],
        ['b', 't1'],
        ['b', null],
      ].map(
        ([sub, tenant]) =>
          auth.authenticate(bearer(tenant === null ? { sub } : { sub, tenant_id: tenant })).rateLimitRemaining,
      )
    }
    assert.deepStrictEqual(remaining(undefined), [2, 2, 2, 2])
    assert.deepStrictEqual(remaining('user+tenant'), [2, 2, 2, 2])
    assert.deepStrictEqual(remaining('user'), [2, 1, 2, 1])
    assert.deepStrictEqual(remaining('tenant'), [2, 2, 1, 2])
  })

  test(`${engine}: bad rate-limit policies are refused at creation, naming the option`, () => {
    for (const [extra, name] of [
      [{ rateLimit: 'no' }, 'rateLimit'],
      [{ rateLimitKey: 'ip' }, 'rateLimitKey'],
      [{ rateLimitKey: 1 }, 'rateLimitKey'],
      [{ rateLimit: false, rateLimitKey: 'user' }, 'rateLimitKey'],
    ]) {
      assert.throws(
        () => createAuthenticator(baseConfig(extra), { engine }),
        { code: 'INVALID_CONFIG', message: new RegExp(name) },
        JSON.stringify(extra),
      )
    }
  })
}

for (const framework of ['express 5', 'fastify 5']) {
  test(`${framework}: with the limiter off no RateLimit header is sent`, async () => {
    const server = await start(framework, baseConfig({ rateLimit: false }))
    try {
      const res = await fetch(`${server.base}/api/me`, { headers: { authorization: bearer() } })
      assert.strictEqual(res.status, 200)
      assert.strictEqual(res.headers.get('ratelimit-limit'), null)
      assert.strictEqual(res.headers.get('ratelimit-remaining'), null)
      assert.match(res.headers.get('x-request-id'), REQUEST_ID)
    } finally {
      await server.close()
    }
  })
}

for (const framework of ['express 5', 'express 4', 'fastify 5', 'fastify 4']) {
  test(`${framework}: failedAuthLimit answers 429 before reading a token once a client has spent its failures`, async () => {
    const server = await start(
      framework,
      baseConfig(),
      { failedAuthLimit: { max: 2, refill: 0.001 } },
      { trustProxy: true },
    )
    try {
      const get = (authorization, ip) =>
        fetch(`${server.base}/api/me`, { headers: { authorization, 'x-forwarded-for': ip } })
      assert.strictEqual((await get('Bearer a.b', '198.51.100.7')).status, 401)
      assert.strictEqual((await get(bearer(), '198.51.100.7')).status, 200)
      assert.strictEqual((await get('Bearer a.b', '198.51.100.7')).status, 401)
      for (const authorization of ['Bearer a.b', bearer()]) {
        const res = await get(authorization, '198.51.100.7')
        assert.strictEqual(res.status, 429)
        assert.deepStrictEqual(await res.json(), { error: 'Rate limit exceeded', code: 'RATE_LIMITED' })
        assert.ok(Number(res.headers.get('retry-after')) >= 1)
        assert.match(res.headers.get('x-request-id'), REQUEST_ID)
      }
      // Another client keeps its own budget.
      assert.strictEqual((await get(bearer(), '198.51.100.8')).status, 200)
    } finally {
      await server.close()
    }
  })
}

for (const framework of ['express 5', 'fastify 5']) {
  test(`${framework}: with credentialsRequired false, anonymous requests spend no failures`, async () => {
    const server = await start(framework, baseConfig(), {
      failedAuthLimit: { max: 2, refill: 0.001 },
      credentialsRequired: false,
    })
    try {
      for (let i = 0; i < 4; i++) assert.strictEqual((await fetch(`${server.base}/api/me`)).status, 200)
      const bad = { headers: { authorization: 'Bearer a.b' } }
      assert.strictEqual((await fetch(`${server.base}/api/me`, bad)).status, 401)
      assert.strictEqual((await fetch(`${server.base}/api/me`, bad)).status, 401)
      assert.strictEqual((await fetch(`${server.base}/api/me`)).status, 429)
    } finally {
      await server.close()
    }
  })
}

test('failedAuthLimit is checked at setup', async () => {
  for (const bad of [1, 'yes', { max: 0 }, { refill: 0 }, { maxKeys: 1 }, { burst: 3 }]) {
    await assert.rejects(
      async () => (await start('express 5', baseConfig(), { failedAuthLimit: bad })).close(),
      { code: 'INVALID_CONFIG', message: /failedAuthLimit/ },
      JSON.stringify(bad),
    )
  }
})

test("a tenant the client names never makes a new budget: buckets key only the token's own tenant", () => {
  const { createAuthenticator } = require('..')
  for (const engine of ['native', 'js']) {
    for (const rateLimitKey of ['user+tenant', 'tenant', 'user']) {
      const auth = createAuthenticator(
        baseConfig({
          enforceTenantMatch: false,
          baseDomain: 'example.com',
          rateLimitMax: 5,
          rateLimitRefill: 0.001,
          rateLimitKey,
        }),
        { engine },
      )
      // No tenant claim: every tenant header or tenant host spends the one bucket of the user.
      const untenanted = `Bearer ${mint({ sub: 'roamer' })}`
      let accepted = 0
      for (let i = 0; i < 200; i++) {
        const r =
          i % 2
            ? auth.authenticate(untenanted, `t${i}`, null)
            : auth.authenticate(untenanted, null, `t${i}.example.com`)
        if (r.errorCode === null) accepted++
        else assert.strictEqual(r.errorCode, 'RATE_LIMITED')
      }
      assert.strictEqual(accepted, 5, `${engine} ${rateLimitKey}`)
      // A token bound to a tenant keeps that tenant's bucket, whatever the request names.
      const bound = `Bearer ${mint({ sub: 'member', tenant_id: 'acme' })}`
      const answers = Array.from({ length: 8 }, (_, i) => auth.authenticate(bound, `x${i}`, null))
      assert.strictEqual(answers.filter((r) => r.errorCode === null).length, 5, `${engine} ${rateLimitKey}`)
      assert.strictEqual(answers[0].tenantId, 'acme')
    }
  }
})
