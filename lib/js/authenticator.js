'use strict'

// The JavaScript engine: the whole fused call in plain JS, giving the same result as the native
// engine for every input (only request ids differ). Used where the native binary does not load,
// with USE_RUST_AUTH=false, and as the other half of shadow mode.

const { createSecretKey, randomUUID } = require('node:crypto')
const jwt = require('jsonwebtoken')
const { BY_CODE, ErrorCodes, codedError } = require('./codes')
const { settingsFrom, lifetime } = require('./config')
const { Verifier } = require('./verify')
const { resolveTenant, trimOws, asciiLower } = require('./tenant')
const { RateLimiter } = require('./ratelimit')
const { success, failure } = require('../result')
const { signArguments } = require('../sign-args')

// The native binding reads each argument into a buffer of this many bytes (less one); a longer
// string is "too long" there, and the same rule applies here so both engines agree on any input.
const AUTHORIZATION_SLACK = 1024
const HEADER_BUFFER = 512

function byteLengthOver(s, limit) {
  return s.length * 3 > limit && Buffer.byteLength(s, 'utf8') > limit
}

/** The first `limit` bytes of `s` in UTF-8, never splitting a character, as Latin-1 text. */
function utf8Prefix(s, limit) {
  const bytes = Buffer.from(s, 'utf8')
  let n = limit
  while (n > 0 && (bytes[n] & 0xc0) === 0x80) n--
  return bytes.subarray(0, n).toString('latin1')
}

/** The Bearer credential (RFC 6750 §2.1), `{ token }` or `{ code }`, as src/core/bearer.rs. */
function extractBearer(header) {
  const v = trimOws(header)
  if (v === '') return { code: 'MISSING_AUTHORIZATION' }
  if (v.length <= 6 || asciiLower(v.slice(0, 6)) !== 'bearer' || v[6] !== ' ') return { code: 'INVALID_AUTHORIZATION_FORMAT' }
  let i = 7
  while (v[i] === ' ') i++
  const rest = v.slice(i)
  if (rest === '' || /[\x00-\x20\x7f]/.test(rest)) return { code: 'INVALID_AUTHORIZATION_FORMAT' }
  return { token: rest }
}

function fail(requestId, code, rate) {
  const entry = BY_CODE.get(code)
  return rate ? failure(requestId, entry, rate.limit, rate.remaining, rate.reset, rate.retryAfter) : failure(requestId, entry)
}

const RESERVED = ['type', 'iat', 'exp', 'nbf']

class JsAuthenticator {
  constructor(config) {
    const s = settingsFrom(config)
    this.settings = s
    this.access = new Verifier(s.accessSecret, s, 'access')
    this.refreshKey = s.refreshSecret && createSecretKey(s.refreshSecret)
    this.accessKey = this.access.key
    this.policy = { baseDomain: s.baseDomain, enforce: s.enforceTenantMatch }
    this.limiter = new RateLimiter(s.capacity, s.refillPerSec, s.maxKeys)
    this.authorizationLimit = s.maxTokenLength + AUTHORIZATION_SLACK - 1
  }

  get engine() {
    return 'js'
  }

  authenticate(authorization, tenantHeader, host) {
    const requestId = randomUUID()
    if (authorization === undefined || authorization === null) return fail(requestId, 'MISSING_AUTHORIZATION')
    if (typeof authorization !== 'string') return fail(requestId, 'INVALID_AUTHORIZATION_FORMAT')
    let bearer
    if (byteLengthOver(authorization, this.authorizationLimit)) {
      bearer = extractBearer(utf8Prefix(authorization, this.authorizationLimit))
      return fail(requestId, bearer.code || 'TOKEN_MALFORMED')
    }
    bearer = extractBearer(authorization)
    if (bearer.code) return fail(requestId, bearer.code)
    const verified = this.access.verify(bearer.token, Math.floor(Date.now() / 1000))
    if (verified.code) return fail(requestId, verified.code)
    const c = verified.claims
    const headerTooLong = typeof tenantHeader === 'string' && byteLengthOver(tenantHeader, HEADER_BUFFER - 1)
    const hostUsable = typeof host === 'string' && !byteLengthOver(host, HEADER_BUFFER - 1)
    const resolved = resolveTenant(this.policy, c.tenant_id, tenantHeader, headerTooLong, host, hostUsable)
    if (resolved.code) return fail(requestId, resolved.code)
    const tenantId = resolved.tenant
    const key = `${c.sub.length}:${c.sub}${tenantId === null ? '' : `/${tenantId}`}`
    const rate = this.limiter.take(key)
    if (!rate.allowed) return fail(requestId, 'RATE_LIMITED', rate)
    return success(requestId, c.sub, c.email, c.role, c.permissions, tenantId, rate.limit, rate.remaining, rate.reset)
  }

  signAccessToken(claims, options) {
    return this.sign('access', claims, options)
  }

  signRefreshToken(claims, options) {
    return this.sign('refresh', claims, options)
  }

  stats() {
    return { rateLimitKeys: this.limiter.size }
  }

  /** The rules of src/core/tokens.rs, with jsonwebtoken doing the signing. */
  sign(type, claims, options) {
    const s = this.settings
    const argument = (message) => codedError(ErrorCodes.INVALID_ARGUMENT, message)
    const args = signArguments(claims, options)
    const opts = args.options
    const payload = JSON.parse(args.json)
    const key = type === 'access' ? this.accessKey : this.refreshKey
    if (!key) throw codedError(ErrorCodes.INVALID_CONFIG, 'Signing a refresh token needs `refreshSecret` in the configuration')
    const reserved = RESERVED.find((n) => Object.hasOwn(payload, n))
    if (reserved) throw argument(`claim \`${reserved}\` is set by the signer; use the \`expiresIn\`/\`notBefore\` options instead`)
    if (typeof payload.sub !== 'string' || payload.sub === '') throw argument('claim `sub` (the user id) must be a non-empty string')
    for (const name of ['email', 'role', 'tenant_id', 'iss', 'jti']) {
      if (Object.hasOwn(payload, name) && typeof payload[name] !== 'string') throw argument(`claim \`${name}\` must be a string`)
    }
    const stringList = (v) => Array.isArray(v) && v.every((x) => typeof x === 'string')
    if (Object.hasOwn(payload, 'permissions') && !stringList(payload.permissions)) throw argument('claim `permissions` must be an array of strings')
    if (Object.hasOwn(payload, 'aud') && typeof payload.aud !== 'string' && !stringList(payload.aud)) {
      throw argument('claim `aud` must be a string or an array of strings')
    }
    const ttl = opts.expiresIn === undefined || opts.expiresIn === null ? (type === 'access' ? s.accessTokenTtl : s.refreshTokenTtl) : lifetime(opts.expiresIn, 'expiresIn')
    if (ttl === 0) throw argument('`expiresIn` must be at least 1 second')
    const now = Math.floor(Date.now() / 1000)
    payload.type = type
    payload.iat = now
    payload.exp = now + ttl
    if (opts.notBefore !== undefined && opts.notBefore !== null) payload.nbf = now + lifetime(opts.notBefore, 'notBefore')
    if (!Object.hasOwn(payload, 'iss') && s.issuers.length > 0) payload.iss = s.issuers[0]
    if (!Object.hasOwn(payload, 'aud') && s.audiences.length > 0) payload.aud = s.audiences[0]
    if (!Object.hasOwn(payload, 'jti')) payload.jti = randomUUID()
    return jwt.sign(payload, key, { algorithm: s.algorithms[0], noTimestamp: true })
  }
}

module.exports = { JsAuthenticator }
