import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { AuthConfig, AuthConfigOptions, AuthResult, AuthenticatorLike, CspBuilder } from '../../index'
import type { AuthUser, IntegrationOptions } from './request-auth'

export type { AuthUser }
export { requireRole, requirePermission, requireScope, requireTenant, apiKeyAuth, AuthError } from './guards'
export type { AuthShieldHandler, GuardOptions, ApiKeyAuthOptions, ApiKeyPrincipal, ApiKeyUser } from './guards'

interface FastifyAuthOptionsBase extends IntegrationOptions<FastifyRequest> {
  /** Answers a failed request: send a reply or return a body. If it does neither, the default `{ error, code }` answer is sent; the route never runs. */
  onError?: (result: AuthResult, request: FastifyRequest, reply: FastifyReply) => unknown
  /** Add the hook to every route of this context. Defaults to `true`; with `false`, use `{ onRequest: fastify.authShield }` per route. */
  global?: boolean
  /** The hook it authenticates in. Defaults to `'onRequest'` (before the body is read). */
  hook?: 'onRequest' | 'preParsing' | 'preValidation' | 'preHandler'
  /**
   * The request decorator the user is set on, as @fastify/jwt names it. Defaults to `'user'`. With
   * another name, the handler is `fastify.authShield<Name>` (`'partner'`: `authShieldPartner`),
   * and `AuthShieldRequest<'partner'>` types the request.
   */
  decoratorName?: string
}

export type FastifyAuthOptions =
  | (FastifyAuthOptionsBase & {
      /** A configuration, or a prepared authenticator shared with the code that issues and revokes tokens. */
      config: AuthConfig | AuthenticatorLike
    })
  | (FastifyAuthOptionsBase & {
      /** With `jwksUri`, the keys come from the provider: the config needs no `accessSecret`, `keys` or `jwks`. */
      config: AuthConfigOptions
      jwksUri: string
    })

/** A request with the user under the decorator `P` (its `decoratorName`) typed as `U`. */
export type AuthShieldRequest<P extends string = 'user', U = AuthUser> = FastifyRequest & { [K in P]: U | null }

/** The hook an instance decorates Fastify with, for `{ onRequest: fastify.authShield }`. */
export type AuthShieldHook = (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => void

declare module 'fastify' {
  interface FastifyRequest {
    user: AuthUser | null
    tenantId: string | null
    /** The tenant, under the name the seed applications used. */
    appId: string | null
    /** The request's id: Fastify's own `request.id` (or a trusted or fresh one when it fails the check); also sent as X-Request-Id. */
    requestId: string | null
  }
  interface FastifyReply {
    /** This reply's CSP nonce when `cspPlugin` is registered and its policy uses one. */
    cspNonce: string | null
  }
  interface FastifyInstance {
    /** The hook itself, for `{ onRequest: fastify.authShield }` on single routes. */
    authShield: AuthShieldHook
    authShieldAuthenticator: AuthenticatorLike
  }
}

declare const authShield: FastifyPluginAsync<FastifyAuthOptions>
/** Content-Security-Policy on every reply of its context; the strict default with script nonces without `policy`. */
export declare const cspPlugin: FastifyPluginAsync<{ policy?: CspBuilder }>
export default authShield
export { authShield }
