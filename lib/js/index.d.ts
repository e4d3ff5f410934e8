import type { JsonWebKey, KeySpec, AuthConfig, AuthResult, AuthenticatorLike, AuthenticatorStats, PairOptions, RefreshResult, RevocationEvent, RevocationExport, SignOptions, TokenClaims, TokenPair } from '../../index'

export { ErrorCodes } from '../../index'

/** The whole auth chain in plain JavaScript, with the native engine's results for every input. */
export declare class JsAuthenticator implements AuthenticatorLike {
  readonly engine: 'js'
  constructor(config: AuthConfig)
  authenticate(authorization: unknown, tenantHeader?: unknown, host?: unknown): AuthResult
  signAccessToken(claims: TokenClaims, options?: SignOptions): string
  signRefreshToken(claims: TokenClaims, options?: SignOptions): string
  stats(): AuthenticatorStats
  issueTokens(claims: TokenClaims, options?: PairOptions): TokenPair
  refresh(refreshToken: unknown, options?: PairOptions & { claims?: TokenClaims }): RefreshResult
  revokeToken(jti: string, expiresAt?: number): boolean
  revokeUser(userId: string, options?: { tenantId?: string; before?: number }): boolean
  revokeFamily(family: string, expiresAt?: number): boolean
  exportRevocations(): RevocationExport
  importRevocations(state: RevocationExport | string): number
  revocationChanges(cursor?: number): { cursor: number; events: RevocationEvent[] | null }
  applyRevocation(event: RevocationEvent | string): boolean
  setKeys(keys: { keys?: KeySpec[]; jwks?: { keys: JsonWebKey[] }; signingKid?: string }): void
}

export { JsAuthenticator as Authenticator }
