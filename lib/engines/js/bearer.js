'use strict'

// The Authorization header as the JS engine reads it: the Bearer credential and the byte bounds
// the native binding's buffers impose, so that both engines agree on any input.

const { trimOws, asciiLower } = require('./tenant')

/** Whether `s` is longer than `limit` bytes in UTF-8 (without encoding it when it cannot be). */
function byteLengthOver(s, limit) {
  return s.length * 3 > limit && Buffer.byteLength(s, 'utf8') > limit
}

/** The first `limit` bytes of `s` in UTF-8, never splitting a character, as Latin-1 text. */
function utf8Prefix(s, limit) {
  const bytes = Buffer.from(s, 'utf8')
  let n = limit
  while (n > 0 && (bytes[n] & 0xc0) === 0x80) n--
  return bytes.subarray(0, n).toString('latin1')
}

/** The Bearer credential (RFC 6750 §2.1), `{ token }` or `{ code }`, as core/src/request/bearer.rs. */
function extractBearer(header) {
  const v = trimOws(header)
  if (v === '') return { code: 'MISSING_AUTHORIZATION' }
  if (v.length <= 6 || asciiLower(v.slice(0, 6)) !== 'bearer' || v[6] !== ' ')
    return { code: 'INVALID_AUTHORIZATION_FORMAT' }
  let i = 7
  while (v[i] === ' ') i++
  const rest = v.slice(i)
  if (rest === '' || /[\x00-\x20\x7f]/.test(rest)) return { code: 'INVALID_AUTHORIZATION_FORMAT' }
  return { token: rest }
}

module.exports = { byteLengthOver, utf8Prefix, extractBearer }
