'use strict'

// Route guards for Express and Fastify alike: each is a `(req, res, next)` function, which is
// also the shape of a callback-style Fastify hook (`(request, reply, done)`), so the same guard
// goes in `app.get(path, auth, requireRole('admin'), handler)`, `router.use(...)`,
// `{ onRequest: requireRole('admin') }` and `fastify.addHook('preHandler', ...)`.
//
// A guard reads the user the auth-shield integration before it set (found through the request's
// HANDLED_BY mark, whatever property the user is on) and refuses through that integration, so a
// refusal is answered as its failures are (`onError`, `errors: 'forward'`, headers). A refusal is
// 403 INSUFFICIENT_PERMISSIONS with `WWW-Authenticate: Bearer error="insufficient_scope"`
// (RFC 6750 §3.1); a request that went on without a user (anonymous, or skipped) is 401. A guard
// that runs on a request no auth-shield integration has seen is a wiring mistake: a coded
// INVALID_CONFIG error (status 500) to the framework, never a pass. Fastify also refuses such a
// route at startup (fastify.js).

const { BY_CODE, ErrorCodes, codedError } = require('../shared/codes')
const { failure } = require('../shared/result')
const { HANDLED_BY } = require('./request-state')
const { countOutcome } = require('../metrics/integration-counts')
const { callbackError, thrownBy, call } = require('./request-auth')

/** Marks a function that authenticates (the integrations' handlers, apiKeyAuth). */
const AUTHENTICATES = Symbol('auth-shield.authenticates')
/** Marks a guard, with its name for messages. */
const GUARD = Symbol('auth-shield.guard')
// Fastify's request hooks in the order they run.
const HOOK_ORDER = ['onRequest', 'preParsing', 'preValidation', 'preHandler']

const INSUFFICIENT = BY_CODE.get(ErrorCodes.INSUFFICIENT_PERMISSIONS)
const MISSING = BY_CODE.get(ErrorCodes.MISSING_AUTHORIZATION)
// RFC 6750 §3 scope-token: printable ASCII but space, `"` and `\`.
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/

function configError(message) {
  return codedError(ErrorCodes.INVALID_CONFIG, message)
}

/** `names` with an optional trailing `{ any }`: checked once, when the guard is made. */
function readNames(guard, args, what) {
  const last = args[args.length - 1]
  let any = false
  let names = args
  if (last !== null && typeof last === 'object' && !Array.isArray(last)) {
    const unknown = Object.keys(last).find((k) => k !== 'any')
    if (unknown !== undefined) throw configError(`${guard}: unknown option \`${unknown}\`; the only option is \`any\``)
    if (last.any !== undefined && typeof last.any !== 'boolean')
      throw configError(`${guard}: \`any\` must be a boolean`)
    any = last.any === true
    names = args.slice(0, -1)
  }
  names = names.flat()
  if (names.length === 0)
    throw configError(
      `${guard} needs at least one ${what}, such as ${guard}('${what === 'role' ? 'admin' : 'orders:write'}')`,
    )
  for (const name of names) {
    if (typeof name !== 'string' || name === '' || name.length > 256 || /[\x00-\x1f\x7f]/.test(name)) {
      throw configError(`${guard}: each ${what} must be a non-empty string of printable characters, at most 256`)
    }
    if (what === 'scope' && !SCOPE_TOKEN.test(name))
      throw configError(`${guard}: a scope is printable ASCII without spaces, quotes or backslashes (RFC 6750 §3)`)
  }
  return { names: [...new Set(names)], any }
}

/** Whether `held` (an array, or null) has all of `names`, or with `any` one of them. */
function holds(held, names, any) {
  if (!Array.isArray(held)) return false
  if (any) {
    for (let i = 0; i < names.length; i++) if (held.includes(names[i])) return true
    return false
  }
  for (let i = 0; i < names.length; i++) if (!held.includes(names[i])) return false
  return true
}

