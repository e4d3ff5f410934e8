'use strict'

// Strict base64url (RFC 7515 §2, RFC 4648 §5 and §3.5): the URL-safe alphabet only, no padding,
// and zero unused bits in the last character, so each byte string has one accepted encoding.
// Node's own decoder is lenient about all three, hence the checks before it.

const ALPHABET = /^[A-Za-z0-9_-]*$/
const INDEX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** The decoded bytes, or null for anything but the canonical encoding. */
function decode(segment) {
  const rem = segment.length % 4
  if (rem === 1 || !ALPHABET.test(segment)) return null
  if (rem !== 0) {
    const last = INDEX.indexOf(segment[segment.length - 1])
    const unused = rem === 2 ? 0x0f : 0x03
    if ((last & unused) !== 0) return null
  }
  return Buffer.from(segment, 'base64url')
}

/** The unpadded base64url of a string's UTF-8 bytes, or of bytes. */
function encode(value) {
  return Buffer.from(value).toString('base64url')
}

module.exports = { decode, encode }
