'use strict'

// The checks both engines apply to the arguments of the signing, token-pair and revocation calls
// before any rule of their own: a plain claims object that JSON can hold, and known options only.

const { ErrorCodes, codedError } = require('./codes')

const SIGN_OPTIONS = ['expiresIn', 'notBefore']

/**
 * `{ json, options }`: the claims serialised as jsonwebtoken serialises a payload, and the
 * options, of which only `known` are accepted.
 */
function signArguments(claims, options, known = SIGN_OPTIONS) {
  const argument = (message) => codedError(ErrorCodes.INVALID_ARGUMENT, message)
  if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) {
    throw argument('claims must be a plain object such as { sub: "user-1" }')
  }
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw argument('options must be an object such as { expiresIn: "15m" }')
  }
  const opts = options || {}
  const unknown = Object.keys(opts).find((k) => !known.includes(k))
  if (unknown !== undefined) throw argument(`Unknown option \`${unknown}\`; known options are: ${known.join(', ')}`)
  try {
    return { json: JSON.stringify(claims), options: opts }
  } catch (cause) {
    throw argument(`claims cannot be serialised as JSON: ${cause.message}`)
  }
}

const PAIR_OPTIONS = ['accessExpiresIn', 'refreshExpiresIn']
const REFRESH_OPTIONS = ['claims', ...PAIR_OPTIONS]

/** issueTokens(claims, options): as for signing, with the two lifetimes as options. */
function pairArguments(claims, options) {
  return signArguments(claims, options, PAIR_OPTIONS)
}

/** refresh(token, options): `{ json, options }` where `json` is the replacement claims or null. */
function refreshArguments(options) {
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw codedError(ErrorCodes.INVALID_ARGUMENT, 'options must be an object such as { claims, accessExpiresIn }')
  }
  const { claims, ...lifetimes } = options || {}
  if (claims === undefined || claims === null) {
    const unknown = Object.keys(lifetimes).find((k) => !PAIR_OPTIONS.includes(k))
    if (unknown !== undefined) {
      throw codedError(
        ErrorCodes.INVALID_ARGUMENT,
        `Unknown option \`${unknown}\`; known options are: ${REFRESH_OPTIONS.join(', ')}`,
      )
    }
    return { json: null, options: lifetimes }
  }
  return signArguments(claims, lifetimes, PAIR_OPTIONS)
}

/** `{ tenantId, before }` of revokeUser's options. */
function revocationOptions(options) {
  if (options === undefined || options === null) return {}
  if (typeof options !== 'object')
    throw codedError(ErrorCodes.INVALID_ARGUMENT, 'options must be an object such as { tenantId, before }')
  const unknown = Object.keys(options).find((k) => k !== 'tenantId' && k !== 'before')
  if (unknown !== undefined)
    throw codedError(ErrorCodes.INVALID_ARGUMENT, `Unknown option \`${unknown}\`; known options are: tenantId, before`)
  return options
}

/** An export or an event given as an object or as JSON text, as JSON text (what the native side reads). */
function revocationState(value, what = 'export') {
  if (typeof value === 'string') return value
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw codedError(ErrorCodes.INVALID_ARGUMENT, `the ${what} must be an object (or its JSON text)`)
  try {
    return JSON.stringify(value)
  } catch (cause) {
    throw codedError(ErrorCodes.INVALID_ARGUMENT, `the ${what} cannot be serialised as JSON: ${cause.message}`)
  }
}

module.exports = { signArguments, pairArguments, refreshArguments, revocationOptions, revocationState }
