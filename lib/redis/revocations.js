'use strict'

// Revocations across instances through one Redis stream. Each instance appends the revocations it
// makes (its change log, `revocationChanges`) and reads everyone's with a blocking XREAD from its
// cursor, applying them to its in-memory set: the request path still checks revocations inside
// the fused call, never in Redis. The stream is the durable copy: an instance that starts reads it
// whole before it is ready; one that was cut off reads on from its cursor when it is back; entries
// are trimmed once every token they could cover has expired. If Redis comes back empty (a restart
// without persistence), every instance republishes all it holds, so nothing revoked is forgotten.
//
// Trimming is decided in Redis, not by the instance that happens to publish: the stream keeps a
// companion key with the longest lifetime any instance has published (a script raises it and trims
// by it in one step, by Redis's clock), so an instance that only revoked short-lived tokens, or one
// that has just restarted, never trims away another instance's revocation still in force.

const { randomUUID } = require('node:crypto')
const { Script, LUA_NOW_MS } = require('./client')
const { readEntries, readStream } = require('./replies')

const PAGE = 1000
// Events per publishing script, and scripts sent at once: a burst (a reused family, a republish
// after a restart) costs one round trip per EVENTS_PER_SCRIPT x SCRIPTS_AT_ONCE entries.
const EVENTS_PER_SCRIPT = 100
const SCRIPTS_AT_ONCE = 5
// Instances' clocks and Redis's may differ: an entry is kept this much longer than its expiry.
const CLOCK_MARGIN_MS = 300_000
// How long one blocking read waits before it is made again (and the cut-off check runs).
const BLOCK_MS = 1000
// How often an instance checks that Redis still holds what was written to it.
const EPOCH_CHECK_MS = 2000

/**
 * KEYS: the stream and its lifetime key (one slot). ARGV: the latest expiry (seconds) among the
 * events, the clock margin (ms), the origin, then the events. The longest lifetime is only ever
 * raised while the stream lives, and both keys expire together once every entry has.
 */
const PUBLISH =
  new Script(`${LUA_NOW_MS}local longest = math.max(tonumber(redis.call('GET', KEYS[2]) or '0') or 0, tonumber(ARGV[1]) * 1000 - now + tonumber(ARGV[2]), 1000)
local minid = string.format('%d-0', math.max(0, now - longest))
for i = 4, #ARGV do
  redis.call('XADD', KEYS[1], 'MINID', '~', minid, '*', 'origin', ARGV[3], 'event', ARGV[i])
end
redis.call('SET', KEYS[2], string.format('%d', longest), 'PX', longest)
redis.call('PEXPIRE', KEYS[1], longest)
return longest`)

class RevocationSync {
  /**
   * @param auth the authenticator
   * @param connection the user's client (RedisConnection), for writes
   * @param keys `{ stream, lifetime, epoch }` (stream and lifetime in one cluster slot)
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
    const keys = [this.keys.stream, this.keys.lifetime]
    for (let from = 0; from < events.length; from += EVENTS_PER_SCRIPT * SCRIPTS_AT_ONCE) {
      const scripts = []
      for (
        let at = from;
        at < Math.min(events.length, from + EVENTS_PER_SCRIPT * SCRIPTS_AT_ONCE);
        at += EVENTS_PER_SCRIPT
      ) {
        const batch = events.slice(at, at + EVENTS_PER_SCRIPT)
        const latest = batch.reduce((m, e) => Math.max(m, e.expiresAt), 0)
        scripts.push(
          this.connection.timed(
            'sync',
            PUBLISH.run(this.connection, keys, [
              latest,
              CLOCK_MARGIN_MS,
              this.origin,
              ...batch.map((e) => JSON.stringify(e)),
            ]),
          ),
        )
      }
      await Promise.all(scripts)
    }
    this.stats.published += events.length
  }

  apply(entries) {
    for (const { id, field } of entries) {
      this.lastId = id
      const event = field('event')
      if (event === undefined || field('origin') === this.origin) continue
      try {
        this.auth.applyRevocation(JSON.parse(event))
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
      const entries = readEntries(page, 'a stream range')
      if (entries.length === 0) return
      this.apply(entries)
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
        const reply = await this.reader.send([
          'XREAD',
          'BLOCK',
          String(BLOCK_MS),
          'STREAMS',
          this.keys.stream,
          this.lastId,
        ])
        this.apply(readStream(reply, this.keys.stream))
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
