'use strict'

// `auth-shield/js`: the JavaScript engine on its own, with no native binary involved.

const { JsAuthenticator } = require('./authenticator')
const { ErrorCodes } = require('../../shared/codes')

module.exports = { JsAuthenticator, Authenticator: JsAuthenticator, ErrorCodes }
