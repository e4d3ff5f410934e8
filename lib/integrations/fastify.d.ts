import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { AuthConfig, AuthConfigOptions, AuthResult, AuthenticatorLike, CspBuilder } from '../../index'
import type { AuthUser, IntegrationOptions } from './request-auth'

export type { AuthUser }

interface FastifyAuthOptionsBase extends IntegrationOptions<FastifyRequest> {
  /** Answers a failed request: send a reply or return a body. If it does neither, the default `{ error, code }` answer is sent; the route never runs. */
  onError?: (result: AuthResult, request: FastifyRequest, reply: FastifyReply) => unknown
  /** Add the preHandler hook to every route of this context. Defaults to `true`; with `false`, use `{ preHandler: fastify.authShield }` per route. */
  global?: boolean
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

declare module 'fastify' {
  interface FastifyRequest {
    user: AuthUser | null
    tenantId: string | null
    /** The tenant, under the name the seed applications used. */
    appId: string | null
    /** The request id auth-shield issued (also sent as X-Request-Id). */
    requestId: string | null
  }
  interface FastifyReply {
    /** This reply's CSP nonce when `cspPlugin` is registered and its policy uses one. */
    cspNonce: string | null
  }
  interface FastifyInstance {
    /** The hook itself, for `{ preHandler: fastify.authShield }` on single routes. */
    authShield: (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => void
    authShieldAuthenticator: AuthenticatorLike
  }
}

declare const authShield: FastifyPluginAsync<FastifyAuthOptions>
/** Content-Security-Policy on every reply of its context; the strict default with script nonces without `policy`. */
export declare const cspPlugin: FastifyPluginAsync<{ policy?: CspBuilder }>
export default authShield
export { authShield }
