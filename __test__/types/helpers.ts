// The security helpers as a typed application would use them; checked with `tsc --noEmit` by
// __test__/types.test.js. It is compiled, never run.

import express from 'express'
import Fastify from 'fastify'
import {
  hashPassword,
  verifyPassword,
  needsRehash,
  hashPasswordSync,
  timingSafeEqual,
  OtpStore,
  generateTotpSecret,
  generateTotp,
  verifyTotp,
  otpauthUri,
  sanitizeHtml,
  createHtmlSanitizer,
  sanitizeFilename,
  validateSqlInterval,
  CspBuilder,
  generateApiKey,
  verifyApiKey,
  parseApiKey,
  type OtpCheck,
  type BuiltCsp,
} from 'auth-shield'
import { createCspMiddleware } from 'auth-shield/express'
import { cspPlugin } from 'auth-shield/fastify'

async function login(stored: string, password: string): Promise<string | null> {
  if (!(await verifyPassword(stored, password, { secret: Buffer.from('pepper') }))) return null
  return needsRehash(stored, { memoryCost: 19456 }) ? hashPassword(password) : stored
}

const same: boolean = timingSafeEqual('a', Buffer.from('a'))
const store = new OtpStore({ digits: 6, ttl: '10m', maxAttempts: 5 })
const emailed: string = store.generate('user-1')
const verdict = store.verify('user-1', '123456')
const remaining: number = verdict.attemptsRemaining
const otpCode: 'OTP_NOT_FOUND' | 'OTP_EXPIRED' | 'OTP_INVALID' | 'OTP_LOCKED' | null = verdict.code

const secret = generateTotpSecret()
const check: OtpCheck = verifyTotp(generateTotp(secret), secret, { window: 1, afterStep: 123 })
const lastStep: number | null = check.step
const uri: string = otpauthUri({ secret, account: 'a@example.com', issuer: 'Acme', digits: 6 })

const html: string = sanitizeHtml('<b>x</b>', {
  allowedTags: ['b'],
  allowedAttributes: { a: ['href'] },
  linkRel: false,
})
const clean: (s: string) => string = createHtmlSanitizer()
const file: string = sanitizeFilename('../x', { fallback: 'upload' })
const interval: boolean = validateSqlInterval('7 days')

const policy = new CspBuilder().scriptSrc("'self'").useNonce().strictDynamic().reportTo('csp', 'https://e.com/r')
const built: BuiltCsp = policy.build()
const app = express()
app.use(createCspMiddleware(policy))
app.get('/', (req, res) => res.send(`<script nonce="${res.locals.cspNonce}"></script>`))
const fastify = Fastify()
fastify.register(cspPlugin, { policy })
fastify.get('/', async (request, reply) => reply.cspNonce)

const { key, id, hash } = generateApiKey({ pepper: 'p'.repeat(32), prefix: 'live' })
const ok: boolean = verifyApiKey(key, hash, 'p'.repeat(32))
const parsed: { prefix: string; id: string } = parseApiKey(key)

export {
  login,
  same,
  emailed,
  remaining,
  otpCode,
  lastStep,
  uri,
  html,
  clean,
  file,
  interval,
  built,
  id,
  ok,
  parsed,
  hashPasswordSync,
}

import { Authenticator, createAuthenticator, type RefreshResult, type RevocationExport } from 'auth-shield'

const lifecycle = createAuthenticator({ accessSecret: 'x'.repeat(32), refreshSecret: 'y'.repeat(32) })
const pair = lifecycle.issueTokens({ sub: 'u1', role: 'admin' }, { accessExpiresIn: '15m' })
const next: RefreshResult = lifecycle.refresh(pair.refreshToken, { claims: { sub: 'u1', role: 'viewer' } })
const newAccess: string | null = next.accessToken
if (next.ok) {
  const stillString: string = next.refreshToken
  void stillString
}
const revoked: boolean =
  lifecycle.revokeUser('u1', { tenantId: 'acme' }) &&
  lifecycle.revokeToken('jti') &&
  lifecycle.revokeFamily(pair.family)
const saved: RevocationExport = new Authenticator({ accessSecret: 'x'.repeat(32) }).exportRevocations()
const taken: number = lifecycle.importRevocations(saved)
const { cursor, events } = lifecycle.revocationChanges(0)
for (const e of events ?? []) lifecycle.applyRevocation(e)
export { newAccess, revoked, taken, cursor }
