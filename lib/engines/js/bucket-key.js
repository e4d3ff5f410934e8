'use strict'

// A bucket's key as the same bytes core/src/request/ratelimit.rs's `bucket_key` makes (held as a
// Latin-1 string, one character per byte), so both engines name a bucket alike, here and in a
// store instances share: the policy (u32, little-endian), then the owner — `t` and the tenant, `u`
// and the user's byte length (u32 LE), the user and `/tenant` when keyed by both, or `k` and a
// caller's key.

const u32 = (n) => String.fromCharCode(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff)
const bytes = (s) => Buffer.from(s, 'utf8').toString('latin1')

/** The key of `mode`'s bucket for `user` in `tenant` (null: none) under `policy`. */
function bucketKey(policy, mode, user, tenant) {
  if (mode === 'tenant' && tenant !== null) return `${u32(policy)}t${bytes(tenant)}`
  const u = bytes(user)
  return `${u32(policy)}u${u32(u.length)}${u}${mode === 'user+tenant' && tenant !== null ? `/${bytes(tenant)}` : ''}`
}

/** The key of a caller-chosen bucket (`takeRateLimit`). */
const customKey = (policy, key) => `${u32(policy)}k${bytes(key)}`

/** A key as text (base64url), as core's `bucket_key_text` writes it, and back. */
const keyText = (key) => Buffer.from(key, 'latin1').toString('base64url')
const keyFromText = (text) => Buffer.from(text, 'base64url').toString('latin1')

module.exports = { bucketKey, customKey, keyText, keyFromText }
