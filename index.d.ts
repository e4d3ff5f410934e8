/// <reference types="node" />

// <generated: error-codes>
/** Every error code auth-shield reports. Request failures come back in a result; the others are thrown. */
export type ErrorCode =
  | 'MISSING_AUTHORIZATION'
  | 'INVALID_AUTHORIZATION_FORMAT'
  | 'TOKEN_MALFORMED'
  | 'ALGORITHM_NOT_ALLOWED'
  | 'UNKNOWN_KEY'
  | 'INVALID_SIGNATURE'
  | 'TOKEN_EXPIRED'
  | 'TOKEN_NOT_ACTIVE'
  | 'INVALID_ISSUER'
  | 'INVALID_AUDIENCE'
  | 'MISSING_CLAIM'
  | 'INVALID_TOKEN_TYPE'
  | 'TOKEN_REVOKED'
  | 'TOKEN_REUSED'
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
  | 'REVOCATION_LIMIT'
  | 'ENGINE_UNAVAILABLE'
  | 'INTERNAL_ERROR'
// </generated>

/** `{ CODE: 'CODE' }` for every error code, frozen. */
export declare const ErrorCodes: Readonly<{ [K in ErrorCode]: K }>

/** An error thrown by auth-shield (bad configuration or arguments); `code` is stable. */
export interface AuthShieldError extends Error {
  code: ErrorCode
}

export type JwtAlgorithm = 'HS256' | 'HS384' | 'HS512'

/** A secret: a string (its UTF-8 bytes are the key, as in jsonwebtoken) or bytes. */
export type Secret = string | Uint8Array

