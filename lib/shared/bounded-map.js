'use strict'

// A Map bounded in size whose eviction costs a bounded amount of work per insert: the rules of
// core/src/request/bounded_map.rs. Keys are often the client's to choose, so a client can fill the
// map at will; whatever making room costs, it can make a request pay. An insert into a full shard
// looks at SAMPLES entries picked at random and drops every one `isFree` says costs nothing to
// drop, else the least recently `updated` of them (an approximate LRU, as Redis evicts).
// Shards keep each Map small: V8 compacts a Map whose deleted entries pile up, in one O(size)
// step, and at a million entries that step alone held the event loop for milliseconds.

const SAMPLES = 16
// Entries a shard holds before the map has another: a compaction of this many is microseconds.
const PER_SHARD = 4096
const MAX_SHARDS = 256

class Shard {
  constructor() {
    this.map = new Map()
    // The keys by position, so one can be picked in O(1); each entry knows its `slot`.
    this.keys = []
  }

  insert(key, entry) {
    entry.slot = this.keys.length
    this.map.set(key, entry)
    this.keys.push(key)
  }

  remove(key, entry) {
    const last = this.keys.pop()
    if (last !== key) {
      this.keys[entry.slot] = last
      this.map.get(last).slot = entry.slot
    }
    this.map.delete(key)
  }

  /** Drops every free entry of a random sample, else its least recently updated; how many. */
  evict(isFree, now) {
    const size = this.keys.length
    if (size === 0) return 0
    const picked = new Set()
    for (let i = 0; i < SAMPLES && picked.size < size; i++) picked.add(Math.floor(Math.random() * size))
    const keys = [...picked].map((at) => this.keys[at])
    let oldest = null
    let dropped = 0
    for (const key of keys) {
      const entry = this.map.get(key)
      if (isFree(entry, now)) {
        this.remove(key, entry)
        dropped++
      } else if (oldest === null || entry.updated < oldest[1].updated) oldest = [key, entry]
    }
    if (dropped > 0 || oldest === null) return dropped
    this.remove(oldest[0], oldest[1])
    return 1
  }
}

class BoundedMap {
  /**
   * At most `max` entries, each an object with an `updated` time (the map sets its `slot`);
   * `isFree(entry, now)` says whether one costs nothing to drop.
   */
  constructor(max, isFree) {
    let count = 1
    while (count < MAX_SHARDS && count * 2 * PER_SHARD <= max) count *= 2
    this.shards = Array.from({ length: count }, () => new Shard())
    this.mask = count - 1
    this.perShard = Math.max(1, Math.floor(max / count))
    this.isFree = isFree
    this.size = 0
    // Entries dropped to stay within the bound, ever.
    this.evicted = 0
  }

  shardOf(key) {
    if (this.mask === 0) return this.shards[0]
    // FNV-1a over the whole key: the parts that differ may sit anywhere (a user id before a long
    // tenant id), and keys that shared a shard would share its bound. A client that aims its keys
    // at one shard only evicts within that shard.
    let h = 0x811c9dc5
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193)
    return this.shards[(h ^ (h >>> 16)) & this.mask]
  }

  get(key) {
    return this.shardOf(key).map.get(key)
  }

  has(key) {
    return this.shardOf(key).map.has(key)
  }

  /** Adds `entry` for `key` (which has none), first making room at `now` if its shard is full. */
  insert(key, entry, now) {
    const shard = this.shardOf(key)
    if (shard.keys.length >= this.perShard) {
      const dropped = shard.evict(this.isFree, now)
      this.size -= dropped
      this.evicted += dropped
    }
    shard.insert(key, entry)
    this.size++
    return entry
  }

  *entries() {
    for (const shard of this.shards) yield* shard.map
  }
}

module.exports = { BoundedMap, SAMPLES }
