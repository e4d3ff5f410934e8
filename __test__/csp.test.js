'use strict'

// The CSP builder, checked with Google's csp_evaluator, and its Express and Fastify helpers on
// real servers.

const test = require('node:test')
const assert = require('node:assert/strict')
const { CspEvaluator } = require('csp_evaluator')
const { CspParser } = require('csp_evaluator/dist/parser.js')
const { Severity } = require('csp_evaluator/dist/finding.js')
const shield = require('..')
const { createCspMiddleware } = require('../lib/integrations/express')
const { cspPlugin } = require('../lib/integrations/fastify')

const STRICT =
  "default-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'; upgrade-insecure-requests"
const throwsCsp = (fn) => assert.throws(fn, (e) => e.code === 'INVALID_CSP')

function findings(value) {
  return new CspEvaluator(new CspParser(value).csp).evaluate()
}

test('the strict default policy, and no high-severity csp_evaluator finding', () => {
  const built = new shield.CspBuilder().build()
  assert.deepEqual(built, {
    name: 'Content-Security-Policy',
    value: STRICT,
    nonce: null,
    headers: { 'Content-Security-Policy': STRICT },
  })
  const severe = findings(STRICT).filter((f) => f.severity === Severity.HIGH || f.severity === Severity.SYNTAX)
  assert.deepEqual(severe, [])
})

test('a nonce-based strict-dynamic policy has no high or syntax finding either', () => {
  const { value } = new shield.CspBuilder().useNonce().strictDynamic().build()
  const severe = findings(value).filter((f) =>
    [Severity.HIGH, Severity.SYNTAX, Severity.HIGH_MAYBE].includes(f.severity),
  )
  assert.deepEqual(severe, [])
})

test('fluent directives, hashes, nonces and reporting', () => {
  const csp = new shield.CspBuilder()
    .scriptSrc("'self'", 'https://cdn.example.com')
    .styleSrc("'self'")
    .imgSrc("'self'", 'data:', 'https:')
    .hash('style-src', 'body { color: red }')
    .useNonce('script-src', 'style-src')
    .strictDynamic()
    .reportTo('csp', 'https://example.com/csp-reports')
    .reportUri('/csp')
  const a = csp.build()
  const b = csp.build()
  assert.notEqual(a.nonce, b.nonce)
  assert.equal(Buffer.from(a.nonce, 'base64').length, 16)
  assert.ok(a.value.includes(`script-src 'self' https://cdn.example.com 'strict-dynamic' 'nonce-${a.nonce}'`), a.value)
  assert.ok(
    a.value.includes(
      `style-src 'self' 'sha256-${require('node:crypto').createHash('sha256').update('body { color: red }').digest('base64')}' 'nonce-${a.nonce}'`,
    ),
    a.value,
  )
  assert.ok(a.value.includes('report-uri /csp') && a.value.includes('report-to csp'))
  assert.equal(a.headers['Reporting-Endpoints'], 'csp="https://example.com/csp-reports"')
  const nonces = new Set(Array.from({ length: 10000 }, () => csp.build().nonce))
  assert.equal(nonces.size, 10000)
})

test('report-only mode names its own header and drops upgrade-insecure-requests', () => {
  const built = new shield.CspBuilder().reportOnly().build()
  assert.equal(built.name, 'Content-Security-Policy-Report-Only')
  assert.ok(!built.value.includes('upgrade-insecure-requests'))
  const empty = new shield.CspBuilder({ defaults: false }).defaultSrc("'none'").build()
  assert.equal(empty.value, "default-src 'none'")
})

