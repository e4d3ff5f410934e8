'use strict'

// The error table as JS uses it: the rows are generated from contract/errors.json (see
// lib/shared/contract.js); this adds the lookups and the coded error.

const { ERRORS: TABLE } = require('./contract')

const ErrorCodes = Object.freeze(Object.fromEntries(TABLE.map((e) => [e.code, e.code])))
const BY_CODE = new Map(TABLE.map((e) => [e.code, e]))

function codedError(code, message) {
  const error = new Error(message)
  error.code = code
  return error
}

module.exports = { TABLE, ErrorCodes, BY_CODE, codedError }
