'use strict'

// Configuration for the JavaScript engine: the same options, defaults, checks, codes and
// messages as src/core/config.rs, so switching engines never changes what a config means. Names,
// bounds and defaults come from contract/options.json (lib/shared/contract.js).

const { ErrorCodes, codedError } = require('./codes')
const { keySetFrom, refreshKeySet } = require('./keys')
const { configError, wrong, absent } = require('./options')

const { AUTHENTICATOR_OPTIONS: OPT, CACHE_OPTIONS } = require('../shared/contract')

const OPTIONS = Object.keys(OPT)
const ALGORITHMS = { HS256: 32, HS384: 48, HS512: 64 }
const MAX_TTL = OPT.accessTokenTtl.max

function readBool(config, { name, default: fallback }) {
  const v = config[name]
  if (absent(v)) return fallback
  if (typeof v !== 'boolean') throw wrong(name, 'a boolean', v)
  return v
}

function readNumber(config, name, fallback) {
  const v = config[name]
  if (absent(v)) return fallback
  if (typeof v !== 'number' || !Number.isFinite(v)) throw wrong(name, 'a finite number', v)
  return v
}

function readInteger(config, { name, min, max, default: fallback }) {
  const n = readNumber(config, name, fallback)
  if (!Number.isInteger(n) || n < min || n > max) {
    throw configError(`\`${name}\` must be a whole number from ${min} to ${max}, not ${n}`)
  }
  return n
}

function readPositive(config, { name, max, default: fallback }) {
  const n = readNumber(config, name, fallback)
  if (n <= 0 || n > max) throw configError(`\`${name}\` must be greater than 0 and at most ${max}, not ${n}`)
  return n
}

function readStrings(config, name) {
  const v = config[name]
  if (absent(v)) return []
  const list = typeof v === 'string' ? [v] : Array.isArray(v) && v.length > 0 ? v : null
  if (list === null) throw wrong(name, 'a string or a non-empty array of strings', v)
  for (const item of list) {
    if (typeof item !== 'string' || item === '') throw wrong(name, 'made of non-empty strings', absent(item) ? {} : item)
  }
  return [...list]
}

function readSecret(config, name, minLength, allowWeak) {
  const v = config[name]
  if (absent(v)) return null
  let bytes
  if (typeof v === 'string') bytes = Buffer.from(v, 'utf8')
  else if (v instanceof Uint8Array) bytes = Buffer.from(v)
  else throw wrong(name, 'a string or a Buffer', v)
  if (bytes.length === 0) throw configError(`\`${name}\` must not be empty`)
  if (bytes.length < minLength && !allowWeak) {
    throw codedError(
      ErrorCodes.WEAK_SECRET,
      `\`${name}\` is ${bytes.length} bytes; the configured algorithms need at least ${minLength} (RFC 7518 §3.2). ` +
        'Use a longer random secret, or set `allowWeakSecrets: true` to accept it',
    )
  }
  return bytes
}

function readDomain(config, name) {
  const v = config[name]
  if (absent(v)) return null
  if (typeof v !== 'string') throw wrong(name, 'a string', v)
  const s = v.replace(/^\.+/, '').toLowerCase()
  const valid = s !== '' && s.length <= 253 && s.split('.').every((l) => l !== '' && l.length <= 63 && /^[a-z0-9-]+$/.test(l))
  if (!valid) throw configError(`\`${name}\` must be a domain name such as "example.com"`)
  return s
}

function readAlgorithms(config) {
  const v = config.algorithms
  if (absent(v)) return ['HS256']
  if (!Array.isArray(v) || v.length === 0) throw wrong('algorithms', 'a non-empty array of algorithm names', v)
  const out = []
  for (const name of v) {
    if (typeof name !== 'string') throw wrong('algorithms', 'made of strings', absent(name) ? {} : name)
    if (!Object.hasOwn(ALGORITHMS, name)) {
      throw configError(`\`algorithms\` may list only HS256, HS384, HS512 (for \`accessSecret\`; asymmetric keys go in \`keys\`); "${name}" is not supported`)
    }
    if (!out.includes(name)) out.push(name)
  }
  return out
}

