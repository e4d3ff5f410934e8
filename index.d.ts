/// <reference types="node" />

/** Every error code auth-shield reports. Request failures come back in a result; the others are thrown. */
export type ErrorCode =
  | 'MISSING_AUTHORIZATION'
  | 'INVALID_AUTHORIZATION_FORMAT'
  | 'TOKEN_MALFORMED'
  | 'ALGORITHM_NOT_ALLOWED'
  | 'INVALID_SIGNATURE'
  | 'TOKEN_EXPIRED'
  | 'TOKEN_NOT_ACTIVE'
  | 'INVALID_ISSUER'
  | 'INVALID_AUDIENCE'
  | 'MISSING_CLAIM'
  | 'INVALID_TOKEN_TYPE'
  | 'TOKEN_REVOKED'
  | 'INVALID_TENANT'
  | 'TENANT_MISMATCH'
  | 'RATE_LIMITED'
  | 'OTP_NOT_FOUND'
  | 'OTP_EXPIRED'
  | 'OTP_INVALID'
  | 'OTP_REPLAYED'
  | 'OTP_LOCKED'
  | 'INVALID_CONFIG'
  | 'WEAK_SECRET'
  | 'INVALID_ARGUMENT'
  | 'INVALID_HASH'
  | 'INVALID_API_KEY'
  | 'INVALID_FILENAME'
  | 'INVALID_CSP'
  | 'ENGINE_UNAVAILABLE'
  | 'INTERNAL_ERROR'

/** `{ CODE: 'CODE' }` for every error code, frozen. */
export declare const ErrorCodes: Readonly<{ [K in ErrorCode]: K }>

/** An error thrown by auth-shield (bad configuration or arguments); `code` is stable. */
export interface AuthShieldError extends Error {
  code: ErrorCode
}

export type JwtAlgorithm = 'HS256' | 'HS384' | 'HS512'

/** A secret: a string (its UTF-8 bytes are the key, as in jsonwebtoken) or bytes. */
export type Secret = string | Uint8Array

export interface AuthConfig {
  /** Secret that signs and verifies access tokens. At least 32 bytes for HS256 (48 for HS384, 64 for HS512; RFC 7518 §3.2). Required. */
  accessSecret: Secret
  /** Secret for refresh tokens; needed only to sign them. Defaults to none. */
  refreshSecret?: Secret
  /** Algorithms a token may use; the first one signs new tokens. `none` is never accepted. Defaults to `['HS256']`. */
  algorithms?: JwtAlgorithm[]
  /** Accepted `iss` value(s); the first is set on signed tokens. Defaults to not checked. */
  issuer?: string | string[]
  /** Accepted `aud` value(s); a token must name one of them. The first is set on signed tokens. Defaults to not checked. */
  audience?: string | string[]
  /** Seconds of clock skew tolerated on `exp`, `nbf` and `iat` (whole number, at most 86400). Defaults to `0`. */
  leeway?: number
  /** Refuse tokens without `exp`. Defaults to `true`. */
  requireExp?: boolean
  /** Longest token accepted, in bytes, checked before any decoding (256 to 65536). Defaults to `8192`. */
  maxTokenLength?: number
  /** Accept secrets shorter than RFC 7518 §3.2 requires (for legacy deployments only). Defaults to `false`. */
  allowWeakSecrets?: boolean
  /** Token-bucket capacity per user and tenant: the burst allowed. Defaults to `100`. */
  rateLimitMax?: number
  /** Tokens added to each bucket per second (may be fractional, e.g. `0.5`). Defaults to `10`. */
  rateLimitRefill?: number
  /** Most rate-limit buckets held at once; refilled ones are dropped first, then the least recently used. Defaults to `100000`. */
  rateLimitMaxKeys?: number
  /** Refuse (403) a request for a tenant other than the token's `tenant_id`, or for any tenant with a token bound to none. Defaults to `true`. */
  enforceTenantMatch?: boolean
  /** Domain under which `<tenant>.<baseDomain>` hosts name a tenant, e.g. `'api.example.com'`. Defaults to any host of three or more labels (or `<tenant>.localhost`). */
  baseDomain?: string
  /** Lifetime of signed access tokens, in seconds. Defaults to `900` (15 minutes). */
  accessTokenTtl?: number
  /** Lifetime of signed refresh tokens, in seconds. Defaults to `604800` (7 days). */
  refreshTokenTtl?: number
}

