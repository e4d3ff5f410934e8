'use strict'

// Limits shaped per plan, per route and per caller-chosen key: on every engine, then through real
// Express and Fastify servers.

const test = require('node:test')
const assert = require('node:assert')
const { createAuthenticator } = require('..')
const { createExpressAuth } = require('../lib/integrations/express')
const authShield = require('../lib/integrations/fastify')
const { baseConfig, mint } = require('./helpers')

const bearer = (claims) => `Bearer ${mint(claims)}`
const plans = { claim: 'plan', plans: { free: { max: 2 }, pro: { max: 5, refill: 0.001 } } }
const config = (extra) =>
  baseConfig({ rateLimitMax: 3, rateLimitRefill: 0.001, enforceTenantMatch: false, rateLimitPlans: plans, ...extra })
const strict = { onMismatch: (m) => assert.fail(`engines differ: ${JSON.stringify(m.differences)}`) }
const remainingOf = (auth, header, n, limit) =>
  Array.from({ length: n }, () => auth.authenticate(header, null, null, limit)).map(
    (r) => r.errorCode ?? r.rateLimitRemaining,
  )

for (const engine of ['native', 'js', 'shadow']) {
  test(`${engine}: each plan has its limits and buckets; an unknown plan gets the default`, () => {
    const auth = createAuthenticator(config(), { engine, ...strict })
    assert.deepStrictEqual(remainingOf(auth, bearer({ sub: 'a', plan: 'free' }), 3), [1, 0, 'RATE_LIMITED'])
    assert.deepStrictEqual(remainingOf(auth, bearer({ sub: 'a' }), 2), [2, 1], 'the default bucket is not the free one')
    assert.deepStrictEqual(remainingOf(auth, bearer({ sub: 'b', plan: 'pro' }), 6), [4, 3, 2, 1, 0, 'RATE_LIMITED'])
    assert.deepStrictEqual(remainingOf(auth, bearer({ sub: 'c', plan: 'gold' }), 1), [2])
    assert.strictEqual(auth.authenticate(bearer({ sub: 'd', plan: 'pro' })).rateLimitPlan, 'pro')
    assert.strictEqual(auth.authenticate(bearer({ sub: 'e', plan: 'gold' })).rateLimitPlan, null)
    assert.strictEqual(auth.authenticate(bearer({ sub: 'f', plan: ['pro'] })).errorCode, 'TOKEN_MALFORMED')
  })

  test(`${engine}: route limits and deferred requests; takeRateLimit keys its own buckets`, () => {
    const auth = createAuthenticator(config(), { engine, ...strict })
    const tight = auth.defineRouteLimit({ max: 1 })
    const pro = bearer({ sub: 'p', plan: 'pro' })
    assert.deepStrictEqual(remainingOf(auth, pro, 2, tight), [0, 'RATE_LIMITED'])
    assert.deepStrictEqual(remainingOf(auth, pro, 1), [4], 'the plan bucket is untouched by the route')
    const deferred = auth.authenticate(pro, null, null, false)
    assert.deepStrictEqual([deferred.errorCode, deferred.rateLimitLimit, deferred.rateLimitPlan], [null, null, 'pro'])
    assert.deepStrictEqual(auth.takeRateLimit('key-1', { plan: 'pro' }), {
      allowed: true,
      limit: 5,
      remaining: 4,
      reset: 1000,
      retryAfter: 0,
    })
    assert.strictEqual(auth.takeRateLimit('key-1', { route: tight }).limit, 1)
    assert.strictEqual(auth.takeRateLimit('key-1', { route: tight }).allowed, false)
    assert.strictEqual(auth.takeRateLimit('p').remaining, 2, "a caller's key never meets the user's bucket")
    for (const bad of [
      [''],
      [7],
      ['x'.repeat(1025)],
      ['k', { plan: 1 }],
      ['k', 'pro'],
      ['k', { route: {} }],
      ['k', { route: false }],
    ]) {
      assert.throws(() => auth.takeRateLimit(...bad), { code: 'INVALID_ARGUMENT' }, JSON.stringify(bad))
    }
    for (const bad of [{}, [], 'x', 1, { id: 1 }])
      assert.throws(() => auth.authenticate(pro, null, null, bad), { code: 'INVALID_ARGUMENT' })
    const other = createAuthenticator(config(), { engine })
    assert.throws(
      () => other.authenticate(pro, null, null, tight),
      { code: 'INVALID_ARGUMENT' },
      "another authenticator's route limit",
    )
    for (const bad of [null, { max: 0 }, { refill: -1 }, { max: 1, burst: 2 }, 'x']) {
      assert.throws(
        () => auth.defineRouteLimit(bad),
        { code: 'INVALID_CONFIG', message: /rateLimit/ },
        JSON.stringify(bad),
      )
    }
  })

  test(`${engine}: bad plan tables are refused at creation, naming the place`, () => {
    for (const [rateLimitPlans, where] of [
      ['plan', /rateLimitPlans/],
      [{ plans: plans.plans }, /rateLimitPlans\.claim/],
      [{ claim: 'plan' }, /rateLimitPlans\.plans/],
      [{ claim: 'exp', plans: plans.plans }, /exp/],
      [{ claim: 'plan', plans: {} }, /1 to 1000/],
      [{ claim: 'plan', plans: { free: { max: 1.5 } } }, /rateLimitPlans\.plans\.free/],
      [{ claim: 'plan', plans: { free: 3 } }, /rateLimitPlans\.plans\.free/],
      [{ claim: 'plan', plans: { '': {} } }, /plan name/],
      [{ claim: 'plan', plans: plans.plans, extra: 1 }, /Unknown option/],
    ]) {
      assert.throws(
        () => createAuthenticator(config({ rateLimitPlans }), { engine }),
        { code: 'INVALID_CONFIG', message: where },
        JSON.stringify(rateLimitPlans),
      )
    }
    assert.throws(() => createAuthenticator(config({ rateLimit: false }), { engine }), {
      code: 'INVALID_CONFIG',
      message: /rateLimitPlans/,
    })
    const off = createAuthenticator(baseConfig({ rateLimit: false }), { engine })
    assert.throws(() => off.defineRouteLimit({ max: 1 }), { code: 'INVALID_CONFIG' })
    assert.throws(() => off.takeRateLimit('k'), { code: 'INVALID_ARGUMENT' })
  })
}

