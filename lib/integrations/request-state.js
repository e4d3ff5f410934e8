'use strict'

// What auth-shield leaves on a request for what runs after it (guards, a second strategy): the
// integration that handled it, under one symbol, so the user's own property names and other
// auth libraries' (Passport's `req.user`) never matter. The integration knows which property it
// set and how it answers a failure (respond, onError, or forward to the framework).

const { randomUUID } = require('node:crypto')

const HANDLED_BY = Symbol('auth-shield.handledBy')

// 1 to 128 characters that are safe in a header, a log line and a URL.
const SAFE_ID = /^[A-Za-z0-9\-_.:@+=/]{1,128}$/

/** Whether `id` may be used as a request id. */
function validId(id) {
  return typeof id === 'string' && SAFE_ID.test(id)
}

/**
 * The id a request goes by: one already on it (`current`: Express `req.id`, Fastify's
 * `request.id`), else a trusted incoming `X-Request-Id`, else `fresh` (the result's, or a new one).
 */
function requestIdOf(current, req, trustIncoming, fresh) {
  if (validId(current)) return current
  if (trustIncoming) {
    const incoming = req.headers['x-request-id']
    if (validId(incoming)) return incoming
  }
  return fresh === undefined ? randomUUID() : fresh
}

module.exports = { HANDLED_BY, validId, requestIdOf }
