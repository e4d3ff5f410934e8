import type { AuthShieldError, AuthenticatorLike, JsonWebKey, Secret } from '../../index'

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
  /** A pepper kept outside the database, mixed in as Argon2's secret input and never stored in the hash; 1 to 1024 bytes. `verifyPassword` takes this and the three bounds below; `hashPassword` this and the costs. Defaults to none. */
  secret?: Secret
  /** `verifyPassword` only: the most memory (KiB) a stored Argon2 hash may ask for; one over it is `INVALID_HASH` rather than verified, so a row altered to `m=4194304` cannot hold a core for seconds per login. Raise it for hashes made with more (RFC 9106's first recommendation uses 2 GiB). A whole number from 8 to 4194304. Defaults to `262144`. */
  maxMemoryCost?: number
  /** `verifyPassword` only: the most passes a stored Argon2 hash may ask for. A whole number from 1 to 100. Defaults to `10`. */
  maxTimeCost?: number
  /** `verifyPassword` only: the most lanes a stored Argon2 hash may ask for. A whole number from 1 to 64. Defaults to `16`. */
  maxParallelism?: number
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
export declare function verifyPassword(
  hash: string,
  password: Secret,
  options?: Pick<PasswordOptions, 'secret'>,
): Promise<boolean>
export declare function verifyPasswordSync(
  hash: string,
  password: Secret,
  options?: Pick<PasswordOptions, 'secret'>,
): boolean
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
  params: { secret: Secret; account: string; issuer?: string; counter?: number } & Omit<
    TotpOptions,
    'window' | 'timestamp' | 'afterStep'
  >,
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
/** `sanitizeHtml` on the libuv thread pool, for large input; every error is a rejection. */
export declare function sanitizeHtmlAsync(html: string, options?: SanitizeHtmlOptions): Promise<string>
/** A sanitiser with its options validated once; `.async(html)` cleans on the thread pool. */
export declare function createHtmlSanitizer(
  options?: SanitizeHtmlOptions,
): ((html: string) => string) & { async(html: string): Promise<string> }

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
  | 'default-src'
  | 'script-src'
  | 'script-src-elem'
  | 'script-src-attr'
  | 'style-src'
  | 'style-src-elem'
  | 'style-src-attr'
  | 'img-src'
  | 'font-src'
  | 'connect-src'
  | 'media-src'
  | 'object-src'
  | 'frame-src'
  | 'child-src'
  | 'worker-src'
  | 'manifest-src'
  | 'base-uri'
  | 'form-action'
  | 'frame-ancestors'
  | 'sandbox'
  | 'report-uri'
  | 'require-trusted-types-for'
  | 'trusted-types'

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
  /** Give to the client once: `<prefix>_<id>_<secret><checksum>`. */
  key: string
  /** Public lookup id (also inside the key). */
  id: string
  /** HMAC-SHA256 of the key under the pepper, 64 hex characters: store this. */
  hash: string
}

/** `pepper` (at least 32 bytes) is required; `prefix` is yours, 1–32 of a-z, 0-9 and single underscores between them (`'sk_live'`), default `'pk'`. */
export declare function generateApiKey(options: { pepper: Secret; prefix?: string }): GeneratedApiKey
export declare function hashApiKey(key: string, pepper: Secret): string
/** `false` for any key that is malformed, mistyped or wrong; `INVALID_HASH` for a malformed stored hash. */
export declare function verifyApiKey(key: unknown, storedHash: string, pepper: Secret): boolean
/** Throws `INVALID_API_KEY` for anything that is not a well-formed key with a matching checksum; keys of earlier versions (`auth1_pk_…`) parse with prefix `pk`. */
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
export declare function fetchJwks(
  url: string | URL,
  options?: Pick<JwksOptions, 'timeout' | 'fetch'>,
): Promise<{ keys: JsonWebKey[] }>

/** Keeps `authenticator`'s keys in step with a JWKS URL, off the request path. */
export declare function createJwksRefresher(
  authenticator: AuthenticatorLike,
  url: string | URL,
  options?: JwksOptions,
): JwksRefresher

export interface JwksRefresher {
  /** Settles after the first fetch: true when it brought keys. */
  ready: Promise<boolean>
  /** An early fetch, at most one per `cooldown` (the one in flight is shared); true when it brought keys. */
  refresh(): Promise<boolean>
  /** Fetches so far, the keys in force from the last good one, its Unix time (0 before one), and the fetches' durations. */
  metrics(): {
    fetches: { ok: number; failed: number }
    keys: number
    lastSuccess: number
    duration: { boundsMicros: readonly number[]; counts: number[]; count: number; sumSeconds: number }
  }
  stop(): void
}
