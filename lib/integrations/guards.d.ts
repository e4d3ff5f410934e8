import type { AuthResult, AuthenticatorLike, ErrorCode, RateLimitPolicy, Secret } from '../../index'
import type { AuthUser } from './request-auth'

/**
 * A guard or strategy: Express middleware and a callback-style Fastify hook alike
 * (`app.get(path, guard, handler)`, `{ onRequest: guard }`, `fastify.addHook('preHandler', guard)`).
 */
export type AuthShieldHandler = (req: any, res: any, next: (err?: any) => void) => void

/** The last argument of `requireRole`, `requirePermission` and `requireScope`. */
export interface GuardOptions {
  /** One of the names is enough. Defaults to `false`: all of them are needed. */
  any?: boolean
}

type Names = Array<string | string[] | GuardOptions>

/** Passes a user who holds every role named (or one, with `{ any: true }`); else 403 `INSUFFICIENT_PERMISSIONS`. */
export declare function requireRole(...roles: Names): AuthShieldHandler
/** Passes a user who holds every permission named (or one, with `{ any: true }`). */
export declare function requirePermission(...permissions: Names): AuthShieldHandler
/** OAuth scopes (read into permissions by `claims: { permissions: 'scope' }`); a refusal names them in its challenge. */
export declare function requireScope(...scopes: Names): AuthShieldHandler
/** A tenant-scoped check; a throw, a rejection or a non-boolean answer is `CALLBACK_FAILED` (500). */
export declare function requireTenant<U extends AuthUser = AuthUser>(
  check: (tenantId: string | null, user: U, req: any) => boolean | Promise<boolean>,
): AuthShieldHandler

/** A failed request handed to the framework's error handling (`errors: 'forward'`). */
export declare class AuthError extends Error {
  readonly name: 'AuthError'
  readonly code: ErrorCode
  readonly status: number
  readonly statusCode: number
  readonly requestId: string
  /** Every header the default answer would have had (`WWW-Authenticate`, `X-Request-Id`, `Retry-After`, rate-limit fields). */
  readonly headers: Record<string, string>
  readonly expose: true
  constructor(
    result: Pick<AuthResult, 'error' | 'errorCode' | 'errorStatus' | 'requestId'>,
    headers: Record<string, string>,
  )
}

/** What `lookup` finds for a key's id: its stored hash and whoever the key stands for (other fields are kept on the user). */
export interface ApiKeyPrincipal {
  /** `hashApiKey(key, pepper)` as stored when the key was issued. */
  hash: string
  /** Defaults to the key's id. */
  userId?: string
  email?: string
  role?: string
  roles?: string[]
  permissions?: string[]
  /** The key's tenant: a request naming another is `TENANT_MISMATCH`. */
  tenantId?: string
  /** A `rateLimitPlans` plan whose limits the key spends under. */
  plan?: string
}

/** The user an API key authenticates: the principal without its hash, with the fields guards read. */
export type ApiKeyUser<P extends { hash: string } = ApiKeyPrincipal> = Omit<P, 'hash'> & AuthUser & { apiKeyId: string }

export interface ApiKeyAuthOptions<P extends { hash: string } = ApiKeyPrincipal> {
  /** The key's stored row by its id (`parseApiKey(key).id`), or null when there is none. */
  lookup: (id: string) => P | null | undefined | Promise<P | null | undefined>
  /** The pepper the keys were hashed with (32+ bytes). */
  pepper: Secret
  /** Where the key is sent. Defaults to `'x-api-key'`. */
  header?: string
  /** The key prefixes taken here (`['sk_live']`); others are refused. Defaults to any. */
  prefixes?: string[]
  /** Whose limiter the keys spend (each key its own bucket); without one, keys are not rate-limited. */
  authenticator?: AuthenticatorLike
  /** Limits of their own for keys (`{ max, refill }`), or `false`. Defaults to the authenticator's. */
  rateLimit?: RateLimitPolicy | false
  /** `false`: a request without a key goes on untouched, for the next strategy. Defaults to `true`. */
  credentialsRequired?: boolean
  /** The request property the user is set on (Express). Defaults to `'user'`. */
  requestProperty?: string
  /** The request property the user is set on (Fastify). Defaults to `'user'`. */
  decoratorName?: string
  /** As the integrations' option. Defaults to `'respond'`. */
  errors?: 'respond' | 'forward'
  /** Answers a refusal yourself (Express `(result, req, res, next)`, Fastify `(result, request, reply)`). */
  onError?: (result: AuthResult, req: any, res: any, next?: (err?: any) => void) => unknown
  trustRequestId?: boolean
  realm?: string
  rateLimitHeaders?: 'draft-6' | 'draft-7' | 'draft-8' | false
  /** Defaults to `'x-tenant-id'`. */
  tenantHeader?: string
}

/** API keys as an authentication strategy for Express and Fastify. Throws a coded error here for a bad option. */
export declare function apiKeyAuth<P extends { hash: string } = ApiKeyPrincipal>(
  options: ApiKeyAuthOptions<P>,
): AuthShieldHandler
