import type { Request, Response, NextFunction, RequestHandler } from 'express'
import type {
  AuthConfig,
  AuthConfigOptions,
  AuthResult,
  AuthenticatorLike,
  CspBuilder,
  JwksRefresher,
} from '../../index'
import type { AuthUser, IntegrationOptions } from './request-auth'

export type { AuthUser }
export { requireRole, requirePermission, requireScope, requireTenant, apiKeyAuth, AuthError } from './guards'
export type { AuthShieldHandler, GuardOptions, ApiKeyAuthOptions, ApiKeyPrincipal, ApiKeyUser } from './guards'

export interface ExpressAuthOptions<P extends string = 'user'> extends IntegrationOptions<Request> {
  /** Answers a failed request instead of the default `{ error, code }` JSON with its status. */
  onError?: (result: AuthResult, req: Request, res: Response, next: NextFunction) => void
  /** The request property the user is set on: `'auth'` (as express-jwt) keeps clear of Passport's `req.user`. Defaults to `'user'`; type your handlers' requests as `AuthenticatedRequest<P>`. */
  requestProperty?: P
}

export interface ExpressAuthMiddleware extends RequestHandler {
  readonly authenticator: AuthenticatorLike
  /** The refresher fetching `jwksUri` (`await middleware.jwks.ready`, `.stop()`); null without one. */
  readonly jwks: JwksRefresher | null
}

/**
 * A request the middleware has seen, with the user under `P` (its `requestProperty`) typed as `U`
 * (absent on a request that went on without one), as express-jwt's `Request`:
 * `(req: AuthenticatedRequest<'auth'>, res) => req.auth?.userId`.
 */
export type AuthenticatedRequest<P extends string = 'user', U = AuthUser> = Request & { [K in P]?: U }

/** Middleware for `app.use('/api', …)`. Throws a coded error here for a bad config or option. */
/** `config` may also be a prepared authenticator, shared with the code that issues and revokes tokens. */
export declare function createExpressAuth<P extends string = 'user'>(
  config: AuthConfig | AuthenticatorLike,
  options?: ExpressAuthOptions<P>,
): ExpressAuthMiddleware
/** With `jwksUri`, the keys come from the provider: the config needs no `accessSecret`, `keys` or `jwks`. */
export declare function createExpressAuth<P extends string = 'user'>(
  config: AuthConfigOptions,
  options: ExpressAuthOptions<P> & { jwksUri: string },
): ExpressAuthMiddleware

/**
 * Sends the policy on every response, with a fresh nonce each time when it uses one, exposed to
 * templates as `res.locals.cspNonce`. Without a policy: the strict default with script nonces.
 */
export declare function createCspMiddleware(policy?: CspBuilder): RequestHandler

declare global {
  namespace Express {
    // The authenticated user, as Passport declares `req.user` (`user?: User`): the two merge
    // instead of clashing. With Passport in the same app, prefer `requestProperty: 'auth'`.
    interface User extends AuthUser {}
    interface Request {
      /** The request's id (reused from pino-http or a trusted gateway, else issued; also sent as X-Request-Id). */
      id?: string
      user?: User
      tenantId?: string | null
      /** The tenant, under the name the seed applications used. */
      appId?: string | null
    }
  }
}
