'use strict'

// The verified-token cache for the JavaScript engine: the rules of src/core/request/cache.rs (two
// generations, keyed by the whole token, entries until min(ttl, exp), successes only). Its options
// are read with the rest of the configuration, in config.js.

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

module.exports = { VerifiedCache, TwoGenerationMap }
