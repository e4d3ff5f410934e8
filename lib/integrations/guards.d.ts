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
  // <generated: api-key-auth-options>
  /** The key's stored row by its id (`parseApiKey(key).id`), or null when there is none; `(id) => ({ hash, ...principal })`, or a promise of one. */
  lookup: (id: string) => P | null | undefined | Promise<P | null | undefined>
  /** The pepper the keys were hashed with (`hashApiKey`). */
  pepper: Secret
  /** Where the key is sent; any header but Authorization. Defaults to `'x-api-key'`. */
  header?: string
  /** The key prefixes taken here; a key with another is refused. Defaults to any. */
  prefixes?: string[]
  /** Whose limiter the keys spend (each key its own bucket) and whose tenant rule (`enforceTenantMatch`, `baseDomain`) a key asking for a tenant is judged by. Defaults to none: keys are not rate-limited. */
  authenticator?: AuthenticatorLike
  /** Header holding the requested tenant. Defaults to `'x-tenant-id'`. */
  tenantHeader?: string
  /** `false`: a request without a key goes on untouched, for the next strategy. Defaults to `true`. */
  credentialsRequired?: boolean
  /** Limits of their own for keys (`{ max, refill }`), or `false`; needs `authenticator`. Defaults to the authenticator's limits. */
  rateLimit?: RateLimitPolicy | false
  /** Named as express-rate-limit's `standardHeaders` modes, with the same fields. `'draft-6'`: `RateLimit-Limit`/`-Remaining`/`-Reset`; `'draft-7'`: one combined `RateLimit: limit=100, remaining=99, reset=1`; `'draft-8'`: `RateLimit` and `RateLimit-Policy`; `false`: none. Defaults to `'draft-6'`. */
  rateLimitHeaders?: 'draft-6' | 'draft-7' | 'draft-8' | false
  /** `realm` of the `WWW-Authenticate` challenge. Defaults to none. */
  realm?: string
  /** Answers a refusal yourself (Express `(result, req, res, next)`, Fastify `(result, request, reply)`). Defaults to JSON `{ error, code }`. */
  onError?: (result: AuthResult, req: any, res: any, next?: (err?: any) => void) => unknown
  /** `'respond'` answers a failed request itself (`onError`, else JSON `{ error, code }`). `'forward'` hands it to the framework's error handling as an `AuthError` (`status`, `statusCode`, `code`, `requestId`, and `headers`: every header the answer would have had, which Express's final handler and Fastify's default error handler apply): Express `next(err)`, Fastify the context's `setErrorHandler`. That is also how the hook composes as an `@fastify/auth` strategy. Guards answer the same way. Express and Fastify only: in Nest a refusal is always an HttpException, for the app's exception filters. Defaults to `'respond'`. */
  errors?: 'respond' | 'forward'
  /** Take the request id from an incoming `X-Request-Id` (a gateway's) when it is 1 to 128 characters of `A-Z a-z 0-9 - _ . : @ + = /`; anything else gets a fresh id. An id already on the request (Express `req.id`, set by pino-http, say; Fastify's `request.id`, which `genReqId`/`requestIdHeader` decide) comes first, under the same check. The id goes to the result, `X-Request-Id` and the request, skipped and anonymous requests included. Defaults to `false`. */
  trustRequestId?: boolean
  /** The request property the user is set on (Express). Defaults to `'user'`. */
  requestProperty?: string
  /** The request property the user is set on (Fastify). Defaults to `'user'`. */
  decoratorName?: string
  // </generated>
}

/** API keys as an authentication strategy for Express and Fastify. Throws a coded error here for a bad option. */
export declare function apiKeyAuth<P extends { hash: string } = ApiKeyPrincipal>(
  options: ApiKeyAuthOptions<P>,
): AuthShieldHandler
