'use strict'

// The soak test's configuration, shared by the driver (which signs) and the servers.
const SOAK_CONFIG = {
  accessSecret: 'soak-access-secret-0123456789abcdef0123',
  issuer: 'soak',
  rateLimitMax: 20,
  rateLimitRefill: 10,
  rateLimitMaxKeys: 50_000,
  enforceTenantMatch: true,
  // Filled within the warm-up by the soak's fresh tokens (see soak.js).
  cache: { max: 2_000 },
}

module.exports = { SOAK_CONFIG }
