'use strict'

// Shared by the HTTP benchmark's driver and servers.

const SECRET = 'benchmark-access-secret-0123456789abcdef'
const ISSUER = 'auth-shield-bench'
// Large enough that no request is limited during a run; the limiter still does its work.
const LIMITS = { max: 1e9, refill: 1e6 }
const config = {
  accessSecret: SECRET,
  issuer: ISSUER,
  rateLimitMax: LIMITS.max,
  rateLimitRefill: LIMITS.refill,
  enforceTenantMatch: true,
}

module.exports = { SECRET, ISSUER, LIMITS, config }
