// ESM entry: the same objects as the CommonJS entry.
import cjs from './index.js'

export const { Authenticator, authenticateRequest, createAuthenticator, nativeAvailable, ErrorCodes, errorTable, configOptions } = cjs
export default cjs
