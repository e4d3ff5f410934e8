'use strict'

// The JS engine's revocations, as core/src/lifecycle/revoking.rs and revocation_json.rs: revoking
// a token, a user or a family, exporting, importing and following the change log. Methods of
// JsAuthenticator (authenticator.js puts them on its prototype), kept here by capability.

const { ErrorCodes, codedError } = require('../../shared/codes')
const { revocationOptions } = require('../../shared/arguments')
const { eventFromJson, readExport, parseState, VERSION } = require('./revocation')
const { ON_REVOCATION } = require('../../shared/internal')

function optionalSeconds(value, name) {
  if (value === undefined || value === null) return null
  if (!Number.isSafeInteger(value) || value < 0)
    throw codedError(ErrorCodes.INVALID_ARGUMENT, `\`${name}\` must be whole seconds since the epoch`)
  return value
}

const revoking = {
  longestLifetime() {
    const s = this.settings
    return Math.max(s.accessTokenTtl, s.refreshTokenTtl) + s.leeway
  },

  revokeToken(jti, expiresAt) {
    const now = Math.floor(Date.now() / 1000)
    if (typeof jti !== 'string') throw codedError(ErrorCodes.INVALID_ARGUMENT, '`jti` must be a string')
    const until = optionalSeconds(expiresAt, 'expiresAt') ?? now + this.longestLifetime()
    this.counts.revoked('token')
    return this.told(
      this.revocations.record({ kind: 'token', jti, expiresAt: until + this.settings.leeway }, now, true),
    )
  },

  revokeUser(userId, options) {
    const { tenantId, before } = revocationOptions(options)
    if (typeof userId !== 'string') throw codedError(ErrorCodes.INVALID_ARGUMENT, '`userId` must be a string')
    if (tenantId !== undefined && tenantId !== null && typeof tenantId !== 'string') {
      throw codedError(ErrorCodes.INVALID_ARGUMENT, '`tenantId` must be a string')
    }
    const b = optionalSeconds(before, 'before')
    this.counts.revoked('user')
    return this.told(this.revocations.revokeUser(userId, tenantId ?? null, b, Math.floor(Date.now() / 1000)))
  },

  revokeFamily(family, expiresAt) {
    const now = Math.floor(Date.now() / 1000)
    if (typeof family !== 'string') throw codedError(ErrorCodes.INVALID_ARGUMENT, '`family` must be a string')
    const until = optionalSeconds(expiresAt, 'expiresAt') ?? now + this.longestLifetime()
    this.counts.revoked('family')
    return this.told(
      this.revocations.record({ kind: 'family', family, expiresAt: until + this.settings.leeway }, now, true),
    )
  },

  /** `out`, after telling the ON_REVOCATION listeners. */
  told(out) {
    this.revoked.notify()
    return out
  },

  [ON_REVOCATION](listener) {
    return this.revoked.add(listener)
  },

  exportRevocations() {
    const now = Math.floor(Date.now() / 1000)
    return {
      version: VERSION,
      exportedAt: now,
      revocations: this.revocations.export(now),
      sessions: this.sessions.export(now),
    }
  },

  importRevocations(state) {
    const { events, sessions } = readExport(state)
    const now = Math.floor(Date.now() / 1000)
    if (!this.revocations.hasRoom(events.length, now)) {
      throw codedError(
        ErrorCodes.REVOCATION_LIMIT,
        'the export holds more revocations than `revocationMaxEntries` leaves room for; nothing was imported',
      )
    }
    let taken = 0
    for (const e of events) taken += this.revocations.record(e, now, false) ? 1 : 0
    for (const session of sessions) this.sessions.import(session, now)
    return this.told(taken)
  },

  revocationChanges(cursor) {
    let c = 0
    if (cursor !== undefined && cursor !== null) {
      if (!Number.isSafeInteger(cursor) || cursor < 0)
        throw codedError(ErrorCodes.INVALID_ARGUMENT, '`cursor` must be a cursor returned by revocationChanges')
      c = cursor
    }
    return this.revocations.changesSince(c)
  },

  applyRevocation(event) {
    const e = eventFromJson(parseState(event, 'event'))
    return this.revocations.record(e, Math.floor(Date.now() / 1000), false)
  },
}

module.exports = { revoking, optionalSeconds }
