'use strict'

// The auth middleware chain as users write it in JavaScript today, with the token check left
// pluggable: Bearer extraction, JWT verification, refresh-token refusal, tenant resolution, a
// Map-based token bucket and a crypto.randomUUID() request id. Each benchmark contender plugs in
// its JWT library; the other steps are identical, and they return the same result shape as
// auth-shield, so the benchmark can check every contender gives the same answer.

const { randomUUID } = require('node:crypto')
const { success, failure } = require('../lib/shared/result')

function fail(code, status, error, rate) {
  const entry = { code, status, message: error }
  const id = randomUUID()
  return rate ? failure(id, entry, rate.limit, rate.remaining, rate.reset, rate.retryAfter) : failure(id, entry)
}

function subdomain(host) {
  if (!host) return null
  const name = host.split(':')[0].toLowerCase()
  const labels = name.split('.')
  if (labels.length < 3 || labels[0] === 'www' || /^[\d.]+$/.test(name)) return null
  return labels[0]
}

/** auth-shield's own tokens: `type: 'access'`, the user fields under their default names. */
const OWN_TOKENS = {
  isAccess: (claims) => claims.type === 'access',
  read: ({ sub, email = null, role = null, permissions = [], tenant_id: tenantId }) => ({
    sub,
    email,
    role,
    permissions,
    tenantId,
  }),
}

/**
 * @param verify (token) => claims, throwing an Error whose `code` is one of ours on failure
 * @param limits { max, refill } tokens and tokens per second
 * @param tokens { isAccess(claims), read(claims) => { sub, email, role, permissions, tenantId } }:
 *   how access tokens are told apart and where their user fields are (a provider's claim names)
 */
function createChain(verify, { max, refill }, tokens = OWN_TOKENS) {
  const buckets = new Map()
  return function authenticate(authorization, tenantHeader, host) {
    if (!authorization) return fail('MISSING_AUTHORIZATION', 401, 'No Authorization header provided')
    const match = /^Bearer +(\S+)$/i.exec(authorization)
    if (!match) return fail('INVALID_AUTHORIZATION_FORMAT', 401, 'Invalid Authorization header format')
    let claims
    try {
      claims = verify(match[1])
    } catch (e) {
      const expired = e.code === 'TOKEN_EXPIRED'
      return fail(e.code, 401, expired ? 'Token expired' : 'Invalid token')
    }
    if (!tokens.isAccess(claims)) return fail('INVALID_TOKEN_TYPE', 401, 'Invalid token type')
    const user = tokens.read(claims)
    const requested = tenantHeader || subdomain(host)
    if (requested && user.tenantId !== requested) return fail('TENANT_MISMATCH', 403, 'Tenant mismatch')
    const tenantId = user.tenantId || requested || null
    const key = `${user.sub}:${tenantId}`
    const now = performance.now() / 1000
    let bucket = buckets.get(key)
    if (!bucket) buckets.set(key, (bucket = { tokens: max, at: now }))
    bucket.tokens = Math.min(max, bucket.tokens + (now - bucket.at) * refill)
    bucket.at = now
    const allowed = bucket.tokens >= 1
    if (allowed) bucket.tokens -= 1
    const rate = {
      limit: max,
      remaining: Math.floor(bucket.tokens),
      reset: Math.ceil((max - bucket.tokens) / refill),
      retryAfter: allowed ? null : Math.max(1, Math.ceil((1 - bucket.tokens) / refill)),
    }
    if (!allowed) return fail('RATE_LIMITED', 429, 'Rate limit exceeded', rate)
    const roles = user.role === null ? [] : Array.isArray(user.role) ? user.role : [user.role]
    return success(
      randomUUID(),
      user.sub,
      user.email,
      roles.length > 0 ? roles[0] : null,
      roles,
      user.permissions,
      tenantId,
      rate.limit,
      rate.remaining,
      rate.reset,
      null,
    )
  }
}

module.exports = { createChain }
