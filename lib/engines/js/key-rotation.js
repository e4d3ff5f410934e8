'use strict'

// Replacing named keys without a restart (`setKeys`), as core/src/lifecycle/key_rotation.rs: both
// sets read before either is swapped in, the cache emptied. Methods of JsAuthenticator
// (authenticator.js puts them on its prototype), kept here by capability.

const { ErrorCodes, codedError } = require('../../shared/codes')
const { readingConfig } = require('../../shared/options')
const { keySetFrom, refreshKeySet } = require('./keys')

const keyRotation = {
  /** Replaces the named keys; a bad key leaves the old ones in force. */
  setKeys(options) {
    return readingConfig('setKeys options', () => this.replaceKeys(options))
  },

  replaceKeys(options) {
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw codedError(ErrorCodes.INVALID_CONFIG, 'setKeys takes { keys, jwks, signingKid }')
    }
    const unknown = Object.keys(options).find((k) => !['keys', 'jwks', 'signingKid', 'refreshKeys'].includes(k))
    if (unknown !== undefined)
      throw codedError(
        ErrorCodes.INVALID_CONFIG,
        `Unknown option \`${unknown}\`; known options are: keys, jwks, signingKid, refreshKeys`,
      )
    // Both read before either is swapped in, in the native engine's order.
    const refresh = refreshKeySet(options.refreshKeys, this.settings.allowWeakSecrets)
    const keys = keySetFrom(options, this.settings.allowWeakSecrets)
    if (keys === null && refresh === null)
      throw codedError(ErrorCodes.INVALID_CONFIG, 'setKeys needs `keys`, `jwks` or `refreshKeys`')
    if (refresh !== null && (this.refreshVerifier === null || this.refreshVerifier.keys === null)) {
      throw codedError(
        ErrorCodes.INVALID_CONFIG,
        this.refreshVerifier === null
          ? '`refreshKeys` in setKeys needs `refreshKeys` in the configuration'
          : '`refreshKeys` in setKeys needs an authenticator configured with `refreshKeys`, not `refreshSecret`',
      )
    }
    if (keys !== null && this.access.keys === null) {
      throw codedError(
        ErrorCodes.INVALID_CONFIG,
        'setKeys needs an authenticator configured with `keys` or `jwks`, not `accessSecret`',
      )
    }
    if (keys !== null) this.access.keys = keys
    if (refresh !== null) this.refreshVerifier.keys = refresh
    if (this.cache !== null) this.cache.clear()
    return {
      skipped: [
        ...(keys === null ? [] : keys.skipped),
        ...(refresh === null ? [] : refresh.skipped.map((s) => `refreshKeys: ${s}`)),
      ],
    }
  },
}

module.exports = { keyRotation }
