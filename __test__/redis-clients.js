'use strict'

// The Redis clients auth-shield supports, each major installed under its own npm alias
// (package.json), so every test can run against every one. Not a test file itself.

const PACKAGES = {
  'ioredis@5': 'ioredis',
  'ioredis@6': 'ioredis6',
  'node-redis@4': 'redis',
  'node-redis@5': 'redis5',
  'node-redis@6': 'redis6',
}

/** Every supported client major, as `family@major`. */
const SUPPORTED = Object.keys(PACKAGES)

const retry = (n) => Math.min(50 * n, 500)

/**
 * An unconnected client of `kind` (`ioredis@6`, `node-redis@5`; a bare `ioredis` / `node-redis`
 * is the oldest supported major) on `url`, with an error listener so a lost connection cannot
 * crash the process. `resp3` asks node-redis for RESP3 where the major offers the choice.
 */
function makeClient(kind, url, { resp3 = false } = {}) {
  const name = PACKAGES[kind] ?? PACKAGES[`${kind}@${kind === 'ioredis' ? 5 : 4}`]
  if (name === undefined) throw new Error(`no such Redis client in the tests: ${kind}`)
  let client
  if (kind.startsWith('ioredis')) {
    const IORedis = require(name)
    client = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: retry })
  } else {
    const { createClient } = require(name)
    client = createClient({ url, socket: { reconnectStrategy: retry }, ...(resp3 ? { RESP: 3 } : {}) })
  }
  client.on('error', () => {})
  return client
}

/** `makeClient`, connected. */
async function connectClient(kind, url, options) {
  const client = makeClient(kind, url, options)
  await client.connect()
  return client
}

/** Closes a client from `makeClient` whatever its major calls it. */
async function closeClient(client) {
  try {
    if (typeof client.status === 'string') client.disconnect()
    else if (typeof client.destroy === 'function') client.destroy()
    else await client.disconnect()
  } catch {
    // Already closed.
  }
}

module.exports = { SUPPORTED, makeClient, connectClient, closeClient }