test('both engines word bad plan tables and route limits alike', () => {
  const message = (engine, fn) => {
    try {
      fn(engine)
    } catch (e) {
      return `${e.code}: ${e.message}`
    }
    return null
  }
  const cases = [
    (engine) =>
      createAuthenticator(config({ rateLimitPlans: { claim: 'plan', plans: { free: { max: 0 } } } }), { engine }),
    (engine) =>
      createAuthenticator(config({ rateLimitPlans: { claim: 'plan', plans: { free: { refill: 'x' } } } }), { engine }),
    (engine) => createAuthenticator(config({ rateLimitPlans: { claim: ['a', 2], plans: plans.plans } }), { engine }),
    (engine) => createAuthenticator(config(), { engine }).defineRouteLimit({ max: 1e10 }),
    (engine) => createAuthenticator(config(), { engine }).defineRouteLimit(null),
  ]
  for (const [i, fn] of cases.entries()) assert.strictEqual(message('native', fn), message('js', fn), `case ${i}`)
})

async function expressServer(build) {
  const express = require('express')
  const app = express()
  build(app)
  // The app's own error handler: what a user function's failure reaches.
  app.use((err, req, res, next) =>
    res.status(err.status ?? 500).json({ code: err.code, cause: err.cause?.message ?? null }),
  )
  const server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  return {
    base: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((r) => {
        server.close(r)
        server.closeAllConnections()
      }),
  }
}

