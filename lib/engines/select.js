'use strict'

// Which engine answers: the `engine` option, else the environment (AUTH_SHIELD_SHADOW=true for
// shadow mode, USE_RUST_AUTH=true|false), else native when its binary loads here, else JS with a
// single warning.

const { ErrorCodes, codedError } = require('../shared/codes')
const { readingConfig } = require('../shared/options')
const { Authenticator, nativeAvailable } = require('./native')
const { JsAuthenticator } = require('./js/authenticator')
const { ShadowAuthenticator } = require('./shadow')
const { watchSecurityEvents } = require('../audit/security-events')

const ENGINES = ['auto', 'native', 'js', 'shadow']
const ENGINE_OPTIONS = ['engine', 'onMismatch', 'securityEvents']
let warnedFallback = false

function flag(name) {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return undefined
  const v = raw.trim().toLowerCase()
  if (v === 'true' || v === '1') return true
  if (v === 'false' || v === '0') return false
  throw codedError(ErrorCodes.INVALID_CONFIG, `${name} must be "true" or "false", not "${raw}"`)
}

/** The engine that `option` and the environment select: 'native', 'js' or 'shadow'. */
function selectEngine(option) {
  if (option !== undefined && option !== null && !ENGINES.includes(option)) {
    throw codedError(
      ErrorCodes.INVALID_CONFIG,
      `\`engine\` must be one of ${ENGINES.join(', ')}, not ${JSON.stringify(option)}`,
    )
  }
  const chosen =
    option && option !== 'auto'
      ? option
      : flag('AUTH_SHIELD_SHADOW')
        ? 'shadow'
        : { true: 'native', false: 'js' }[flag('USE_RUST_AUTH')] || 'auto'
  if (chosen !== 'auto') return chosen
  if (nativeAvailable()) return 'native'
  if (!warnedFallback) {
    warnedFallback = true
    process.emitWarning(
      `auth-shield: the native engine does not load on ${process.platform}-${process.arch}; using the JavaScript engine.`,
      { code: 'AUTH_SHIELD_JS_FALLBACK' },
    )
  }
  return 'js'
}

/**
 * An authenticator on the selected engine. In shadow mode the primary is the native engine unless
 * USE_RUST_AUTH=false says otherwise; `onMismatch` receives each difference.
 */
function createAuthenticator(config, options = {}) {
  return readingConfig('the engine options', () => create(config, options))
}

function create(config, options) {
  if (options === null || typeof options !== 'object')
    throw codedError(ErrorCodes.INVALID_CONFIG, 'options must be an object such as { engine: "native" }')
  const unknown = Object.keys(options).find((k) => !ENGINE_OPTIONS.includes(k))
  if (unknown !== undefined)
    throw codedError(
      ErrorCodes.INVALID_CONFIG,
      `Unknown option \`${unknown}\`; known options are: ${ENGINE_OPTIONS.join(', ')}`,
    )
  const { engine, onMismatch, securityEvents } = options
  if (onMismatch !== undefined && typeof onMismatch !== 'function') {
    throw codedError(ErrorCodes.INVALID_CONFIG, '`onMismatch` must be a function')
  }
  const made = build(selectEngine(engine), config, onMismatch)
  // The shadow's primary refreshes on its behalf, so it tells the same events.
  watchSecurityEvents(made, securityEvents, made instanceof ShadowAuthenticator ? [made.primary] : [])
  return made
}

function build(selected, config, onMismatch) {
  if (selected === 'native') return new Authenticator(config)
  if (selected === 'js') return new JsAuthenticator(config)
  const native = new Authenticator(config)
  const js = new JsAuthenticator(config)
  return flag('USE_RUST_AUTH') === false
    ? new ShadowAuthenticator(js, native, onMismatch)
    : new ShadowAuthenticator(native, js, onMismatch)
}

module.exports = { createAuthenticator, selectEngine }
