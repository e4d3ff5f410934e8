// The ESM entries under each runtime: one line of what they export and answer.
import { createAuthenticator } from '../../index.mjs'
import { createExpressAuth } from '../../lib/integrations/express.mjs'
import authShield from '../../lib/integrations/fastify.mjs'

const auth = createAuthenticator({ accessSecret: 'esm-smoke-access-secret-0123456789abcdef' })
const answer = auth.authenticate(null, null, null).errorCode
process.stdout.write(`${JSON.stringify([typeof createExpressAuth, typeof authShield, answer])}\n`)
