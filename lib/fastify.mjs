import authShield from './fastify.js'

export { authShield }
export default authShield
