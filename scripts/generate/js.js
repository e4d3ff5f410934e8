'use strict'

// The JS side of the contract (lib/shared/contract.js): the error table, the option specs and the
// result format's readers.

const { banner, formatVersion } = require('./common')

const lit = (v) => (Array.isArray(v) ? `[${v.map(lit).join(', ')}]` : JSON.stringify(v).replace(/"/g, "'"))
const str = (s) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`

function spec(o) {
  const fields = [`name: ${str(o.name)}`, `kind: ${str(o.kind)}`]
  for (const key of ['min', 'max', 'default', 'choices', 'reservedClaims'])
    if (o[key] !== undefined) fields.push(`${key}: ${lit(o[key])}`)
  return `  ${o.name}: Object.freeze({ ${fields.join(', ')} }),`
}

/** What the JS reader needs of a family's option: its checks and default, not its docs. */
/** The reader of a result section: `rateLimited` → `readRateLimited`. */
const readerName = (name) => `read${name[0].toUpperCase()}${name.slice(1)}`

function familySpec(o) {
  const out = { name: o.name, kind: o.kind }
  for (const key of [
    'min',
    'max',
    'maxLength',
    'choices',
    'default',
    'required',
    'minBytes',
    'shortCode',
    'except',
    'example',
    'nonEmpty',
    'type',
  ])
    if (o[key] !== undefined) out[key] = o[key]
  return out
}

const READ = { u32: 'c.u32()', 'u32?': 'c.optU32()', u64: 'c.u64()', string: 'c.string()', strings: 'c.strings()' }

function reader(name, doc, fields) {
  return `/** ${doc} */
function ${name}(c) {
  return { ${fields.map((f) => `${f.name}: ${READ[f.type]}`).join(', ')} }
}`
}

function js(contract) {
  const { errors, options, result } = contract
  return `${banner('//', ['contract/errors.json', 'contract/options.json', 'contract/result.json', 'contract/limits.json'])}
'use strict'

const { ResultCursor } = require('./result-units')

/** Every error code in wire order: a result's code number is its index here. Status 0: thrown. */
const ERRORS = Object.freeze([
${errors.map((e) => `  Object.freeze({ code: ${str(e.code)}, status: ${e.status}, message: ${str(e.message)} }),`).join('\n')}
])

/** An authenticator's options by name, in the order a refusal lists them. */
const AUTHENTICATOR_OPTIONS = Object.freeze({
${options.authenticator.map(spec).join('\n')}
})

/** The options of \`cache: { max, ttl }\`. */
const CACHE_OPTIONS = Object.freeze({
${options.cache.map(spec).join('\n')}
})

/** The fields of \`claims: { userId, tenantId, roles, permissions }\` and the claims they default to. */
const CLAIMS_OPTIONS = Object.freeze({
${options.claims.map(spec).join('\n')}
})

/** The limits of a plan or a route, \`{ max, refill }\`; a left-out one is the authenticator's. */
const RATE_POLICY_OPTIONS = Object.freeze({
${options.ratePolicy.map(spec).join('\n')}
})

/** The helpers' options, by the name of their type in index.d.ts. */
const HELPER_OPTIONS = Object.freeze({
${Object.entries(options.helpers)
  .map(([type, list]) => `  ${type}: Object.freeze({\n${list.map((o) => `  ${spec(o)}`).join('\n')}\n  }),`)
  .join('\n')}
})

/** The Express middleware's, the Fastify plugin's and the Nest guard's options: name → the frameworks taking it. */
const INTEGRATION_OPTIONS = Object.freeze({
${options.integration.map((o) => `  ${o.name}: Object.freeze(${lit(o.frameworks ?? ['express', 'fastify', 'nest'])}),`).join('\n')}
})

/** The integration options' defaults, where one is a value. */
const INTEGRATION_DEFAULTS = Object.freeze(${lit(Object.fromEntries(options.integration.filter((o) => o.default !== undefined).map((o) => [o.name, o.default])))})

/** The integration options' checks of kind (lib/shared/option-family.js applies them). */
const INTEGRATION_CHECKS = Object.freeze({
${options.integration
  .filter((o) => o.check !== undefined)
  .map((o) => `  ${o.name}: Object.freeze(${lit({ name: o.name, ...o.check })}),`)
  .join('\n')}
})

/** The option families only the JS layer reads (lib/shared/option-family.js checks them). */
const JS_OPTION_FAMILIES = Object.freeze({
${Object.entries(options.jsFamilies)
  .filter(([type]) => !type.startsWith('$'))
  .map(
    ([type, list]) =>
      `  ${type}: Object.freeze([\n${list.map((o) => `    Object.freeze(${lit(familySpec(o))}),`).join('\n')}\n  ]),`,
  )
  .join('\n')}
})

/** The integrations' options apiKeyAuth takes too, besides its own (JS_OPTION_FAMILIES.ApiKeyAuthOptions). */
const API_KEY_AUTH_SHARED = Object.freeze(${lit(options.integration.filter((o) => o.apiKeyAuth !== undefined).map((o) => o.name))})

/** Request properties the frameworks or auth-shield itself own, never the user's (the \`property\` kind). */
const RESERVED_PROPERTIES = Object.freeze(new Set(${lit(options.reservedProperties)}))

/** What \`setKeys\` takes. */
const SET_KEYS_OPTIONS = Object.freeze(${lit(options.setKeys)})

/** The result format (contract/result.json); the native binary reports the version it writes. */
const RESULT_FORMAT_VERSION = 0x${formatVersion(contract).toString(16).padStart(8, '0')}

/** The metrics exported (contract/metrics.json): name, type, labels, help, and a histogram's bounds. */
const METRICS = Object.freeze(${JSON.stringify(contract.metrics.metrics.map((m) => ({ ...m, help: m.help.replace(/`/g, '') })))})

/** The security events (contract/events.json): type, OWASP level, description, and the fields its \`event\` names. */
const SECURITY_EVENTS = Object.freeze(${JSON.stringify(Object.fromEntries(contract.events.map((e) => [e.type, { level: e.level, description: e.description, args: e.args }])))})

/** Upper bounds of the fused call's latency buckets, in microseconds. */
const LATENCY_BOUNDS_MICROS = Object.freeze(${lit(contract.metrics.latencyBoundsMicros)})

/** Upper bounds of the round trips' buckets (Redis, JWKS fetches), in microseconds. */
const ROUND_TRIP_BOUNDS_MICROS = Object.freeze(${lit(contract.metrics.roundTripBoundsMicros)})

/** Fixed bounds both engines apply (contract/limits.json). */
const LIMITS = Object.freeze({
${contract.limits.map((l) => `  ${l.name}: ${l.value},`).join('\n')}
})

/** The native request path's read limits, which the JS engine applies too so both agree. */
const REQUEST_LIMITS = Object.freeze({ authorizationSlackBytes: ${result.request.authorizationSlackBytes}, headerFieldBufferBytes: ${result.request.headerFieldBufferBytes} })

/** Where an encoded result's parts sit: its kind, then its request id, then its section. */
const RESULT_FRAME = Object.freeze({ requestIdStart: ${result.frame.kindUnits}, bodyStart: ${result.frame.kindUnits + result.frame.requestIdUnits} })

/** The request path's \`limit\` argument: the default limits, none (the caller limits), else a route's id. */
const LIMIT_ARGUMENT = Object.freeze({ default: ${result.limitArgument.default}, deferred: ${result.limitArgument.deferred} })

/** Starts reading an encoded result with cursor \`c\`; returns its kind: 0 for success, else 1 + the error's index. */
function begin(c, encoded) {
  c.start(encoded, RESULT_FRAME.bodyStart)
  return encoded.charCodeAt(0)
}

const requestId = (c) => c.slice(RESULT_FRAME.requestIdStart, RESULT_FRAME.bodyStart)
const atEnd = (c) => c.atEnd()

${Object.entries(result.sections)
  .map(([name, doc]) => reader(readerName(name), `${doc}.`, result[name]))
  .join('\n\n')}

module.exports = {
  ERRORS,
  AUTHENTICATOR_OPTIONS,
  CACHE_OPTIONS,
  CLAIMS_OPTIONS,
  RATE_POLICY_OPTIONS,
  HELPER_OPTIONS,
  SET_KEYS_OPTIONS,
  INTEGRATION_OPTIONS,
  JS_OPTION_FAMILIES,
  API_KEY_AUTH_SHARED,
  METRICS,
  SECURITY_EVENTS,
  LATENCY_BOUNDS_MICROS,
  ROUND_TRIP_BOUNDS_MICROS,
  INTEGRATION_DEFAULTS,
  RESERVED_PROPERTIES,
  INTEGRATION_CHECKS,
  RESULT_FORMAT_VERSION,
  RESULT_FRAME,
  LIMIT_ARGUMENT,
  REQUEST_LIMITS,
  LIMITS,
  ResultCursor,
  resultReader: Object.freeze({ begin, requestId, atEnd, ${Object.keys(result.sections).map(readerName).join(', ')} }),
}
`
}

module.exports = { js }
