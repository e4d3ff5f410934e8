import type { AuthConfig, AuthResult, AuthenticatorLike, AuthenticatorStats, SignOptions, TokenClaims, TokenLifecycle } from '../../../index'

export { ErrorCodes } from '../../../index'

/** The whole auth chain in plain JavaScript, with the native engine's results for every input. */
export declare class JsAuthenticator implements AuthenticatorLike {
  readonly engine: 'js'
  constructor(config: AuthConfig)
  authenticate(authorization: unknown, tenantHeader?: unknown, host?: unknown): AuthResult
  signAccessToken(claims: TokenClaims, options?: SignOptions): string
  signRefreshToken(claims: TokenClaims, options?: SignOptions): string
  stats(): AuthenticatorStats
}

/** Issuing, refresh, revocation and keys: the `TokenLifecycle` methods. */
export interface JsAuthenticator extends TokenLifecycle {}

export { JsAuthenticator as Authenticator }
