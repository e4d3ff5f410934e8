import cjs from './index.js'

export const { JsAuthenticator, Authenticator, ErrorCodes } = cjs
export default cjs
