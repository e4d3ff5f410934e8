'use strict'

// Reading an option family only the JS layer takes (the Redis link's, the JWKS refresher's) from
// its specs in contract/options.json (generated into JS_OPTION_FAMILIES): unknown names refused,
// each value checked by its kind, defaults filled in. Messages name the option.

const { ErrorCodes, codedError } = require('./codes')
const { JS_OPTION_FAMILIES } = require('./contract')
const { readBool, readInteger, readPositive, wrong } = require('./options')

const fail = (message) => codedError(ErrorCodes.INVALID_CONFIG, message)

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
      if (typeof value !== 'string' || value.length > spec.maxLength)
        throw fail(`${name} must be a string of at most ${spec.maxLength} characters`)
      return
    case 'function':
      if (typeof value !== 'function') throw fail(`${name} must be a function`)
      return
    default:
  }
}

/**
 * `options` of `family` (a JS_OPTION_FAMILIES name) with every default filled in, or a coded
 * error. `what` names the family in messages ("Redis options"), `unknown` the kind of name in the
 * refusal of one it does not know ("Redis option").
 */
function readFamily(family, options, { what, unknown, within = '' }) {
  const specs = JS_OPTION_FAMILIES[family]
  if (options === undefined || options === null) options = {}
  if (typeof options !== 'object' || Array.isArray(options)) throw fail(`${what} must be an object`)
  const names = specs.map((s) => s.name)
  const stray = Object.keys(options).find((k) => !names.includes(k))
  if (stray !== undefined) throw fail(`Unknown ${unknown} \`${stray}\`; known options are: ${names.join(', ')}`)
  const out = {}
  for (const spec of specs) {
    const given = options[spec.name]
    if (given === undefined) {
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

module.exports = { readFamily, checkGiven }
