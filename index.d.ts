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
  | 'CALLBACK_FAILED'
  | 'STATE_UNAVAILABLE'
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
  | 'INSUFFICIENT_PERMISSIONS'
  | 'API_KEY_MISSING'
  | 'API_KEY_REJECTED'
  | 'INVALID_HOST'
  | 'JWK_SKIPPED'
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

/** A claim: its name, taken whole (`'https://example.com/tenant_id'` is one name), or a path of names into nested objects (`['realm_access', 'roles']`). */
export type ClaimPath = string | readonly string[]

/** A plan's or a route's limits; what is left out is the authenticator's `rateLimitMax` / `rateLimitRefill`. */
export interface RateLimitPolicy {
  /** Bucket capacity (the burst), a whole number from 1 to 1e9. */
  max?: number
  /** Tokens added per second, above 0 and at most 1e9. */
  refill?: number
}

// <generated: config>
/** The options every configuration may take, whichever keys verify its access tokens. */
export interface AuthConfigOptions {
  /** Signs and verifies refresh tokens. Same length rule as `accessSecret`. Defaults to none. */
  refreshSecret?: Secret
  /** Algorithms a token may use with `accessSecret`: `HS256`, `HS384`, `HS512`. The first signs new tokens. `none` cannot be configured. Defaults to `['HS256']`. */
  algorithms?: JwtAlgorithm[]
  /** Accepted `iss`; the first is set on signed tokens. `{tenantid}` in one stands for the token's own tenant claim (`claims.tenantId`), for multi-tenant Entra ID. Defaults to not checked. */
  issuer?: string | string[]
  /** A token's `aud` must name one; the first is set on signed tokens. Defaults to not checked. */
  audience?: string | string[]
  /** Clock skew tolerated on `exp`, `nbf` and `iat`. A whole number from 0 to 86400. Defaults to `0`. */
  leeway?: number
  /** Refuse tokens without `exp`. Defaults to `true`. */
  requireExp?: boolean
  /** How an access token is told from other tokens: `'type'`, a `type: "access"` claim (the tokens auth-shield signs); `'at+jwt'`, the header `typ: "at+jwt"` of RFC 9068 access tokens (Auth0, Okta, Keycloak can issue them); `{ claim, value }`, a claim of your choosing, such as Cognito's `{ claim: 'token_use', value: 'access' }`; `'none'` for a provider that does not mark them. With any of the last three, a token that says it is something else — `type` other than `access`, `token_use` other than `access`, or an ID token's `nonce`/`at_hash` — is still `INVALID_TOKEN_TYPE`. Defaults to `'type'`. */
  accessTokenMark?: 'type' | 'at+jwt' | 'none' | { claim: string; value: string }
  /** Which claims hold the user id, the tenant, the roles and the permissions, for tokens from an identity provider (see Identity providers below). Each is a claim name, taken whole (`'org_id'`, `'https://example.com/tenant_id'`), or an array of names, a path into nested objects (`['realm_access', 'roles']`). User and tenant ids may be strings or integers (given as decimal strings); roles a string or an array (`role` is the first of `roles`); permissions an array or a space-separated `scope` string. Anything else is `TOKEN_MALFORMED`. Tokens auth-shield signs use the default names. Defaults to `sub`, `tenant_id`, `role`, `permissions`. */
  claims?: { userId?: ClaimPath; tenantId?: ClaimPath; roles?: ClaimPath; permissions?: ClaimPath }
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
  /** Most buckets held. At the bound, a new bucket makes room by looking at 16 buckets picked at random: every full one among them goes (a full bucket equals a new one), else the least recently used of them (an approximate LRU, as Redis evicts), so no request pays for more than those 16, whatever the number of buckets (`npm run bench:eviction`). Memory stays flat under a flood of distinct keys. On the JS engine every bucket is an object in the V8 heap, and at a million of them a full collection pauses for 100 ms and more; the native engine keeps them outside it. A whole number from 10 to 100000000. Defaults to `100000`. */
  rateLimitMaxKeys?: number
  /** `false` turns the limiter off: no bucket is kept or spent, and the result's `rateLimit*` fields are `null` (so the integrations send no RateLimit headers). Defaults to `true`. */
  rateLimit?: boolean
  /** Whose bucket a request spends: `'user+tenant'` (a user in each tenant has its own), `'user'` (one per user across tenants) or `'tenant'` (one shared by a tenant's users; a request with no tenant spends its user's). The tenant in a key is only ever the token's own (`tenant_id`, or the claim `claims.tenantId` names): one a tenant header or the Host names is the client's choice, so a token without a tenant claim has one budget whatever tenant it asks for. A key is the policy (default, plan or route), then the token's `sub` and its tenant. Defaults to `'user+tenant'`. */
  rateLimitKey?: 'user+tenant' | 'user' | 'tenant'
  /** Limits by plan: the claim `claim` (a name or a path, as in `claims`) names the token's plan, and `plans` gives each plan's `{ max, refill }` (what a plan leaves out is `rateLimitMax`/`rateLimitRefill`). A token whose plan is absent or not listed gets the default limits. Each plan's buckets are its own: no two plans, and no plan and the default, share a bucket. The result's `rateLimitPlan` says which plan applied. At most 1000 plans. Defaults to none. */
  rateLimitPlans?: { claim: ClaimPath; plans: Record<string, RateLimitPolicy> }
  /** 403 when the requested tenant (header or subdomain) differs from the token's `tenant_id`, or when a token bound to no tenant requests one. Defaults to `true`. */
  enforceTenantMatch?: boolean
  /** With `'api.example.com'`, `<tenant>.api.example.com` names a tenant (one label, never `www`); a list names tenants under each domain in it. Without it no host names a tenant: `api.example.com`, `localhost:3000`, IPs and cluster-local names are never read as one. Where hosts name tenants, a Host that cannot be read is refused (`INVALID_HOST`), so it cannot slip past `enforceTenantMatch`. Defaults to none. */
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
  /** Native engine: every authenticator in the process created with this same configuration (worker threads included: the addon is loaded once per process) shares one state — rate-limit buckets, revocations, refresh sessions, the verified-token cache and keys — so 4 workers give a user one limit, not 4, and a logout on one is refused on all. The shared state lives as long as the process (each part under its own bounds), so a pool that recycles its workers keeps it; at most 256 configurations are shared per process. Off by default so that authenticators stay independent unless asked (tests, or two services in one process that happen to share a configuration). The JS engine cannot share memory between threads; there it keeps each authenticator's own state. Defaults to `false`. */
  shareAcrossThreads?: boolean
  /** Named keys for refresh tokens instead of `refreshSecret`, in the forms of `keys`; the first that can sign signs new refresh tokens. Defaults to none. */
  refreshKeys?: KeySpec[]
  /** Count what the authenticator does for `metrics()` and the exporters (docs/metrics.md); `false` counts nothing, for a benchmark of what counting costs. Defaults to `true`. */
  metrics?: boolean
  /** Count authenticated requests per tenant (`auth_shield_tenant_requests_total`) for this many tenants; later ones count as `other`, so the label stays bounded. 0 counts none. A whole number from 0 to 10000. Defaults to `0`. */
  metricsTenants?: number
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
  /** Named keys for access tokens instead of `accessSecret` (see Keys below), each bound to one algorithm and chosen by the token's `kid`: `{ kid, alg, secret }` for HS256/384/512, `{ kid, alg, publicKey?, privateKey? }` (PEM or JWK) for RS256/384/512, PS256/384/512, ES256/384, EdDSA, or a JWK with `kid`. Required here. */
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
  /** Named keys for access tokens instead of `accessSecret` (see Keys below), each bound to one algorithm and chosen by the token's `kid`: `{ kid, alg, secret }` for HS256/384/512, `{ kid, alg, publicKey?, privateKey? }` (PEM or JWK) for RS256/384/512, PS256/384/512, ES256/384, EdDSA, or a JWK with `kid`. Defaults to none. */
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
  | {
      kid: string
      alg: 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'EdDSA'
      publicKey?: string | JsonWebKey
      privateKey?: string | JsonWebKey
    }
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
  /** The token's `sub` (or the claim `claims.userId` names; an integer id as its decimal string). */
  userId: string | null
  email: string | null
  /** The first of `roles`. */
  role: string | null
  /** The token's `role` (or the claim `claims.roles` names), a string or array, as an array (`[]` when it has none); `null` on failure. */
  roles: string[] | null
  /** The token's `permissions` (or the claim `claims.permissions` names; a space-separated `scope` string is split), `[]` when it has none; `null` on failure. */
  permissions: string[] | null
  /** The token's `tenant_id` (or the claim `claims.tenantId` names), else the tenant header, else the Host's subdomain under `baseDomain`. */
  tenantId: string | null
  /** Bucket capacity. Set on success (unless `rateLimit: false`) and on `RATE_LIMITED`. */
  rateLimitLimit: number | null
  /** Requests left in the bucket. Set on success (unless `rateLimit: false`) and on `RATE_LIMITED`. */
  rateLimitRemaining: number | null
  /** Seconds until the bucket is full again. Set on success (unless `rateLimit: false`) and on `RATE_LIMITED`. */
  rateLimitReset: number | null
  /** The plan (`rateLimitPlans`) whose limits applied; `null` for the default limits and on failure. */
  rateLimitPlan: string | null
  /** Seconds until a request would be allowed; set only on `RATE_LIMITED`. */
  retryAfter: number | null
  /** A message safe to send to the client. */
  error: string | null
  errorCode: ErrorCode | null
  /** HTTP status for the failure: 400, 401, 403 or 429. */
  errorStatus: number | null
  /**
   * The verified token's (or key's) user: on a success the same as `userId`; on a refusal made after
   * the credential verified (TOKEN_REVOKED, INVALID_TENANT, TENANT_MISMATCH, RATE_LIMITED,
   * INSUFFICIENT_PERMISSIONS) the user it named, for logs and audit; else null. Never a sign the request is authenticated.
   */
  subject: string | null
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

/** `metrics()`: counts since the authenticator was made, alike on every engine (docs/metrics.md). */
export interface AuthMetrics {
  /** Requests the fused call answered, by outcome: `OK` or the refusal's code (every code a request can get). */
  requests: Record<'OK' | ErrorCode, number>
  /** The fused call's own time: calls per bucket (not cumulative), the last past every bound. */
  latency: { boundsMicros: readonly number[]; counts: number[]; count: number; sumSeconds: number }
  rateLimit: {
    /** `default`, `plan:<name>` for each of `rateLimitPlans`, then `route` for every route limit. */
    policies: Array<{ policy: string; allowed: number; limited: number }>
    buckets: number
    evictions: number
  }
  cache: { hits: number; misses: number; tokens: number }
  /** Made here, by kind (`family` includes reuse detections), and held in force. */
  revocations: { token: number; user: number; family: number; held: number }
  sessions: number
  refresh: { rotations: number; reuseDetected: number }
  /** Authenticated requests by tenant (with `metricsTenants`); `other`: those of tenants past the bound. */
  tenants: { counts: Record<string, number>; other: number }
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
/** A route's own limits, from `defineRouteLimit`; works only with the authenticator that made it. */
export interface RouteLimit {
  readonly max: number | undefined
  readonly refill: number | undefined
}

/** One token taken from a caller-keyed bucket (`takeRateLimit`). */
export interface TakenRate {
  allowed: boolean
  limit: number
  remaining: number
  reset: number
  retryAfter: number
}

/** What routes and integrations drive themselves of the rate limiter. */
export interface RateLimitControls {
  /**
   * Defines a route's own limits, in buckets of their own: pass the result as the 4th argument of
   * `authenticate`. Define each once, when the route is set up (at most 10000).
   * @throws {AuthShieldError} `INVALID_CONFIG` for bad limits or with `rateLimit: false`.
   */
  defineRouteLimit(limits: RateLimitPolicy): RouteLimit
  /**
   * One token from the bucket `key` names (its own namespace), under `route`'s limits, else
   * `plan`'s, else the default. For keys only the caller knows, after `authenticate(..., false)`.
   */
  takeRateLimit(key: string, options?: { route?: RouteLimit | null; plan?: string | null }): TakenRate
}

/** The named keys `setKeys` replaces, in the forms the config takes. */
export interface KeySet {
  keys?: KeySpec[]
  jwks?: { keys: JsonWebKey[] }
  signingKid?: string
  refreshKeys?: KeySpec[]
}

/** Custom claims and key rotation. */
export interface ClaimsAndKeys {
  /**
   * The full payload of a token that verifies and is not revoked (custom claims included), else
   * null: read on demand, so the request path never builds it. `C` types your own claims.
   */
  verifiedClaims<C extends object = Record<string, unknown>>(authorization: unknown): (TokenClaims & C) | null
  /**
   * Replaces the named keys, validated whole first: a bad set throws and the old keys stay in force.
   * Keys of a JWK Set it cannot use (a P-521 or Ed448 key, an unknown `kty`, a second key of one
   * `kid`) are left out rather than failing the set (RFC 7517 §5); `skipped` says why each was.
   * A JWK Set with no usable key at all still throws.
   */
  setKeys(keys: KeySet): { skipped: string[] }
}

export interface AuthenticatorLike extends TokenLifecycle, RateLimitControls, ClaimsAndKeys {
  readonly engine: Engine
  /** `limit`: a route's own (`defineRouteLimit`), or `false` to spend no bucket; the token's plan's, else the default, when left out. */
  authenticate(authorization: unknown, tenantHeader?: unknown, host?: unknown, limit?: RouteLimit | false): AuthResult
  signAccessToken(claims: TokenClaims, options?: SignOptions): string
  signRefreshToken(claims: TokenClaims, options?: SignOptions): string
  stats(): AuthenticatorStats
  /** What it has done so far, as one reading (docs/metrics.md); never on the request path. */
  metrics(): AuthMetrics
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
  /** Security events told to `onSecurityEvent` and a logger (docs/metrics.md). Defaults to none. */
  securityEvents?: SecurityEventOptions
}

/** A security event (docs/metrics.md), in the OWASP logging vocabulary. Never holds a token or a secret. */
export interface SecurityEvent {
  datetime: string
  appid: string | null
  /** `type:args`, as OWASP writes it: `authn_token_reuse:ada,access`. */
  event: string
  type:
    | 'authn_login_fail'
    | 'authn_login_fail_max'
    | 'authn_token_reuse'
    | 'authz_fail'
    | 'excess_rate_limit_exceeded'
    | 'sys_jwks_fetch_fail'
  level: 'INFO' | 'WARN' | 'CRITICAL'
  description: string
  requestId?: string | null
  userId?: string | null
  code?: ErrorCode
  source_ip?: string | null
  request_method?: string
  request_uri?: string
  /** How many events of this type were not told since the last one that was (the rate bound). */
  suppressed?: number
  [field: string]: unknown
}

export interface SecurityEventOptions {
  // <generated: security-event-options>
  /** Told of each security event (docs/metrics.md), as one plain object. Defaults to none. */
  onSecurityEvent?: (event: SecurityEvent) => void
  /** A pino-shaped logger (`warn(obj, msg)`, `error(obj, msg)`): WARN events go to `warn`, CRITICAL to `error`. Defaults to none. */
  logger?: { warn(obj: object, msg?: string): unknown; error(obj: object, msg?: string): unknown }
  /** The `appid` every event carries. Defaults to none. */
  appId?: string
  /** Events of one type told at once before they are rate-limited; the next one told says how many were `suppressed`. Defaults to `20`. */
  burst?: number
  /** Events of one type told per second after the burst. Defaults to `1`. */
  perSecond?: number
  // </generated>
}

/** How `connectRedis` shares state through Redis. */
export interface RedisOptions {
  /** Prefix of every key auth-shield writes. Defaults to `'auth-shield:'`. In cluster mode each command touches one key, so no hash tag is needed. */
  prefix?: string
  /** Longest wait on Redis for a step a request or a refresh waits on, in ms (1 to 60000). Defaults to 100. */
  timeout?: number
  /** `'local-first'` (default): in-process buckets, synced every `syncInterval`; `'exact'`: requests take from Redis first (through the integrations or `link.authenticate`); `false`: limits stay per instance. */
  rateLimit?: 'local-first' | 'exact' | false
  /** Milliseconds between rate-limit syncs in `'local-first'` mode (5 to 60000). Defaults to 50. */
  syncInterval?: number
  /** A refresh while Redis does not answer: `'refuse'` (default, `STATE_UNAVAILABLE`) or `'local'` (this instance decides alone). */
  refreshWhenUnavailable?: 'refuse' | 'local'
  /** An `'exact'` limit while Redis does not answer: `'local'` (default: this instance's bucket decides, so the API stays up) or `'refuse'` (`STATE_UNAVAILABLE`, 503). */
  exactWhenUnavailable?: 'refuse' | 'local'
  /** Told of every Redis error; by default one process warning per message. */
  onError?: (error: Error) => void
}

/** An authenticator's link to Redis. */
export interface RedisLink {
  /** Resolves once this instance holds every revocation Redis has. */
  ready(): Promise<void>
  /** `refresh`, decided once across instances (an atomic spend of the token's id in Redis). */
  refresh(refreshToken: unknown, options?: PairOptions & { claims?: TokenClaims }): Promise<RefreshResult>
  /** `authenticate`, taking the request's token from Redis first in `'exact'` mode. */
  authenticate(
    authorization: unknown,
    tenantHeader?: unknown,
    host?: unknown,
    limit?: RouteLimit | false,
  ): AuthResult | Promise<AuthResult>
  readonly exact: boolean
  stats(): {
    connected: boolean
    revocations: {
      published: number
      applied: number
      republished: number
      readErrors: number
      publishErrors: number
      lastApplied: number | null
    }
    rateLimits: {
      syncs: number
      bucketsSynced: number
      syncErrors: number
      exactTaken: number
      exactFallbacks: number
    } | null
    errors: { count: number; last: string | null }
  }
  /** Stops following Redis; the client stays open (it is yours). */
  close(): Promise<void>
}

/** Shares revocations, refresh rotation and rate limits with every instance through your ioredis client or Cluster, or node-redis (v4+) client or cluster. */
export declare function connectRedis(
  authenticator: AuthenticatorLike,
  client: unknown,
  options?: RedisOptions,
): RedisLink

/** An authenticator on the engine `options.engine` or the environment selects. */
export declare function createAuthenticator(config: AuthConfig, options?: EngineOptions): AuthenticatorLike

/** Whether the native binary loads on this platform. */
export declare function nativeAvailable(): boolean

/**
 * A prepared authenticator on the native engine, always (also exported as `NativeAuthenticator`):
 * configuration validated and keys prepared once. `createAuthenticator` is the one that follows
 * `USE_RUST_AUTH` and the `engine` option.
 */
export declare class Authenticator implements AuthenticatorLike {
  readonly engine: 'native'

