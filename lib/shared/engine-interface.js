'use strict'

// The one interface every engine offers (native, JS, shadow): its public methods, as
// `AuthenticatorLike` in index.d.ts types them, and the symbol-named ones auth-shield's own
// modules use (the Redis link, the integrations). `__test__/engines.test.js` holds every engine
// to it; the Redis link wraps an engine through it and never replaces an engine's methods.

const internal = require('./internal')

const PUBLIC_METHODS = [
  'authenticate',
  'defineRouteLimit',
  'takeRateLimit',
  'signAccessToken',
  'signRefreshToken',
  'issueTokens',
  'refresh',
  'revokeToken',
  'revokeUser',
  'revokeFamily',
  'exportRevocations',
  'importRevocations',
  'revocationChanges',
  'applyRevocation',
  'verifiedClaims',
  'setKeys',
  'stats',
  'metrics',
]

const INTERNAL_METHODS = [
  internal.REFRESH_STATE,
  internal.REFRESH_SPENT,
  internal.RATE_TRACK,
  internal.RATE_DRAIN,
  internal.RATE_CORRECT,
  internal.RATE_BUCKET,
  internal.RATE_TAKE_LOCAL,
  internal.TENANT_FROM_TOKEN,
  internal.ON_REVOCATION,
  internal.RESOLVE_TENANT,
]

/** The names of `ENGINE` methods `auth` lacks (empty when it conforms). */
function missingMethods(auth) {
  return [...PUBLIC_METHODS, ...INTERNAL_METHODS].filter((m) => typeof auth[m] !== 'function').map(String)
}

module.exports = { PUBLIC_METHODS, INTERNAL_METHODS, missingMethods }
