import type { AuthConfig, AuthResult, AuthenticatorLike, EngineOptions, RateLimitPolicy } from '../../index'

/** What an authenticated request carries as `req.user` / `request.user`. */
export interface AuthUser {
  userId: string
  email: string | null
  role: string | null
  roles: string[]
  permissions: string[]
}

/** Options shared by the Express middleware and the Fastify plugin. */
export interface IntegrationOptions<Req> extends EngineOptions {
  // <generated: integration-options>
  /** Header holding the requested tenant. Defaults to `'x-tenant-id'`. */
  tenantHeader?: string
  /** `(req) => token` reads the bare token elsewhere (a cookie, say). Defaults to the Authorization header. */
  getToken?: (req: Req) => string | null | undefined
  /** `(host) => tenant` names the requested tenant from the host the framework reports, for host shapes `baseDomain` cannot describe; its answer is checked like a tenant header's and a tenant header still comes first. Its host is Express's `req.hostname` and Fastify's `request.host` (4.x: `request.hostname`), so `X-Forwarded-Host` counts only when the app trusts its proxy (`app.set('trust proxy', …)`, Fastify's `trustProxy`). Defaults to none (the `baseDomain` rule). */
  tenantFromHost?: (host: string) => string | null | undefined
  /** `false` lets a request without credentials through anonymously (express-jwt's option of that name): it gets a request id and no user. A request that does send a token still needs a good one. Defaults to `true`. */
  credentialsRequired?: boolean
  /** A budget of failed authentications (401s) per client IP, taken as the framework takes it (Express `req.ip`, Fastify `request.ip`, both behind their trust-proxy setting). A request let through anonymously (`credentialsRequired: false`) is no failure. Once a client has spent it, its requests are answered 429 `RATE_LIMITED` with `Retry-After` before any token is read, until it refills. `true`: `max` 20 failures, refilled at `refill` 0.2 per second, for at most `maxKeys` 10000 clients (bounded as the user buckets are). Defaults to `false`. */
  failedAuthLimit?: boolean | { max?: number; refill?: number; maxKeys?: number }
  /** This middleware's own limits, `{ max, refill }` (what is left out is the authenticator's), in buckets of their own, so an expensive route can have a tighter budget than the rest: build a second middleware from the same authenticator for it (Express), or give a route `config: { authShield: { rateLimit } }` (Fastify). `false`: requests here spend no bucket. Plans do not apply where a route has its own limits. Defaults to the authenticator's limits. */
  rateLimit?: RateLimitPolicy | false
  /** `(req, result) => key` names a further bucket an authenticated request spends *besides* its own (one shared by everyone behind an address, say), never instead of it, so a key the client can vary is never the only budget: a non-empty string of at most 1024 characters, in a namespace of its own (it never meets a user's or tenant's bucket), under the route's limits, else the token's plan's, else the default. Either bucket empty is 429; the headers tell of the one with less left. Anything else, or a throw, is `CALLBACK_FAILED`. Defaults to none (only the request's own bucket, as the config's `rateLimitKey` says). */
  rateLimitKey?: (req: Req, result: AuthResult) => string
  /** An identity provider's JWKS URL (`https://<tenant>/.well-known/jwks.json`). The keys are fetched at start and every `jwksOptions.interval`; a token whose `kid` is not known yet triggers one early fetch (at most one per `jwksOptions.cooldown`, shared by the requests waiting on it, as jose's `createRemoteJWKSet` does) and that same request is answered with the new keys, so a provider's key rotation never shows as 401s. Without `keys`, `jwks` or `accessSecret` in the config, verification waits for the first fetch. An authenticator given instead of a config that was wired with `createJwksRefresher` gets the same early fetch without this option. Defaults to none. */
  jwksUri?: string
  /** How `jwksUri` is fetched, in milliseconds, as `createJwksRefresher` takes them; a failed fetch keeps the keys in force and is reported once per message (`onError`, else a process warning). Defaults to `{ interval: 600000, timeout: 5000, cooldown: 30000 }`. */
  jwksOptions?: {
    interval?: number
    timeout?: number
    cooldown?: number
    onError?: (error: Error) => void
    fetch?: typeof fetch
  }
  /** Methods that pass untouched (CORS preflight). Defaults to `['OPTIONS']`. */
  skipMethods?: string[]
  /** Exact paths or `RegExp`s that pass untouched. Defaults to `[]`. */
  skipPaths?: Array<string | RegExp>
  /** `(req) => boolean`; true passes the request untouched. Defaults to none. */
  skip?: (req: Req) => boolean
  /** Named as express-rate-limit's `standardHeaders` modes, with the same fields. `'draft-6'`: `RateLimit-Limit`/`-Remaining`/`-Reset`; `'draft-7'`: one combined `RateLimit: limit=100, remaining=99, reset=1`; `'draft-8'`: `RateLimit` and `RateLimit-Policy`; `false`: none. Defaults to `'draft-6'`. */
  rateLimitHeaders?: 'draft-6' | 'draft-7' | 'draft-8' | false
  /** `realm` of the `WWW-Authenticate` challenge. Defaults to none. */
  realm?: string
  /** `'respond'` answers a failed request itself (`onError`, else JSON `{ error, code }`). `'forward'` hands it to the framework's error handling as an `AuthError` (`status`, `statusCode`, `code`, `requestId`, and `headers`: every header the answer would have had, which Express's final handler and Fastify's default error handler apply): Express `next(err)`, Fastify the context's `setErrorHandler`. That is also how the hook composes as an `@fastify/auth` strategy. Guards answer the same way. Express and Fastify only: in Nest a refusal is always an HttpException, for the app's exception filters. Defaults to `'respond'`. */
  errors?: 'respond' | 'forward'
  /** Take the request id from an incoming `X-Request-Id` (a gateway's) when it is 1 to 128 characters of `A-Z a-z 0-9 - _ . : @ + = /`; anything else gets a fresh id. An id already on the request (Express `req.id`, set by pino-http, say; Fastify's `request.id`, which `genReqId`/`requestIdHeader` decide) comes first, under the same check. The id goes to the result, `X-Request-Id` and the request, skipped and anonymous requests included. Defaults to `false`. */
  trustRequestId?: boolean
  // </generated>
}

export type { AuthConfig, AuthResult, AuthenticatorLike }
