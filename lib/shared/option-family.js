'use strict'

// Reading an option family only the JS layer takes (the Redis link's, the JWKS refresher's,
// apiKeyAuth's, RedisOtpStore's) from its specs in contract/options.json (generated into
// JS_OPTION_FAMILIES): unknown names refused, each value checked by its kind, defaults filled in.
// The integrations' options are checked by the same kinds (their `check`). Messages name the option.

const { ErrorCodes, codedError } = require('./codes')
const { JS_OPTION_FAMILIES, RESERVED_PROPERTIES } = require('./contract')
const { readBool, readInteger, readPositive, wrong } = require('./options')
const { missingMethods } = require('./engine-interface')

const fail = (message) => codedError(ErrorCodes.INVALID_CONFIG, message)

// An HTTP field name (RFC 9110 token).
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]{0,63}$/

/** Bytes of a string or byte array, else -1. */
function byteLength(v) {
  if (typeof v === 'string') return Buffer.byteLength(v)
  return v instanceof Uint8Array ? v.byteLength : -1
}

function check(spec, value, within = '') {
  const name = `\`${within}${spec.name}\``
  switch (spec.kind) {
    case 'milliseconds':
      if (!Number.isInteger(value) || value < spec.min || value > spec.max)
        throw fail(`${name} must be whole milliseconds from ${spec.min} to ${spec.max}`)
      return
    // The authenticator options' own readers hold these rules; here null is a value to refuse,
    // not "the default" as it is there.
    case 'integer':
    case 'positive':
    case 'boolean': {
      const full = `${within}${spec.name}`
      if (value === null) throw wrong(full, spec.kind === 'boolean' ? 'a boolean' : 'a number', value)
      const one = { [full]: value }
      const read = { integer: readInteger, positive: readPositive, boolean: readBool }[spec.kind]
      read(one, { ...spec, name: full, default: null })
      return
    }
    case 'oneOf':
      if (!spec.choices.includes(value)) {
        const shown = spec.choices.map((c) => (typeof c === 'string' ? `"${c}"` : String(c)))
        throw fail(`${name} must be ${shown.slice(0, -1).join(', ')} or ${shown.at(-1)}`)
      }
      return
    case 'string':
      if (typeof value !== 'string' || (spec.maxLength !== undefined && value.length > spec.maxLength))
        throw fail(
          `${name} must be a string${spec.maxLength === undefined ? '' : ` of at most ${spec.maxLength} characters`}`,
        )
      return
    case 'function':
      if (typeof value !== 'function') throw fail(`${name} must be a function`)
      return
    case 'secret': {
      const bytes = byteLength(value)
      if (bytes < 0) throw fail(`${name} must be a string or bytes`)
      if (bytes < spec.minBytes)
        throw codedError(
          ErrorCodes[spec.shortCode ?? 'INVALID_CONFIG'],
          `${name} is ${bytes} bytes; it must be at least ${spec.minBytes}`,
        )
      return
    }
    case 'headerName':
      if (typeof value !== 'string' || !HEADER_NAME.test(value) || (spec.except ?? []).includes(value.toLowerCase())) {
        const but = spec.except === undefined ? '' : ` other than ${spec.except.join(', ')}`
        throw fail(`${name} must be a header name${but}, such as "${spec.example}"`)
      }
      return
    case 'strings':
      if (
        !Array.isArray(value) ||
        (spec.nonEmpty && value.length === 0) ||
        !value.every((s) => typeof s === 'string' && (!spec.nonEmpty || s !== ''))
      )
        throw fail(
          `${name} must be ${spec.nonEmpty ? 'a non-empty array of non-empty strings' : 'an array of strings'} such as ${spec.example}`,
        )
      return
    case 'paths':
      if (!Array.isArray(value) || !value.every((p) => typeof p === 'string' || p instanceof RegExp))
        throw fail(`${name} must be an array of paths or regular expressions`)
      return
    case 'plainText':
      if (typeof value !== 'string' || /["\\\r\n]/.test(value))
        throw fail(`${name} must be a string without quotes, backslashes or line breaks`)
      return
    case 'limits':
      // What `{ max, refill }` holds is the limiter's own rule, applied where the limit is defined.
      if (value !== false && (value === null || typeof value !== 'object' || Array.isArray(value)))
        throw fail(`${name} must be { max, refill } or false`)
      return
    case 'property':
      if (typeof value !== 'string' || !IDENTIFIER.test(value) || RESERVED_PROPERTIES.has(value))
        throw fail(
          `${name} must be an identifier such as "user" or "auth", not one the framework or auth-shield uses (${[...RESERVED_PROPERTIES].slice(0, 6).join(', ')}, …)`,
        )
      return
    case 'object':
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw fail(`${name} must be an object`)
      return
    case 'logger':
      if (
        value === null ||
        typeof value !== 'object' ||
        !['warn', 'error'].every((m) => typeof value[m] === 'function')
      )
        throw fail(`${name} must be a logger with warn and error methods (pino, bunyan, console)`)
      return
    case 'authenticator':
      if (value === null || typeof value !== 'object' || missingMethods(value).length > 0)
        throw fail(`${name} must be an authenticator (createAuthenticator or new Authenticator)`)
      return
    default:
  }
}

/**
 * `options` of `family` (a JS_OPTION_FAMILIES name) with every default filled in, or a coded
 * error. `what` names the family in messages ("Redis options"), `unknown` the kind of name in the
 * refusal of one it does not know ("Redis option"); `also` lists the names read elsewhere, and
 * `label`, when given, starts every message ("apiKeyAuth").
 */
function readFamily(family, options, { label, ...how }) {
  return labelled(label, () => readEach(family, options, how))
}

/** What `read()` returns; a coded error it throws has its message started by `label`, when given. */
function labelled(label, read) {
  try {
    return read()
  } catch (error) {
    if (label !== undefined && error.code !== undefined) error.message = `${label}: ${error.message}`
    throw error
  }
}

function readEach(family, options, { what, unknown, within = '', also = [] }) {
  const specs = JS_OPTION_FAMILIES[family]
  if (options === undefined || options === null) options = {}
  if (typeof options !== 'object' || Array.isArray(options)) throw fail(`${what} must be an object`)
  const names = [...specs.map((s) => s.name), ...also]
  const stray = Object.keys(options).find((k) => !names.includes(k))
  if (stray !== undefined) throw fail(`Unknown ${unknown} \`${stray}\`; known options are: ${names.join(', ')}`)
  const out = {}
  for (const spec of specs) {
    const given = options[spec.name]
    if (given === undefined) {
      if (spec.required) throw fail(`\`${within}${spec.name}\` (${spec.type}) is required`)
      out[spec.name] = spec.default
      continue
    }
    check(spec, given, within)
    out[spec.name] = given
  }
  return out
}

/** Applies each `checks` spec (name → spec) to the option of that name in `options`, when given. */
function checkGiven(checks, options) {
  for (const name of Object.keys(options)) {
    const spec = checks[name]
    if (spec !== undefined && options[name] !== undefined) check(spec, options[name])
  }
}

module.exports = { readFamily, checkGiven, labelled }
