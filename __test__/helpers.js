'use strict'

// Shared fixtures for the tests (not itself a test file).

const jwt = require('jsonwebtoken')

const ACCESS_SECRET = 'test-access-secret-0123456789abcdef'
const REFRESH_SECRET = 'test-refresh-secret-0123456789abcdef'

function baseConfig(extra = {}) {
  return {
    accessSecret: ACCESS_SECRET,
    refreshSecret: REFRESH_SECRET,
    issuer: 'auth-shield-test',
    rateLimitMax: 1000,
    rateLimitRefill: 100,
    enforceTenantMatch: true,
    ...extra,
  }
}

const now = () => Math.floor(Date.now() / 1000)

/** A token minted by jsonwebtoken, so tests do not depend on our own signer. */
function mint(claims = {}, { secret = ACCESS_SECRET, header, algorithm = 'HS256' } = {}) {
  return jwt.sign(
    { sub: 'user-1', type: 'access', iss: 'auth-shield-test', exp: now() + 600, ...claims },
    secret,
    header ? { algorithm, header } : { algorithm },
  )
}

/** A seeded xorshift32 generator of numbers in [0, 1), so generated inputs are reproducible. */
function rng(seed) {
  let s = seed >>> 0 || 1
  return () => {
    s ^= s << 13
    s >>>= 0
    s ^= s >>> 17
    s ^= s << 5
    s >>>= 0
    return s / 4294967296
  }
}

const b64url = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url')

// A request id as the integrations issue it: one auth-shield makes (a UUID), or Fastify's own
// request.id (req-<n> by default).
const REQUEST_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|req-[0-9a-z]+)$/

module.exports = { REQUEST_ID, ACCESS_SECRET, REFRESH_SECRET, baseConfig, mint, now, b64url, rng }
