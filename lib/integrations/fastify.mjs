import authShield from './fastify.js'

export const { cspPlugin, requireRole, requirePermission, requireScope, requireTenant, AuthError } = authShield
export { authShield }
export default authShield
