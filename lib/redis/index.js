'use strict'

// `connectRedis(authenticator, client, options)`: one call that makes many instances of an API
// behave as one through the Redis (or Valkey) they already run. Revocations reach every instance
// (a stream; revocations.js), refresh rotation is decided once for all (an atomic SET NX on the
// token's id), and rate limits are global (ratelimit.js). The request path keeps its in-process
// speed: it never waits on Redis except in the `exact` rate-limit mode, and then within `timeout`.

const { BY_CODE, ErrorCodes, codedError } = require('../shared/codes')
const { refreshRefused, withRate } = require('../shared/result')
const { REFRESH_STATE, REFRESH_SPENT, TENANT_FROM_TOKEN, ON_REVOCATION } = require('../shared/internal')
const { RedisConnection, within } = require('./client')
const { readingConfig } = require('../shared/options')
const { readFamily } = require('../shared/option-family')
const { missingMethods } = require('../shared/engine-interface')
const { RevocationSync } = require('./revocations')
const { RateLimitSync } = require('./ratelimit')

// Each authenticator's link, so the integrations given the authenticator find it.
const links = new WeakMap()

/** The Redis link `connectRedis` made for `authenticator`, if any. */
function linkOf(authenticator) {
  return (authenticator !== null && typeof authenticator === 'object' && links.get(authenticator)) || null
}

/**
 * A key beside `key` in the same cluster slot, so one script may touch both: `key`'s own hash tag
 * when it has one (a prefix such as `{app}:`), else all of `key` as the tag.
 */
function sameSlot(key, suffix) {
  const open = key.indexOf('{')
  const close = open < 0 ? -1 : key.indexOf('}', open + 1)
  if (close > open + 1) return key + suffix
  // Without a tag of its own the whole key is hashed; braces inside it would end the new tag early.
  if (!key.includes('}')) return `{${key}}${suffix}`
  return null
}

function readOptions(options) {
  const o = readFamily('RedisOptions', options, { what: 'Redis options', unknown: 'Redis option' })
  // What the spec cannot say: keys must stay one line, and share a slot with their companions.
  if (/[\r\n]/.test(o.prefix)) throw codedError(ErrorCodes.INVALID_CONFIG, '`prefix` must be one line')
  if (sameSlot(`${o.prefix}revocations`, '') === null)
    throw codedError(
      ErrorCodes.INVALID_CONFIG,
      '`prefix` has a `}` outside a hash tag such as `{app}:`; keys made from it could not share a cluster slot',
    )
  return o
}

class RedisLink {
  #auth
  #connection
  #options
  #revocations
  #rateLimits
  #ready
  #unsubscribe = null
  #errors = { count: 0, last: null }
  #warned = new Set()