// <generated: config>
/** The options every configuration may take, whichever keys verify its access tokens. */
export interface AuthConfigOptions {
  /** Signs and verifies refresh tokens. Same length rule as `accessSecret`. Defaults to none. */
  refreshSecret?: Secret
  /** Algorithms a token may use with `accessSecret`: `HS256`, `HS384`, `HS512`. The first signs new tokens. `none` cannot be configured. Defaults to `['HS256']`. */
  algorithms?: JwtAlgorithm[]
  /** Accepted `iss`; the first is set on signed tokens. Defaults to not checked. */
  issuer?: string | string[]
  /** A token's `aud` must name one; the first is set on signed tokens. Defaults to not checked. */
  audience?: string | string[]
  /** Clock skew tolerated on `exp`, `nbf` and `iat`. A whole number from 0 to 86400. Defaults to `0`. */
  leeway?: number
  /** Refuse tokens without `exp`. Defaults to `true`. */
  requireExp?: boolean
  /** How an access token is told from other tokens: `'type'`, a `type: "access"` claim (the tokens auth-shield signs); `'at+jwt'`, the header `typ: "at+jwt"` of RFC 9068 access tokens (Auth0, Okta, Keycloak can issue them); `{ claim, value }`, a claim of your choosing, such as Cognito's `{ claim: 'token_use', value: 'access' }`; `'none'` for a provider that does not mark them. With any of the last three, a token that says it is something else — `type` other than `access`, `token_use` other than `access`, or an ID token's `nonce`/`at_hash` — is still `INVALID_TOKEN_TYPE`. Defaults to `'type'`. */
  accessTokenMark?: 'type' | 'at+jwt' | 'none' | { claim: string; value: string }
  /** Refuse access tokens issued (`iat`) this long ago or longer, whatever their `exp` (`TOKEN_EXPIRED`; jsonwebtoken's and fast-jwt's `maxAge`, in seconds); `leeway` applies, and a token without `iat` is `MISSING_CLAIM`. Refresh tokens are not affected. A whole number from 1 to 315360000. Defaults to not checked. */
  maxTokenAge?: number
  /** Longer tokens are refused before any decoding. A whole number from 256 to 65536. Defaults to `8192`. */
  maxTokenLength?: number
  /** Accept secrets shorter than RFC 7518 §3.2 requires. For migrations only. Defaults to `false`. */
  allowWeakSecrets?: boolean
  /** Token-bucket capacity per user and tenant (the burst). A whole number from 1 to 1000000000. Defaults to `100`. */
  rateLimitMax?: number
  /** Tokens added per second (fractions allowed, e.g. `0.5`). Greater than 0, at most 1000000000. Defaults to `10`. */
  rateLimitRefill?: number
  /** Most buckets held. Full (idle) buckets are dropped first — exactly, since a full bucket equals a new one — then the least recently used. Memory stays flat under a flood of distinct keys. A whole number from 10 to 100000000. Defaults to `100000`. */
  rateLimitMaxKeys?: number
  /** `false` turns the limiter off: no bucket is kept or spent, and the result's `rateLimit*` fields are `null` (so the integrations send no RateLimit headers). Defaults to `true`. */
  rateLimit?: boolean
  /** Whose bucket a request spends: `'user+tenant'` (a user in each tenant has its own), `'user'` (one per user across tenants) or `'tenant'` (one shared by a tenant's users; a request with no tenant spends its user's). Defaults to `'user+tenant'`. */
  rateLimitKey?: 'user+tenant' | 'user' | 'tenant'
  /** 403 when the requested tenant (header or subdomain) differs from the token's `tenant_id`, or when a token bound to no tenant requests one. Defaults to `true`. */
  enforceTenantMatch?: boolean
  /** With `'api.example.com'`, `<tenant>.api.example.com` names a tenant (one label, never `www`); a list names tenants under each domain in it. Without it no host names a tenant: `api.example.com`, `localhost:3000`, IPs and cluster-local names are never read as one. Defaults to none. */
  baseDomain?: string | string[]
  /** Lifetime of signed access tokens (15 minutes by default). A whole number from 1 to 315360000. Defaults to `900`. */
  accessTokenTtl?: number
  /** Lifetime of signed refresh tokens (7 days by default). A whole number from 1 to 315360000. Defaults to `604800`. */
  refreshTokenTtl?: number
  /** Most live revocations held (revoked `jti`s, user cutoffs, revoked families); they expire on their own when every token they could match has. At the bound, revoking throws `REVOCATION_LIMIT` — a revocation is never dropped to make room. A whole number from 1 to 100000000. Defaults to `100000`. */
  revocationMaxEntries?: number
  /** Most refresh-token families tracked for rotation. The oldest are forgotten first; a forgotten family's next refresh is taken at first sight, as after a restart. A whole number from 1 to 100000000. Defaults to `200000`. */
  maxSessions?: number
  /** Cache verified tokens (`true`: `max` 10000, `ttl` 600 s): a token whose signature and fixed claims held is not verified again until `ttl` or its `exp`, whichever is first. Keyed by the whole token, so no two tokens share an entry; `exp`/`nbf`/`iat`, revocation, tenant and rate limit are still checked on every request; failures are never cached; `setKeys` empties it. At most `max` tokens, least recently used going first. Defaults to `false`. */
  cache?: boolean | { max?: number; ttl?: number }
  /** Named keys for refresh tokens instead of `refreshSecret`, in the forms of `keys`; the first that can sign signs new refresh tokens. Defaults to none. */
  refreshKeys?: KeySpec[]
}

/** Access tokens signed and verified with one secret. */
export interface SecretConfig extends AuthConfigOptions {
  /** Signs and verifies access tokens. At least 32 bytes for HS256, 48 for HS384, 64 for HS512 (RFC 7518 §3.2). A string's UTF-8 bytes are the key, as in jsonwebtoken. Required here. */
  accessSecret: Secret
  keys?: undefined
  jwks?: undefined
  signingKid?: undefined
}

/** Access tokens verified with named keys, each chosen by the token's `kid`. */
export interface NamedKeysConfig extends AuthConfigOptions {
  accessSecret?: undefined
  /** Named keys for access tokens instead of `accessSecret` (see Keys below), each bound to one algorithm and chosen by the token's `kid`: `{ kid, alg, secret }` for HS256/384/512, `{ kid, alg, publicKey?, privateKey? }` (PEM or JWK) for RS256, PS256, ES256, EdDSA, or a JWK with `kid`. Required here. */
  keys: KeySpec[]
  /** A JWK Set `{ keys: [...] }` (an identity provider's, say), read as named keys; `use: "enc"` keys are skipped. Defaults to none. */
  jwks?: { keys: JsonWebKey[] }
  /** Which named key signs new tokens. Defaults to the first key that can sign. */
  signingKid?: string
}

