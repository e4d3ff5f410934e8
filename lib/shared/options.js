'use strict'

// What every configuration reader in JS shares: the coded error, the naming of a value's type, as
// core/src/options.rs words them, and the readers of an option by its spec in contract/.

const { ErrorCodes, codedError } = require('./codes')
const { CACHE_OPTIONS } = require('./contract')

const configError = (message) => codedError(ErrorCodes.INVALID_CONFIG, message)
const OUR_CODES = new Set(Object.keys(ErrorCodes))

/**
 * Runs `read` (which reads a configuration `what`) so that whatever it throws has a code: an
 * error of ours passes as it is; one the configuration itself threw (a getter, a Proxy trap) is
 * INVALID_CONFIG naming `what`, with the original as `cause`.
 */
function readingConfig(what, read) {
  try {
    return read()
  } catch (error) {
    if (error instanceof Error && OUR_CODES.has(error.code)) throw error
    const wrapped = configError(`${what} could not be read: ${error instanceof Error ? error.message : String(error)}`)
    wrapped.cause = error
    throw wrapped
  }
}

function kind(v) {
  if (v === null || v === undefined) return 'null or undefined'
  if (typeof v === 'boolean') return 'a boolean'
  if (typeof v === 'number') return 'a number'
  if (typeof v === 'string') return 'a string'
  if (Array.isArray(v)) return 'an array'
  if (v instanceof Uint8Array) return 'a Buffer'
  if (ArrayBuffer.isView(v)) return 'a typed array other than Uint8Array'
  if (typeof v === 'function') return 'a function'
  if (typeof v === 'symbol') return 'a symbol'
  if (typeof v === 'bigint') return 'an unsupported value'
  return 'an object'
}

/** A plain object as options are given: not null, an array or a typed array. */
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v)

const wrong = (name, want, got) => configError(`\`${name}\` must be ${want}, not ${kind(got)}`)
const absent = (v) => v === undefined || v === null

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

/** A whole number within the spec's bounds, or null when the option is not given. */
function readOptionalInteger(config, spec) {
  return absent(config[spec.name]) ? null : readInteger(config, { ...spec, default: null })
}

function readPositive(config, { name, max, default: fallback }) {
  const n = readNumber(config, name, fallback)
  if (n <= 0 || n > max) throw configError(`\`${name}\` must be greater than 0 and at most ${max}, not ${n}`)
  return n
}

/** `cache: true | false | { max, ttl }` as core/src/request/cache.rs reads it; null when off. */
function readCache(config) {
  const v = config.cache
  if (absent(v) || v === false) return null
  if (v === true) return { max: CACHE_OPTIONS.max.default, ttl: CACHE_OPTIONS.ttl.default }
  if (typeof v !== 'object' || Array.isArray(v) || ArrayBuffer.isView(v))
    throw wrong('cache', 'true, false or { max, ttl }', v)
  const unknown = Object.keys(v).find((k) => !Object.hasOwn(CACHE_OPTIONS, k))
  if (unknown !== undefined)
    throw configError(
      `cache: Unknown option \`${unknown}\`; known options are: ${Object.keys(CACHE_OPTIONS).join(', ')}`,
    )
  return { max: readInteger(v, CACHE_OPTIONS.max), ttl: readInteger(v, CACHE_OPTIONS.ttl) }
}

module.exports = {
  readingConfig,
  configError,
  kind,
  wrong,
  absent,
  isObject,
  readBool,
  readNumber,
  readInteger,
  readOptionalInteger,
  readPositive,
  readCache,
}
