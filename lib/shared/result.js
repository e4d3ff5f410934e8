'use strict'

const { BY_CODE, ErrorCodes } = require('./codes')

// The one shape of an authentication result, for both engines. Every result has the same
// properties in the same order, so V8 gives them all one hidden class.

function success(requestId, userId, email, role, roles, permissions, tenantId, limit, remaining, reset, plan) {
  return {
    authenticated: true,
    requestId,
    userId,
    email,
    role,
    roles,
    permissions,
    tenantId,
    rateLimitLimit: limit,
    rateLimitRemaining: remaining,
    rateLimitReset: reset,
    rateLimitPlan: plan,
    retryAfter: null,
    error: null,
    errorCode: null,
    errorStatus: null,
    subject: userId,
  }
}

/**
 * `entry` is a row of the error table; the rate-limit fields are null unless the limiter refused;
 * `subject` is the verified token's user when the refusal came after its signature verified.
 */
function failure(requestId, entry, limit = null, remaining = null, reset = null, retryAfter = null, subject = null) {
  return {
    authenticated: false,
    requestId,
    userId: null,
    email: null,
    role: null,
    roles: null,
    permissions: null,
    tenantId: null,
    rateLimitLimit: limit,
    rateLimitRemaining: remaining,
    rateLimitReset: reset,
    rateLimitPlan: null,
    retryAfter,
    error: entry.message,
    errorCode: entry.code,
    errorStatus: entry.status,
    subject,
  }
}

/** The one shape of a refresh result: a new pair, or a refusal with its code. */
function refreshed(pair) {
  return {
    ok: true,
    accessToken: pair.accessToken,
    refreshToken: pair.refreshToken,
    accessExpiresAt: pair.accessExpiresAt,
    refreshExpiresAt: pair.refreshExpiresAt,
    family: pair.family,
    userId: pair.userId,
    error: null,
    errorCode: null,
    errorStatus: null,
  }
}

/** `family` is set when the refusal revoked it (`TOKEN_REUSED`). */
function refreshRefused(entry, family = null) {
  return {
    ok: false,
    accessToken: null,
    refreshToken: null,
    accessExpiresAt: null,
    refreshExpiresAt: null,
    family,
    userId: null,
    error: entry.message,
    errorCode: entry.code,
    errorStatus: entry.status,
  }
}

/**
 * A success whose bucket was taken from apart from the fused call (a caller's key, a Redis
 * bucket), with what that take said: its figures, or its refusal. `rate` null: no limit applied;
 * `{ unavailable: true }`: the store that holds the bucket did not answer.
 */
function withRate(result, rate) {
  if (rate === null) return result
  if (rate.unavailable)
    return failure(result.requestId, BY_CODE.get(ErrorCodes.STATE_UNAVAILABLE), null, null, null, null, result.subject)
  if (!rate.allowed)
    return failure(
      result.requestId,
      BY_CODE.get(ErrorCodes.RATE_LIMITED),
      rate.limit,
      rate.remaining,
      rate.reset,
      rate.retryAfter,
      result.subject,
    )
  result.rateLimitLimit = rate.limit
  result.rateLimitRemaining = rate.remaining
  result.rateLimitReset = rate.reset
  return result
}

module.exports = { success, failure, refreshed, refreshRefused, withRate }