  /**
   * @throws {AuthShieldError} `INVALID_CONFIG` or `WEAK_SECRET`, naming the option at fault;
   * `ENGINE_UNAVAILABLE` where the native binary does not load.
   */
  constructor(config: AuthConfig)
  /**
   * Bearer extraction, JWT verification, claims, tenant and rate limit in one native call.
   * Never throws for a bad request: any value has a defined answer in the result. `limit`: a
   * route's own (`defineRouteLimit`), or `false` to spend no bucket.
   */
  authenticate(authorization: unknown, tenantHeader?: unknown, host?: unknown, limit?: RouteLimit | false): AuthResult
  /** Signs an access token (`type: 'access'`) with `accessSecret`. */
  signAccessToken(claims: TokenClaims, options?: SignOptions): string
  /** Signs a refresh token (`type: 'refresh'`) with `refreshSecret`. */
  signRefreshToken(claims: TokenClaims, options?: SignOptions): string
  stats(): AuthenticatorStats
  /** What it has done so far, as one reading (docs/metrics.md); never on the request path. */
  metrics(): AuthMetrics
}

/** Issuing, refresh, revocation and keys: the `TokenLifecycle` methods; route limits and caller-keyed buckets. */
export interface Authenticator extends TokenLifecycle, RateLimitControls, ClaimsAndKeys {}

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

// The security helpers' declarations (passwords, timing-safe comparison, one-time codes,
// sanitisers, CSP, API keys, JWKS).
export * from './lib/helpers/index'
// Guards, the API-key strategy and AuthError, for Express and Fastify alike.
export * from './lib/integrations/guards'

/** `OtpStore`'s rules with the state in Redis, so a code made on one instance verifies on another. */
export declare class RedisOtpStore {
  /** `client`: your ioredis or node-redis client; `secret` (32+ bytes, the same on every instance) keys the stored hashes. */
  constructor(
    client: unknown,
    options: { secret: Secret; prefix?: string; digits?: number; ttl?: number; maxAttempts?: number; timeout?: number },
  )
  generate(key: string): Promise<string>
  verify(key: string, code: unknown): Promise<import('./lib/helpers/index').OtpStoreResult>
  delete(key: string): Promise<boolean>
}

/** `Authenticator`, under a name that says it is always the native engine. */
export { Authenticator as NativeAuthenticator }

export interface PrometheusOptions {
  // <generated: prometheus-options>
  /** The prom-client registry to register in. Defaults to prom-client's default registry. */
  register?: { registerMetric(metric: any): void }
  /** Put before every metric name, as `collectDefaultMetrics` takes it. Defaults to `''`. */
  prefix?: string
  /** Labels added to every row (an app or authenticator name, say). Defaults to none. */
  labels?: Record<string, string>
  /** The JWKS refresher whose fetches are reported. Defaults to the refresher the authenticator is wired to. */
  jwks?: import('./lib/helpers/index').JwksRefresher
  // </generated>
}

/**
 * Registers auth-shield's metrics (docs/metrics.md) in a prom-client registry, read from `auth` at each scrape; returns the names registered.
 * Throws INVALID_CONFIG for a bad option, or when prom-client is not installed and no `register` is given.
 */
export declare function collectAuthShieldMetrics(auth: AuthenticatorLike, options?: PrometheusOptions): string[]

/**
 * Registers auth-shield's metrics (docs/metrics.md) as OpenTelemetry asynchronous instruments of
 * `meter`, read from `auth` at each collection; a histogram is `.bucket` (by `le`), `.sum` and `.count` counters.
 */
export declare function observeAuthShieldMetrics(
  auth: AuthenticatorLike,
  options: {
    meter: { addBatchObservableCallback(callback: (result: any) => void, observables: any[]): void }
    attributes?: Record<string, string>
    jwks?: import('./lib/helpers/index').JwksRefresher
  },
): { stop(): void }
