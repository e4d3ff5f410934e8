'use strict'

// A seeded, reproducible corpus of requests for the differential suite: valid tokens, every
// error case, and random mutations of valid tokens and headers. Not a test file itself.

const crypto = require('node:crypto')
const { ACCESS_SECRET, REFRESH_SECRET, b64url, rng, baseConfig } = require('./helpers')

function signRaw(headerJson, payloadJson, secret = ACCESS_SECRET, hash = 'sha256') {
  const input = `${b64url(headerJson)}.${b64url(payloadJson)}`
  return `${input}.${crypto.createHmac(hash, secret).update(input).digest('base64url')}`
}

const HS256 = '{"alg":"HS256","typ":"JWT"}'

/** `now`, the second the time claims are relative to (a token with `exp: now + 0.5` is among them). */
function buildCorpus(seed = 20261126, count = 600, now = Math.floor(Date.now() / 1000)) {
  const random = rng(seed)
  const pick = (xs) => xs[Math.floor(random() * xs.length)]
  const claimsJson = (extra = {}) =>
    JSON.stringify({
      sub: pick(['u1', 'u2', 'ü', '用户']),
      type: 'access',
      iss: 'auth-shield-test',
      exp: now + 600,
      tenant_id: pick(['acme', 'globex', undefined]),
      ...extra,
    })
  const valid = () =>
    signRaw(
      HS256,
      claimsJson({
        email: pick(['a@b.c', null, 'é@x']),
        role: pick(['admin', 'user']),
        permissions: pick([[], ['r'], ['r', 'w']]),
        aud: pick([undefined, 'api']),
        plan: pick([undefined, 'free', 'pro', 'gold', 7, null]),
      }),
    )

  const payloads = [
    claimsJson(),
    claimsJson({ exp: now - 10 }),
    claimsJson({ exp: now + 0.5 }),
    claimsJson({ nbf: now + 100 }),
    claimsJson({ iat: now + 100 }),
    claimsJson({ iat: now - 100 }),
    claimsJson({ iat: now - 29 }),
    claimsJson({ iat: null }),
    claimsJson({ type: undefined, token_use: 'access' }),
    claimsJson({ type: undefined, token_use: 'id', nonce: 'n' }),
    claimsJson({ type: undefined, token_use: null }),
    claimsJson({ type: undefined, token_use: 7 }),
    claimsJson({ type: undefined, at_hash: 'h' }),
    claimsJson({ type: undefined, kind: 'api' }),
    claimsJson({ type: undefined, kind: ['api'] }),
    claimsJson({ type: 'access', kind: 'web' }),
    `{"sub":"u1","kind":"api","kind":"api","iss":"auth-shield-test","exp":${now + 60}}`,
    claimsJson({ iss: 'evil' }),
    claimsJson({ iss: undefined }),
    claimsJson({ type: 'refresh' }),
    claimsJson({ type: undefined }),
    claimsJson({ sub: undefined }),
    claimsJson({ exp: undefined }),
    claimsJson({ aud: ['api', 'x'] }),
    claimsJson({ aud: 'other' }),
    claimsJson({ permissions: 'admin' }),
    claimsJson({ permissions: null, email: null, role: null }),
    claimsJson({ exp: String(now + 60) }),
    claimsJson({ sub: 42 }),
    claimsJson({ custom: { deep: [[[{ x: null }]]] } }),
    claimsJson({ tenant_id: '' }),
    claimsJson({ tenant_id: 'ac"me' }),
    // What identity providers put where auth-shield's own tokens keep strings (claims mapping).
    claimsJson({ sub: 42, tenant_id: 7 }),
    claimsJson({ sub: -0, tenant_id: 2 ** 53 }),
    claimsJson({ sub: 2 ** 53 - 1, tenant_id: 1.5 }),
    claimsJson({ role: ['editor', 'viewer'], permissions: 'read:a  write:b ' }),
    claimsJson({ role: [], permissions: '' }),
    claimsJson({ role: ['a', 1] }),
    claimsJson({ role: {} }),
    claimsJson({
      oid: 'u-9',
      tid: 77,
      scp: 'openid read',
      roles: ['Admin'],
      realm_access: { roles: ['admin', 'user'], scopes: 'a b' },
    }),
    claimsJson({ oid: 12, tid: null, realm_access: null, scp: ['x'] }),
    claimsJson({ oid: true, realm_access: ['admin'] }),
    claimsJson({ realm_access: { roles: 'one', x: { '\ud800': 1 } } }),
    claimsJson({ 'https://example.com/tenant_id': 'acme', 'https://example.com/roles': ['r'] }),
    `{"sub":"u1","type":"access","iss":"auth-shield-test","exp":${now + 60},"realm_access":{"roles":["a"],"roles":["b"]}}`,
    `{"sub":"u1","type":"access","iss":"auth-shield-test","exp":${now + 60},"realm_access":{"\ud800":1,"roles":["b"]}}`,
    `{"sub":"u1","type":"access","iss":"auth-shield-test","exp":${now + 60},"realm_access":{"roles":["\ud800"]}}`,
    `{"sub":"u1","type":"access","iss":"auth-shield-test","exp":${now + 60},"realm_access":{},"realm_access":{}}`,
    `{"sub":"u1","sub":"admin","type":"access","iss":"auth-shield-test","exp":${now + 60}}`,
    `{"x":1,"x":2,"sub":"u1","type":"access","iss":"auth-shield-test","exp":${now + 60}}`,
    `{"sub":"\\ud800","type":"access","iss":"auth-shield-test","exp":${now + 60}}`,
    `{"sub":"\\ud83d\\ude00","type":"access","iss":"auth-shield-test","exp":${now + 60}}`,
    `{"sub":"u\\u0000","type":"access","iss":"auth-shield-test","exp":${now + 60},"x":"\\udc00"}`,
    `\ufeff{"sub":"u1","type":"access","iss":"auth-shield-test","exp":${now + 60}}`,
    `{"sub":"u1","type":"access","iss":"auth-shield-test","exp":1e400}`,
    `{"sub":"u1","type":"access","iss":"auth-shield-test","exp":${now + 60}} `,
    `{"sub":"u1","type":"access","iss":"auth-shield-test","exp":${now + 60}}x`,
    `{"sub":"u1","type":"access","iss":"auth-shield-test","exp":01}`,
    `{"s\\u0075b":"u1","sub":"u2","type":"access","iss":"auth-shield-test","exp":${now + 60}}`,
    `{"__proto__":1,"__proto__":2,"sub":"u1","type":"access","iss":"auth-shield-test","exp":${now + 60}}`,
    `{"x":{"a":1,"a":2},"y":[{"b":1,"b":2}],"sub":"u1","type":"access","iss":"auth-shield-test","exp":${now + 60}}`,
    `{"\\ud800x":1,"sub":"u1","type":"access","iss":"auth-shield-test","exp":${now + 60}}`,
    `{"x":1e400,"y":"\\ud800","sub":"u1","type":"access","iss":"auth-shield-test","exp":${now + 60}}`,
    `{"x":"a,\\"b{[","sub":"u1, \\"x\\"","type":"access","iss":"auth-shield-test","exp":${now + 60}}`,
    `{"sub":"u1","type":"access","iss":"auth-shield-test","exp":${now + 60},"aud":null}`,
    `{"sub":"u1","type":"access","iss":"auth-shield-test","exp":${now + 60},"permissions":[null]}`,
    `{"sub":"u1","type":"access","iss":"auth-shield-test","exp":${now + 60},"permissions":["\\udfff"]}`,
    `{"sub":"u1","type":"access","iss":"auth-shield-test","exp":${now + 60},"nbf":-0,"iat":null}`,
    `{"sub":"u1","type":"access","iss":"auth-shield-test","exp":${now + 60}.0e0,"email":true}`,
    `{"sub":"u1","type":"access","iss":"auth-shield-test","exp":${now + 60},"aud":["api",1]}`,
    ` \t\r\n{ "sub" : "u1" , "type":"access","iss":"auth-shield-test","exp":${now + 60} } \n`,
    '{"sub":"u1",}',
    '{,}',
    '[]',
    'null',
    '"s"',
    'not json',
    '',
  ]
  const headers = [
    HS256,
    '{"alg":"HS256"}',
    '{"typ":"JWT","alg":"HS256"}',
    '{"alg":"HS256","kid":"k1"}',
    '{"alg":"none"}',
    '{"alg":"RS256"}',
    '{"alg":"HS384"}',
    '{"alg":"hs256"}',
    '{"alg":"HS256","alg":"HS256"}',
    '{"alg":"HS256","crit":["exp"]}',
    '{"alg":"HS256","typ":1}',
    '{"alg":"HS256","kid":null}',
    '{"alg":"HS256","typ":"at+jwt"}',
    '{"alg":"HS256","typ":"application/AT+JWT"}',
    '{"alg":"HS256","typ":"at+jwt ","cty":"JWT"}',
    '{"alg":"HS256","x":{"alg":"none","alg":"none"}}',
    '{"alg":"HS256","\\u0061lg":"HS256"}',
    '{"alg":"HS256","cty":"\\ud800"}',
    '{"alg":"HS256","zip":"\\ud800"}',
    '{"alg":"HS\\u0032\\u00356"}',
    '[]',
    '{}',
  ]

  const mutations = [
    (t) => t.slice(0, Math.floor(random() * t.length)),
    (t) => {
      const i = Math.floor(random() * t.length)
      return (
        t.slice(0, i) + pick(['A', 'B', '-', '_', '.', '=', '+', '/', ' ', 'é', '\u0000', '\ud800']) + t.slice(i + 1)
      )
    },
    (t) => `${t}=`,
    (t) => t.replace(/-/g, '+').replace(/_/g, '/'),
    (t) => t.split('.').slice(0, 2).join('.'),
    (t) => `${t}.${t.split('.')[2]}`,
    (t) => t.split('.').reverse().join('.'),
    (t) => {
      const [h, p] = t.split('.')
      return `${h}.${p}.${crypto.createHmac('sha256', REFRESH_SECRET).update(`${h}.${p}`).digest('base64url')}`
    },
    (t) => {
      const [h, p, s] = t.split('.')
      return `${h}.${b64url(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url')), role: 'superadmin' }))}.${s}`
    },
  ]

  const authorizations = [
    () => `Bearer ${valid()}`,
    () => `Bearer ${signRaw(pick(headers), pick(payloads))}`,
    () => `Bearer ${signRaw(HS256, pick(payloads), pick([ACCESS_SECRET, REFRESH_SECRET]))}`,
    () => `Bearer ${pick(mutations)(valid())}`,
    () => `${pick(['bearer', 'BEARER', 'Bearer  ', ' Bearer', 'Basic', 'Token', 'Bearer\t'])} ${valid()}`,
    () =>
      pick([
        undefined,
        null,
        '',
        '   ',
        42,
        true,
        {},
        ['Bearer x'],
        'Bearer',
        'Bearer ',
        'Bearer a.b',
        'Bearer a.b.c.d',
        'Bearer ..',
        `Bearer ${'A'.repeat(9300)}`,
        `Bearer ${'é'.repeat(5000)}`,
        `Basic ${'A'.repeat(9300)}`,
        `${' '.repeat(9300)}`,
        'Bearer \ud800',
      ]),
  ]
  const tenants = [
    undefined,
    null,
    '',
    'acme',
    'globex',
    ' acme ',
    'ACME',
    'a b',
    'a, b',
    'é',
    42,
    ['acme'],
    'x'.repeat(128),
    'x'.repeat(129),
    `${' '.repeat(600)}acme`,
  ]
  const hosts = [
    undefined,
    null,
    '',
    'acme.example.com',
    'globex.example.com:8080',
    'ACME.Example.COM',
    'www.example.com',
    'example.com',
    'acme.localhost:3000',
    '127.0.0.1:80',
    '[::1]:3000',
    'acme.example.com:',
    'acme.example.com:99999x',
    'a_b.example.com',
    'acme.api.example.com',
    'api.example.com',
    'api.eu.example.co.uk',
    42,
    `${'a'.repeat(600)}.example.com`,
    '\u212aelvin.example.com',
    'evil.example.com:abc',
    'evil.example.com:',
    `evil.${'a'.repeat(523)}`,
    'ev!l.example.com',
    '[::1',
    '[::1]x',
    '-evil.example.com',
    `${'a'.repeat(64)}.example.com`,
  ]

  if (count === 'every shape')
    return headers.flatMap((h) => payloads.map((p) => [`Bearer ${signRaw(h, p)}`, null, null]))
  const corpus = []
  for (let i = 0; i < count; i++) {
    corpus.push([pick(authorizations)(), pick(tenants), pick(hosts)])
  }
  return corpus
}

