'use strict'

// Configuration for the JavaScript engine: the same options, defaults, checks, codes and
// messages as core/src/config.rs, so switching engines never changes what a config means. Names,
// bounds and defaults come from contract/options.json (lib/shared/contract.js).

const { ErrorCodes, codedError } = require('../../shared/codes')
const { keySetFrom, refreshKeySet } = require('./keys')
const { readClaimMap, reads, withPlan } = require('./claim-map')
const { readPlans } = require('./rate-policy')
const {
  configError,
  wrong,
  absent,
  readBool,
  readInteger,
  readOptionalInteger,
  readPositive,
  readCache,
} = require('../../shared/options')

const { AUTHENTICATOR_OPTIONS: OPT } = require('../../shared/contract')

const OPTIONS = Object.keys(OPT)
const ALGORITHMS = { HS256: 32, HS384: 48, HS512: 64 }
const MAX_TTL = OPT.accessTokenTtl.max

function readStrings(config, name) {
  const v = config[name]
  if (absent(v)) return []
  const list = typeof v === 'string' ? [v] : Array.isArray(v) && v.length > 0 ? v : null
  if (list === null) throw wrong(name, 'a string or a non-empty array of strings', v)
  for (const item of list) {
    if (typeof item !== 'string' || item === '')
      throw wrong(name, 'made of non-empty strings', absent(item) ? {} : item)
  }
  return [...list]
}

function readSecret(config, name, minLength, allowWeak) {
  const v = config[name]
  if (absent(v)) return null
  let bytes
  if (typeof v === 'string') bytes = Buffer.from(v, 'utf8')
  else if (v instanceof Uint8Array) bytes = Buffer.from(v)
  else throw wrong(name, 'a string or a Buffer', v)
  if (bytes.length === 0) throw configError(`\`${name}\` must not be empty`)
  if (bytes.length < minLength && !allowWeak) {
    throw codedError(
      ErrorCodes.WEAK_SECRET,
      `\`${name}\` is ${bytes.length} bytes; the configured algorithms need at least ${minLength} (RFC 7518 §3.2). ` +
        'Use a longer random secret, or set `allowWeakSecrets: true` to accept it',
    )
  }
  return bytes
}

/** `accessTokenMark`: null for the default (the `type: access` claim), `'at+jwt'`, `'none'` or `{ claim, value }`. */
function readAccessMark(config) {
  const name = OPT.accessTokenMark.name
  const v = config[name]
  const refuse = () =>
    configError(`\`${name}\` must be "type", "at+jwt", "none" or { claim, value } with two non-empty strings`)
  if (absent(v) || v === OPT.accessTokenMark.default) return null
  if (typeof v === 'string') {
    if (!OPT.accessTokenMark.choices.includes(v)) throw refuse()
    return v
  }
  if (typeof v !== 'object' || Array.isArray(v) || ArrayBuffer.isView(v))
    throw wrong(name, '"type", "at+jwt", "none" or { claim, value }', v)
  const unknown = Object.keys(v).find((k) => k !== 'claim' && k !== 'value')
  if (unknown !== undefined)
    throw configError(`${name}: Unknown option \`${unknown}\`; known options are: claim, value`)
  const text = (x) => typeof x === 'string' && x !== ''
  if (!text(v.claim) || !text(v.value)) throw refuse()
  if (OPT.accessTokenMark.reservedClaims.includes(v.claim)) {
    throw configError(
      `\`${name}\`: "${v.claim}" is a claim with a meaning of its own; name the claim that marks access tokens`,
    )
  }
  return { claim: v.claim, value: v.value }
}

/** `rateLimitKey`, or null with `rateLimit: false` (the key is then refused: it would do nothing). */
function readLimitKey(config) {
  const on = readBool(config, OPT.rateLimit)
  const v = config[OPT.rateLimitKey.name]
  let key = null
  if (!absent(v)) {
    if (typeof v !== 'string') throw wrong(OPT.rateLimitKey.name, 'a string', v)
    if (!OPT.rateLimitKey.choices.includes(v))
      throw configError('`rateLimitKey` must be "user+tenant", "user" or "tenant"')
    key = v
  }
  if (!on) {
    if (key !== null) throw configError('`rateLimitKey` has no use with `rateLimit: false`')
    return null
  }
  return key ?? OPT.rateLimitKey.default
}

/** One domain name or a non-empty list of them, lowercased, without a leading dot. */
function readDomains(config, name) {
  const v = config[name]
  if (absent(v)) return []
  const list = typeof v === 'string' ? [v] : Array.isArray(v) && v.length > 0 ? v : null
  if (list === null) throw wrong(name, 'a domain name or a non-empty array of them', v)
  return list.map((item) => {
    if (typeof item !== 'string') throw wrong(name, 'made of domain names', absent(item) ? {} : item)
    const s = item.replace(/^\.+/, '').toLowerCase()
    const valid =
      s !== '' && s.length <= 253 && s.split('.').every((l) => l !== '' && l.length <= 63 && /^[a-z0-9-]+$/.test(l))
    if (!valid) throw configError(`\`${name}\` must be a domain name such as "example.com", or an array of them`)
    return s
  })
}

