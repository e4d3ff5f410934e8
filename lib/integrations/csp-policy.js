'use strict'

// What the Express and Fastify CSP helpers share: the policy argument and one response's headers.

const { CspBuilder } = require('../helpers/csp')
const { ErrorCodes, codedError } = require('../shared/codes')

/** A CspBuilder as given, or the strict default policy with script nonces when none is. */
function policyOf(policy) {
  if (policy === undefined || policy === null) return new CspBuilder().useNonce()
  if (!(policy instanceof CspBuilder)) {
    throw codedError(ErrorCodes.INVALID_CONFIG, 'The CSP helper takes a CspBuilder (new CspBuilder()…)')
  }
  return policy
}

module.exports = { policyOf }
