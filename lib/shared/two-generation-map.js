'use strict'

// The bound both engines' JS layers put on what they keep per token: the JS engine's verified
// tokens, and the native wrapper's decoded user fields by cache entry.

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

module.exports = { TwoGenerationMap }
