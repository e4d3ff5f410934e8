import cjs from './express.js'

export const { createExpressAuth, createCspMiddleware, requireRole, requirePermission, requireScope, requireTenant, AuthError } = cjs
export default cjs
