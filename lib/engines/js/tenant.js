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

function subdomain(rawHost, baseDomains) {
  if (baseDomains.length === 0) return null
  let host = trimOws(rawHost)
  if (host.startsWith('[')) return null
  const colon = host.indexOf(':')
  if (colon >= 0) {
    const port = host.slice(colon + 1)
    if (!/^[0-9]{1,5}$/.test(port)) return null
    host = host.slice(0, colon)
  }
  if (host.endsWith('.')) host = host.slice(0, -1)
  if (/^[0-9.]*$/.test(host)) return null
  const dot = host.indexOf('.')
  if (dot < 0) return null
  const first = host.slice(0, dot)
  const rest = asciiLower(host.slice(dot + 1))
  if (!baseDomains.includes(rest) || asciiLower(first) === 'www') return null
  return first.length <= 63 && LABEL.test(first) ? asciiLower(first) : null
}

/**
 * `{ tenant }` (a string or null) or `{ code }`.
 * `hostUsable` is false for a non-string or oversized Host, which names no tenant.
 */
function resolveTenant(policy, claim, header, headerTooLong, host, hostUsable) {
  const fromHeader = headerTenant(header, headerTooLong)
  if (fromHeader === undefined) return { code: 'INVALID_TENANT' }
  const requested = fromHeader !== null ? fromHeader : hostUsable && typeof host === 'string' ? subdomain(host, policy.baseDomains) : null
  const bound = claim === null || claim === '' ? null : claim
  if (policy.enforce && requested !== null && bound !== requested) return { code: 'TENANT_MISMATCH' }
  return { tenant: bound !== null ? bound : requested }
}

module.exports = { resolveTenant, trimOws, asciiLower }
