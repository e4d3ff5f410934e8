'use strict'

// The native engine: a thin layer over the generated loader (binding.js). The native side returns
// one compact string per request; building the result object here, in JS, is several times
// cheaper than setting its properties from Rust (see DESIGN.md, "What the boundary costs").
// The binary is loaded lazily so that a platform without it can still use the JS engine.

const { TABLE, ErrorCodes, codedError } = require('./js/codes')

let binding = null
let loadError = null

function load() {
  if (binding === null && loadError === null) {
    try {
      binding = require('../binding.js')
    } catch (error) {
      loadError = error
    }
  }
  return binding
}

/** Whether the native binary loads on this platform. */
function nativeAvailable() {
  return load() !== null
}

function requireBinding() {
  const b = load()
  if (b === null) {
    throw codedError(
      ErrorCodes.ENGINE_UNAVAILABLE,
      `The native auth-shield engine is not available on ${process.platform}-${process.arch}: ${loadError.message.split('\n')[0]}`,
    )
  }
  return b
}

const CODE = TABLE.map((e) => e.code)
const STATUS = TABLE.map((e) => e.status)
const MESSAGE = TABLE.map((e) => e.message)

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

function sign(native, handle, refresh, claims, options) {
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
 * A prepared authenticator on the native engine: configuration validated and keys prepared once,
 * then one native call per request.
 */
class Authenticator {
  #native
  #handle

  constructor(config) {
    this.#native = requireBinding()
    this.#handle = this.#native.createAuthenticator(config)
  }

  get engine() {
    return 'native'
  }

  authenticate(authorization, tenantHeader, host) {
    return decode(this.#native.authenticate(this.#handle, authorization, tenantHeader, host))
  }

  signAccessToken(claims, options) {
    return sign(this.#native, this.#handle, false, claims, options)
  }

  signRefreshToken(claims, options) {
    return sign(this.#native, this.#handle, true, claims, options)
  }

  /** Counters for monitoring: `{ rateLimitKeys }`. */
  stats() {
    return this.#native.authenticatorStats(this.#handle)
  }
}

module.exports = { Authenticator, nativeAvailable, requireBinding }
