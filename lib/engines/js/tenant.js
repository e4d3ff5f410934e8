'use strict'

// Tenant resolution for the JavaScript engine, as core/src/request/tenant.rs: the token's `tenant_id`,
// else the tenant header, else the Host's subdomain under `baseDomain` (without it, no host names
// a tenant); enforcement refuses any other tenant.

const { LIMITS } = require('../../shared/contract')

const MAX_HEADER_TENANT = LIMITS.maxHeaderTenantBytes
const HEADER_TENANT = /^[A-Za-z0-9._-]+$/
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/

const trimOws = (s) => s.replace(/^[ \t]+|[ \t]+$/g, '')
// ASCII-only case folding, as Rust's eq_ignore_ascii_case: Unicode folding would let U+212A
// (Kelvin sign) pass for "k".
const asciiLower = (s) => s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32))

/** The tenant header's value, null when absent, or undefined when invalid. */
function headerTenant(value, tooLong) {
  if (value === undefined || value === null) return null
  if (typeof value !== 'string' || tooLong) return undefined
  const v = trimOws(value)
  if (v === '') return null
  return v.length <= MAX_HEADER_TENANT && HEADER_TENANT.test(v) ? v : undefined
}

const MAX_HOST = 253
const HOST_NAME = /^[A-Za-z0-9._-]+$/
const IPV6 = /^\[[0-9A-Fa-f:.]+\]/
const PORT_SUFFIX = /^(?::[0-9]{1,5})?$/
const UNREADABLE = Symbol('unreadable host')

/** The tenant a Host value names (null for none), or UNREADABLE; only under a base domain. */
function readHost(rawHost, baseDomains) {
  if (baseDomains.length === 0) return null
  const host = trimOws(rawHost)
  if (host === '') return null
  if (host.startsWith('[')) {
    const literal = IPV6.exec(host)
    return literal !== null && PORT_SUFFIX.test(host.slice(literal[0].length)) ? null : UNREADABLE
  }
  const colon = host.indexOf(':')
  if (colon >= 0 && !PORT_SUFFIX.test(host.slice(colon))) return UNREADABLE
  let name = colon >= 0 ? host.slice(0, colon) : host
  if (name.endsWith('.')) name = name.slice(0, -1)
  if (name === '' || name.length > MAX_HOST || !HOST_NAME.test(name)) return UNREADABLE
  if (/^[0-9.]*$/.test(name)) return null
  const dot = name.indexOf('.')
  if (dot < 0) return null
  const first = name.slice(0, dot)
  const rest = asciiLower(name.slice(dot + 1))
  if (!baseDomains.includes(rest) || asciiLower(first) === 'www') return null
  return first.length <= 63 && LABEL.test(first) ? asciiLower(first) : UNREADABLE
}

/**
 * `{ tenant }` (a string or null) or `{ code }`.
 * `hostUsable` is false for a non-string or oversized Host: where hosts name tenants (a base
 * domain is set) it is refused, as a Host that cannot be read is.
 */
function resolveTenant(policy, claim, header, headerTooLong, host, hostUsable) {
  const fromHeader = headerTenant(header, headerTooLong)
  if (fromHeader === undefined) return { code: 'INVALID_TENANT' }
  let requested = fromHeader
  if (requested === null && policy.baseDomains.length > 0 && host !== null && host !== undefined) {
    const named = hostUsable ? readHost(host, policy.baseDomains) : UNREADABLE
    if (named === UNREADABLE) return { code: 'INVALID_HOST' }
    requested = named
  }
  const bound = claim === null || claim === '' ? null : claim
  if (policy.enforce && requested !== null && bound !== requested) return { code: 'TENANT_MISMATCH' }
  return { tenant: bound !== null ? bound : requested }
}

module.exports = { resolveTenant, trimOws, asciiLower }
