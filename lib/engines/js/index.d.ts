import type { AuthConfig, AuthenticatorLike } from '../../../index'

export { ErrorCodes } from '../../../index'

/**
 * The whole auth chain in plain JavaScript, with the native engine's results for every input.
 * Its methods are `AuthenticatorLike`'s (request path, signing, token lifecycle, stats).
 */
export declare class JsAuthenticator {
  constructor(config: AuthConfig)
}

export interface JsAuthenticator extends AuthenticatorLike {
  readonly engine: 'js'
}

export { JsAuthenticator as Authenticator }
