import cjs from './express.js'

export const { createExpressAuth } = cjs
export default cjs
