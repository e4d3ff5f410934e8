'use strict'

// Revocations across instances through one Redis stream. Each instance appends the revocations it
// makes (its change log, `revocationChanges`) and reads everyone's with a blocking XREAD from its
// cursor, applying them to its in-memory set: the request path still checks revocations inside
// the fused call, never in Redis. The stream is the durable copy: an instance that starts reads it
// whole before it is ready; one that was cut off reads on from its cursor when it is back; entries
// are trimmed once every token they could cover has expired. If Redis comes back empty (a restart
// without persistence), every instance republishes all it holds, so nothing revoked is forgotten.

const { randomUUID } = require('node:crypto')

const PAGE = 1000
const PUBLISH_BATCH = 500
// How long one blocking read waits before it is made again (and the cut-off check runs).
const BLOCK_MS = 1000
// How often an instance checks that Redis still holds what was written to it.
const EPOCH_CHECK_MS = 2000

class RevocationSync {
  /**
   * @param auth the authenticator
   * @param connection the user's client (RedisConnection), for writes
   * @param keys `{ stream, epoch }`
   * @param report (error) => void
   */
  constructor(auth, connection, keys, report) {
    this.auth = auth
    this.connection = connection
    this.keys = keys
    this.report = report
    this.origin = randomUUID()
    this.cursor = auth.revocationChanges(0).cursor
    this.lastId = '0-0'
    this.epoch = null
    this.reader = null
    this.stopped = false
    this.flushing = null
    this.again = false
    this.longest = 0
    this.stats = { published: 0, applied: 0, republished: 0, readErrors: 0, publishErrors: 0, lastApplied: null }
  }

  /** Reads the whole stream, then starts following it. Resolves when this instance is current. */
  async start() {
    this.reader = await this.connection.duplicate()
    await this.checkEpoch()
    await this.catchUp()
    await this.flush()
    this.loop()
  }

  /** Publishes this instance's new revocations now (called after each local revocation). */
  flush() {
    if (this.flushing !== null) {
      this.again = true
      return this.flushing
    }
    this.flushing = this.publishPending()
      .catch((error) => {
        this.stats.publishErrors++
        this.report(error)
      })
      .finally(() => {
        this.flushing = null
        if (this.again && !this.stopped) {
          this.again = false
          this.flush()
        }
      })
    return this.flushing
  }

  async publishPending() {
    const changes = this.auth.revocationChanges(this.cursor)
    // The change log only keeps so much; past it, publish everything held.
    const events = changes.events === null ? this.auth.exportRevocations().revocations : changes.events
    if (events.length > 0) await this.publish(events)
    // Only once Redis has them: a failed write is tried again on the next flush.
    this.cursor = changes.cursor
  }

  async publish(events) {
    const now = Math.floor(Date.now() / 1000)
    for (const e of events) this.longest = Math.max(this.longest, e.expiresAt - now)
    // Older entries cover only tokens that have expired by now.
    const minId = `${Math.max(0, Date.now() - this.longest * 1000)}-0`
    // Pipelined: a burst (a reused family, a republish after a restart) costs one round trip per
    // PUBLISH_BATCH entries, not one per entry; one connection keeps them in order.
    for (let from = 0; from < events.length; from += PUBLISH_BATCH) {
      await Promise.all(
        events.slice(from, from + PUBLISH_BATCH).map((event) => this.connection.send(['XADD', this.keys.stream, 'MINID', '~', minId, '*', 'origin', this.origin, 'event', JSON.stringify(event)])),
      )
    }
    await this.connection.send(['PEXPIRE', this.keys.stream, String(Math.max(1, this.longest) * 1000), 'GT']).catch(() =>
      // Redis before 7 has no GT: set it anyway; a later revocation extends it again.
      this.connection.send(['PEXPIRE', this.keys.stream, String(Math.max(1, this.longest) * 1000)]),
    )
    this.stats.published += events.length
  }

  apply(entries) {
    for (const [id, fields] of entries) {
      this.lastId = id
      const at = fields.indexOf('event')
      const origin = fields[fields.indexOf('origin') + 1]
      if (at < 0 || origin === this.origin) continue
      try {
        this.auth.applyRevocation(JSON.parse(fields[at + 1]))
        this.stats.applied++
        this.stats.lastApplied = Date.now()
      } catch (error) {
        // A malformed entry (or one over this instance's bound) must not stop the others.
        this.report(error)
      }
    }
  }

  async catchUp() {
    for (;;) {
      const start = this.lastId === '0-0' ? '-' : `(${this.lastId}`
      const page = await this.reader.send(['XRANGE', this.keys.stream, start, '+', 'COUNT', String(PAGE)])
      if (!page || page.length === 0) return
      this.apply(page)
      if (page.length < PAGE) return
    }
  }

  /**
   * Whether Redis still holds what was written to it: an epoch key set once, which a restart
   * without persistence loses. When it changed, everything held here is published again.
   */
  async checkEpoch() {
    const mine = randomUUID()
    await this.reader.send(['SET', this.keys.epoch, mine, 'NX'])
    const epoch = await this.reader.send(['GET', this.keys.epoch])
    const lost = this.epoch !== null && epoch !== this.epoch
    this.epoch = epoch
    if (lost) {
      const held = this.auth.exportRevocations().revocations
      if (held.length > 0) await this.publish(held)
      this.stats.republished += held.length
      // Entries read before the restart are gone; read the new stream from its start.
      this.lastId = '0-0'
    }
  }

  async loop() {
    let failing = false
    let checked = Date.now()
    while (!this.stopped) {
      try {
        // After a failure, and every few seconds anyway: some clients resend a blocked read after
        // a reconnect instead of failing it, so a restart may not show as an error here.
        if (failing || Date.now() - checked > EPOCH_CHECK_MS) {
          await this.checkEpoch()
          await this.catchUp()
          await this.flush()
          failing = false
          checked = Date.now()
        }
        const reply = await this.reader.send(['XREAD', 'BLOCK', String(BLOCK_MS), 'STREAMS', this.keys.stream, this.lastId])
        if (reply) for (const [, entries] of reply) this.apply(entries)
      } catch (error) {
        if (this.stopped) return
        if (!failing) this.report(error)
        failing = true
        this.stats.readErrors++
        await new Promise((r) => setTimeout(r, 100))
      }
    }
  }

  async stop() {
    this.stopped = true
    if (this.reader !== null) await this.reader.close()
  }
}

module.exports = { RevocationSync }