  constructor(auth, client, options) {
    // The link drives an engine only through the engine interface; anything else is refused here.
    if (auth === null || typeof auth !== 'object' || missingMethods(auth).length > 0) {
      throw codedError(
        ErrorCodes.INVALID_CONFIG,
        'connectRedis needs an authenticator (createAuthenticator or new Authenticator)',
      )
    }
    this.#auth = auth
    this.#options = readingConfig('the Redis options', () => readOptions(options))
    this.#connection = new RedisConnection(client)
    const p = this.#options.prefix
    const report = (error) => this.#report(error)
    const stream = `${p}revocations`
    this.#revocations = new RevocationSync(
      auth,
      this.#connection,
      { stream, lifetime: sameSlot(stream, ':lifetime'), epoch: `${p}epoch` },
      report,
    )
    this.#rateLimits =
      this.#options.rateLimit === false
        ? null
        : new RateLimitSync(
            auth,
            this.#connection,
            {
              prefix: `${p}rl:`,
              mode: this.#options.rateLimit,
              interval: this.#options.syncInterval,
              timeout: this.#options.timeout,
              fallback: this.#options.exactWhenUnavailable,
            },
            report,
          )
    // Every local revocation is published at once, whichever call made it: the authenticator
    // tells its listeners, and its own methods stay as they are.
    this.#unsubscribe = auth[ON_REVOCATION](() => this.#revocations.flush())
    links.set(auth, this)
    this.#ready = this.#start()
    // Nothing awaits it yet; its failure is reported and seen by ready().
    this.#ready.catch(() => {})
  }

  async #start() {
    await this.#revocations.start()
    if (this.#rateLimits !== null) this.#rateLimits.start()
  }

  #report(error) {
    this.#errors.count++
    this.#errors.last = error && error.message
    if (this.#options.onError) {
      try {
        this.#options.onError(error)
      } catch {
        // A failing reporter must not stop the sync.
      }
      return
    }
    const message = error && error.message
    if (this.#warned.has(message)) return
    this.#warned.add(message)
    process.emitWarning(`auth-shield: Redis: ${message}`, { code: 'AUTH_SHIELD_REDIS' })
  }

  /** Resolves once this instance holds every revocation Redis has (at start, after the first read). */
  ready() {
    return this.#ready
  }

  /**
   * `authenticator.refresh`, decided once across instances: the token's id is spent in Redis
   * atomically first, so of two instances given the same refresh token one rotates and the other
   * answers `TOKEN_REUSED` (and the family is revoked everywhere).
   */
  async refresh(refreshToken, options) {
    const state = this.#auth[REFRESH_STATE](refreshToken)
    if (state.code !== null) return refreshRefused(BY_CODE.get(state.code))
    const ttl = Math.max(1, state.expiresAt - Math.floor(Date.now() / 1000)) * 1000
    let spend
    try {
      const first = await within(
        this.#connection.timed(
          'refresh',
          this.#connection.send(['SET', `${this.#options.prefix}spent:${state.jti}`, '1', 'NX', 'PX', String(ttl)]),
        ),
        this.#options.timeout,
      )
      spend = first === null ? 'reused' : 'fresh'
    } catch (error) {
      this.#report(error)
      if (this.#options.refreshWhenUnavailable === 'refuse')
        return refreshRefused(BY_CODE.get(ErrorCodes.STATE_UNAVAILABLE))
      spend = undefined
    }
    const out = this.#auth[REFRESH_SPENT](refreshToken, options, spend)
    this.#revocations.flush()
    return out
  }

  /** Whether requests take their tokens from Redis before they are answered. */
  get exact() {
    return this.#rateLimits !== null && this.#rateLimits.mode === 'exact'
  }

  /**
   * `authenticator.authenticate`, with the `exact` mode's global bucket when it is on: the
   * integrations call this for every request; direct callers in `exact` mode should too.
   */
  authenticate(authorization, tenantHeader, host, limit) {
    if (!this.exact || limit === false) return this.#auth.authenticate(authorization, tenantHeader, host, limit)
    const result = this.#auth.authenticate(authorization, tenantHeader, host, false)
    if (!result.authenticated) return result
    const tenant = this.#auth[TENANT_FROM_TOKEN]() ? result.tenantId : null
    return this.#rateLimits.take(result, limit, tenant).then((rate) => withRate(result, rate))
  }

  stats() {
    return {
      connected: this.#connection.ready,
      revocations: { ...this.#revocations.stats },
      rateLimits: this.#rateLimits === null ? null : { ...this.#rateLimits.stats },
      errors: { ...this.#errors },
    }
  }

  /** Round-trip times by operation (`sync`, `exact`, `refresh`), as histograms read for the metrics. */
  metrics() {
    const d = this.#connection.durations
    return { durations: { sync: d.sync.read(), exact: d.exact.read(), refresh: d.refresh.read() } }
  }

  /** Stops following Redis and publishing the authenticator's revocations; the client stays open. */
  async close() {
    if (links.get(this.#auth) === this) links.delete(this.#auth)
    if (this.#unsubscribe !== null) this.#unsubscribe()
    this.#unsubscribe = null
    if (this.#rateLimits !== null) await this.#rateLimits.stop()
    await this.#revocations.stop()
  }
}

/** Wires `authenticator` to Redis through the user's ioredis or node-redis `client`. */
function connectRedis(authenticator, client, options) {
  return new RedisLink(authenticator, client, options)
}

module.exports = { connectRedis, RedisLink, linkOf, sameSlot }
