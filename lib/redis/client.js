'use strict'

// The user's own Redis client, as auth-shield speaks to it: ioredis (5, 6) and node-redis (4 to 6)
// are taken as they are, through the one raw-command call each has, so neither is a dependency.
// Replies are strings, integers, arrays and null, except map replies, whose shape depends on the
// client and protocol (replies.js reads them).

const { createHash } = require('node:crypto')
const { Histogram } = require('../shared/histogram')
const { ROUND_TRIP_BOUNDS_MICROS } = require('../shared/contract')
const { ErrorCodes, codedError } = require('../shared/codes')

/** Which client this is, or null. (ioredis routes its Cluster's commands itself.) */
function kindOf(client) {
  if (client === null || typeof client !== 'object') return null
  if (typeof client.call === 'function' && typeof client.status === 'string' && typeof client.duplicate === 'function')
    return 'ioredis'
  if (
    typeof client.sendCommand === 'function' &&
    typeof client.getSlotMaster === 'function' &&
    typeof client.duplicate === 'function'
  )
    return 'node-redis-cluster'
  if (typeof client.sendCommand === 'function' && 'isOpen' in client && typeof client.duplicate === 'function')
    return 'node-redis'
  return null
}

/**
 * The key a command is routed by in a cluster: a script's first key, a stream read's first
 * stream, else the first argument (every other command auth-shield sends starts with its key).
 */
function firstKey(args) {
  const name = String(args[0]).toUpperCase()
  if (name === 'EVALSHA' || name === 'EVAL') return Number(args[2]) > 0 ? String(args[3]) : undefined
  if (name === 'XREAD') return String(args[args.findIndex((a) => String(a).toUpperCase() === 'STREAMS') + 1])
  return String(args[1])
}

// The longest a close waits on the client.
const CLOSE_MS = 1000

class RedisTimeout extends Error {
  constructor(ms) {
    super(`Redis did not answer within ${ms} ms`)
    this.name = 'RedisTimeout'
  }
}

/** `promise`, or a RedisTimeout after `ms` (0: no bound). */
function within(promise, ms) {
  if (!ms) return promise
  let timer
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new RedisTimeout(ms)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

class RedisConnection {
  /** @param client an ioredis or node-redis client, connected or connecting */
  constructor(client, owned = false) {
    this.kind = kindOf(client)
    if (this.kind === null) {
      throw codedError(
        ErrorCodes.INVALID_CONFIG,
        'The Redis client must be an ioredis (5+) client or cluster, or a node-redis (4+) client or cluster',
      )
    }
    this.client = client
    this.owned = owned
    // Round trips timed by what they are for (`timed`), for the link's metrics.
    this.durations = {
      sync: new Histogram(ROUND_TRIP_BOUNDS_MICROS),
      exact: new Histogram(ROUND_TRIP_BOUNDS_MICROS),
      refresh: new Histogram(ROUND_TRIP_BOUNDS_MICROS),
    }
  }

  /** `promise` (a round trip for `operation`: sync, exact or refresh), its time counted when it settles. */
  timed(operation, promise) {
    const started = performance.now()
    const done = () => this.durations[operation].observe(performance.now() - started)
    promise.then(done, done)
    return promise
  }

  /** One command: `['SET', key, value, ...]`. */
  send(args) {
    if (this.kind === 'ioredis') return this.client.call(...args)
    if (this.kind === 'node-redis') return this.client.sendCommand(args.map(String))
    return this.client.sendCommand(firstKey(args), false, args.map(String))
  }

  /** Whether this is a cluster client, whose keys may live on different nodes. */
  get cluster() {
    return this.kind === 'node-redis-cluster' || this.client.isCluster === true
  }

  get ready() {
    if (this.kind === 'ioredis') return this.client.status === 'ready'
    return this.kind === 'node-redis' ? this.client.isReady === true : this.client.isOpen === true
  }

  /** Calls `fn` on the client's events that say the connection came back or went away. */
  onState(fn) {
    const up = () => fn('ready')
    const down = () => fn('down')
    this.client.on('ready', up)
    this.client.on('end', down)
    this.client.on(this.kind === 'ioredis' ? 'close' : 'reconnecting', down)
    return () => {
      this.client.off('ready', up)
      this.client.off('end', down)
      this.client.off(this.kind === 'ioredis' ? 'close' : 'reconnecting', down)
    }
  }

  /** A second connection of the same client kind and settings, for blocking reads. */
  async duplicate() {
    const copy = this.client.duplicate()
    // A client with no error listener would crash the process on a connection error.
    copy.on('error', () => {})
    if (this.kind === 'ioredis') {
      if (copy.status === 'wait') await copy.connect()
    } else {
      await copy.connect()
    }
    return new RedisConnection(copy, true)
  }

  /** Closes a connection auth-shield opened; the user's own client is left alone. */
  async close() {
    if (!this.owned) return
    try {
      if (this.kind === 'ioredis') this.client.disconnect()
      // node-redis: `destroy` (5+) closes at once; 4's `disconnect` may wait on a server that
      // is gone, so it is waited for only so long.
      else if (typeof this.client.destroy === 'function') this.client.destroy()
      else await within(this.client.disconnect(), CLOSE_MS)
    } catch {
      // Already closed, or the server is gone: nothing more to release.
    }
  }
}

/**
 * Lua lines that set `now` to Redis's own clock in milliseconds, for scripts that must not depend
 * on the instances' clocks.
 */
const LUA_NOW_MS = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`

/** A Lua script run by its SHA1 (`EVALSHA`), loaded on first use or after a server restart. */
class Script {
  constructor(source) {
    this.source = source
    this.sha = createHash('sha1').update(source).digest('hex')
  }

  async run(connection, keys, args) {
    const tail = [String(keys.length), ...keys, ...args.map(String)]
    try {
      return await connection.send(['EVALSHA', this.sha, ...tail])
    } catch (error) {
      if (!/NOSCRIPT/.test(error && error.message)) throw error
      return connection.send(['EVAL', this.source, ...tail])
    }
  }
}

module.exports = { RedisConnection, Script, RedisTimeout, within, kindOf, LUA_NOW_MS }