function readAlgorithms(config) {
  const v = config.algorithms
  if (absent(v)) return ['HS256']
  if (!Array.isArray(v) || v.length === 0) throw wrong('algorithms', 'a non-empty array of algorithm names', v)
  const out = []
  for (const name of v) {
    if (typeof name !== 'string') throw wrong('algorithms', 'made of strings', absent(name) ? {} : name)
    if (!Object.hasOwn(ALGORITHMS, name)) {
      throw configError(
        `\`algorithms\` may list only HS256, HS384, HS512 (for \`accessSecret\`; asymmetric keys go in \`keys\`); "${name}" is not supported`,
      )
    }
    if (!out.includes(name)) out.push(name)
  }
  return out
}

/** Validated settings, or a thrown coded error naming the option. */
function settingsFrom(config) {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw configError('The configuration must be an object such as { accessSecret }')
  }
  const unknown = Object.keys(config).find((k) => !Object.hasOwn(OPT, k))
  if (unknown !== undefined)
    throw configError(`Unknown option \`${unknown}\`; known options are: ${OPTIONS.join(', ')}`)
  const algorithms = readAlgorithms(config)
  const allowWeak = readBool(config, OPT.allowWeakSecrets)
  const minLength = Math.max(...algorithms.map((a) => ALGORITHMS[a]))
  const accessSecret = readSecret(config, 'accessSecret', minLength, allowWeak)
  const keys = keySetFrom(config, allowWeak)
  if (accessSecret === null && keys === null) throw configError('`accessSecret` is required (or named `keys` / `jwks`)')
  if (accessSecret !== null && keys !== null) {
    throw configError(
      'Give `accessSecret` or `keys`/`jwks`, not both: with named keys every token names its key by `kid`',
    )
  }
  const refreshSecret = readSecret(config, 'refreshSecret', minLength, allowWeak)
  const refreshKeys = refreshKeySet(config.refreshKeys, allowWeak)
  if (refreshSecret !== null && refreshKeys !== null) {
    throw configError(
      'Give `refreshSecret` or `refreshKeys`, not both: with named keys every token names its key by `kid`',
    )
  }
  const settings = {
    accessSecret,
    keys,
    refreshKeys,
    allowWeakSecrets: allowWeak,
    cache: readCache(config),
    refreshSecret,
    algorithms,
    issuers: readStrings(config, 'issuer'),
    audiences: readStrings(config, 'audience'),
    leeway: readInteger(config, OPT.leeway),
    requireExp: readBool(config, OPT.requireExp),
    metrics: readBool(config, OPT.metrics),
    metricsTenants: readInteger(config, OPT.metricsTenants),
    accessMark: readAccessMark(config),
    claimMap: readClaimMap(config),
    maxTokenAge: readOptionalInteger(config, OPT.maxTokenAge),
    maxTokenLength: readInteger(config, OPT.maxTokenLength),
    capacity: readInteger(config, OPT.rateLimitMax),
    refillPerSec: readPositive(config, OPT.rateLimitRefill),
    maxKeys: readInteger(config, OPT.rateLimitMaxKeys),
    limitKey: readLimitKey(config),
    enforceTenantMatch: readBool(config, OPT.enforceTenantMatch),
    baseDomains: readDomains(config, OPT.baseDomain.name),
    accessTokenTtl: readInteger(config, OPT.accessTokenTtl),
    refreshTokenTtl: readInteger(config, OPT.refreshTokenTtl),
    revocationMaxEntries: readInteger(config, OPT.revocationMaxEntries),
    maxSessions: readInteger(config, OPT.maxSessions),
  }
  settings.plans = readPlans(config, { capacity: settings.capacity, refill: settings.refillPerSec })
  if (settings.plans !== null) {
    if (settings.limitKey === null)
      throw configError(`\`${OPT.rateLimitPlans.name}\` has no use with \`rateLimit: false\``)
    settings.claimMap = withPlan(settings.claimMap, settings.plans.claim)
  }
  const mark = settings.accessMark
  if (mark !== null && mark.claim !== undefined && reads(settings.claimMap, mark.claim)) {
    throw configError(
      `\`${OPT.accessTokenMark.name}\`: "${mark.claim}" is read by \`${OPT.claims.name}\`; name the claim that marks access tokens`,
    )
  }
  return settings
}

/** `expiresIn`/`notBefore`: whole seconds or "<n><s|m|h|d>", as core/src/lifecycle/signing.rs reads them. */
function lifetime(value, name) {
  const refuse = () =>
    codedError(
      ErrorCodes.INVALID_ARGUMENT,
      `\`${name}\` must be whole seconds or a string like "15m", "12h" or "7d", at most 10 years`,
    )
  let seconds
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0 || value > MAX_TTL) throw refuse()
    seconds = value
  } else if (typeof value === 'string') {
    const m = /^(\d+)\s*([smhd]?)$/.exec(value.trim())
    if (!m) throw refuse()
    seconds = Number(m[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2]]
    if (!Number.isSafeInteger(seconds) || seconds > MAX_TTL) throw refuse()
  } else throw refuse()
  return seconds
}

module.exports = { OPTIONS, settingsFrom, lifetime }
