'use strict'

// Revocations and refresh-token rotation state for the JavaScript engine: the rules of
// core/src/lifecycle/revocation.rs, core/src/lifecycle/sessions.rs and core/src/lifecycle/revocation_json.rs, so both engines
// refuse the same tokens and read and write the same plain-JSON state.

const { ErrorCodes, codedError } = require('../../shared/codes')
const { revocationState } = require('../../shared/arguments')

const { LIMITS } = require('../../shared/contract')

const MAX_ID_BYTES = LIMITS.maxRevocationIdBytes
const LOG_CAPACITY = LIMITS.revocationLogCapacity
const MAX_REISSUED = LIMITS.maxReissuedIds
const VERSION = LIMITS.revocationExportVersion
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/

const argument = (message) => codedError(ErrorCodes.INVALID_ARGUMENT, message)

function checkId(id, what) {
  if (typeof id !== 'string' || id === '' || Buffer.byteLength(id, 'utf8') > MAX_ID_BYTES || CONTROL.test(id)) {
    throw argument(`\`${what}\` must be 1 to ${MAX_ID_BYTES} bytes with no control characters`)
  }
}

/** Whether a cutoff refuses a token issued at `iat` with id `jti`. */
function refuses(cutoff, iat, jti, now) {
  if (cutoff.expiresAt <= now) return false
  if (iat === null) return true
  if (iat < cutoff.before) return true
  if (iat < cutoff.before + 1) return !(jti !== null && cutoff.reissued.includes(jti))
  return false
}

function merge(cutoff, before, reissued, expiresAt) {
  if (before > cutoff.before) {
    cutoff.before = before
    cutoff.reissued = []
  }
  if (before === cutoff.before) {
    for (const r of reissued) if (!cutoff.reissued.includes(r)) cutoff.reissued.push(r)
  }
  cutoff.expiresAt = Math.max(cutoff.expiresAt, expiresAt)
}

class Revocations {
  constructor(maxEntries, cutoffTtl) {
    this.maxEntries = maxEntries
    this.cutoffTtl = cutoffTtl
    this.clear()
  }

  clear() {
    this.tokens = new Map()
    this.families = new Map()
    this.users = new Map()
    this.entries = 0
    // No entry expires before this second (0: not known): a purge at the bound before then would
    // free nothing (core/src/lifecycle/revocation.rs `next_expiry`).
    this.nextExpiry = 0
    this.log = []
    this.nextSeq = 0
  }

  get size() {
    return this.entries
  }

  isRevoked(c, now) {
    if (this.entries === 0) return false
    if (c.jti !== null && (this.tokens.get(c.jti) ?? 0) > now) return true
    if (c.fam !== null && (this.families.get(c.fam) ?? 0) > now) return true
    const user = c.sub === null ? undefined : this.users.get(c.sub)
    if (user === undefined) return false
    if (user.all !== null && refuses(user.all, c.iat, c.jti, now)) return true
    const t = c.tenant_id === null ? undefined : user.tenants.get(c.tenant_id)
    return t !== undefined && refuses(t, c.iat, c.jti, now)
  }

  adds(e) {
    if (e.kind === 'token') return !this.tokens.has(e.jti)
    if (e.kind === 'family') return !this.families.has(e.family)
    const u = this.users.get(e.userId)
    if (u === undefined) return true
    return e.tenantId === null ? u.all === null : !u.tenants.has(e.tenantId)
  }

  purge(now) {
    for (const [k, e] of this.tokens) if (e <= now) this.tokens.delete(k)
    for (const [k, e] of this.families) if (e <= now) this.families.delete(k)
    let users = 0
    for (const [k, u] of this.users) {
      if (u.all !== null && u.all.expiresAt <= now) u.all = null
      for (const [t, c] of u.tenants) if (c.expiresAt <= now) u.tenants.delete(t)
      if (u.all === null && u.tenants.size === 0) this.users.delete(k)
      else users += (u.all === null ? 0 : 1) + u.tenants.size
    }
    this.entries = this.tokens.size + this.families.size + users
    let next = Infinity
    for (const e of this.tokens.values()) next = Math.min(next, e)
    for (const e of this.families.values()) next = Math.min(next, e)
    for (const u of this.users.values()) {
      if (u.all !== null) next = Math.min(next, u.all.expiresAt)
      for (const c of u.tenants.values()) next = Math.min(next, c.expiresAt)
    }
    this.nextExpiry = next
  }