test('header injection and unquoted keywords are refused, leaving the policy as it was', () => {
  const csp = new shield.CspBuilder()
  const before = csp.build().value
  throwsCsp(() => csp.scriptSrc("'self'; script-src *"))
  throwsCsp(() => csp.scriptSrc('https://a.com, script-src *'))
  throwsCsp(() => csp.scriptSrc('https://a.com\r\nX-Injected: 1'))
  throwsCsp(() => csp.scriptSrc('self'))
  throwsCsp(() => csp.scriptSrc('unsafe-inline'))
  throwsCsp(() => csp.scriptSrc("'nonce-fixed'"))
  throwsCsp(() => csp.scriptSrc("'none'", "'self'"))
  throwsCsp(() => csp.scriptSrc())
  throwsCsp(() => csp.scriptSrc(42))
  throwsCsp(() => csp.directive('script-scr', "'self'"))
  throwsCsp(() => csp.directive(null, "'self'"))
  throwsCsp(() => csp.frameAncestors("'unsafe-inline'"))
  throwsCsp(() => csp.reportTo('a b'))
  throwsCsp(() => csp.reportTo('csp', 'https://x.com/"; a'))
  throwsCsp(() => csp.hash('script-src', 'x', 'md5'))
  throwsCsp(() => csp.useNonce('frame-ancestors'))
  throwsCsp(() => csp.scriptSrc('https://' + 'a'.repeat(1 << 20)))
  assert.equal(csp.build().value, before)
  assert.throws(
    () => new shield.CspBuilder({ strict: true }),
    (e) => e.code === 'INVALID_CONFIG',
  )
  assert.throws(
    () => new shield.CspBuilder(null),
    (e) => e.code === 'INVALID_ARGUMENT',
  )
})

test('Express and Fastify helpers send a fresh nonce per response and expose it to templates', async (t) => {
  const policy = new shield.CspBuilder().useNonce().strictDynamic()
  const servers = []
  for (const [name, load] of [
    ['express 5', () => require('express')],
    ['express 4', () => require('express4')],
  ]) {
    const app = load()()
    app.use(createCspMiddleware(policy))
    app.get('/', (req, res) => res.send(`<script nonce="${res.locals.cspNonce}">1</script>`))
    const server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s))
    })
    servers.push({
      name,
      base: `http://127.0.0.1:${server.address().port}`,
      close: () => new Promise((r) => server.close(r)),
    })
  }
  for (const [name, load] of [
    ['fastify 5', () => require('fastify')],
    ['fastify 4', () => require('fastify4')],
  ]) {
    const app = load()({ logger: false })
    await app.register(cspPlugin, { policy })
    app.get('/', async (request, reply) => reply.type('text/html').send(`<script nonce="${reply.cspNonce}">1</script>`))
    await app.listen({ port: 0, host: '127.0.0.1' })
    servers.push({ name, base: `http://127.0.0.1:${app.server.address().port}`, close: () => app.close() })
  }
  t.after(() => Promise.all(servers.map((s) => s.close())))
  for (const s of servers) {
    const seen = new Set()
    for (let i = 0; i < 3; i++) {
      const res = await fetch(s.base + '/')
      const header = res.headers.get('content-security-policy')
      const body = await res.text()
      const nonce = /nonce="([^"]+)"/.exec(body)[1]
      assert.ok(header.includes(`'nonce-${nonce}'`), `${s.name}: ${header}`)
      seen.add(nonce)
    }
    assert.equal(seen.size, 3, s.name)
  }
})

test('the helpers refuse anything but a CspBuilder, at creation', async () => {
  assert.throws(
    () => createCspMiddleware({ 'default-src': "'self'" }),
    (e) => e.code === 'INVALID_CONFIG',
  )
  const app = require('fastify')({ logger: false })
  await assert.rejects(
    app.register(cspPlugin, { policy: "default-src 'self'" }).ready(),
    (e) => e.code === 'INVALID_CONFIG',
  )
  const app2 = require('fastify')({ logger: false })
  await assert.rejects(app2.register(cspPlugin, { polcy: 1 }).ready(), (e) => e.code === 'INVALID_CONFIG')
  // With no policy: the strict default with script nonces.
  const mw = createCspMiddleware()
  const headers = {}
  const res = { setHeader: (k, v) => (headers[k] = v), locals: {} }
  mw({}, res, () => {})
  assert.ok(headers['Content-Security-Policy'].includes(`'nonce-${res.locals.cspNonce}'`))
})
