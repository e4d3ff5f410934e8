'use strict'

// Global rate limits through Redis, in two modes.
//
// local-first (default): buckets stay in the in-process limiter, so the request path never waits
// on Redis. Every `interval` the tokens each bucket spent are sent to Redis (one script per bucket,
// all pipelined), which keeps the global bucket and answers its level; the local bucket is set to
// that level, less what was spent here meanwhile. The global count is exact, debts included (a
// level below zero, down to minus the capacity, is refilled before anything is allowed again), so
// over time all instances together get the limit; between two syncs each instance can spend what
// its copy held, so the most accepted beyond the limit at any moment is about
// (instances - 1) x (capacity + refill x interval).
//
// exact: the integrations take the request's token from the Redis bucket itself, one script and
// one round trip, before answering; for strict budgets. If Redis does not answer within `timeout`,
// the in-process bucket decides (the API stays up, each instance limiting alone).
//
// Buckets are named by the same key in both engines (their policy and owner bytes), so instances
// on either engine share them.

const { Script, within } = require('./client')
const { rateInfo } = require('../shared/ratelimit')
const { RATE_TRACK, RATE_DRAIN, RATE_CORRECT, RATE_BUCKET, RATE_TAKE_LOCAL } = require('../shared/internal')

// The refill both scripts start with, by Redis's own clock (so instances' clocks do not matter):
// a missing bucket is full; a level is never above the capacity.
const REFILL = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local cap = tonumber(ARGV[1])
local refill = tonumber(ARGV[2])
local b = redis.call('GET', KEYS[1])
local tokens, at
if b then
  local sep = string.find(b, ' ', 1, true)
  tokens = tonumber(string.sub(b, 1, sep - 1))
  at = tonumber(string.sub(b, sep + 1))
end
if tokens == nil or at == nil then tokens = cap at = now end
tokens = math.min(cap, tokens + math.max(0, now - at) * refill / 1000)
`
// One string, "level time", expiring once the bucket would be full again (a missing one is).
const STORE = `
redis.call('SET', KEYS[1], tostring(tokens) .. ' ' .. tostring(now), 'PX', math.ceil((cap - tokens) * 1000 / refill) + 1000)
`

/** ARGV: capacity, refill, used. Returns the level after `used`, floored at minus the capacity. */
const SPEND = new Script(`${REFILL}
tokens = math.max(-cap, tokens - tonumber(ARGV[3]))
${STORE}
return tostring(tokens)`)

/** ARGV: capacity, refill. Returns { allowed (0/1), level }. */
const TAKE = new Script(`${REFILL}
local allowed = 0
if tokens >= 1 then tokens = tokens - 1 allowed = 1 end
${STORE}
return { allowed, tostring(tokens) }`)


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
    this.stats = { syncs: 0, bucketsSynced: 0, syncErrors: 0, exactTaken: 0, exactFallbacks: 0 }
  }

  redisKey(key) {
    return this.prefix + key.toString('base64url')
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
        SPEND.run(this.connection, [this.redisKey(u.key)], [u.capacity, u.refill, u.used]).then((level) => this.auth[RATE_CORRECT](u.key, Number(level))),
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
   * local bucket deferred); `{ allowed, limit, remaining, reset, retryAfter }`, or null with the
   * limiter off.
   */
  async take(result, route) {
    const bucket = this.auth[RATE_BUCKET](result.userId, result.tenantId, route ?? null, result.rateLimitPlan)
    if (bucket === null) return null
    try {
      const [allowed, level] = await within(TAKE.run(this.connection, [this.redisKey(bucket.key)], [bucket.capacity, bucket.refill]), this.timeout)
      this.stats.exactTaken++
      return rateInfo(Number(allowed) === 1, bucket.capacity, bucket.refill, Number(level))
    } catch (error) {
      this.stats.exactFallbacks++
      this.report(error)
      return this.fallback === 'refuse' ? { unavailable: true } : this.auth[RATE_TAKE_LOCAL](bucket.key)
    }
  }

  async stop() {
    if (this.timer !== null) clearInterval(this.timer)
    this.timer = null
    if (this.running !== null) await this.running
  }
}

module.exports = { RateLimitSync }