/** Access tokens verified with the keys of a JWK Set, e.g. an identity provider's. */
export interface JwksConfig extends AuthConfigOptions {
  accessSecret?: undefined
  /** A JWK Set `{ keys: [...] }` (an identity provider's, say), read as named keys; `use: "enc"` keys are skipped. Required here. */
  jwks: { keys: JsonWebKey[] }
  /** Named keys for access tokens instead of `accessSecret` (see Keys below), each bound to one algorithm and chosen by the token's `kid`: `{ kid, alg, secret }` for HS256/384/512, `{ kid, alg, publicKey?, privateKey? }` (PEM or JWK) for RS256, PS256, ES256, EdDSA, or a JWK with `kid`. Defaults to none. */
  keys?: KeySpec[]
  /** Which named key signs new tokens. Defaults to the first key that can sign. */
  signingKid?: string
}

/** An authenticator's configuration: `accessSecret`, or named `keys` / `jwks`, never both (the engine refuses both). */
export type AuthConfig = SecretConfig | NamedKeysConfig | JwksConfig
// </generated>

/** A named key: an HMAC `secret`, or a public and/or private key as PEM (SPKI/PKCS#1, PKCS#8/PKCS#1) or a JWK object; or a JWK with `kid`. */
export type KeySpec =
  | { kid: string; alg: 'HS256' | 'HS384' | 'HS512'; secret: Secret }
  | { kid: string; alg: 'RS256' | 'PS256' | 'ES256' | 'EdDSA'; publicKey?: string | JsonWebKey; privateKey?: string | JsonWebKey }
  | (JsonWebKey & { kid: string })

/** A JSON Web Key (RFC 7517) as plain data. */
export interface JsonWebKey {
  kty: string
  kid?: string
  alg?: string
  use?: string
  crv?: string
  n?: string
  e?: string
  x?: string
  y?: string
  d?: string
  [member: string]: unknown
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
  /** The token's `tenant_id`, else the tenant header, else the Host's subdomain under `baseDomain`. */
  tenantId: string | null
  /** Bucket capacity. Set on success (unless `rateLimit: false`) and on `RATE_LIMITED`. */
  rateLimitLimit: number | null
  /** Requests left in the bucket. Set on success (unless `rateLimit: false`) and on `RATE_LIMITED`. */
  rateLimitRemaining: number | null
  /** Seconds until the bucket is full again. Set on success (unless `rateLimit: false`) and on `RATE_LIMITED`. */
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
  /** Live revocations (tokens, user cutoffs, families). */
  revocations: number
  /** Refresh-token families tracked for rotation. */
  sessions: number
  /** Verified tokens held by the cache (0 when it is off). */
  cachedTokens: number
}

export interface PairOptions {
  /** Seconds or `'15m'`; defaults to `accessTokenTtl`. */
  accessExpiresIn?: number | string
  /** Seconds or `'7d'`; defaults to `refreshTokenTtl`. */
  refreshExpiresIn?: number | string
}

export interface TokenPair {
  accessToken: string
  refreshToken: string
  /** Unix seconds. */
  accessExpiresAt: number
  refreshExpiresAt: number
  /** The login's refresh-token family (`fam` claim), kept across refreshes; `revokeFamily` ends it. */
  family: string
  userId: string
}

/** A refresh: a new pair (`ok: true`) or a refusal with its code. Every property is always present. */
export type RefreshResult =
  | (TokenPair & { ok: true; error: null; errorCode: null; errorStatus: null })
  | {
      ok: false
      accessToken: null
      refreshToken: null
      accessExpiresAt: null
      refreshExpiresAt: null
      /** Set on `TOKEN_REUSED`: the family that was just revoked. */
      family: string | null
      userId: null
      error: string
      errorCode: ErrorCode
      errorStatus: number
    }

