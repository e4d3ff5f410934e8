'use strict'

// Token buckets in a Map, bounded, with the arithmetic and eviction of core/src/request/ratelimit.rs:
// full buckets are dropped first (a full bucket equals a new one), then the least recently used.
// The JS engine's user buckets, and the integrations' per-client budget for failed
// authentication.

const { performance } = require('node:perf_hooks')

class RateLimiter {
  constructor(capacity, refillPerSec, maxKeys) {
    this.capacity = capacity
    this.refill = refillPerSec
    this.maxKeys = maxKeys
    this.buckets = new Map()
  }

  get size() {
    return this.buckets.size
  }

  /** `{ allowed, limit, remaining, reset, retryAfter }` after taking one token from `key`. */
  take(key, now = performance.now() / 1000) {
    let bucket = this.buckets.get(key)
    if (bucket === undefined) {
      if (this.buckets.size >= this.maxKeys) this.evict(now)
      bucket = { tokens: this.capacity, updated: now }
      this.buckets.set(key, bucket)
    }
    const elapsed = Math.max(0, now - bucket.updated)
    const tokens = Math.min(this.capacity, bucket.tokens + elapsed * this.refill)
    bucket.updated = Math.max(now, bucket.updated)
    const allowed = tokens >= 1
    bucket.tokens = allowed ? tokens - 1 : tokens
    const seconds = (deficit) => Math.min(4294967295, Math.max(0, Math.ceil(deficit / this.refill)))
    return {
      allowed,
      limit: this.capacity,
      remaining: Math.floor(bucket.tokens),
      reset: seconds(this.capacity - bucket.tokens),
      retryAfter: allowed ? 0 : Math.max(1, seconds(1 - bucket.tokens)),
    }
  }

  /** Whether `key` has a token left, without spending it; `{ allowed, ... }` as `take` says it. */
  peek(key, now = performance.now() / 1000) {
    const bucket = this.buckets.get(key)
    if (bucket === undefined) return null
    const tokens = Math.min(this.capacity, bucket.tokens + Math.max(0, now - bucket.updated) * this.refill)
    if (tokens >= 1) return null
    const seconds = (deficit) => Math.min(4294967295, Math.max(0, Math.ceil(deficit / this.refill)))
    return { allowed: false, limit: this.capacity, remaining: 0, reset: seconds(this.capacity - tokens), retryAfter: Math.max(1, seconds(1 - tokens)) }
  }

  evict(now) {
    for (const [key, b] of this.buckets) {
      if (b.tokens + Math.max(0, now - b.updated) * this.refill >= this.capacity) this.buckets.delete(key)
    }
    const target = this.maxKeys - Math.ceil(this.maxKeys / 10)
    if (this.buckets.size <= target) return
    const excess = this.buckets.size - target
    const cutoff = [...this.buckets.values()].map((b) => b.updated).sort((a, b) => a - b)[excess - 1]
    let toDrop = excess
    for (const [key, b] of this.buckets) {
      if (toDrop > 0 && b.updated <= cutoff) {
        this.buckets.delete(key)
        toDrop--
      }
    }
  }
}

module.exports = { RateLimiter }