async function fastifyServer(options, routes) {
  const fastify = require('fastify')({ logger: false })
  await fastify.register(authShield, options)
  routes(fastify)
  await fastify.listen({ port: 0, host: '127.0.0.1' })
  return { base: `http://127.0.0.1:${fastify.server.address().port}`, close: () => fastify.close() }
}

const get = (base, path, headers = {}) => fetch(base + path, { headers })
const statuses = async (base, path, headers, n) => {
  const out = []
  for (let i = 0; i < n; i++) out.push((await get(base, path, headers)).status)
  return out
}

test('express: a second middleware from the same authenticator gives a route its own limits', async (t) => {
  const auth = createAuthenticator(config())
  const s = await expressServer((app) => {
    app.post('/api/export', createExpressAuth(auth, { rateLimit: { max: 1 } }), (req, res) => res.json({ ok: true }))
    app.use('/api', createExpressAuth(auth))
    app.get('/api/me', (req, res) => res.json({ user: req.user }))
    app.get('/api/public', createExpressAuth(auth, { rateLimit: false }), (req, res) => res.json({ ok: true }))
  })
  t.after(() => s.close())
  const h = { authorization: bearer({ sub: 'u', plan: 'pro' }) }
  const post = (path) => fetch(s.base + path, { method: 'POST', headers: h })
  assert.deepStrictEqual([(await post('/api/export')).status, (await post('/api/export')).status], [200, 429])
  const me = await get(s.base, '/api/me', h)
  assert.deepStrictEqual(
    [me.status, me.headers.get('ratelimit-limit'), me.headers.get('ratelimit-remaining')],
    [200, '5', '4'],
  )
  assert.throws(() => createExpressAuth(auth, { rateLimit: { max: -1 } }), { code: 'INVALID_CONFIG' })
  assert.throws(() => createExpressAuth(auth, { rateLimit: 5 }), { code: 'INVALID_CONFIG' })
})

/** The README's `rateLimitKey` example, evaluated as written against `app` and `auth`. */
function readmeRateLimitKeyExample(app, auth) {
  const readme = require('node:fs').readFileSync(require('node:path').join(__dirname, '..', 'README.md'), 'utf8')
  const block = /<!-- example: rate-limit-key -->\n```js\n([\s\S]*?)```/.exec(readme)
  assert.ok(block, 'the README has its rateLimitKey example')
  new Function('app', 'auth', 'createExpressAuth', block[1])(app, auth, createExpressAuth)
}

test("express: the README's rateLimitKey example adds a shared budget and never replaces the user's", async (t) => {
  const auth = createAuthenticator(config())
  const s = await expressServer((app) => {
    // Behind a proxy, the address is the client's to vary (an IPv6 /64 holds 2^64 of them).
    app.set('trust proxy', true)
    readmeRateLimitKeyExample(app, auth)
    app.get('/api/me', (req, res) => res.json({ user: req.user }))
  })
  t.after(() => s.close())
  const from = (sub, ip) => get(s.base, '/api/me', { authorization: bearer({ sub }), 'x-forwarded-for': ip })
  // A fresh address on every request: the user's own budget of 3 still holds.
  const own = []
  for (let i = 0; i < 5; i++) own.push((await from('ada', `2001:db8::${i + 1}`)).status)
  assert.deepStrictEqual(own, [200, 200, 200, 429, 429])
  // Users behind one address share its budget of 3 besides their own.
  const shared = []
  for (const sub of ['grace', 'hopper', 'lin', 'turing']) shared.push((await from(sub, '198.51.100.7')).status)
  assert.deepStrictEqual(shared, [200, 200, 200, 429])
})

