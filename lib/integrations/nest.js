'use strict'

// `auth-shield/nest`: the auth chain as a NestJS guard, on either Nest platform (Express or
// Fastify). `AuthShieldModule.forRoot(config, options)` prepares it once (a bad config throws
// there, at startup); `@UseGuards(AuthShieldGuard)` (or APP_GUARD) runs the same request flow as
// the Express middleware, and refusals become HttpExceptions with the same status, `{ error, code }`
// body and headers, so the app's exception filters see them like any other.

const { Injectable, Inject, Module, SetMetadata, HttpException, createParamDecorator } = require('@nestjs/common')
const { Reflector } = require('@nestjs/core')
const { createRequestAuth, OPTIONS, HANDLED_BY } = require('./request-auth')
const { createJwtFlow } = require('./request-flow')
const { NEST, frameworkOf } = require('./frameworks')
const { INTEGRATION_OPTIONS } = require('../shared/contract')
const { AuthError } = require('../shared/auth-error')
const { ErrorCodes, codedError } = require('../shared/codes')
const guards = require('./guards')

const NEST_OPTIONS = OPTIONS.filter((o) => INTEGRATION_OPTIONS[o].includes('nest'))

/** The injection token of the prepared guard state (`{ handle, handler, authenticator, jwks }`). */
const AUTH_SHIELD = Symbol.for('auth-shield.nest')
// Metadata keys of the decorators below.
const PUBLIC = 'auth-shield:public'
const CHECKS = ['auth-shield:roles', 'auth-shield:permissions', 'auth-shield:scopes']

/**
 * The guard state for a config (or a prepared authenticator) and the integration options: one
 * request flow whose every call goes to the platform of the request it is given. Refusals are
 * always forwarded (as AuthErrors), for the guard to throw.
 */
function prepare(config, options = {}) {
  if (options === null || typeof options !== 'object')
    throw codedError(ErrorCodes.INVALID_CONFIG, 'options must be an object')
  for (const name of ['errors', 'onError'])
    if (options[name] !== undefined)
      throw codedError(
        ErrorCodes.INVALID_CONFIG,
        `\`${name}\` has no use in Nest: refusals are HttpExceptions (with the AuthError as \`cause\`); answer them with an exception filter`,
      )
  const parts = createRequestAuth(config, { ...options, errors: 'forward' }, [...NEST_OPTIONS, 'errors'], NEST)
  return {
    handle: createJwtFlow(parts, NEST),
    handler: parts.handler,
    authenticator: parts.auth,
    jwks: parts.jwks,
    // A refresher made here for `jwksUri` stops with the app; one wired by the caller is theirs.
    ownsJwks: options.jwksUri !== undefined,
  }
}

/** Runs the Express-shaped `(req, res, next)` step `step` as a promise of its `next` call. */
function asPromise(step, req, res) {
  return new Promise((resolve, reject) => {
    step(req, res, (error) => (error === undefined || error === null ? resolve() : reject(error)))
  })
}

/**
 * A refusal as Nest answers errors: an HttpException whose response is the `{ error, code }` body,
 * its headers set on the response first (Nest's filters keep what is already set), the AuthError
 * its `cause`. Anything else (a callback that threw, a guard used wrongly) goes on as it is.
 */
function toNest(error, res) {
  if (!(error instanceof AuthError)) throw error
  const framework = frameworkOf(res)
  for (const name in error.headers) framework.setHeader(res, name, error.headers[name])
  throw new HttpException({ error: error.message, code: error.code }, error.status, { cause: error })
}

class AuthShieldGuard {
  constructor(reflector, state) {
    this.reflector = reflector
    this.state = state
  }

  async canActivate(context) {
    if (context.getType() !== 'http')
      throw codedError(ErrorCodes.INVALID_CONFIG, `AuthShieldGuard guards HTTP requests, not ${context.getType()}`)
    const targets = [context.getHandler(), context.getClass()]
    if (this.reflector.getAllAndOverride(PUBLIC, targets) === true) return true
    const http = context.switchToHttp()
    const req = http.getRequest()
    const res = http.getResponse()
    try {
      // Once a request: the guard app-wide (APP_GUARD) and again on a controller spends one token.
      if (req[HANDLED_BY] !== this.state.handler) await asPromise(this.state.handle, req, res)
      for (const key of CHECKS) {
        const guard = this.reflector.getAllAndOverride(key, targets)
        if (guard !== undefined) await asPromise(guard, req, res)
      }
    } catch (error) {
      toNest(error, res)
    }
    return true
  }
}
Injectable()(AuthShieldGuard)
Inject(Reflector)(AuthShieldGuard, undefined, 0)
Inject(AUTH_SHIELD)(AuthShieldGuard, undefined, 1)

