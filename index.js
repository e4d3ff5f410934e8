'use strict'

// The public API. The engines live in lib/engines/: the native one (native.js, over the generated
// binding.js) and the JavaScript one (js/), selected by select.js.

const { createHash } = require('node:crypto')
const { TABLE, ErrorCodes } = require('./lib/shared/codes')
const OPTIONS = Object.keys(require('./lib/shared/contract').AUTHENTICATOR_OPTIONS)
const { Authenticator, nativeAvailable } = require('./lib/engines/native')
const { createAuthenticator } = require('./lib/engines/select')
const password = require('./lib/helpers/password')
const compare = require('./lib/helpers/compare')
const otp = require('./lib/helpers/otp')
const sanitize = require('./lib/helpers/sanitize')
const { CspBuilder, cspNonce } = require('./lib/helpers/csp')
const apiKeys = require('./lib/helpers/apikey')
const jwks = require('./lib/helpers/jwks')

// authenticateRequest(…, config) reuses one prepared authenticator per config object. A config
// rebuilt on every call (an object literal inline) would otherwise get fresh, empty rate-limit
// buckets each time and never be limited, so equal configs also share one authenticator.
const byObject = new WeakMap()
const byContent = new Map()
const MAX_DISTINCT_CONFIGS = 64
let warnedAboutFreshConfigs = false

function fingerprint(config) {
  const parts = Object.keys(config)
    .sort()
    .map((key) => {
      const v = config[key]
      return [
        key,
        ArrayBuffer.isView(v) ? ['bytes', Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')] : v,
      ]
    })
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex')
}

function preparedFor(config) {
  if (config === null || typeof config !== 'object') return createAuthenticator(config)
  let key
  try {
    key = fingerprint(config)
  } catch {
    // Values JSON cannot hold (bigint, cycles) are refused by the validation anyway.
    return createAuthenticator(config)
  }
  let auth = byContent.get(key)
  if (auth === undefined) {
    auth = createAuthenticator(config)
    byContent.set(key, auth)
    if (byContent.size > MAX_DISTINCT_CONFIGS) byContent.delete(byContent.keys().next().value)
  } else if (!warnedAboutFreshConfigs) {
    warnedAboutFreshConfigs = true
    process.emitWarning(
      'authenticateRequest() was given a new config object equal to an earlier one. Pass the same object ' +
        'every time (or use `new Authenticator(config)`) so it is not re-read on each call.',
      { code: 'AUTH_SHIELD_CONFIG_REUSE' },
    )
  }
  byObject.set(config, auth)
  return auth
}

/**
 * Authenticates one request: the seed-compatible form, on the engine USE_RUST_AUTH selects. The
 * config object is read once; later changes to the same object are not seen.
 */
function authenticateRequest(authorization, tenantHeader, host, config) {
  const auth = byObject.get(config) || preparedFor(config)
  return auth.authenticate(authorization, tenantHeader, host)
}

module.exports = {
  Authenticator,
  // The same class under a name that says it is always the native engine; createAuthenticator
  // is the one that follows USE_RUST_AUTH.
  NativeAuthenticator: Authenticator,
  authenticateRequest,
  createAuthenticator,
  nativeAvailable,
  ErrorCodes,
  errorTable: () => TABLE.map((e) => ({ ...e })),
  configOptions: () => [...OPTIONS],
  ...password,
  ...compare,
  ...otp,
  ...sanitize,
  CspBuilder,
  cspNonce,
  ...apiKeys,
  fetchJwks: jwks.fetchJwks,
  createJwksRefresher: jwks.createJwksRefresher,
  connectRedis: require('./lib/redis/index').connectRedis,
  collectAuthShieldMetrics: require('./lib/metrics/prometheus').collectAuthShieldMetrics,
  observeAuthShieldMetrics: require('./lib/metrics/opentelemetry').observeAuthShieldMetrics,
  RedisOtpStore: require('./lib/redis/otp').RedisOtpStore,
  // Guards and the API-key strategy work in Express and Fastify alike.
  ...guardExports(),
}

function guardExports() {
  const guards = require('./lib/integrations/guards')
  return {
    requireRole: guards.requireRole,
    requirePermission: guards.requirePermission,
    requireScope: guards.requireScope,
    requireTenant: guards.requireTenant,
    apiKeyAuth: require('./lib/integrations/api-key-auth').apiKeyAuth,
    AuthError: require('./lib/shared/auth-error').AuthError,
  }
}
