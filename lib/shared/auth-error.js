'use strict'

// A failed request as an error, for the framework's own error handling (`errors: 'forward'`):
// what the default answer would have said, with the headers it would have carried, in the
// fields Express's final handler and Fastify's error handler read (`status`/`statusCode`,
// `headers`, `expose`).

class AuthError extends Error {
  /**
   * @param result a failed result (or a guard's refusal): `{ error, errorCode, errorStatus, requestId }`
   * @param headers every header the default answer would have set
   */
  constructor(result, headers) {
    super(result.error)
    this.name = 'AuthError'
    this.code = result.errorCode
    this.status = result.errorStatus
    this.statusCode = result.errorStatus
    this.requestId = result.requestId
    this.headers = headers
    // The message is safe to show a client (it never holds a token, claim or secret).
    this.expose = true
  }
}

module.exports = { AuthError }
