'use strict'

// Keeping named keys in step with a JWKS URL (an identity provider's). Fetches happen on a timer
// or when asked, never on the request path; each has a timeout and a size bound, early refreshes
// have a cool-down, and a failed fetch leaves the keys in force. Keys of the set the engine cannot
// use are left out and told to `onError` (JWK_SKIPPED), so one P-521 key beside the provider's
// RSA keys never stops a rotation.

const { ErrorCodes, codedError } = require('../shared/codes')
const { Histogram } = require('../shared/histogram')
const { eventsOf } = require('../audit/security-events')
const { ROUND_TRIP_BOUNDS_MICROS } = require('../shared/contract')
const { readFamily } = require('../shared/option-family')

const MAX_BYTES = 1 << 20

// Each authenticator's refresher, so an integration given the authenticator can ask it for an
// early fetch when a token names a kid it does not know.
const refreshers = new WeakMap()

/** The refresher `createJwksRefresher` wired to `authenticator`, if any. */
function refresherOf(authenticator) {
  return (authenticator !== null && typeof authenticator === 'object' && refreshers.get(authenticator)) || null
}

function readOptions(options) {
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw codedError(ErrorCodes.INVALID_CONFIG, 'JWKS options must be an object such as { interval, timeout }')
  }
  const o = readFamily('JwksOptions', options, { what: 'JWKS options', unknown: 'option' })
  return { ...o, fetch: o.fetch ?? globalThis.fetch }
}

function checkUrl(url) {
  let parsed
  try {
    parsed = new URL(String(url))
  } catch {
    throw codedError(ErrorCodes.INVALID_CONFIG, 'The JWKS URL is not a URL')
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw codedError(ErrorCodes.INVALID_CONFIG, 'The JWKS URL must be http(s)')
  }
  return parsed.href
}

/** Fetches and parses a JWK Set: `{ keys: [...] }`, or a coded error. */
async function fetchJwks(url, options) {
  const href = checkUrl(url)
  const o = readOptions(options)
  const fail = (why) => codedError(ErrorCodes.INVALID_CONFIG, `JWKS ${href}: ${why}`)
  let response
  try {
    response = await o.fetch(href, {
      signal: AbortSignal.timeout(o.timeout),
      headers: { accept: 'application/json' },
      redirect: 'error',
    })
  } catch (e) {
    throw fail(e && e.name === 'TimeoutError' ? `no answer within ${o.timeout} ms` : `fetch failed (${e && e.message})`)
  }
  if (response.status !== 200) throw fail(`HTTP ${response.status}`)
  const declared = Number(response.headers.get('content-length'))
  if (declared > MAX_BYTES) throw fail(`larger than ${MAX_BYTES} bytes`)
  let text
  try {
    text = await response.text()
  } catch (e) {
    throw fail(`reading the body failed (${e && e.message})`)
  }
  if (Buffer.byteLength(text) > MAX_BYTES) throw fail(`larger than ${MAX_BYTES} bytes`)
  let doc
  try {
    doc = JSON.parse(text)
  } catch {
    throw fail('not JSON')
  }
  if (doc === null || typeof doc !== 'object' || !Array.isArray(doc.keys)) throw fail('not a JWK Set ({ keys: [...] })')
  return doc
}

/**
 * Refreshes `authenticator`'s keys from `url` now and every `interval`. `refresh()` asks for an
 * early fetch (say, on a token with an unknown kid), at most once per `cooldown`.
 */
function createJwksRefresher(authenticator, url, options) {
  if (authenticator === null || typeof authenticator !== 'object' || typeof authenticator.setKeys !== 'function') {
    throw codedError(ErrorCodes.INVALID_CONFIG, 'createJwksRefresher needs an authenticator')
  }
  const href = checkUrl(url)
  const o = readOptions(options)
  // The URL as events name it: no query, which could carry a credential.
  const jwksUri = href.split('?', 1)[0]
  let last = 0
  let inFlight = null
  const counts = { ok: 0, failed: 0, keys: 0, lastSuccess: 0, duration: new Histogram(ROUND_TRIP_BOUNDS_MICROS) }
  let stopped = false
  const warned = new Set()
  const report = (error) => {
    if (error.code !== ErrorCodes.JWK_SKIPPED) {
      const events = eventsOf(authenticator)
      if (events !== null)
        events.emit('sys_jwks_fetch_fail', {
          jwks_uri: jwksUri,
          code: error.code,
          reason: error.message.replace(href, jwksUri),
        })
    }
    if (o.onError) return o.onError(error)
    if (warned.has(error.message)) return
    warned.add(error.message)
    const tail = error.code === ErrorCodes.JWK_SKIPPED ? '' : '; the keys in force are kept'
    process.emitWarning(`auth-shield: ${error.message}${tail}`, { code: 'AUTH_SHIELD_JWKS' })
  }
  async function run() {
    last = Date.now()
    const started = performance.now()
    try {
      let jwks
      try {
        jwks = await fetchJwks(href, { timeout: o.timeout, fetch: o.fetch })
      } finally {
        counts.duration.observe(performance.now() - started)
      }
      if (stopped) return false
      const taken = authenticator.setKeys(o.signingKid === undefined ? { jwks } : { jwks, signingKid: o.signingKid })
      counts.ok++
      counts.keys = jwks.keys.length - ((taken && taken.skipped) || []).length
      counts.lastSuccess = Math.floor(Date.now() / 1000)
      // The keys it could use are in force; the rest are the operator's to know of, never a client's.
      for (const why of (taken && taken.skipped) || [])
        report(codedError(ErrorCodes.JWK_SKIPPED, `JWKS ${href}: ${why}; the key was skipped`))
      return true
    } catch (error) {
      counts.failed++
      report(error)
      return false
    } finally {
      inFlight = null
    }
  }
  function refresh({ force = false } = {}) {
    if (inFlight) return inFlight
    if (!force && Date.now() - last < o.cooldown) return Promise.resolve(false)
    inFlight = run()
    return inFlight
  }
  const timer = setInterval(() => refresh({ force: true }), o.interval)
  timer.unref()
  const ready = refresh({ force: true })
  const refresher = {
    /** Settles after the first fetch: true when it brought keys. */
    ready,
    refresh: () => refresh(),
    /** Fetches so far (`ok`, `failed`), the keys in force from the last good one, its time (Unix s, 0 before one), and their durations. */
    metrics: () => ({
      fetches: { ok: counts.ok, failed: counts.failed },
      keys: counts.keys,
      lastSuccess: counts.lastSuccess,
      duration: counts.duration.read(),
    }),
    stop() {
      stopped = true
      clearInterval(timer)
      if (refreshers.get(authenticator) === refresher) refreshers.delete(authenticator)
    },
  }
  refreshers.set(authenticator, refresher)
  return refresher
}

module.exports = { fetchJwks, createJwksRefresher, refresherOf }