/** What one request came to. Every property is always present; those that do not apply are `null`. */
export interface AuthResult {
  authenticated: boolean
  /** A fresh UUID v4 for every call, failures included. */
  requestId: string
  /** The token's `sub`. */
  userId: string | null
  email: string | null
  role: string | null
  /** The token's `permissions` (`[]` when it has none); `null` on failure. */
  permissions: string[] | null
  /** The token's `tenant_id`, else the tenant header, else the Host's subdomain. */
  tenantId: string | null
  /** Bucket capacity. Set on success and on `RATE_LIMITED`. */
  rateLimitLimit: number | null
  /** Requests left in the bucket. Set on success and on `RATE_LIMITED`. */
  rateLimitRemaining: number | null
  /** Seconds until the bucket is full again. Set on success and on `RATE_LIMITED`. */
  rateLimitReset: number | null
  /** Seconds until a request would be allowed; set only on `RATE_LIMITED`. */
  retryAfter: number | null
  /** A message safe to send to the client. */
  error: string | null
  errorCode: ErrorCode | null
  /** HTTP status for the failure: 400, 401, 403 or 429. */
  errorStatus: number | null
}

/** Claims of a token to sign. `type`, `iat`, `exp` and `nbf` are set by the signer. */
export interface TokenClaims {
  /** The user id. Required. */
  sub: string
  email?: string
  role?: string
  permissions?: string[]
  tenant_id?: string
  iss?: string
  aud?: string | string[]
  jti?: string
  [claim: string]: unknown
}

export interface SignOptions {
  /** Lifetime: seconds, or a string such as `'15m'`, `'12h'`, `'7d'`. Defaults to the configured TTL. */
  expiresIn?: number | string
  /** Delay before the token becomes valid, in the same units. Defaults to none. */
  notBefore?: number | string
}

export interface AuthenticatorStats {
  /** Rate-limit buckets currently held. */
  rateLimitKeys: number
}

export type Engine = 'native' | 'js' | 'shadow'

/** What every engine's authenticator offers. */
export interface AuthenticatorLike {
  readonly engine: Engine
  authenticate(authorization: unknown, tenantHeader?: unknown, host?: unknown): AuthResult
  signAccessToken(claims: TokenClaims, options?: SignOptions): string
  signRefreshToken(claims: TokenClaims, options?: SignOptions): string
  stats(): AuthenticatorStats
}

/** One difference between the engines in shadow mode. Holds results, never the token or a secret. */
export interface MismatchReport {
  /** Which fields differ (and how the codes differ), for grouping. */
  kind: string
  differences: Array<{ field: keyof AuthResult; primary: unknown; secondary: unknown }>
  primary: AuthResult
  secondary: AuthResult
  engines: { primary: 'native' | 'js'; secondary: 'native' | 'js' }
}

export interface EngineOptions {
  /** `'auto'` (the default) follows AUTH_SHIELD_SHADOW and USE_RUST_AUTH, else native when it loads here. */
  engine?: 'auto' | Engine
  /** Shadow mode's reporter. Defaults to one `process.emitWarning` per kind of difference. */
  onMismatch?: (report: MismatchReport) => void
}

/** An authenticator on the engine `options.engine` or the environment selects. */
export declare function createAuthenticator(config: AuthConfig, options?: EngineOptions): AuthenticatorLike

/** Whether the native binary loads on this platform. */
export declare function nativeAvailable(): boolean

/** A prepared authenticator on the native engine: configuration validated and keys prepared once. */
export declare class Authenticator implements AuthenticatorLike {
  readonly engine: 'native'

  /**
   * @throws {AuthShieldError} `INVALID_CONFIG` or `WEAK_SECRET`, naming the option at fault;
   * `ENGINE_UNAVAILABLE` where the native binary does not load.
   */
  constructor(config: AuthConfig)
  /**
   * Bearer extraction, JWT verification, claims, tenant and rate limit in one native call.
   * Never throws for a bad request: any value has a defined answer in the result.
   */
  authenticate(authorization: unknown, tenantHeader?: unknown, host?: unknown): AuthResult
  /** Signs an access token (`type: 'access'`) with `accessSecret`. */
  signAccessToken(claims: TokenClaims, options?: SignOptions): string
  /** Signs a refresh token (`type: 'refresh'`) with `refreshSecret`. */
  signRefreshToken(claims: TokenClaims, options?: SignOptions): string
  stats(): AuthenticatorStats
}

/**
 * The seed-compatible form, on the engine USE_RUST_AUTH selects. The config object is read once
 * and its prepared authenticator reused; later changes to the same object are not seen.
 */
export declare function authenticateRequest(
  authorization: string | null | undefined,
  tenantHeader: string | null | undefined,
  host: string | null | undefined,
  config: AuthConfig,
): AuthResult

/** Every error code with its HTTP status (0 when thrown) and message. */
export declare function errorTable(): Array<{ code: ErrorCode; status: number; message: string }>

/** The names of every configuration option. */
export declare function configOptions(): Array<keyof AuthConfig>
