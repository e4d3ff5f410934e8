'use strict'

// `claims: { userId, tenantId, roles, permissions }`: where an access token holds them, and how
// each value is read, by the rules of core/src/jwt/claim_map.rs (the reasons are written there).

const { AUTHENTICATOR_OPTIONS: OPT, CLAIMS_OPTIONS } = require('../../shared/contract')
const { configError, wrong, absent, isObject } = require('../../shared/options')

const FIELDS = Object.keys(CLAIMS_OPTIONS)
const top = (name) => Object.freeze({ name, rest: Object.freeze([]) })

/** Field → `{ name, rest }`; `email` is read the same way, under its own name. */
const DEFAULT_MAP = Object.freeze({
  ...Object.fromEntries(FIELDS.map((f) => [f, top(CLAIMS_OPTIONS[f].default)])),
  email: top('email'),
})

/** A claim named by the option `full`: a name or a non-empty path of names, the first not in `reserved`. */
function claimPath(value, full, reserved) {
  const want = 'a claim name or a non-empty array of names (a path into nested objects)'
  let names
  if (typeof value === 'string') names = [value]
  else if (Array.isArray(value) && value.length > 0) {
    for (const item of value) if (typeof item !== 'string') throw wrong(full, want, item)
    names = [...value]
  } else throw wrong(full, want, value)
  if (names.some((n) => n === '')) throw configError(`\`${full}\`: a claim name may not be empty`)
  if (reserved.includes(names[0])) {
    throw configError(
      `\`${full}\`: "${names[0]}" is a claim with a meaning of its own; name the claim that holds the value`,
    )
  }
  return Object.freeze({ name: names[0], rest: Object.freeze(names.slice(1)) })
}

/** The validated map of `config.claims`. */
function readClaimMap(config) {
  const v = config[OPT.claims.name]
  if (absent(v)) return DEFAULT_MAP
  if (typeof v !== 'object' || Array.isArray(v) || ArrayBuffer.isView(v)) throw wrong(OPT.claims.name, 'an object', v)
  const unknown = Object.keys(v).find((k) => !Object.hasOwn(CLAIMS_OPTIONS, k))
  if (unknown !== undefined)
    throw configError(`${OPT.claims.name}: Unknown option \`${unknown}\`; known options are: ${FIELDS.join(', ')}`)
  const map = { ...DEFAULT_MAP }
  for (const field of FIELDS)
    if (Object.hasOwn(v, field))
      map[field] = claimPath(v[field], `${OPT.claims.name}.${field}`, OPT.claims.reservedClaims)
  return Object.freeze(map)
}

/** Whether some field reads the top-level claim `name`. */
const reads = (map, name) => Object.values(map).some((p) => p !== undefined && p.name === name)

/** The map with the plan read from `path` too. */
const withPlan = (map, path) => Object.freeze({ ...map, plan: path })

const LONE_SURROGATE = /\p{Cs}/u
const wellFormed = (v) => typeof v === 'string' && !LONE_SURROGATE.test(v)
const MALFORMED = Symbol('malformed')

/** The value at `rest` below `value`: undefined when the path stops early, MALFORMED when it cannot be followed. */
function follow(value, rest) {
  for (const name of rest) {
    if (value === null) return undefined
    if (!isObject(value) || !Object.keys(value).every(wellFormed)) return MALFORMED
    if (!Object.hasOwn(value, name)) return undefined
    value = value[name]
  }
  return value
}

/** `{ id }` or `{ list }` read as `field` means, or MALFORMED; null and absence read as nothing. */
function readField(value, field) {
  const list = field === 'roles' || field === 'permissions'
  if (value === undefined || value === null) return list ? [] : null
  if (field === 'email') return wellFormed(value) ? value : MALFORMED
  // The plan, like the ids: a string or an exact integer.
  if (!list) {
    if (wellFormed(value)) return value
    return Number.isSafeInteger(value) ? String(value) : MALFORMED
  }
  if (wellFormed(value)) return field === 'roles' ? [value] : value.split(' ').filter((t) => t !== '')
  return Array.isArray(value) && value.every(wellFormed) ? value : MALFORMED
}

/**
 * The mapped fields of a parsed payload `p`, written into `c` (sub, tenant_id, email, role,
 * roles, permissions); false when one is malformed.
 */
function readMapped(p, map, c) {
  const into = {
    userId: 'sub',
    tenantId: 'tenant_id',
    email: 'email',
    roles: 'roles',
    permissions: 'permissions',
    plan: 'plan',
  }
  for (const field of Object.keys(into)) {
    const path = map[field]
    if (path === undefined || !Object.hasOwn(p, path.name)) continue
    const value = follow(p[path.name], path.rest)
    if (value === MALFORMED) return false
    const read = readField(value, field)
    if (read === MALFORMED) return false
    c[into[field]] = read
  }
  c.role = c.roles.length > 0 ? c.roles[0] : null
  return true
}

module.exports = { DEFAULT_MAP, readClaimMap, readMapped, reads, claimPath, withPlan }
