// A typed application using every public entry point; checked with `tsc --noEmit` by
// __test__/types.test.js. It is compiled, never run.

import express from 'express'
import Fastify from 'fastify'
import {
  Authenticator,
  authenticateRequest,
  createAuthenticator,
  ErrorCodes,
  type AuthResult,
  type ErrorCode,
} from 'auth-shield'
import { createExpressAuth } from 'auth-shield/express'
import authShield from 'auth-shield/fastify'
import { JsAuthenticator } from 'auth-shield/js'

const config = {
  accessSecret: 'x'.repeat(32),
  rateLimitMax: 100,
  rateLimitRefill: 10,
  enforceTenantMatch: true,
  issuer: 'api',
}

const auth = new Authenticator(config)
const result: AuthResult = auth.authenticate('Bearer x', 'acme', 'acme.example.com')
const code: ErrorCode | null = result.errorCode
const limited: boolean = code === ErrorCodes.RATE_LIMITED
const token: string = auth.signAccessToken({ sub: 'u1', role: 'admin', permissions: ['read'] }, { expiresIn: '15m' })
const viaConfig: AuthResult = authenticateRequest(null, null, null, config)
const shadow = createAuthenticator(config, {
  engine: 'shadow',
  onMismatch: (r) => console.log(r.kind, r.differences.length),
})
const js = new JsAuthenticator(config)
const engines: string[] = [shadow.engine, js.engine, auth.engine]
const entra = new Authenticator({
  ...config,
  claims: { userId: 'oid', tenantId: 'tid', roles: 'roles', permissions: 'scp' },
})
const keycloak = new Authenticator({ ...config, claims: { roles: ['realm_access', 'roles'] } })
const roles: string[] | null = entra.authenticate('Bearer x').roles ?? keycloak.authenticate('Bearer x').roles
// @ts-expect-error a claim path is made of names
new Authenticator({ ...config, claims: { roles: [1] } })

const app = express()
app.use(
  '/api',
  createExpressAuth(config, { tenantHeader: 'x-org', skipPaths: ['/api/health'], rateLimitHeaders: 'draft-8' }),
)
app.get('/api/me', (req, res) => {
  const userId: string | undefined = req.user?.userId
  const tenant: string | null | undefined = req.tenantId
  res.json({ userId, tenant, id: req.id, appId: req.appId })
})

const fastify = Fastify()
fastify.register(authShield, {
  config,
  global: false,
  onError: (r, _request, reply) => reply.code(r.errorStatus ?? 500).send({ code: r.errorCode }),
})
fastify.get('/me', async (request) => {
  const permissions: string[] | undefined = request.user?.permissions
  const userRoles: string[] | undefined = request.user?.roles
  return { permissions, userRoles, tenantId: request.tenantId, requestId: request.requestId }
})

export { limited, token, viaConfig, engines, roles }

// An identity provider's keys by URL: no secret or keys in the config.
const provider = {
  issuer: 'https://auth.example.com/',
  audience: 'https://api.example.com',
  accessTokenMark: 'at+jwt' as const,
}
const fromProvider = createExpressAuth(provider, {
  jwksUri: 'https://auth.example.com/.well-known/jwks.json',
  jwksOptions: { cooldown: 10_000 },
})
const refreshed: Promise<boolean> | undefined = fromProvider.jwks?.ready
fastify.register(authShield, { config: provider, jwksUri: 'https://auth.example.com/.well-known/jwks.json' })
// @ts-expect-error without jwksUri a config needs its keys
createExpressAuth(provider)
// @ts-expect-error without jwksUri a config needs its keys
fastify.register(authShield, { config: provider })
export { refreshed }

// Plans, route limits and caller-keyed buckets.
const planned = new Authenticator({
  ...config,
  rateLimitPlans: { claim: 'plan', plans: { free: { max: 60 }, pro: { max: 600, refill: 10 } } },
})
const exportLimit = planned.defineRouteLimit({ max: 5 })
const plan: string | null = planned.authenticate('Bearer x', null, null, exportLimit).rateLimitPlan
const taken: boolean = planned.takeRateLimit('key-1', { route: exportLimit, plan }).allowed
app.use(
  '/api/export',
  createExpressAuth(planned, {
    rateLimit: { max: 5 },
    rateLimitKey: (req, result) => req.get('x-api-key') ?? result.userId ?? '',
  }),
)
// @ts-expect-error a route limit is an object or false
planned.authenticate('Bearer x', null, null, 3)
export { taken }

// Named keys or a JWK Set without `accessSecret` compile; a secret beside named keys does not
// (the engine refuses the pair).
const named = new Authenticator({ keys: [{ kid: 'k1', alg: 'HS256', secret: 'y'.repeat(32) }], signingKid: 'k1' })
const fromJwks = createAuthenticator({
  jwks: { keys: [{ kty: 'RSA', kid: 'r1', n: 'AQAB', e: 'AQAB' }] },
  issuer: 'https://idp.example.com/',
})
// @ts-expect-error accessSecret and keys together
const both = new Authenticator({
  accessSecret: 'x'.repeat(32),
  keys: [{ kid: 'k1', alg: 'HS256', secret: 'y'.repeat(32) }],
})
// @ts-expect-error no key at all
const none = new Authenticator({ issuer: 'api' })
void [named, fromJwks, both, none]
