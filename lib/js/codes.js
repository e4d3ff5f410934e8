'use strict'

// The error table for the JavaScript engine, which must work where the native binary does not
// load. It mirrors `ErrorCode::ALL` in src/core/error.rs row for row; __test__/errors.test.js
// fails if the two ever differ.

const TABLE = [
  ['MISSING_AUTHORIZATION', 401, 'No Authorization header provided'],
  ['INVALID_AUTHORIZATION_FORMAT', 401, 'Invalid Authorization header format'],
  ['TOKEN_MALFORMED', 401, 'Invalid token'],
  ['ALGORITHM_NOT_ALLOWED', 401, 'Invalid token'],
  ['UNKNOWN_KEY', 401, 'Invalid token'],
  ['INVALID_SIGNATURE', 401, 'Invalid token'],
  ['TOKEN_EXPIRED', 401, 'Token expired'],
  ['TOKEN_NOT_ACTIVE', 401, 'Token not yet valid'],
  ['INVALID_ISSUER', 401, 'Invalid token'],
  ['INVALID_AUDIENCE', 401, 'Invalid token'],
  ['MISSING_CLAIM', 401, 'Invalid token'],
  ['INVALID_TOKEN_TYPE', 401, 'Invalid token type'],
  ['TOKEN_REVOKED', 401, 'Token revoked'],
  ['TOKEN_REUSED', 401, 'Token revoked'],
  ['INVALID_TENANT', 400, 'Invalid tenant'],
  ['TENANT_MISMATCH', 403, 'Tenant mismatch'],
  ['RATE_LIMITED', 429, 'Rate limit exceeded'],
  ['OTP_NOT_FOUND', 401, 'No code pending'],
  ['OTP_EXPIRED', 401, 'Code expired'],
  ['OTP_INVALID', 401, 'Invalid code'],
  ['OTP_REPLAYED', 401, 'Code already used'],
  ['OTP_LOCKED', 429, 'Too many attempts'],
  ['INVALID_CONFIG', 0, 'Invalid configuration'],
  ['WEAK_SECRET', 0, 'Secret is too short'],
  ['INVALID_ARGUMENT', 0, 'Invalid argument'],
  ['INVALID_HASH', 0, 'Invalid hash'],
  ['INVALID_API_KEY', 0, 'Invalid API key'],
  ['INVALID_FILENAME', 0, 'Invalid filename'],
  ['INVALID_CSP', 0, 'Invalid Content-Security-Policy'],
  ['REVOCATION_LIMIT', 0, 'Too many revocations'],
  ['ENGINE_UNAVAILABLE', 0, 'Engine unavailable'],
  ['INTERNAL_ERROR', 0, 'Internal error'],
].map(([code, status, message]) => Object.freeze({ code, status, message }))

const ErrorCodes = Object.freeze(Object.fromEntries(TABLE.map((e) => [e.code, e.code])))
const BY_CODE = new Map(TABLE.map((e) => [e.code, e]))

function codedError(code, message) {
  const error = new Error(message)
  error.code = code
  return error
}

module.exports = { TABLE, ErrorCodes, BY_CODE, codedError }
