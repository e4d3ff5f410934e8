'use strict'

// Stream replies as each supported client hands them over. A raw command's reply keeps Redis's
// shape on RESP2 (arrays of pairs), but on RESP3 a map reply is a plain object (node-redis 5 with
// `RESP: 3`, node-redis 6 by default) or a flat [name, value, name, value…] array (ioredis 6), and
// a client's type mapping may give a Map. Anything else is refused loudly: a reply read wrongly
// would silently drop revocations.

class RedisReplyError extends Error {
  constructor(what, reply) {
    super(`Redis answered ${what} with a reply auth-shield cannot read (${describe(reply)})`)
    this.name = 'RedisReplyError'
  }
}

function describe(value) {
  if (value === null) return 'null'
  if (Array.isArray(value)) return `an array of ${value.length}`
  if (value instanceof Map) return `a Map of ${value.size}`
  return typeof value
}

const isText = (v) => typeof v === 'string' || Buffer.isBuffer(v)
const isPlainObject = (v) =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !Buffer.isBuffer(v) && !(v instanceof Map)

/** A map reply's `[name, value]` pairs, whichever of its shapes the client gave, or null. */
function pairsOf(reply) {
  if (reply instanceof Map) return [...reply]
  if (isPlainObject(reply)) return Object.entries(reply)
  if (!Array.isArray(reply)) return null
  if (reply.every((p) => Array.isArray(p) && p.length === 2 && isText(p[0]))) return reply
  if (reply.length % 2 === 0 && reply.every((v, i) => (i % 2 === 0 ? isText(v) : true))) {
    const pairs = []
    for (let i = 0; i < reply.length; i += 2) pairs.push([reply[i], reply[i + 1]])
    return pairs
  }
  return null
}

/** One entry's field → value lookup (flat array, object or Map). */
function fieldReader(fields, what) {
  const pairs = pairsOf(fields)
  if (pairs === null) throw new RedisReplyError(what, fields)
  return (name) => {
    const found = pairs.find(([n]) => String(n) === name)
    return found === undefined ? undefined : String(found[1])
  }
}

/**
 * An XRANGE reply, or the entries of one stream in an XREAD reply, as `[{ id, field }]` where
 * `field(name)` reads a value. Entries are `[id, fields]` pairs, or `{ id, message }` objects as
 * node-redis's own stream commands give them.
 */
function readEntries(entries, what) {
  if (entries === null || entries === undefined) return []
  if (!Array.isArray(entries)) throw new RedisReplyError(what, entries)
  return entries.map((entry) => {
    if (Array.isArray(entry) && entry.length === 2 && isText(entry[0]))
      return { id: String(entry[0]), field: fieldReader(entry[1], what) }
    if (isPlainObject(entry) && isText(entry.id))
      return { id: String(entry.id), field: fieldReader(entry.message, what) }
    throw new RedisReplyError(what, entry)
  })
}

/** The entries an XREAD reply holds for `stream` (null: the read timed out with nothing new). */
function readStream(reply, stream) {
  if (reply === null || reply === undefined) return []
  const pairs = pairsOf(reply)
  if (pairs === null) throw new RedisReplyError('a stream read', reply)
  const entries = []
  for (const [name, list] of pairs) {
    if (String(name) === stream) entries.push(...readEntries(list, 'a stream read'))
  }
  return entries
}

module.exports = { readEntries, readStream, RedisReplyError }
