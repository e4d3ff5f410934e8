import type { AuthConfig, AuthResult, AuthenticatorLike, EngineOptions } from '../../index'

/** What an authenticated request carries as `req.user` / `request.user`. */
export interface AuthUser {
  userId: string
  email: string | null
  role: string | null
  permissions: string[]
}

/** Options shared by the Express middleware and the Fastify plugin. */
export interface IntegrationOptions<Req> extends EngineOptions {
  /** Header holding the requested tenant. Defaults to `'x-tenant-id'`. */
  tenantHeader?: string
  /** Reads the bare token from somewhere else (a cookie, say). Defaults to the Authorization header. */
  getToken?: (req: Req) => string | null | undefined
  /** Requests for which this returns true pass without authentication. */
  skip?: (req: Req) => boolean
  /** Paths (exact) or patterns that pass without authentication. Defaults to none. */
  skipPaths?: Array<string | RegExp>
  /** Methods that pass without authentication. Defaults to `['OPTIONS']` (CORS preflight). */
  skipMethods?: string[]
  /**
   * Named as express-rate-limit's `standardHeaders`. `'draft-6'`: RateLimit-Limit/-Remaining/-Reset;
   * `'draft-7'`: one combined `RateLimit: limit=…, remaining=…, reset=…`; `'draft-8'`: RateLimit and
   * RateLimit-Policy; `false`: none. Defaults to `'draft-6'`.
   */
  rateLimitHeaders?: 'draft-6' | 'draft-7' | 'draft-8' | false
  /** `realm` of the WWW-Authenticate challenge. Defaults to none. */
  realm?: string
}

export type { AuthConfig, AuthResult, AuthenticatorLike }
