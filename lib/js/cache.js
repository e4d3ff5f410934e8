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

/**
 * A map of at most `max` entries in two generations: new entries go into the young one; when it
 * is full it becomes the old one and the old one is dropped; a hit in the old one moves up.
 */
class TwoGenerationMap {
  constructor(max) {
    this.half = Math.max(1, Math.floor(max / 2))
    this.young = new Map()
    this.old = new Map()
  }

  get size() {
    return this.young.size + this.old.size
  }

  get(key) {
    const young = this.young.get(key)
    if (young !== undefined) return young
    const old = this.old.get(key)
    if (old === undefined) return undefined
    this.old.delete(key)
    this.set(key, old)
    return old
  }

  set(key, value) {
    if (this.young.size >= this.half && !this.young.has(key)) {
      this.old = this.young
      this.young = new Map()
    }
    this.young.set(key, value)
  }

  delete(key) {
    this.young.delete(key)
    this.old.delete(key)
  }

  clear() {
    this.young.clear()
    this.old.clear()
  }
}

class VerifiedCache {
  constructor({ max, ttl }) {
    this.ttl = ttl
    this.entries = new TwoGenerationMap(max)
  }

  get size() {
    return this.entries.size
  }

  get(token, now) {
    const entry = this.entries.get(token)
    if (entry === undefined) return null
    if (entry.until > now) return entry.claims
    this.entries.delete(token)
    return null
  }

  put(token, claims, now) {
    let until = now + this.ttl
    if (claims.exp !== null) until = Math.min(until, Math.trunc(Math.max(claims.exp, 0)))
    if (until <= now) return
    this.entries.set(token, { claims, until })
  }

  clear() {
    this.entries.clear()
  }
}

module.exports = { cacheSettings, VerifiedCache, TwoGenerationMap }
