'use strict'

// Which `iss` values a token may carry: exact names, and names with the token's own tenant in
// them (`{tenantid}`, Microsoft's placeholder). The rules of core/src/jwt/issuer.rs.

const { configError } = require('../../shared/options')

const TENANT_PLACEHOLDER = '{tenantid}'
// Nothing that could change the URL's shape stands in for the tenant.
const TENANT_ID = /^[A-Za-z0-9._-]{1,128}$/

class Issuers {
  constructor(names) {
    this.exact = []
    this.templates = []
    for (const name of names) {
      const at = name.indexOf(TENANT_PLACEHOLDER)
      if (at < 0) this.exact.push(name)
      else if (name.indexOf(TENANT_PLACEHOLDER, at + 1) >= 0)
        throw configError(`\`issuer\` ${JSON.stringify(name)} names ${TENANT_PLACEHOLDER} more than once`)
      else this.templates.push([name.slice(0, at), name.slice(at + TENANT_PLACEHOLDER.length)])
    }
  }

  get isEmpty() {
    return this.exact.length === 0 && this.templates.length === 0
  }

  accepts(iss, tenant) {
    if (this.exact.includes(iss)) return true
    if (typeof tenant !== 'string' || !TENANT_ID.test(tenant)) return false
    return this.templates.some(([before, after]) => iss === before + tenant + after)
  }
}

/** The issuer tokens signed here carry: the first that is not a tenant template. */
const ownIssuer = (names) => names.find((n) => !n.includes(TENANT_PLACEHOLDER))

module.exports = { Issuers, ownIssuer }
