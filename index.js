'use strict'

// The public API: a thin layer over the generated loader (binding.js). The native side returns
// one compact string per request; building the result object here, in JS, is several times
// cheaper than setting its properties from Rust (see DESIGN.md, "What the boundary costs").

const { createHash } = require('node:crypto')
const native = require('./binding.js')

const table = native.errorTable()
const CODE = table.map((e) => e.code)
const STATUS = table.map((e) => e.status)
const MESSAGE = table.map((e) => e.message)

/** Every error code, as a frozen `{ CODE: 'CODE' }` object. */
const ErrorCodes = Object.freeze(Object.fromEntries(CODE.map((c) => [c, c])))

function codedError(code, message) {
  const error = new Error(message)
  error.code = code
  return error
}

// Decoder state: one result is decoded at a time, synchronously.
let text = ''
let at = 0

function readString() {
  const n = (text.charCodeAt(at) << 8) | text.charCodeAt(at + 1)
  at += 2
  if (n === 0xffff) return null
  const s = text.slice(at, at + n)
  at += n
  return s
}

function readNumber() {
  const v =
    text.charCodeAt(at) * 0x1000000 +
    ((text.charCodeAt(at + 1) << 16) | (text.charCodeAt(at + 2) << 8) | text.charCodeAt(at + 3))
  at += 4
  return v
}

// Every result has the same properties in the same order, so V8 gives them one shape.
function decode(encoded) {
  text = encoded
  at = 37
  const kind = encoded.charCodeAt(0)
  const requestId = encoded.slice(1, 37)
  if (kind === 0) {
    const userId = readString()
    const email = readString()
    const role = readString()
    const tenantId = readString()
    const count = (text.charCodeAt(at) << 8) | text.charCodeAt(at + 1)
    at += 2
    const permissions = []
    for (let i = 0; i < count; i++) permissions.push(readString())
    const limit = readNumber()
    const remaining = readNumber()
    const reset = readNumber()
    return {
      authenticated: true,
      requestId,
      userId,
      email,
      role,
      permissions,
      tenantId,
      rateLimitLimit: limit,
      rateLimitRemaining: remaining,
      rateLimitReset: reset,
      retryAfter: null,
      error: null,
      errorCode: null,
      errorStatus: null,
    }
  }
  const index = kind - 1
  const limited = at < encoded.length
  const limit = limited ? readNumber() : null
  const remaining = limited ? readNumber() : null
  const reset = limited ? readNumber() : null
  const retryAfter = limited ? readNumber() : null
  return {
    authenticated: false,
    requestId,
    userId: null,
    email: null,
    role: null,
    permissions: null,
    tenantId: null,
    rateLimitLimit: limit,
    rateLimitRemaining: remaining,
    rateLimitReset: reset,
    retryAfter,
    error: MESSAGE[index],
    errorCode: CODE[index],
    errorStatus: STATUS[index],
  }
}

const SIGN_OPTIONS = ['expiresIn', 'notBefore']

function sign(handle, refresh, claims, options) {
  if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) {
    throw codedError(ErrorCodes.INVALID_ARGUMENT, 'claims must be a plain object such as { sub: "user-1" }')
  }
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw codedError(ErrorCodes.INVALID_ARGUMENT, 'options must be an object such as { expiresIn: "15m" }')
  }
  const opts = options || {}
  for (const name of Object.keys(opts)) {
    if (!SIGN_OPTIONS.includes(name)) {
      throw codedError(ErrorCodes.INVALID_ARGUMENT, `Unknown option \`${name}\`; known options are: ${SIGN_OPTIONS.join(', ')}`)
    }
  }
  let json
  try {
    // The same serialisation jsonwebtoken applies to a payload.
    json = JSON.stringify(claims)
  } catch (cause) {
    throw codedError(ErrorCodes.INVALID_ARGUMENT, `claims cannot be serialised as JSON: ${cause.message}`)
  }
  return native.signToken(handle, refresh, json, opts.expiresIn, opts.notBefore)
}

/**
 * A prepared authenticator: configuration validated and keys prepared once, then one native call
 * per request.
 */
class Authenticator {
  #handle

  constructor(config) {
    this.#handle = native.createAuthenticator(config)
  }

  authenticate(authorization, tenantHeader, host) {
    return decode(native.authenticate(this.#handle, authorization, tenantHeader, host))
  }

  signAccessToken(claims, options) {
    return sign(this.#handle, false, claims, options)
  }

  signRefreshToken(claims, options) {
    return sign(this.#handle, true, claims, options)
  }

  /** Counters for monitoring: `{ rateLimitKeys }`. */
  stats() {
    return native.authenticatorStats(this.#handle)
  }
}

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
      return [key, ArrayBuffer.isView(v) ? ['bytes', Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')] : v]
    })
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex')
}

function preparedFor(config) {
  if (config === null || typeof config !== 'object') return new Authenticator(config)
  let key
  try {
    key = fingerprint(config)
  } catch {
    // Values JSON cannot hold (bigint, cycles) are refused by the native validation anyway.
    return new Authenticator(config)
  }
  let auth = byContent.get(key)
  if (auth === undefined) {
    auth = new Authenticator(config)
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
 * Authenticates one request: the seed-compatible form. The config object is read once; later
 * changes to the same object are not seen (create a new object or a new Authenticator instead).
 */
function authenticateRequest(authorization, tenantHeader, host, config) {
  const auth = byObject.get(config) || preparedFor(config)
  return auth.authenticate(authorization, tenantHeader, host)
}

module.exports = {
  Authenticator,
  authenticateRequest,
  ErrorCodes,
  errorTable: () => table.map((e) => ({ ...e })),
  configOptions: () => native.configOptions(),
}
