import cjs from './express.js'

export const {
  createExpressAuth,
  createCspMiddleware,
  requireRole,
  requirePermission,
  requireScope,
  requireTenant,
  AuthError,
  apiKeyAuth,
} = cjs
export default cjs
