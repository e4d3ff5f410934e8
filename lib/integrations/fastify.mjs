import authShield from './fastify.js'

export const { cspPlugin, requireRole, requirePermission, requireScope, requireTenant, AuthError, apiKeyAuth } =
  authShield
export { authShield }
export default authShield