export type RevocationEvent =
  | { kind: 'token'; jti: string; expiresAt: number }
  | { kind: 'family'; family: string; expiresAt: number }
  | { kind: 'user'; userId: string; tenantId: string | null; before: number; reissued: string[]; expiresAt: number }

/** Everything `importRevocations` needs to rebuild the state on a restarted process. */
export interface RevocationExport {
  version: 1
  exportedAt: number
  revocations: RevocationEvent[]
  sessions: Array<{ family: string; current: string; expiresAt: number }>
}

/** Token issuing, refresh rotation and revocation; the same on every engine. */
export interface TokenLifecycle {
  /** A login: an access and a refresh token in a new family. Needs `refreshSecret`. */
  issueTokens(claims: TokenClaims, options?: PairOptions): TokenPair
  /**
   * Rotates a refresh token into a new pair. A refresh token presented again after it was rotated
   * is `TOKEN_REUSED` and revokes its whole family. `claims` replaces what the new tokens carry.
   */
  refresh(refreshToken: unknown, options?: PairOptions & { claims?: TokenClaims }): RefreshResult
  /** Refuses the token with this `jti` until `expiresAt` (its `exp`; default: the longest lifetime signed here). `false` if already expired. */
  revokeToken(jti: string, expiresAt?: number): boolean
  /** Refuses the user's tokens (in `tenantId`, if given) issued at or before `before` (default: now); tokens signed here afterwards still work. */
  revokeUser(userId: string, options?: { tenantId?: string; before?: number }): boolean
  /** Ends one login: every token of the refresh-token family. */
  revokeFamily(family: string, expiresAt?: number): boolean
  exportRevocations(): RevocationExport
  /** Merges an export (object or JSON text), checked whole before anything is applied. Returns the revocations taken. */
  importRevocations(state: RevocationExport | string): number
  /** This process's own revocations since `cursor` (0 or omitted: all kept); `events` is null when the cursor is too old — take an export. */
  revocationChanges(cursor?: number): { cursor: number; events: RevocationEvent[] | null }
  /** Applies a revocation from elsewhere (idempotent; not listed among this process's changes). */
  applyRevocation(event: RevocationEvent | string): boolean
}

export type Engine = 'native' | 'js' | 'shadow'