/** Validated settings, or a thrown coded error naming the option. */
function settingsFrom(config) {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw configError('The configuration must be an object such as { accessSecret }')
  }
  const unknown = Object.keys(config).find((k) => !Object.hasOwn(OPT, k))
  if (unknown !== undefined) throw configError(`Unknown option \`${unknown}\`; known options are: ${OPTIONS.join(', ')}`)
  const algorithms = readAlgorithms(config)
  const allowWeak = readBool(config, OPT.allowWeakSecrets)
  const minLength = Math.max(...algorithms.map((a) => ALGORITHMS[a]))
  const accessSecret = readSecret(config, 'accessSecret', minLength, allowWeak)
  const keys = keySetFrom(config, allowWeak)
  if (accessSecret === null && keys === null) throw configError('`accessSecret` is required (or named `keys` / `jwks`)')
  if (accessSecret !== null && keys !== null) {
    throw configError('Give `accessSecret` or `keys`/`jwks`, not both: with named keys every token names its key by `kid`')
  }
  const refreshSecret = readSecret(config, 'refreshSecret', minLength, allowWeak)
  const refreshKeys = refreshKeySet(config.refreshKeys, allowWeak)
  if (refreshSecret !== null && refreshKeys !== null) {
    throw configError('Give `refreshSecret` or `refreshKeys`, not both: with named keys every token names its key by `kid`')
  }
  return {
    accessSecret,
    keys,
    refreshKeys,
    allowWeakSecrets: allowWeak,
    cache: readCache(config),
    refreshSecret,
    algorithms,
    issuers: readStrings(config, 'issuer'),
    audiences: readStrings(config, 'audience'),
    leeway: readInteger(config, OPT.leeway),
    requireExp: readBool(config, OPT.requireExp),
    maxTokenLength: readInteger(config, OPT.maxTokenLength),
    capacity: readInteger(config, OPT.rateLimitMax),
    refillPerSec: readPositive(config, OPT.rateLimitRefill),
    maxKeys: readInteger(config, OPT.rateLimitMaxKeys),
    enforceTenantMatch: readBool(config, OPT.enforceTenantMatch),
    baseDomain: readDomain(config, 'baseDomain'),
    accessTokenTtl: readInteger(config, OPT.accessTokenTtl),
    refreshTokenTtl: readInteger(config, OPT.refreshTokenTtl),
    revocationMaxEntries: readInteger(config, OPT.revocationMaxEntries),
    maxSessions: readInteger(config, OPT.maxSessions),
  }
}

/** `cache: true | false | { max, ttl }` as src/core/request/cache.rs reads it; null when off. */
function readCache(config) {
  const v = config.cache
  if (absent(v) || v === false) return null
  if (v === true) return { max: CACHE_OPTIONS.max.default, ttl: CACHE_OPTIONS.ttl.default }
  if (typeof v !== 'object' || Array.isArray(v) || ArrayBuffer.isView(v)) throw wrong('cache', 'true, false or { max, ttl }', v)
  const unknown = Object.keys(v).find((k) => !Object.hasOwn(CACHE_OPTIONS, k))
  if (unknown !== undefined) throw configError(`cache: Unknown option \`${unknown}\`; known options are: ${Object.keys(CACHE_OPTIONS).join(', ')}`)
  return { max: readInteger(v, CACHE_OPTIONS.max), ttl: readInteger(v, CACHE_OPTIONS.ttl) }
}

/** `expiresIn`/`notBefore`: whole seconds or "<n><s|m|h|d>", as src/core/lifecycle/signing.rs reads them. */
function lifetime(value, name) {
  const refuse = () =>
    codedError(ErrorCodes.INVALID_ARGUMENT, `\`${name}\` must be whole seconds or a string like "15m", "12h" or "7d", at most 10 years`)
  let seconds
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0 || value > MAX_TTL) throw refuse()
    seconds = value
  } else if (typeof value === 'string') {
    const m = /^(\d+)\s*([smhd]?)$/.exec(value.trim())
    if (!m) throw refuse()
    seconds = Number(m[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2]]
    if (!Number.isSafeInteger(seconds) || seconds > MAX_TTL) throw refuse()
  } else throw refuse()
  return seconds
}

module.exports = { OPTIONS, settingsFrom, lifetime, readCache }
