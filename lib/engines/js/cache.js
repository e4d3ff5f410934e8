'use strict'

// The verified-token cache for the JavaScript engine: the rules of core/src/request/cache.rs (two
// generations, keyed by the whole token, entries until min(ttl, exp), successes only). Its options
// are read with the rest of the configuration (lib/shared/options.js).

const { TwoGenerationMap } = require('../../shared/two-generation-map')

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

module.exports = { VerifiedCache }
