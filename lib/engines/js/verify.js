'use strict'

// Token verification for the JavaScript engine, in the order of core/src/jwt/verify.rs: split →
// header → algorithm allow-list → signature → payload → claims. The signature is an HMAC with a
// KeyObject prepared once, compared in constant time (what jsonwebtoken's jws does inside; its
// verify() parses the payload before checking the signature, which would report other codes).

const crypto = require('node:crypto')
const { Issuers } = require('./issuers')
const base64url = require('./base64url')
const { parseClaims, parseHeader } = require('./claims')
const { DEFAULT_MAP } = require('./claim-map')
const { LIMITS } = require('../../shared/contract')

/** RFC 9068 §2.1 `typ`: `at+jwt`, with or without `application/`, in any case (RFC 7515 §4.1.9). */
const isAtJwt = (typ) => typeof typ === 'string' && /^(application\/)?at\+jwt$/i.test(typ)

const HASH = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }
const MAX_HEADER_SEGMENT = LIMITS.maxHeaderSegmentBytes

class Verifier {
  /** `secret` (bytes) for one shared secret, or null with `keys` (a KeySet) for named keys. */
  constructor(secret, settings, tokenType, keys = null) {
    this.key = secret === null ? null : crypto.createSecretKey(secret)
    this.keys = keys
    this.algorithms = new Set(settings.algorithms)
    this.maxTokenLength = settings.maxTokenLength
    this.issuers = new Issuers(settings.issuers)
    this.audiences = settings.audiences
    this.leeway = settings.leeway
    this.requireExp = settings.requireExp
    this.tokenType = tokenType
    // An age bound is for the tokens a request presents; a refresh token lives its own length.
    this.maxAge = tokenType === 'access' ? settings.maxTokenAge : null
    // How an access token is told from others (null: by the `type` claim), as AccessMark in
    // core/src/jwt/verify.rs.
    this.mark = tokenType === 'access' ? settings.accessMark : null
    // Refresh tokens are only ever ours, under the default names.
    this.claimMap = tokenType === 'access' ? settings.claimMap : DEFAULT_MAP
    this.markerClaim =
      this.mark !== null &&
      this.mark.claim !== undefined &&
      this.mark.claim !== 'type' &&
      this.mark.claim !== 'token_use'
        ? this.mark.claim
        : null
  }

  /** `{ claims }` or `{ code }`. */
  verify(token, now) {
    if (Buffer.byteLength(token, 'utf8') > this.maxTokenLength) return { code: 'TOKEN_MALFORMED' }
    const first = token.indexOf('.')
    const second = first < 0 ? -1 : token.indexOf('.', first + 1)
    if (
      first <= 0 ||
      second < 0 ||
      second === first + 1 ||
      second === token.length - 1 ||
      token.indexOf('.', second + 1) >= 0
    ) {
      return { code: 'TOKEN_MALFORMED' }
    }
    const headerSeg = token.slice(0, first)
    if (headerSeg.length > MAX_HEADER_SEGMENT) return { code: 'TOKEN_MALFORMED' }
    const headerBytes = base64url.decode(headerSeg)
    const header = headerBytes && parseHeader(headerBytes)
    if (!header) return { code: 'TOKEN_MALFORMED' }
    if (this.keys !== null) {
      // By exact kid only; the token's alg must be the one that key is bound to.
      const key = this.keys.lookup(header.kid)
      if (key === null) return { code: 'UNKNOWN_KEY' }
      if (!key.accepts.has(header.alg)) return { code: 'ALGORITHM_NOT_ALLOWED' }
      if (!key.verify(header.alg, token.slice(0, second), token.slice(second + 1))) return { code: 'INVALID_SIGNATURE' }
    } else {
      if (!this.algorithms.has(header.alg)) return { code: 'ALGORITHM_NOT_ALLOWED' }
      const expected = Buffer.from(
        crypto.createHmac(HASH[header.alg], this.key).update(token.slice(0, second)).digest('base64url'),
      )
      const given = Buffer.from(token.slice(second + 1), 'utf8')
      if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected))
        return { code: 'INVALID_SIGNATURE' }
    }
    const payload = base64url.decode(token.slice(first + 1, second))
    const claims = payload && parseClaims(payload, this.claimMap, this.markerClaim)
    if (!claims) return { code: 'TOKEN_MALFORMED' }
    const code = this.checkClaims(claims, now)
    if (code) return { code }
    if (this.mark === 'at+jwt' && !isAtJwt(header.typ)) return { code: 'INVALID_TOKEN_TYPE' }
    return { claims }
  }

  /** The time checks alone, in checkClaims' order, for a cache hit. */
  checkTimes(c, now) {
    if (c.exp !== null && now >= c.exp + this.leeway) return 'TOKEN_EXPIRED'
    // jsonwebtoken's `maxAge`: expired once `iat + maxAge` has passed, leeway included.
    if (this.maxAge !== null && c.iat !== null && now >= c.iat + this.maxAge + this.leeway) return 'TOKEN_EXPIRED'
    if ((c.nbf !== null && c.nbf > now + this.leeway) || (c.iat !== null && c.iat > now + this.leeway))
      return 'TOKEN_NOT_ACTIVE'
    return null
  }

  checkClaims(c, now) {
    if ((this.requireExp && c.exp === null) || c.sub === null || (this.maxAge !== null && c.iat === null))
      return 'MISSING_CLAIM'
    const time = this.checkTimes(c, now)
    if (time) return time
    if (!this.issuers.isEmpty && !(c.iss !== null && this.issuers.accepts(c.iss, c.tenant_id))) return 'INVALID_ISSUER'
    if (this.audiences.length > 0 && !c.aud.some((a) => this.audiences.includes(a))) return 'INVALID_AUDIENCE'
    return this.marked(c) ? null : 'INVALID_TOKEN_TYPE'
  }

  /** Whether `c` is the kind of token this verifier accepts (RFC 8725 §3.11–3.12). */
  marked(c) {
    if (this.mark === null) return c.type === this.tokenType
    const saysOther = (v) => v !== null && v !== 'access'
    if (saysOther(c.type) || saysOther(c.token_use)) return false
    // Unmarked tokens are told from ID tokens by what only those carry; a claim mark decides alone
    // (Keycloak puts the sign-in's `nonce` in access tokens; core/src/jwt/verify.rs says more).
    if (this.mark === 'at+jwt' || this.mark === 'none') return !c.idTokenClaims
    const { claim, value } = this.mark
    return (claim === 'type' ? c.type : claim === 'token_use' ? c.token_use : c.marker) === value
  }
}

module.exports = { Verifier }
