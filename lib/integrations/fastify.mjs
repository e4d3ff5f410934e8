import authShield from './fastify.js'

export const { cspPlugin } = authShield
export { authShield }
export default authShield