  /** Records a validated event; see core/src/lifecycle/revocation.rs `record`. */
  record(e, now, local) {
    if (e.kind === 'token') checkId(e.jti, 'jti')
    else if (e.kind === 'family') checkId(e.family, 'family')
    else {
      checkId(e.userId, 'userId')
      if (e.tenantId !== null) checkId(e.tenantId, 'tenantId')
      if (e.reissued.length > MAX_REISSUED) throw argument(`\`reissued\` lists at most ${MAX_REISSUED} token ids`)
      for (const r of e.reissued) checkId(r, 'reissued')
    }
    if (e.expiresAt <= now) return false
    if (this.entries >= this.maxEntries && this.adds(e)) {
      if (now >= this.nextExpiry) this.purge(now)
      if (this.entries >= this.maxEntries && this.adds(e)) {
        throw codedError(
          ErrorCodes.REVOCATION_LIMIT,
          `${this.entries} live revocations already (\`revocationMaxEntries\`); none is dropped, since that would accept a revoked token`,
        )
      }
    }
    if (this.adds(e)) this.entries++
    if (this.nextExpiry !== 0) this.nextExpiry = Math.min(this.nextExpiry, e.expiresAt)
    if (e.kind === 'token') this.tokens.set(e.jti, Math.max(this.tokens.get(e.jti) ?? 0, e.expiresAt))
    else if (e.kind === 'family') this.families.set(e.family, Math.max(this.families.get(e.family) ?? 0, e.expiresAt))
    else {
      let u = this.users.get(e.userId)
      if (u === undefined) this.users.set(e.userId, (u = { all: null, tenants: new Map() }))
      const existing = e.tenantId === null ? u.all : (u.tenants.get(e.tenantId) ?? null)
      if (existing !== null) merge(existing, e.before, e.reissued, e.expiresAt)
      else {
        const cutoff = { before: e.before, reissued: [...e.reissued], expiresAt: e.expiresAt }
        if (e.tenantId === null) u.all = cutoff
        else u.tenants.set(e.tenantId, cutoff)
      }
    }
    if (local) this.append(e)
    return true
  }

  append(e) {
    this.log.push([this.nextSeq++, e])
    if (this.log.length > LOG_CAPACITY) this.log.shift()
  }

  revokeUser(userId, tenantId, before, now) {
    const b = before ?? now
    return this.record(
      { kind: 'user', userId, tenantId, before: b, reissued: [], expiresAt: Math.max(b, now) + this.cutoffTtl },
      now,
      true,
    )
  }

  noteSigned(userId, tenantId, jti, iat, now) {
    if (this.entries === 0) return
    const u = this.users.get(userId)
    if (u === undefined) return
    const cutoffs = [[null, u.all]]
    if (tenantId !== null && tenantId !== undefined) cutoffs.push([tenantId, u.tenants.get(tenantId) ?? null])
    for (const [t, c] of cutoffs) {
      if (
        c !== null &&
        c.before === iat &&
        c.expiresAt > now &&
        c.reissued.length < MAX_REISSUED &&
        !c.reissued.includes(jti)
      ) {
        c.reissued.push(jti)
        this.append({
          kind: 'user',
          userId,
          tenantId: t,
          before: c.before,
          reissued: [...c.reissued],
          expiresAt: c.expiresAt,
        })
      }
    }
  }

  changesSince(cursor) {
    const oldest = this.log.length > 0 ? this.log[0][0] : this.nextSeq
    if (cursor < oldest) return { cursor: this.nextSeq, events: null }
    return { cursor: this.nextSeq, events: this.log.filter(([s]) => s >= cursor).map(([, e]) => toJson(e)) }
  }

  export(now) {
    const out = []
    for (const [jti, e] of this.tokens) if (e > now) out.push({ kind: 'token', jti, expiresAt: e })
    for (const [family, e] of this.families) if (e > now) out.push({ kind: 'family', family, expiresAt: e })
    for (const [userId, u] of this.users) {
      const all = u.all === null ? [] : [[null, u.all]]
      for (const [tenantId, c] of [...all, ...u.tenants]) {
        if (c.expiresAt > now)
          out.push({
            kind: 'user',
            userId,
            tenantId,
            before: c.before,
            reissued: [...c.reissued],
            expiresAt: c.expiresAt,
          })
      }
    }
    return out.map(toJson)
  }

  hasRoom(n, now) {
    if (this.entries + n > this.maxEntries && now >= this.nextExpiry) this.purge(now)
    return this.entries + n <= this.maxEntries
  }
}

class Sessions {
  constructor(max) {
    this.max = max
    this.byFamily = new Map()
  }

  get size() {
    return this.byFamily.size
  }

  // Least recently written first: a Map keeps insertion order, and every write re-inserts.
  put(family, current, expiresAt) {
    this.byFamily.delete(family)
    this.byFamily.set(family, { current, expiresAt })
    while (this.byFamily.size > this.max) this.byFamily.delete(this.byFamily.keys().next().value)
  }

  start(family, current, expiresAt) {
    this.put(family, current, expiresAt)
  }

