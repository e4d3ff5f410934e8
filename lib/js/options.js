'use strict'

// What every configuration reader of the JavaScript engine shares: the coded error and the
// naming of a value's type, as src/core/options.rs words them.

const { ErrorCodes, codedError } = require('./codes')

const configError = (message) => codedError(ErrorCodes.INVALID_CONFIG, message)

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

const wrong = (name, want, got) => configError(`\`${name}\` must be ${want}, not ${kind(got)}`)
const absent = (v) => v === undefined || v === null

module.exports = { configError, kind, wrong, absent }
