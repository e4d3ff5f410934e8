'use strict'

// Global rate limits through Redis, in two modes.
//
// local-first (default): buckets stay in the in-process limiter, so the request path never waits
// on Redis. Every `interval` the tokens each bucket spent are sent to Redis (one script per bucket,
// all pipelined), which keeps the global bucket and answers its level; the local bucket is set to
// that level, less what was spent here meanwhile. The global count is exact, debts included (a
// level below zero, down to minus the capacity, is refilled before anything is allowed again), so
// over time all instances together get the limit; between two syncs each other instance can spend
// what it took since its last sync against the same level, so the most accepted beyond the limit is
// (instances - 1) x min(capacity, what one instance takes in an interval + refill x interval),
// measured by __test__/redis-overshoot.test.js and stated in docs/redis.md.
//
// exact: the integrations take the request's token from the Redis bucket itself, one script and
// one round trip, before answering; for strict budgets. If Redis does not answer within `timeout`,
// the in-process bucket decides (the API stays up, each instance limiting alone).
//
// Buckets are named by the same key in both engines (their policy and owner bytes), so instances
// on either engine share them.

const { Script, within, LUA_NOW_MS } = require('./client')
const { rateInfo } = require('../shared/ratelimit')
const { RATE_TRACK, RATE_DRAIN, RATE_CORRECT, RATE_BUCKET, RATE_TAKE_LOCAL } = require('../shared/internal')

// The bucket rules both scripts share, by Redis's own clock (so instances' clocks do not matter):
// a bucket is its level and the time it was read, two packed doubles (packing is several times
// cheaper in Lua than printing and parsing numbers), refilled on read (a missing or unreadable
// bucket is full, a level is never above the capacity) and expiring once it would be full again.
// Written out in each script rather than as Lua functions: a closure per call costs Redis more
// than the lines do.
const LEVEL = (key) => `
  local tokens = cap
  local b = redis.call('GET', ${key})
  if b and #b == 16 then
    local level, at = struct.unpack('<dd', b)
    tokens = math.min(cap, level + math.max(0, now - at) * refill / 1000)
  end`
const STORE = (key) => `
  redis.call('SET', ${key}, struct.pack('<dd', tokens, now), 'PX', math.ceil((cap - tokens) * 1000 / refill) + 1000)`

/** ARGV: capacity, refill, used. Returns the level after `used`, floored at minus the capacity. */
const SPEND = new Script(`${LUA_NOW_MS}
local cap, refill = tonumber(ARGV[1]), tonumber(ARGV[2])
${LEVEL('KEYS[1]')}
tokens = math.max(-cap, tokens - tonumber(ARGV[3]))
${STORE('KEYS[1]')}
return tostring(tokens)`)

/**
 * One token from each of KEYS, in order (a key may repeat); ARGV: capacity and refill of each.
 * Returns allowed (0/1) and level of each, flat.
 */
const TAKE = new Script(`${LUA_NOW_MS}
local out = {}
for i = 1, #KEYS do
  local cap, refill = tonumber(ARGV[2 * i - 1]), tonumber(ARGV[2 * i])
  ${LEVEL('KEYS[i]')}
  local allowed = 0
  if tokens >= 1 then tokens = tokens - 1 allowed = 1 end
  ${STORE('KEYS[i]')}
  out[2 * i - 1] = allowed
  out[2 * i] = tostring(tokens)
end
return out`)

// The most takes one script carries. Larger batches cost Redis less per take, but a burst sent as
// one script makes Node and Redis take turns (Node waits for the whole script, then Redis waits
// for Node to answer every request); in batches of 16 Node answers one batch while Redis runs the
// next (measured at 64 requests in flight: 13.5 µs a request in batches of 16, 22 in one of 64).
const TAKES_PER_SCRIPT = 16

class RateLimitSync {
  constructor(auth, connection, { prefix, mode, interval, timeout, fallback }, report) {
    this.fallback = fallback
    this.auth = auth
    this.connection = connection
    this.prefix = prefix
    this.mode = mode
    this.interval = interval
    this.timeout = timeout
    this.report = report
    this.timer = null
    this.running = null
    this.takes = []
    this.pending = 0
    this.stats = { syncs: 0, bucketsSynced: 0, syncErrors: 0, exactTaken: 0, exactFallbacks: 0 }
  }