  /** 'rotated' or 'reused', as core/src/lifecycle/sessions.rs `rotate`. */
  rotate(family, presented, next, expiresAt, now) {
    const known = this.byFamily.get(family)
    if (known !== undefined && known.expiresAt > now && known.current !== presented) {
      known.current = ''
      return 'reused'
    }
    this.put(family, next, expiresAt)
    return 'rotated'
  }

  export(now) {
    const out = []
    for (const [family, s] of this.byFamily)
      if (s.expiresAt > now) out.push({ family, current: s.current, expiresAt: s.expiresAt })
    return out
  }

  import(s, now) {
    if (s.expiresAt <= now || this.byFamily.has(s.family)) return false
    this.put(s.family, s.current, s.expiresAt)
    return true
  }
}

function toJson(e) {
  if (e.kind === 'token') return { kind: 'token', jti: e.jti, expiresAt: e.expiresAt }
  if (e.kind === 'family') return { kind: 'family', family: e.family, expiresAt: e.expiresAt }
  return {
    kind: 'user',
    userId: e.userId,
    tenantId: e.tenantId,
    before: e.before,
    reissued: [...e.reissued],
    expiresAt: e.expiresAt,
  }
}

const bad = (what) => argument(`Not a revocation event: ${what}`)
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v)
const KNOWN = {
  token: ['kind', 'jti', 'expiresAt'],
  family: ['kind', 'family', 'expiresAt'],
  user: ['kind', 'userId', 'tenantId', 'before', 'reissued', 'expiresAt'],
}

function field(o, name) {
  if (!Object.hasOwn(o, name)) throw bad(`\`${name}\` is missing`)
  return o[name]
}

function string(o, name) {
  const v = field(o, name)
  if (typeof v !== 'string') throw bad(`\`${name}\` must be a string`)
  return v
}

function seconds(o, name) {
  const v = field(o, name)
  if (!Number.isSafeInteger(v) || v < 0) throw bad(`\`${name}\` must be whole seconds since the epoch`)
  return v
}

/** A JSON event as the native engine reads it (core/src/lifecycle/revocation_json.rs `event_from_json`). */
function eventFromJson(v) {
  if (!isObject(v)) throw bad('not an object')
  const known = Object.hasOwn(KNOWN, v.kind) ? KNOWN[v.kind] : null
  if (known === null) throw bad('`kind` must be "token", "user" or "family"')
  const extra = Object.keys(v).find((k) => !known.includes(k))
  if (extra !== undefined) throw bad(`unknown field \`${extra}\``)
  if (v.kind === 'token') return { kind: 'token', jti: string(v, 'jti'), expiresAt: seconds(v, 'expiresAt') }
  if (v.kind === 'family') return { kind: 'family', family: string(v, 'family'), expiresAt: seconds(v, 'expiresAt') }
  const userId = string(v, 'userId')
  let tenantId = null
  if (v.tenantId !== undefined && v.tenantId !== null) {
    if (typeof v.tenantId !== 'string') throw bad('`tenantId` must be a string or null')
    tenantId = v.tenantId
  }
  const before = seconds(v, 'before')
  let reissued = []
  if (v.reissued !== undefined) {
    if (!Array.isArray(v.reissued)) throw bad('`reissued` must be an array')
    if (!v.reissued.every((r) => typeof r === 'string')) throw bad('`reissued` must hold strings')
    reissued = [...v.reissued]
  }
  return { kind: 'user', userId, tenantId, before, reissued, expiresAt: seconds(v, 'expiresAt') }
}

function sessionFromJson(v) {
  if (!isObject(v)) throw bad('a session is not an object')
  const s = { family: string(v, 'family'), current: string(v, 'current'), expiresAt: seconds(v, 'expiresAt') }
  checkId(s.family, 'family')
  if (Buffer.byteLength(s.current, 'utf8') > MAX_ID_BYTES) throw bad('`current` is too long')
  return s
}

/** The parsed form of `revocationState`, for the JS engine. */
function parseState(value, what) {
  const text = revocationState(value, what)
  try {
    return JSON.parse(text)
  } catch {
    throw bad(what === 'event' ? 'not JSON' : 'the export is not JSON')
  }
}

/** Validates a whole export before anything is applied: `{ events, sessions }`. */
function readExport(value) {
  const doc = parseState(value, 'export')
  if (!isObject(doc)) throw bad('the export is not an object')
  if (doc.version !== VERSION) throw bad('unknown export `version`')
  const list = (name) => {
    if (doc[name] === undefined) return []
    if (!Array.isArray(doc[name])) throw bad(`\`${name}\` must be an array`)
    return doc[name]
  }
  const events = list('revocations').map(eventFromJson)
  const sessions = list('sessions').map(sessionFromJson)
  return { events, sessions }
}

module.exports = { Revocations, Sessions, checkId, eventFromJson, readExport, parseState, VERSION }