/** What every engine's authenticator offers. */
export interface AuthenticatorLike extends TokenLifecycle {
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

/** Issuing, refresh, revocation and keys: the `TokenLifecycle` methods. */
export interface Authenticator extends TokenLifecycle {}

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

// ---------------------------------------------------------------------------------------------
// Security helpers. Every one throws an `AuthShieldError` with a stable code for a programmer
// error (wrong type, bad option) and answers a bad request in its result.

// <generated: PasswordOptions>
export interface PasswordOptions {
  /** KiB of memory; at least 8 × `parallelism`. A whole number from 8 to 4194304. Defaults to `19456`. */
  memoryCost?: number
  /** Passes over memory. A whole number from 1 to 100. Defaults to `2`. */
  timeCost?: number
  /** Lanes. A whole number from 1 to 64. Defaults to `1`. */
  parallelism?: number
  /** A pepper kept outside the database, mixed in as Argon2's secret input and never stored in the hash; 1 to 1024 bytes. `verifyPassword` takes only this option. Defaults to none. */
  secret?: Secret
}
// </generated>

/**
 * Argon2id hash in a PHC string, computed on the libuv thread pool. Rejects with
 * `INVALID_ARGUMENT` for an empty password or one over 4096 bytes, `INVALID_CONFIG` for bad options.
 */
export declare function hashPassword(password: Secret, options?: PasswordOptions): Promise<string>
export declare function hashPasswordSync(password: Secret, options?: PasswordOptions): string
/**
 * `true` if `password` matches `hash` (Argon2id/i/d PHC strings, and bcrypt `$2a$`/`$2b$`/`$2y$`
 * hashes up to cost 16). A wrong, empty or over-long password is `false`; a malformed hash
 * rejects with `INVALID_HASH`.
 */
export declare function verifyPassword(hash: string, password: Secret, options?: Pick<PasswordOptions, 'secret'>): Promise<boolean>
export declare function verifyPasswordSync(hash: string, password: Secret, options?: Pick<PasswordOptions, 'secret'>): boolean
/**
 * How many async hashes/verifications may occupy libuv pool threads at once (1–256; default one
 * fewer than the CPUs, at least 1); the rest queue in JS. Returns the previous value.
 */
export declare function setPasswordConcurrency(concurrency: number): number
/** `true` for bcrypt, a non-Argon2id variant, or costs other than `options` (the defaults if omitted). */
export declare function needsRehash(hash: string, options?: Omit<PasswordOptions, 'secret'>): boolean

/** Constant-time equality; different lengths are `false`, never an exception. */
export declare function timingSafeEqual(a: Secret, b: Secret): boolean

export type OtpErrorCode = 'OTP_NOT_FOUND' | 'OTP_EXPIRED' | 'OTP_INVALID' | 'OTP_REPLAYED' | 'OTP_LOCKED'

// <generated: OtpStoreOptions>
export interface OtpStoreOptions {
  /** Code length. A whole number from 4 to 10. Defaults to `6`. */
  digits?: number
  /** How long a code stays valid, from 1 second to 1 day. Defaults to `300`. */
  ttl?: number | string
  /** Wrong codes allowed before the key locks until the code expires. A whole number from 1 to 100. Defaults to `5`. */
  maxAttempts?: number
  /** Pending codes kept; the oldest go first. A whole number from 1 to 100000000. Defaults to `100000`. */
  maxEntries?: number
}
// </generated>

export interface OtpStoreResult {
  valid: boolean
  /** `null` when valid. */
  code: Extract<OtpErrorCode, 'OTP_NOT_FOUND' | 'OTP_EXPIRED' | 'OTP_INVALID' | 'OTP_LOCKED'> | null
  attemptsRemaining: number
}

/** Random numeric codes for email/SMS, kept hashed, single use, expiring, with a lockout. */
export declare class OtpStore {
  constructor(options?: OtpStoreOptions)
  /** A new code for `key`, replacing any pending one. */
  generate(key: string): string
  /** A `code` that is not a string counts as a wrong guess. */
  verify(key: string, code: unknown): OtpStoreResult
  delete(key: string): boolean
  clear(): void
  readonly size: number
}

// <generated: TotpOptions>
export interface TotpOptions {
  /** Code length. A whole number from 6 to 10. Defaults to `6`. */
  digits?: number
  /** Seconds per step (TOTP). A whole number from 1 to 3600. Defaults to `30`. */
  period?: number
  /** HMAC hash; SHA1 is what authenticator apps assume. Defaults to `'SHA1'`. */
  algorithm?: 'SHA1' | 'SHA256' | 'SHA512'
  /** Steps accepted either side of now (TOTP) or ahead of the counter (HOTP). A whole number from 0 to 10. Defaults to `1`. */
  window?: number
  /** Milliseconds since the epoch to compute at (TOTP). Defaults to now. */
  timestamp?: number
  /** TOTP: refuse codes of this step or earlier (`OTP_REPLAYED`); store the last accepted `step` and pass it here. Defaults to none. */
  afterStep?: number
  /** Accept secrets under 128 bits (older 80-bit ones; RFC 4226 R6). Defaults to `false`. */
  allowWeakSecrets?: boolean
}
// </generated>

export interface OtpCheck {
  valid: boolean
  code: Extract<OtpErrorCode, 'OTP_INVALID' | 'OTP_REPLAYED'> | null
  /** The matched time step (TOTP) or counter (HOTP); also set on `OTP_REPLAYED`. */
  step: number | null
  /** Matched step minus the current one (TOTP) or minus `counter` (HOTP). */
  delta: number | null
}

/** A random secret, base32 without padding. `bytes` from 16 to 128; default 20. */
export declare function generateTotpSecret(bytes?: number): string
/** `secret`: base32 text (any case, spaces ignored) or raw bytes. */
export declare function generateTotp(secret: Secret, options?: TotpOptions): string
export declare function verifyTotp(code: unknown, secret: Secret, options?: TotpOptions): OtpCheck
export declare function generateHotp(secret: Secret, counter: number, options?: TotpOptions): string
export declare function verifyHotp(code: unknown, secret: Secret, counter: number, options?: TotpOptions): OtpCheck
/** `otpauth://totp/…` (or `hotp` with `counter`) for a QR code. */
export declare function otpauthUri(
  params: { secret: Secret; account: string; issuer?: string; counter?: number } & Omit<TotpOptions, 'window' | 'timestamp' | 'afterStep'>,
): string

// <generated: SanitizeHtmlOptions>
export interface SanitizeHtmlOptions {
  /** Tags kept (others are removed, their text kept); replaces the default list. `script` and `style` are refused. Defaults to ammonia's list. */
  allowedTags?: string[]
  /** Attributes kept per tag, `'*'` for every tag; replaces the defaults. Event handlers and `srcdoc` are refused. Defaults to ammonia's lists. */
  allowedAttributes?: Record<string, string[]>
  /** URL schemes kept in links and sources. `javascript` and `vbscript` are refused. Defaults to ammonia's list. */
  allowedSchemes?: string[]
  /** `rel` set on every link; `false` keeps authors' values. Defaults to `'noopener noreferrer'`. */
  linkRel?: string | false
  /** Keep relative URLs. Defaults to `true`. */
  allowRelativeUrls?: boolean
  /** Remove HTML comments. Defaults to `true`. */
  stripComments?: boolean
}
// </generated>

/** HTML with only the allowed markup left (ammonia). */
export declare function sanitizeHtml(html: string, options?: SanitizeHtmlOptions): string
/** A sanitiser with its options validated once. */
export declare function createHtmlSanitizer(options?: SanitizeHtmlOptions): (html: string) => string

// <generated: SanitizeFilenameOptions>
export interface SanitizeFilenameOptions {
  /** Replaces each run of unsafe characters. Defaults to `'_'`. */
  replacement?: string
  /** Length bound in UTF-8 bytes, keeping a short extension. A whole number from 1 to 4096. Defaults to `255`. */
  maxBytes?: number
  /** Returned when nothing usable remains (else `INVALID_FILENAME` is thrown). Defaults to none. */
  fallback?: string
}
// </generated>

export declare function sanitizeFilename(name: string, options?: SanitizeFilenameOptions): string
export declare function createFilenameSanitizer(options?: SanitizeFilenameOptions): (name: string) => string
/** `true` only for a well-formed PostgreSQL interval (`'7 days'`, `'1 hour 30 minutes'`, `'P1DT2H'`). */
export declare function validateSqlInterval(value: unknown): boolean

export type CspDirective =
  | 'default-src' | 'script-src' | 'script-src-elem' | 'script-src-attr' | 'style-src' | 'style-src-elem'
  | 'style-src-attr' | 'img-src' | 'font-src' | 'connect-src' | 'media-src' | 'object-src' | 'frame-src'
  | 'child-src' | 'worker-src' | 'manifest-src' | 'base-uri' | 'form-action' | 'frame-ancestors'
  | 'sandbox' | 'report-uri' | 'require-trusted-types-for' | 'trusted-types'

export interface BuiltCsp {
  /** `Content-Security-Policy` or `Content-Security-Policy-Report-Only`. */
  name: string
  value: string
  /** This response's nonce, or `null` when the policy uses none. */
  nonce: string | null
  /** Every header to set, including `Reporting-Endpoints` when `reportTo` named an endpoint. */
  headers: Record<string, string>
}

/**
 * A Content-Security-Policy that starts strict: `default-src 'self'; object-src 'none';
 * base-uri 'self'; frame-ancestors 'none'; form-action 'self'; upgrade-insecure-requests`.
 * Invalid sources throw `INVALID_CSP` and leave the policy unchanged.
 */
export declare class CspBuilder {
  /** `{ defaults: false }` starts from an empty policy. */
  constructor(options?: { defaults?: boolean })
  directive(name: CspDirective, ...sources: string[]): this
  add(name: CspDirective, ...sources: string[]): this
  remove(name: CspDirective): this
  hash(directive: CspDirective, content: string, algorithm?: 'sha256' | 'sha384' | 'sha512'): this
  /** A fresh nonce per build() in these directives (default `script-src`). */
  useNonce(...directives: CspDirective[]): this
  strictDynamic(): this
  reportOnly(on?: boolean): this
  upgradeInsecureRequests(on?: boolean): this
  reportTo(group: string, endpoint?: string): this
  defaultSrc(...sources: string[]): this
  scriptSrc(...sources: string[]): this
  scriptSrcElem(...sources: string[]): this
  scriptSrcAttr(...sources: string[]): this
  styleSrc(...sources: string[]): this
  styleSrcElem(...sources: string[]): this
  styleSrcAttr(...sources: string[]): this
  imgSrc(...sources: string[]): this
  fontSrc(...sources: string[]): this
  connectSrc(...sources: string[]): this
  mediaSrc(...sources: string[]): this
  objectSrc(...sources: string[]): this
  frameSrc(...sources: string[]): this
  childSrc(...sources: string[]): this
  workerSrc(...sources: string[]): this
  manifestSrc(...sources: string[]): this
  baseUri(...sources: string[]): this
  formAction(...sources: string[]): this
  frameAncestors(...sources: string[]): this
  sandbox(...flags: string[]): this
  reportUri(...uris: string[]): this
  readonly headerName: string
  build(): BuiltCsp
  toString(): string
}

/** A fresh 128-bit nonce, base64. */
export declare function cspNonce(): string

export interface GeneratedApiKey {
  /** Give to the client once: `auth1_<prefix>_<id>_<secret><checksum>`. */
  key: string
  /** Public lookup id (also inside the key). */
  id: string
  /** HMAC-SHA256 of the key under the pepper, 64 hex characters: store this. */
  hash: string
}

/** `pepper` (at least 32 bytes) is required; `prefix` is 1–16 of a-z 0-9, default `'pk'`. */
export declare function generateApiKey(options: { pepper: Secret; prefix?: string }): GeneratedApiKey
export declare function hashApiKey(key: string, pepper: Secret): string
/** `false` for any key that is malformed, mistyped or wrong; `INVALID_HASH` for a malformed stored hash. */
export declare function verifyApiKey(key: unknown, storedHash: string, pepper: Secret): boolean
/** Throws `INVALID_API_KEY` for anything that is not a well-formed key with a matching checksum. */
export declare function parseApiKey(key: unknown): { prefix: string; id: string }

export interface JwksOptions {
  /** Milliseconds between fetches. Default 600000 (10 min). */
  interval?: number
  /** Milliseconds a fetch may take. Default 5000. */
  timeout?: number
  /** Least milliseconds between early `refresh()` fetches. Default 30000. */
  cooldown?: number
  signingKid?: string
  /** Told of every failed fetch; by default one process warning per kind. The keys in force stay. */
  onError?: (error: AuthShieldError) => void
  fetch?: typeof globalThis.fetch
}

/** Fetches a JWK Set (timeout, 1 MB bound, no redirects); rejects with `INVALID_CONFIG` saying why. */
export declare function fetchJwks(url: string | URL, options?: Pick<JwksOptions, 'timeout' | 'fetch'>): Promise<{ keys: JsonWebKey[] }>

/** Keeps `authenticator`'s keys in step with a JWKS URL, off the request path. */
export declare function createJwksRefresher(
  authenticator: AuthenticatorLike,
  url: string | URL,
  options?: JwksOptions,
): { ready: Promise<boolean>; refresh(): Promise<boolean>; stop(): void }
