// Guards, errors that compose, request properties, API keys and the rest of what the runtime
// exports, as a typed application uses them next to Passport and @fastify/auth; checked with
// `tsc --noEmit` (strict) by __test__/types.test.js. It is compiled, never run.

import express, { type NextFunction, type Request, type Response } from 'express'
import Fastify from 'fastify'
import fastifyAuth from '@fastify/auth'
import type {} from 'passport'
import {
  Authenticator,
  createAuthenticator,
  connectRedis,
  RedisOtpStore,
  requireRole as rootRequireRole,
  apiKeyAuth,
  AuthError,
  type AuthConfig,
} from 'auth-shield'
import {
  createExpressAuth,
  requireRole,
  requirePermission,
  requireScope,
  requireTenant,
  type AuthenticatedRequest,
} from 'auth-shield/express'
import authShield, { requireRole as fastifyRequireRole, type AuthShieldRequest } from 'auth-shield/fastify'

const auth = new Authenticator({ accessSecret: 'x'.repeat(32), refreshSecret: 'y'.repeat(32) })

// Custom claims, typed by the caller; key rotation.
interface OrgClaims {
  org: { id: string; seats: number }
}
const claims = auth.verifiedClaims<OrgClaims>('Bearer x')
const seats: number | undefined = claims?.org.seats
const sub: string | undefined = claims?.sub
auth.setKeys({ keys: [{ kid: 'k2', alg: 'HS256', secret: 'z'.repeat(32) }], signingKid: 'k2' })
// @ts-expect-error setKeys takes a key set
auth.setKeys('k2')

// Express: guards per route and per router, errors forwarded to the app's handler, the user on
// req.auth beside Passport's req.user.
const app = express()
app.use('/api', createExpressAuth(auth, { requestProperty: 'auth', errors: 'forward', trustRequestId: true }))
app.get('/api/admin', requireRole('admin'), (req: AuthenticatedRequest<'auth'>, res: Response) => {
  const id: string | undefined = req.auth?.userId
  const passportUser = req.user
  res.json({ id, requestId: req.id, tenant: req.tenantId, passportUser })
})
app.post('/api/orders', requirePermission('orders:write', 'orders:read', { any: true }), (_req, res) => res.end())
app.get(
  '/api/scoped',
  requireScope('read:orders'),
  requireTenant(async (tenantId, user) => tenantId !== null && user.roles.includes('member')),
  (_req, res) => res.end(),
)
const backoffice = express.Router()
backoffice.use(rootRequireRole('admin'))
app.use('/api/backoffice', backoffice)
app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
  if (!(err instanceof AuthError)) return next(err)
  res.set(err.headers).status(err.status).json({ code: err.code, requestId: err.requestId })
})
// @ts-expect-error a guard option is `any`
requireRole('admin', { all: true })

// API keys in the user's own format, as a strategy beside the JWT one.
interface KeyRow {
  hash: string
  userId: string
  team: string
}
const rows = new Map<string, KeyRow>()
app.use(
  apiKeyAuth<KeyRow>({
    lookup: async (id) => rows.get(id) ?? null,
    pepper: process.env.PEPPER ?? '',
    authenticator: auth,
    credentialsRequired: false,
    prefixes: ['sk_live'],
  }),
)
// @ts-expect-error lookup answers with a row (or null), not a string
apiKeyAuth({ lookup: (id: string) => id, pepper: 'p' })

// Fastify: onRequest by default, two instances under their own names, @fastify/auth.
const fastify = Fastify({ genReqId: () => crypto.randomUUID() })
fastify.register(fastifyAuth)
fastify.register(authShield, { config: auth, decoratorName: 'auth', global: false, errors: 'forward' })
fastify.register(authShield, {
  config: { accessSecret: 'p'.repeat(32), audience: 'partners' },
  decoratorName: 'partner',
  global: false,
  hook: 'preHandler',
})
fastify.after(() => {
  fastify.get(
    '/either',
    {
      onRequest: fastify.auth([
        fastify.authShield,
        apiKeyAuth({ lookup: () => null, pepper: 'q'.repeat(32), errors: 'forward' }),
      ]),
    },
    async (request) => {
      const who = (request as AuthShieldRequest<'auth'>).auth?.userId
      return { who }
    },
  )
  fastify.get('/admin', { onRequest: [fastify.authShield, fastifyRequireRole('admin')] }, async (request) => ({
    id: request.requestId,
  }))
})
// @ts-expect-error hooks are request hooks
fastify.register(authShield, { config: auth, hook: 'onSend' })

// Redis, typed.
const link = connectRedis(
  createAuthenticator({ accessSecret: 'x'.repeat(32) }),
  {},
  { rateLimit: 'exact', timeout: 50 },
)
const codes = new RedisOtpStore({}, { secret: 's'.repeat(32), ttl: 300 })
const sent: Promise<string> = codes.generate('login:u1')
const exact: boolean = link.exact

// The config union: one key source.
const good: AuthConfig = { keys: [{ kid: 'k1', alg: 'HS256', secret: 'y'.repeat(32) }] }
// @ts-expect-error accessSecret and keys together
const both: AuthConfig = { accessSecret: 'x'.repeat(32), keys: [{ kid: 'k1', alg: 'HS256', secret: 'y'.repeat(32) }] }
// @ts-expect-error one of them is needed
const neither: AuthConfig = { issuer: 'api' }

export { seats, sub, sent, exact, good, both, neither }