function requestIdOf(req) {
  return typeof req.requestId === 'string' ? req.requestId : req.id
}

/** The guard function around `check(user, req)` → boolean, or a promise of one. */
function makeGuard(name, check, scope = null) {
  function guard(req, res, next) {
    const handler = req[HANDLED_BY]
    if (handler === undefined || handler === null) {
      const error = configError(
        `auth-shield: ${name} ran on a request no auth-shield middleware or hook has handled; put the authentication before the guard`,
      )
      error.status = 500
      error.statusCode = 500
      return next(error)
    }
    const user = req[handler.property]
    if (user === null || user === undefined) {
      countOutcome(handler.counts, 'guard', MISSING.code)
      return handler.refuse(failure(requestIdOf(req), MISSING), req, res, next)
    }
    let allowed
    try {
      allowed = check(user, req)
    } catch (error) {
      return next(error)
    }
    if (allowed === true) return next()
    if (allowed === false) return refuse(handler, req, res, next, user)
    // requireTenant's function may answer later.
    Promise.resolve(allowed).then(
      (answer) => {
        if (answer === true) return next()
        if (answer === false) return refuse(handler, req, res, next, user)
        next(callbackError(name, `${typeof answer}, not a boolean`))
      },
      (error) => next(thrownBy(name, error)),
    )
  }

  function refuse(handler, req, res, next, user) {
    countOutcome(handler.counts, 'guard', INSUFFICIENT.code)
    const subject = typeof user.userId === 'string' ? user.userId : null
    const result = failure(requestIdOf(req), INSUFFICIENT, null, null, null, null, subject)
    if (scope !== null) result.scope = scope
    handler.refuse(result, req, res, next)
  }

  guard[GUARD] = name
  return guard
}

/** Roles the user holds: the token's role array, else its single role. */
function rolesOf(user) {
  if (Array.isArray(user.roles)) return user.roles
  return typeof user.role === 'string' ? [user.role] : null
}

/** `requireRole('admin')`, `requireRole('admin', 'auditor')` (all), `requireRole('a', 'b', { any: true })`. */
function requireRole(...args) {
  const { names, any } = readNames('requireRole', args, 'role')
  return makeGuard('requireRole', (user) => holds(rolesOf(user), names, any))
}

/** `requirePermission('orders:write', ...)`: all of them, or one with `{ any: true }`. */
function requirePermission(...args) {
  const { names, any } = readNames('requirePermission', args, 'permission')
  return makeGuard('requirePermission', (user) => holds(user.permissions, names, any))
}

/**
 * `requireScope('read:orders', ...)`: OAuth scopes, which the claim map reads into permissions
 * (`claims: { permissions: 'scope' }`, or `'scp'`); a refusal names them in the challenge.
 */
function requireScope(...args) {
  const { names, any } = readNames('requireScope', args, 'scope')
  return makeGuard('requireScope', (user) => holds(user.permissions, names, any), names.join(' '))
}

/**
 * `requireTenant((tenantId, user, req) => boolean | Promise<boolean>)`: a tenant-scoped check (is
 * this user a member of the tenant the request names?). A throw, a rejection or an answer that
 * is not a boolean is CALLBACK_FAILED (500) to the framework.
 */
function requireTenant(check) {
  if (typeof check !== 'function') throw configError('requireTenant needs a function (tenantId, user, req) => boolean')
  return makeGuard('requireTenant', (user, req) => {
    const answer = call('requireTenant', check, req.tenantId ?? null, user, req)
    if (
      typeof answer === 'boolean' ||
      (answer !== null && typeof answer === 'object' && typeof answer.then === 'function')
    )
      return answer
    throw callbackError('requireTenant', `${typeof answer}, not a boolean`)
  })
}

module.exports = { requireRole, requirePermission, requireScope, requireTenant, AUTHENTICATES, GUARD, HOOK_ORDER }
