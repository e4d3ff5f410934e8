'use strict'

// A token's header and payload as the JavaScript engine reads them: JSON.parse, then the few
// checks it does not make and the contract needs, each as the native reader
// (core/src/jwt/reader.rs) makes it:
// - duplicate member names are refused (RFC 7515 §5.2 allows refusing them; JSON.parse keeps the
//   last, so two `sub`s could mean one thing to each engine);
// - names, and the claim values that are read, must not hold a lone surrogate (JSON.parse accepts
//   "\ud800"; UTF-8 cannot carry one, so neither can a claim we hand on);
// - the registered claims must have their registered types, and times must be finite numbers.

const { DEFAULT_MAP, readMapped } = require('./claim-map')

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
// With the `u` flag a surrogate pair is one code point, so this matches lone surrogates only.
const LONE_SURROGATE = /\p{Cs}/u

const wellFormed = (v) => typeof v === 'string' && !LONE_SURROGATE.test(v)
const has = Object.hasOwn

/** Members of the top-level object of valid JSON text, duplicates counted: commas at depth 1. */
function topLevelMembers(text, nonEmpty) {
  let depth = 0
  let commas = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22) {
      for (i++; text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++
    } else if (c === 0x7b || c === 0x5b) depth++
    else if (c === 0x7d || c === 0x5d) depth--
    else if (c === 0x2c && depth === 1) commas++
  }
  return nonEmpty ? commas + 1 : 0
}

/** The top-level object of UTF-8 JSON (RFC 8259) with unique, well-formed names, else null. */
function jsonObject(bytes) {
  let text
  let value
  try {
    text = utf8.decode(bytes)
    value = JSON.parse(text)
  } catch {
    return null
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null
  const names = Object.keys(value)
  if (topLevelMembers(text, names.length > 0) !== names.length) return null
  return names.every(wellFormed) ? value : null
}

const STRING_CLAIMS = ['type', 'iss', 'jti', 'fam', 'token_use']
const TIME_CLAIMS = ['exp', 'nbf', 'iat']

const stringList = (v) => Array.isArray(v) && v.every(wellFormed)

/**
 * The claims of a decoded payload, or null (the rules of core/src/jwt/claims.rs): the user,
 * tenant, email, roles and permissions where `map` says (claim-map.js), and `marker`, one more
 * claim to read (a string or null), the one that marks access tokens.
 */
function parseClaims(bytes, map = DEFAULT_MAP, marker = null) {
  const p = jsonObject(bytes)
  if (p === null) return null
  const c = {
    sub: null,
    email: null,
    role: null,
    roles: [],
    permissions: [],
    plan: null,
    tenant_id: null,
    type: null,
    iss: null,
    aud: [],
    jti: null,
    exp: null,
    nbf: null,
    iat: null,
    fam: null,
    token_use: null,
    idTokenClaims: has(p, 'nonce') || has(p, 'at_hash'),
    marker: null,
  }
  if (marker !== null && has(p, marker)) {
    if (p[marker] !== null && !wellFormed(p[marker])) return null
    c.marker = p[marker]
  }
  for (const name of STRING_CLAIMS) {
    if (!has(p, name)) continue
    if (p[name] !== null && !wellFormed(p[name])) return null
    c[name] = p[name]
  }
  for (const name of TIME_CLAIMS) {
    if (!has(p, name)) continue
    if (typeof p[name] !== 'number' || !Number.isFinite(p[name])) return null
    c[name] = p[name]
  }
  if (has(p, 'aud')) {
    if (wellFormed(p.aud)) c.aud = [p.aud]
    else if (stringList(p.aud)) c.aud = p.aud
    else return null
  }
  return readMapped(p, map, c) ? c : null
}

const HEADER_STRINGS = ['alg', 'kid', 'typ', 'cty']

/** `{ alg, kid, typ }` of a decoded header, or null (the rules of core/src/jwt/header.rs). */
function parseHeader(bytes) {
  const h = jsonObject(bytes)
  // RFC 7515 §4.1.11: no extension is understood here, so any `crit` is refused.
  if (h === null || has(h, 'crit') || !has(h, 'alg')) return null
  for (const name of HEADER_STRINGS) if (has(h, name) && !wellFormed(h[name])) return null
  return { alg: h.alg, kid: has(h, 'kid') ? h.kid : null, typ: has(h, 'typ') ? h.typ : null }
}

module.exports = { parseClaims, parseHeader }
