'use strict'

// The verified-token cache for the JavaScript engine: the rules of src/core/cache.rs (two
// generations, keyed by the whole token, entries until min(ttl, exp), successes only).

const { ErrorCodes, codedError } = require('./codes')

/** `cache: true | false | { max, ttl }` as src/core/cache.rs reads it; null when off. */
function cacheSettings(value) {
  const defaults = { max: 10000, ttl: 600 }
  if (value === undefined || value === null || value === false) return null
  if (value === true) return defaults
  const kind = Array.isArray(value) ? 'an array' : typeof value === 'string' ? 'a string' : typeof value === 'number' ? 'a number' : 'an object'
  if (typeof value !== 'object' || Array.isArray(value) || ArrayBuffer.isView(value)) {
    throw codedError(ErrorCodes.INVALID_CONFIG, `\`cache\` must be true, false or { max, ttl }, not ${kind}`)
  }
  const unknown = Object.keys(value).find((k) => k !== 'max' && k !== 'ttl')
  if (unknown !== undefined) throw codedError(ErrorCodes.INVALID_CONFIG, `cache: Unknown option \`${unknown}\`; known options are: max, ttl`)
  const integer = (name, min, max, fallback) => {
    const v = value[name]
    if (v === undefined || v === null) return fallback
    if (typeof v !== 'number' || !Number.isFinite(v)) throw codedError(ErrorCodes.INVALID_CONFIG, `\`${name}\` must be a finite number`)
    if (!Number.isInteger(v) || v < min || v > max) throw codedError(ErrorCodes.INVALID_CONFIG, `\`${name}\` must be a whole number from ${min} to ${max}, not ${v}`)
    return v
  }
  return { max: integer('max', 2, 1e7, defaults.max), ttl: integer('ttl', 1, 86400, defaults.ttl) }
}

class VerifiedCache {
  constructor({ max, ttl }) {
    this.half = Math.floor(max / 2)
    this.ttl = ttl
    this.young = new Map()
    this.old = new Map()
  }

  get size() {
    return this.young.size + this.old.size
  }

  get(token, now) {
    const young = this.young.get(token)
    if (young !== undefined) return young.until > now ? young.claims : null
    const old = this.old.get(token)
    if (old === undefined) return null
    this.old.delete(token)
    if (old.until <= now) return null
    this.insert(token, old)
    return old.claims
  }

  put(token, claims, now) {
    let until = now + this.ttl
    if (claims.exp !== null) until = Math.min(until, Math.trunc(Math.max(claims.exp, 0)))
    if (until <= now) return
    this.insert(token, { claims, until })
  }

  insert(token, entry) {
    if (this.young.size >= this.half) {
      this.old = this.young
      this.young = new Map()
    }
    this.young.set(token, entry)
  }

  clear() {
    this.young.clear()
    this.old.clear()
  }
}

module.exports = { cacheSettings, VerifiedCache }
