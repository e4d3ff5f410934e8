'use strict'

// Token buckets in a bounded map (bounded-map.js), with the arithmetic and eviction of
// core/src/request/ratelimit.rs: at the bound, a new bucket makes room by dropping every full
// bucket of a small random sample (a full bucket equals a new one), else the least recently used
// of it, so no request pays for a scan of every bucket (a sort of a million, before, held the
// event loop for a second).
// Each bucket keeps the rate it was made with (the limiter's own, a plan's or a route's), so
// buckets of different policies live side by side. The JS engine's user buckets, and the
// integrations' per-client budget for failed authentication.

const { performance } = require('node:perf_hooks')
const { BoundedMap } = require('./bounded-map')

const MAX_SECONDS = 4294967295
const seconds = (deficit, refill) => Math.min(MAX_SECONDS, Math.max(0, Math.ceil(deficit / refill)))

/** What a take tells its caller, from the level `tokens` left after it (ratelimit.rs's RateInfo). */
function rateInfo(allowed, capacity, refill, tokens) {
  return {
    allowed,
    limit: capacity,
    // A debt from a shared store leaves nothing, not a negative count.
    remaining: Math.max(0, Math.floor(tokens)),
    reset: seconds(capacity - tokens, refill),
    retryAfter: allowed ? 0 : Math.max(1, seconds(1 - tokens, refill)),
  }
}

/** Whether `b` has refilled to capacity by `now`: then it is the same as a new bucket. */
const isFull = (b, now) => b.tokens + Math.max(0, now - b.updated) * b.rate.refill >= b.rate.capacity

class RateLimiter {
  constructor(capacity, refillPerSec, maxKeys) {
    this.rate = { capacity, refill: refillPerSec }
    this.capacity = capacity
    this.maxKeys = maxKeys
    this.buckets = new BoundedMap(maxKeys, isFull)
    // Counting taken tokens for a store instances share (drainUsage), once asked to.
    this.tracking = false
    this.dirty = []
  }

  trackUsage() {
    this.tracking = true
  }

  /** `[{ key, used, rate }]`: each bucket's use since the last drain. */
  drainUsage() {
    const keys = this.dirty
    this.dirty = []
    const out = []
    for (const key of keys) {
      const b = this.buckets.get(key)
      if (b === undefined || b.pending === 0) continue
      out.push({ key, used: b.pending, rate: b.rate })
      b.pending = 0
    }
    return out
  }

  /** Sets `key`'s level to a shared store's (`tokens`, maybe a debt below zero), less what was taken here since. */
  correct(key, tokens, now = performance.now() / 1000) {
    const b = this.buckets.get(key)
    if (b === undefined || !Number.isFinite(tokens)) return
    b.tokens = Math.min(b.rate.capacity, tokens - b.pending)
    b.updated = Math.max(now, b.updated)
  }

  get size() {
    return this.buckets.size
  }

  /** Buckets dropped to stay within the bound so far. */
  get evicted() {
    return this.buckets.evicted
  }

  /** `{ allowed, limit, remaining, reset, retryAfter }` after taking one token from `key`. */
  take(key, now = performance.now() / 1000) {
    return this.takeAt(key, this.rate, now)
  }

  /** `take` under `rate` (`{ capacity, refill }`) for a bucket this key has not got yet. */
  takeAt(key, rate, now = performance.now() / 1000) {
    let bucket = this.buckets.get(key)
    if (bucket === undefined)
      bucket = this.buckets.insert(key, { tokens: rate.capacity, updated: now, rate, pending: 0, slot: 0 }, now)
    const { capacity, refill } = rate
    const elapsed = Math.max(0, now - bucket.updated)
    const tokens = Math.min(capacity, bucket.tokens + elapsed * refill)
    bucket.updated = Math.max(now, bucket.updated)
    const allowed = tokens >= 1
    bucket.tokens = allowed ? tokens - 1 : tokens
    if (allowed && this.tracking && ++bucket.pending === 1) this.dirty.push(key)
    return rateInfo(allowed, capacity, refill, bucket.tokens)
  }

  /** Whether `key` has a token left, without spending it; `{ allowed, ... }` as `take` says it. */
  peek(key, now = performance.now() / 1000) {
    const bucket = this.buckets.get(key)
    if (bucket === undefined) return null
    const { capacity, refill } = bucket.rate
    const tokens = Math.min(capacity, bucket.tokens + Math.max(0, now - bucket.updated) * refill)
    if (tokens >= 1) return null
    return rateInfo(false, capacity, refill, tokens)
  }
}

module.exports = { RateLimiter, rateInfo }