class AuthShieldModule {
  constructor(state) {
    this.state = state
  }

  /**
   * The module for a config (or an authenticator shared with the code that issues and revokes
   * tokens) and the integration options; global, so `AuthShieldGuard` resolves in every module.
   */
  static forRoot(config, options) {
    return moduleWith({ provide: AUTH_SHIELD, useValue: prepare(config, options) }, [])
  }

  /**
   * The module with its config from other providers (ConfigService, a secrets client):
   * `useFactory(...inject)` answers (or resolves to) `{ config, options }`, read as forRoot reads
   * them, so a bad config fails the app's start.
   */
  static forRootAsync(setup) {
    if (setup === null || typeof setup !== 'object' || typeof setup.useFactory !== 'function')
      throw codedError(ErrorCodes.INVALID_CONFIG, 'forRootAsync needs `{ useFactory, inject?, imports? }`')
    const unknown = Object.keys(setup).find((k) => !['useFactory', 'inject', 'imports'].includes(k))
    if (unknown !== undefined)
      throw codedError(ErrorCodes.INVALID_CONFIG, `forRootAsync: unknown option \`${unknown}\``)
    const provider = {
      provide: AUTH_SHIELD,
      inject: setup.inject ?? [],
      useFactory: async (...deps) => {
        const answer = await setup.useFactory(...deps)
        if (answer === null || typeof answer !== 'object' || answer.config === undefined)
          throw codedError(ErrorCodes.INVALID_CONFIG, 'forRootAsync: `useFactory` must answer `{ config, options? }`')
        return prepare(answer.config, answer.options)
      },
    }
    return moduleWith(provider, setup.imports ?? [])
  }

  // Nest awaits this before the app listens: the first requests find the provider's keys in place
  // (a failed fetch does not hold the start: the next unknown kid fetches again).
  async onModuleInit() {
    if (this.state.ownsJwks && this.state.jwks !== null) await this.state.jwks.ready
  }

  onModuleDestroy() {
    if (this.state.ownsJwks && this.state.jwks !== null) this.state.jwks.stop()
  }
}
Inject(AUTH_SHIELD)(AuthShieldModule, undefined, 0)
Module({})(AuthShieldModule)

function moduleWith(stateProvider, imports) {
  return {
    module: AuthShieldModule,
    global: true,
    imports,
    providers: [stateProvider, AuthShieldGuard],
    exports: [AUTH_SHIELD, AuthShieldGuard],
  }
}

// The guards of guards.js, made when decorating (so a bad argument throws at startup) and run by
// AuthShieldGuard after authentication; on a handler they replace the class's of the same kind.
const Roles = (...roles) => SetMetadata(CHECKS[0], guards.requireRole(...roles))
const Permissions = (...permissions) => SetMetadata(CHECKS[1], guards.requirePermission(...permissions))
const Scopes = (...scopes) => SetMetadata(CHECKS[2], guards.requireScope(...scopes))
/** A route AuthShieldGuard lets through unauthenticated (for a guard applied app-wide). */
const Public = () => SetMetadata(PUBLIC, true)

/** The authenticated user (or one of its fields: `@AuthUser('userId')`); undefined on a public route. */
const AuthUser = createParamDecorator((field, context) => {
  const req = context.switchToHttp().getRequest()
  const handler = req[HANDLED_BY]
  const user = handler === undefined || handler === null ? undefined : req[handler.property]
  return typeof field === 'string' && user != null ? user[field] : (user ?? undefined)
})
/** The request's tenant (`req.tenantId`): null when none was named or the route is public. */
const AuthTenant = createParamDecorator((_, context) => context.switchToHttp().getRequest().tenantId ?? null)

module.exports = {
  AuthShieldModule,
  AuthShieldGuard,
  AUTH_SHIELD,
  Roles,
  Permissions,
  Scopes,
  Public,
  AuthUser,
  AuthTenant,
  AuthError,
}