/** Every header shape of the corpus with every payload shape, signed: the JSON readers' cases. */
const everyShape = () => buildCorpus(20261126, 'every shape')

/** The configurations the differential suites run the corpus under, by name. */
const DIFFERENTIAL_CONFIGS = {
  enforced: baseConfig({ rateLimitMax: 5, rateLimitRefill: 0.001 }),
  open: baseConfig({ rateLimitMax: 5, rateLimitRefill: 0.001, enforceTenantMatch: false, leeway: 5 }),
  'base domain and audience': baseConfig({
    rateLimitMax: 3,
    rateLimitRefill: 0.001,
    enforceTenantMatch: false,
    baseDomain: ['example.com', 'localhost'],
    audience: ['api'],
  }),
  'no exp required': baseConfig({ rateLimitMax: 50, rateLimitRefill: 0.001, requireExp: false, issuer: undefined }),
  'verified-token cache': baseConfig({ rateLimitMax: 5, rateLimitRefill: 0.001, cache: { max: 64, ttl: 60 } }),
  'limiter off': baseConfig({ rateLimit: false, enforceTenantMatch: false }),
  'per-tenant buckets': baseConfig({
    rateLimitMax: 4,
    rateLimitRefill: 0.001,
    rateLimitKey: 'tenant',
    enforceTenantMatch: false,
  }),
  plans: baseConfig({
    rateLimitMax: 4,
    rateLimitRefill: 0.001,
    enforceTenantMatch: false,
    rateLimitPlans: { claim: 'plan', plans: { free: { max: 2 }, pro: { max: 6 }, 7: { max: 1 } } },
  }),
  'per-user buckets': baseConfig({
    rateLimitMax: 4,
    rateLimitRefill: 0.001,
    rateLimitKey: 'user',
    enforceTenantMatch: false,
  }),
}

module.exports = { buildCorpus, everyShape, DIFFERENTIAL_CONFIGS }
