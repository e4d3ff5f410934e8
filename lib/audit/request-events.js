'use strict'

// Which security event a refused request is, told with what the request says of itself: its id,
// the verified user (`subject`), the code, the client address and method as the framework
// reports them, and the path without its query (a query may carry a token). Never a header.

const { ErrorCodes } = require('../shared/codes')

const BY_CODE = new Map([
  [ErrorCodes.TOKEN_REVOKED, 'authn_token_reuse'],
  [ErrorCodes.RATE_LIMITED, 'excess_rate_limit_exceeded'],
  [ErrorCodes.API_KEY_REJECTED, 'authn_login_fail'],
  [ErrorCodes.INSUFFICIENT_PERMISSIONS, 'authz_fail'],
  [ErrorCodes.TENANT_MISMATCH, 'authz_fail'],
])

/** Tells `events` of the refusal `result` of `req` (framework adapter `framework`), if it is one. */
function tellRefusal(events, result, req, framework) {
  const type = BY_CODE.get(result.errorCode)
  const ip = framework.ipOf(req) ?? null
  const fields = () => ({
    requestId: result.requestId,
    userId: result.subject ?? null,
    code: result.errorCode,
    source_ip: ip,
    request_method: req.method,
    request_uri: framework.uriOf(req),
  })
  if (type !== undefined) {
    const f = fields()
    if (type === 'authn_token_reuse') f.token = 'access'
    if (type === 'excess_rate_limit_exceeded') f.max = result.rateLimitLimit
    if (type === 'authn_login_fail') f.apiKeyId = result.apiKeyId ?? null
    events.emit(type, f)
  }
  if (result.errorStatus === 401 && ip !== null && events.failedFrom(ip))
    events.emit('authn_login_fail_max', { ...fields(), max: events.failureBudget })
}

module.exports = { tellRefusal }