test('express: with rateLimitKey the headers tell of the bucket with less left; a failing function is CALLBACK_FAILED', async (t) => {
  const auth = createAuthenticator(config())
  const s = await expressServer((app) => {
    app.use('/api', createExpressAuth(auth, { rateLimitKey: (req) => `org:${req.get('x-org')}` }))
    app.use(
      '/bad',
      createExpressAuth(auth, { rateLimitKey: (req) => (req.get('x-mode') === 'throw' ? JSON.parse('{') : 42) }),
    )
    app.get(['/api/me', '/bad/me'], (req, res) => res.json({ user: req.user }))
  })
  t.after(() => s.close())
  const h = (sub) => ({ authorization: bearer({ sub }), 'x-org': 'acme' })
  const first = await get(s.base, '/api/me', h('u1'))
  assert.deepStrictEqual([first.status, first.headers.get('ratelimit-remaining')], [200, '2'])
  await get(s.base, '/api/me', h('u2'))
  // u3's own bucket is full (2 left after this); acme's has 0 left: that is what the headers say.
  const third = await get(s.base, '/api/me', h('u3'))
  assert.deepStrictEqual([third.status, third.headers.get('ratelimit-remaining')], [200, '0'])
  const limited = await get(s.base, '/api/me', h('u4'))
  assert.deepStrictEqual(
    [limited.status, (await limited.json()).code, limited.headers.get('retry-after') !== null],
    [429, 'RATE_LIMITED', true],
  )
  const threw = await get(s.base, '/bad/me', { authorization: bearer({ sub: 'u' }), 'x-mode': 'throw' })
  assert.strictEqual(threw.status, 500)
  const body = await threw.json()
  assert.strictEqual(body.code, 'CALLBACK_FAILED')
  assert.match(body.cause, /JSON/)
  const wrongType = await get(s.base, '/bad/me', { authorization: bearer({ sub: 'u' }) })
  assert.deepStrictEqual([wrongType.status, (await wrongType.json()).code], [500, 'CALLBACK_FAILED'])
  assert.throws(() => createExpressAuth(baseConfig({ rateLimit: false }), { rateLimitKey: () => 'k' }), {
    code: 'INVALID_CONFIG',
  })
})

test('fastify: a route config gives a route its own limits, checked at startup; rateLimitKey works alike', async (t) => {
  const auth = createAuthenticator(config())
  const s = await fastifyServer(
    { config: auth, rateLimitKey: (request, result) => request.headers['x-api-key'] ?? result.userId },
    (fastify) => {
      fastify.post('/export', { config: { authShield: { rateLimit: { max: 1 } } } }, async () => ({ ok: true }))
      fastify.get('/me', async (request) => ({ user: request.user }))
      fastify.get('/free', { config: { authShield: { rateLimit: false } } }, async () => ({ ok: true }))
    },
  )
  t.after(() => s.close())
  const h = { authorization: bearer({ sub: 'u', plan: 'pro' }), 'x-api-key': 'k9' }
  const post = () => fetch(`${s.base}/export`, { method: 'POST', headers: h })
  assert.deepStrictEqual([(await post()).status, (await post()).status], [200, 429])
  const me = await get(s.base, '/me', h)
  assert.deepStrictEqual(
    [me.status, me.headers.get('ratelimit-limit')],
    [200, '5'],
    'the key spends under the token plan',
  )
  // A fresh key per request does not make a fresh budget: the user's own bucket (pro: 5) holds.
  const fresh = []
  for (let i = 0; i < 6; i++) fresh.push((await get(s.base, '/me', { ...h, 'x-api-key': `fresh-${i}` })).status)
  assert.deepStrictEqual(fresh, [200, 200, 200, 200, 429, 429])
  assert.deepStrictEqual(await statuses(s.base, '/free', h, 8), Array(8).fill(200))

  for (const bad of [{ rateLimit: { max: 0 } }, { rateLimit: 3 }, { limit: 1 }, null]) {
    const fastify = require('fastify')({ logger: false })
    await fastify.register(authShield, { config: auth })
    // Refused as the route is added (or, inside a plugin, when the server gets ready).
    const added = () => fastify.get('/x', { config: { authShield: bad } }, async () => ({}))
    assert.throws(added, { code: 'INVALID_CONFIG' }, JSON.stringify(bad))
    await fastify.close()
  }
})
