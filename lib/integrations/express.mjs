import cjs from './express.js'

export const { createExpressAuth, createCspMiddleware } = cjs
export default cjs
