'use strict'

// The fluent Content-Security-Policy builder. Every rule (which directives exist, what a source
// may look like, the strict defaults, the nonce) lives in the native policy; this class only
// gives it a fluent shape and caches the rendered template between changes.

const { requireBinding } = require('../engines/native')
const { ErrorCodes, codedError } = require('../shared/codes')

const SOURCE_DIRECTIVES = {
  defaultSrc: 'default-src',
  scriptSrc: 'script-src',
  scriptSrcElem: 'script-src-elem',
  scriptSrcAttr: 'script-src-attr',
  styleSrc: 'style-src',
  styleSrcElem: 'style-src-elem',
  styleSrcAttr: 'style-src-attr',
  imgSrc: 'img-src',
  fontSrc: 'font-src',
  connectSrc: 'connect-src',
  mediaSrc: 'media-src',
  objectSrc: 'object-src',
  frameSrc: 'frame-src',
  childSrc: 'child-src',
  workerSrc: 'worker-src',
  manifestSrc: 'manifest-src',
  baseUri: 'base-uri',
  formAction: 'form-action',
  frameAncestors: 'frame-ancestors',
  sandbox: 'sandbox',
  reportUri: 'report-uri',
}

function strings(what, values) {
  for (const v of values) {
    if (typeof v !== 'string') throw codedError(ErrorCodes.INVALID_CSP, `${what}: every source must be a string`)
  }
  return values
}

class CspBuilder {
  #policy
  #template = null

  /** Starts from the strict default policy; `{ defaults: false }` starts from nothing. */
  constructor(options = {}) {
    if (options === null || typeof options !== 'object') {
      throw codedError(ErrorCodes.INVALID_ARGUMENT, 'CspBuilder takes { defaults?: boolean }')
    }
    const { defaults = true, ...rest } = options
    const unknown = Object.keys(rest)
    if (unknown.length > 0 || typeof defaults !== 'boolean') {
      throw codedError(
        ErrorCodes.INVALID_CONFIG,
        `CspBuilder takes only { defaults: boolean }; got ${unknown.join(', ') || 'defaults'}`,
      )
    }
    this.#policy = new (requireBinding().CspPolicy)(defaults)
  }

  #changed() {
    this.#template = null
    return this
  }

  /** Replaces the sources of any directive. */
  directive(name, ...sources) {
    this.#policy.set(...strings('directive', [name]), strings(name, sources))
    return this.#changed()
  }

  /** Adds sources; an absent fetch directive starts from what it inherited from default-src. */
  add(name, ...sources) {
    this.#policy.add(...strings('add', [name]), strings(name, sources))
    return this.#changed()
  }

  remove(name) {
    this.#policy.remove(...strings('remove', [name]))
    return this.#changed()
  }

  /** Adds the hash of an inline script or style to `directive`. */
  hash(directive, content, algorithm = 'sha256') {
    strings('hash', [directive, content, algorithm])
    this.#policy.addHash(directive, algorithm, content)
    return this.#changed()
  }

  /** Each build() gets a fresh 128-bit nonce in these directives (script-src by default). */
  useNonce(...directives) {
    this.#policy.useNonce(strings('useNonce', directives.length > 0 ? directives : ['script-src']))
    return this.#changed()
  }

  /** script-src 'strict-dynamic': scripts a trusted script loads are trusted too. */
  strictDynamic() {
    return this.add('script-src', "'strict-dynamic'")
  }

  reportOnly(on = true) {
    this.#policy.setReportOnly(Boolean(on))
    return this.#changed()
  }

  upgradeInsecureRequests(on = true) {
    this.#policy.setUpgradeInsecureRequests(Boolean(on))
    return this.#changed()
  }

  /** `report-to <group>`; with an endpoint URL, build() also returns the Reporting-Endpoints header. */
  reportTo(group, endpoint) {
    strings('reportTo', endpoint === undefined ? [group] : [group, endpoint])
    this.#policy.setReportTo(group, endpoint)
    return this.#changed()
  }

  get headerName() {
    return this.#policy.headerName
  }

  /**
   * `{ name, value, nonce, headers }` for one response. `nonce` is fresh on every call when the
   * policy uses one (else null); `headers` holds every header to set.
   */
  build() {
    if (this.#template === null) {
      this.#template = {
        parts: this.#policy.template(),
        name: this.#policy.headerName,
        reporting: this.#policy.reportingEndpoints ?? null,
      }
    }
    const { parts, name, reporting } = this.#template
    const nonce = parts.length > 1 ? requireBinding().cspNonce() : null
    const value = nonce === null ? parts[0] : parts.join(nonce)
    const headers = { [name]: value }
    if (reporting !== null) headers['Reporting-Endpoints'] = reporting
    return { name, value, nonce, headers }
  }

  toString() {
    return this.build().value
  }
}

for (const [method, directive] of Object.entries(SOURCE_DIRECTIVES)) {
  Object.defineProperty(CspBuilder.prototype, method, {
    value(...sources) {
      return this.directive(directive, ...sources)
    },
    writable: true,
    configurable: true,
  })
}

/** A fresh 128-bit nonce, base64, for a policy assembled by hand. */
function cspNonce() {
  return requireBinding().cspNonce()
}

module.exports = { CspBuilder, cspNonce }
