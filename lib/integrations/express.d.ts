import type { Request, Response, NextFunction, RequestHandler } from 'express'
import type { AuthConfig, AuthConfigOptions, AuthResult, AuthenticatorLike, CspBuilder, JwksRefresher } from '../../index'
import type { AuthUser, IntegrationOptions } from './request-auth'

export type { AuthUser }

export interface ExpressAuthOptions extends IntegrationOptions<Request> {
  /** Answers a failed request instead of the default `{ error, code }` JSON with its status. */
  onError?: (result: AuthResult, req: Request, res: Response, next: NextFunction) => void
}

export interface ExpressAuthMiddleware extends RequestHandler {
  readonly authenticator: AuthenticatorLike
  /** The refresher fetching `jwksUri` (`await middleware.jwks.ready`, `.stop()`); null without one. */
  readonly jwks: JwksRefresher | null
}

/** Middleware for `app.use('/api', …)`. Throws a coded error here for a bad config or option. */
/** `config` may also be a prepared authenticator, shared with the code that issues and revokes tokens. */
export declare function createExpressAuth(config: AuthConfig | AuthenticatorLike, options?: ExpressAuthOptions): ExpressAuthMiddleware
/** With `jwksUri`, the keys come from the provider: the config needs no `accessSecret`, `keys` or `jwks`. */
export declare function createExpressAuth(config: AuthConfigOptions, options: ExpressAuthOptions & { jwksUri: string }): ExpressAuthMiddleware

/**
 * Sends the policy on every response, with a fresh nonce each time when it uses one, exposed to
 * templates as `res.locals.cspNonce`. Without a policy: the strict default with script nonces.
 */
export declare function createCspMiddleware(policy?: CspBuilder): RequestHandler

declare global {
  namespace Express {
    interface Request {
      /** The request id auth-shield issued (also sent as X-Request-Id). */
      id?: string
      user?: AuthUser
      tenantId?: string | null
      /** The tenant, under the name the seed applications used. */
      appId?: string | null
    }
  }
}
