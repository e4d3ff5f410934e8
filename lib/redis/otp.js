'use strict'

// One-time codes shared by every instance: `OtpStore`'s rules (random numeric codes kept only as
// keyed hashes, single use, expiring, locked after too many wrong guesses) with the state in
// Redis, so a code made on one instance verifies on another, attempts count across all of them,
// and a code is consumed exactly once (each verification is one script, run atomically).
// The hashes are keyed by a `secret` every instance shares.

const { createHmac, randomInt } = require('node:crypto')
const { ErrorCodes, codedError } = require('../shared/codes')
const { HELPER_OPTIONS, LIMITS } = require('../shared/contract')
const { configError, readInteger } = require('../shared/options')
const { RedisConnection, Script, within } = require('./client')
const { readFamily } = require('../shared/option-family')
const { lifetime } = require('../engines/js/config')

const SPEC = HELPER_OPTIONS.OtpStoreOptions
const MAX_KEY_BYTES = LIMITS.maxOtpKeyBytes
// An expired code is kept this much longer, so a late guess is told OTP_EXPIRED, not OTP_NOT_FOUND.
const GRACE_MS = 60_000

/** ARGV: mac, attempts, ttl ms, grace ms. Replaces any pending code. */
const PUT = new Script(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'mac', ARGV[1], 'left', ARGV[2], 'exp', tostring(now + tonumber(ARGV[3])))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) + tonumber(ARGV[4]))
return 1`)

/** ARGV: the guess's mac (empty for a guess that cannot be right). Returns { code, left }. */
const CHECK = new Script(`
local e = redis.call('HMGET', KEYS[1], 'mac', 'left', 'exp')
if not e[1] then return { 'OTP_NOT_FOUND', 0 } end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if now >= tonumber(e[3]) then
  redis.call('DEL', KEYS[1])
  return { 'OTP_EXPIRED', 0 }
end
local left = tonumber(e[2])
if left <= 0 then return { 'OTP_LOCKED', 0 } end
if ARGV[1] ~= '' and ARGV[1] == e[1] then
  redis.call('DEL', KEYS[1])
  return { 'OK', left }
end
left = redis.call('HINCRBY', KEYS[1], 'left', -1)
return { 'OTP_INVALID', left }`)

function checkKey(key) {
  if (typeof key !== 'string' || key === '' || Buffer.byteLength(key) > MAX_KEY_BYTES) {
    throw codedError(
      ErrorCodes.INVALID_ARGUMENT,
      `the key must be a non-empty string of at most ${MAX_KEY_BYTES} bytes`,
    )
  }
}

class RedisOtpStore {
  #connection
  #secret
  #prefix
  #timeout

  constructor(client, options = {}) {
    if (options === null || typeof options !== 'object')
      throw configError('RedisOtpStore options must be an object such as { secret }')
    // Its own options by their kinds (contract/options.json); OtpStore's rules read the rest.
    const own = readFamily('RedisOtpStoreOptions', options, {
      label: 'RedisOtpStore',
      what: 'RedisOtpStore options',
      unknown: 'RedisOtpStore option',
      also: Object.keys(SPEC).filter((k) => k !== 'maxEntries'),
    })
    this.#connection = new RedisConnection(client)
    this.#secret = Buffer.from(own.secret)
    this.#prefix = own.prefix
    this.#timeout = own.timeout
    this.digits = readInteger(options, SPEC.digits)
    this.maxAttempts = readInteger(options, SPEC.maxAttempts)
    const ttl = options.ttl === undefined ? SPEC.ttl.default : lifetime(options.ttl, 'ttl')
    if (ttl < 1 || ttl > 86_400) throw configError('`ttl` must be from 1 second to 1 day')
    this.ttl = ttl
  }

  #mac(key, code) {
    return createHmac('sha256', this.#secret).update(key).update('\0').update(code).digest('base64')
  }

  #run(script, key, args) {
    return within(script.run(this.#connection, [this.#prefix + key], args), this.#timeout)
  }

  /** A new random code for `key` (replacing any pending one, on every instance); send it, never store it. */
  async generate(key) {
    checkKey(key)
    const code = String(randomInt(0, 10 ** this.digits)).padStart(this.digits, '0')
    await this.#run(PUT, key, [this.#mac(key, code), this.maxAttempts, this.ttl * 1000, GRACE_MS])
    return code
  }

  /** `{ valid, code, attemptsRemaining }` as `OtpStore#verify` answers, decided once across instances. */
  async verify(key, code) {
    checkKey(key)
    const guess = typeof code === 'string' && code.length === this.digits ? this.#mac(key, code) : ''
    const [verdict, left] = await this.#run(CHECK, key, [guess])
    const attemptsRemaining = Number(left)
    return verdict === 'OK'
      ? { valid: true, code: null, attemptsRemaining }
      : { valid: false, code: verdict, attemptsRemaining }
  }

  /** Forgets the code pending for `key`; true if there was one. */
  async delete(key) {
    checkKey(key)
    return Number(await within(this.#connection.send(['DEL', this.#prefix + key]), this.#timeout)) === 1
  }
}

module.exports = { RedisOtpStore }
