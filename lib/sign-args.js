'use strict'

// The checks both engines apply to the arguments of signAccessToken/signRefreshToken before any
// claim rule: a plain claims object that JSON can hold, and known options only.

const { ErrorCodes, codedError } = require('./js/codes')

const SIGN_OPTIONS = ['expiresIn', 'notBefore']

/** `{ json, options }`: the claims serialised as jsonwebtoken serialises a payload, and the options. */
function signArguments(claims, options) {
  const argument = (message) => codedError(ErrorCodes.INVALID_ARGUMENT, message)
  if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) {
    throw argument('claims must be a plain object such as { sub: "user-1" }')
  }
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw argument('options must be an object such as { expiresIn: "15m" }')
  }
  const opts = options || {}
  const unknown = Object.keys(opts).find((k) => !SIGN_OPTIONS.includes(k))
  if (unknown !== undefined) throw argument(`Unknown option \`${unknown}\`; known options are: ${SIGN_OPTIONS.join(', ')}`)
  try {
    return { json: JSON.stringify(claims), options: opts }
  } catch (cause) {
    throw argument(`claims cannot be serialised as JSON: ${cause.message}`)
  }
}

module.exports = { signArguments }