  redisKey(key) {
    return this.prefix + key
  }

  start() {
    if (this.mode !== 'local-first') return
    this.auth[RATE_TRACK]()
    this.timer = setInterval(() => this.sync(), this.interval)
    this.timer.unref()
  }

  /** Sends what every bucket spent since the last sync and takes the global levels back. */
  sync() {
    // One sync at a time; what is spent meanwhile waits for the next.
    if (this.running !== null) return this.running
    const usage = this.auth[RATE_DRAIN]()
    if (usage.length === 0) return Promise.resolve()
    this.running = Promise.all(
      usage.map((u) =>
        this.connection
          .timed('sync', SPEND.run(this.connection, [this.redisKey(u.key)], [u.capacity, u.refill, u.used]))
          .then((level) => this.auth[RATE_CORRECT](u.key, Number(level))),
      ),
    )
      .then(() => {
        this.stats.syncs++
        this.stats.bucketsSynced += usage.length
      })
      .catch((error) => {
        // While Redis is away each instance limits on its own; the use of this round is not
        // counted globally.
        this.stats.syncErrors++
        this.report(error)
      })
      .finally(() => {
        this.running = null
      })
    return this.running
  }

  /**
   * `exact` mode: one token from a request's global bucket (`result` authenticated with its
   * local bucket deferred; `tenant` the token's own, or null);
   * `{ allowed, limit, remaining, reset, retryAfter }`, or null with the limiter off. Takes made while others are on their way go to Redis together, in one script per
   * TAKES_PER_SCRIPT (one per take on a cluster client, whose keys may live on different nodes),
   * under one timeout: each request still makes one round trip, and Redis runs one script for
   * many of them.
   */
  take(result, route, tenant) {
    const bucket = this.auth[RATE_BUCKET](result.userId, tenant, route ?? null, result.rateLimitPlan)
    if (bucket === null) return Promise.resolve(null)
    return new Promise((resolve) => {
      this.takes.push({ bucket, resolve })
      // With nothing on its way to Redis, this take goes at once; otherwise the takes of this turn
      // of the event loop go together once it ends.
      if (this.takes.length === 1) {
        if (this.pending === 0) this.sendTakes()
        else setImmediate(this.sendTakes)
      }
    })
  }

  sendTakes = () => {
    const all = this.takes
    this.takes = []
    const size = this.connection.cluster ? 1 : TAKES_PER_SCRIPT
    for (let from = 0; from < all.length; from += size) {
      const batch = all.slice(from, from + size)
      const keys = batch.map((t) => this.redisKey(t.bucket.key))
      const args = batch.flatMap((t) => [t.bucket.capacity, t.bucket.refill])
      this.pending++
      within(this.connection.timed('exact', TAKE.run(this.connection, keys, args)), this.timeout)
        .finally(() => this.pending--)
        .then((reply) => {
          if (!Array.isArray(reply) || reply.length !== 2 * batch.length)
            throw new Error('Redis answered a rate-limit take with an unexpected reply')
          return batch.map(({ bucket }, i) =>
            rateInfo(Number(reply[2 * i]) === 1, bucket.capacity, bucket.refill, Number(reply[2 * i + 1])),
          )
        })
        .then(
          (infos) => {
            this.stats.exactTaken += batch.length
            batch.forEach(({ resolve }, i) => resolve(infos[i]))
          },
          (error) => {
            this.stats.exactFallbacks += batch.length
            this.report(error)
            for (const { bucket, resolve } of batch)
              resolve(this.fallback === 'refuse' ? { unavailable: true } : this.auth[RATE_TAKE_LOCAL](bucket.key))
          },
        )
    }
  }

  async stop() {
    if (this.timer !== null) clearInterval(this.timer)
    this.timer = null
    // A client that queues commands while Redis is away (node-redis's offline queue) never
    // settles a sync sent then: wait for it only as long as for any other answer.
    if (this.running !== null) await within(this.running, this.timeout).catch(() => {})
  }
}

module.exports = { RateLimitSync }
