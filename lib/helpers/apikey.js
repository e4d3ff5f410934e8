'use strict'

const { requireBinding } = require('../engines/native')
const { ErrorCodes, codedError } = require('../shared/codes')

/** `{ key, id, hash }`: give `key` to the client once; store `id` and `hash`. */
function generateApiKey(options) {
  if (options === null || typeof options !== 'object') {
    throw codedError(ErrorCodes.INVALID_ARGUMENT, 'generateApiKey takes { pepper, prefix? }')
  }
  return requireBinding().generateApiKey(options.prefix, options.pepper)
}

function hashApiKey(key, pepper) {
  return requireBinding().hashApiKey(key, pepper)
}

function verifyApiKey(key, storedHash, pepper) {
  return requireBinding().verifyApiKey(key, storedHash, pepper)
}

function parseApiKey(key) {
  return requireBinding().parseApiKey(key)
}

module.exports = { generateApiKey, hashApiKey, verifyApiKey, parseApiKey }
