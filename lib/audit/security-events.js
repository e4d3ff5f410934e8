'use strict'

// Security events, told to the app's `onSecurityEvent` and logger in the OWASP logging
// vocabulary (contract/events.json), rate-limited per type so a flood cannot flood the log: a
// burst, then a steady rate; the next event told says how many of its type were suppressed.
// An authenticator's events are found by `eventsOf(auth)`; without options there are none, and
// the request path asks for nothing.

const { SECURITY_EVENTS } = require('../shared/contract')
const { readFamily } = require('../shared/option-family')
const { RateLimiter } = require('../shared/ratelimit')
const { JS_OPTION_FAMILIES } = require('../shared/contract')

const byAuthenticator = new WeakMap()

const LOG_METHOD = { INFO: 'info', WARN: 'warn', CRITICAL: 'error' }

// Failures per client address before `authn_login_fail_max`, when `failedAuthLimit` is off:
// that option's defaults.
const FAILURE_DEFAULTS = Object.fromEntries(JS_OPTION_FAMILIES.FailedAuthLimitOptions.map((s) => [s.name, s.default]))

class SecurityEvents {
  #tell
  #appId
  #burst
  #perSecond
  #buckets = new Map()
  #failures

  constructor(o) {
    this.#appId = o.appId
    this.#burst = o.burst
    this.#perSecond = o.perSecond
    const { onSecurityEvent, logger } = o
    this.#tell = (event) => {
      if (onSecurityEvent !== undefined) onSecurityEvent(event)
      if (logger === undefined) return
      // A logger's own `level` is the method's; the OWASP level goes as `severity` beside it.
      const { level, ...rest } = event
      logger[LOG_METHOD[level]]({ ...rest, severity: level }, `${event.event}: ${event.description}`)
    }
    this.#failures = new RateLimiter(FAILURE_DEFAULTS.max, FAILURE_DEFAULTS.refill, FAILURE_DEFAULTS.maxKeys)
  }

  /**
   * Tells event `type` with `fields` (requestId, userId, tenantId, code, source_ip,
   * request_method, request_uri, and the type's own), unless its type is over its rate.
   */
  emit(type, fields) {
    const spec = SECURITY_EVENTS[type]
    const now = Date.now()
    let b = this.#buckets.get(type)
    if (b === undefined) this.#buckets.set(type, (b = { tokens: this.#burst, at: now, suppressed: 0 }))
    b.tokens = Math.min(this.#burst, b.tokens + ((now - b.at) / 1000) * this.#perSecond)
    b.at = now
    if (b.tokens < 1) {
      b.suppressed++
      return
    }
    b.tokens--
    const args = spec.args.map((a) => fields[a]).filter((v) => v !== undefined && v !== null)
    const event = {
      datetime: new Date(now).toISOString(),
      appid: this.#appId,
      event: args.length > 0 ? `${type}:${args.join(',')}` : type,
      type,
      level: spec.level,
      description: spec.description,
      ...fields,
    }
    if (b.suppressed > 0) {
      event.suppressed = b.suppressed
      b.suppressed = 0
    }
    try {
      this.#tell(event)
    } catch (error) {
      // The app's handler failing must not fail the request that was being answered.
      process.emitWarning(`auth-shield: onSecurityEvent or the logger threw: ${error && error.message}`, {
        code: 'AUTH_SHIELD_SECURITY_EVENT',
      })
    }
  }

  /**
   * Counts a 401 for `ip` (when the integration's own `failedAuthLimit` does not); true once per
   * exhaustion of the client's budget.
   */
  failedFrom(ip) {
    const before = this.#failures.peek(ip)
    if (before !== null) return false
    this.#failures.take(ip)
    return this.#failures.peek(ip) !== null
  }

  get failureBudget() {
    return FAILURE_DEFAULTS.max
  }
}

/**
 * Sets up `auth`'s security events from `options` (SecurityEventOptions); none when `options`
 * is undefined. Returns the events, or null.
 */
function watchSecurityEvents(auth, options, alsoFor = []) {
  if (options === undefined) return null
  const o = readFamily('SecurityEventOptions', options, { what: '`securityEvents`', unknown: 'securityEvents option' })
  const events = new SecurityEvents(o)
  for (const a of [auth, ...alsoFor]) byAuthenticator.set(a, events)
  return events
}

/** `result`, a refresh's, after telling `auth`'s events of a reused refresh token. */
function toldRefresh(auth, result) {
  if (result.errorCode === 'TOKEN_REUSED') {
    const events = eventsOf(auth)
    if (events !== null)
      events.emit('authn_token_reuse', { token: 'refresh', family: result.family, code: result.errorCode })
  }
  return result
}

/** `auth`'s security events, or null. */
function eventsOf(auth) {
  return (auth !== null && typeof auth === 'object' && byAuthenticator.get(auth)) || null
}

module.exports = { watchSecurityEvents, eventsOf, toldRefresh, SecurityEvents }
