'use strict'

// A private redis-server for one test file: a free port on 127.0.0.1, a temporary directory, no
// persistence unless asked, stopped when the test ends. Not a test file itself. It throws (the
// test fails) when the server cannot start: Redis tests never skip.

const { spawn } = require('node:child_process')
const fs = require('node:fs')
const net = require('node:net')
const os = require('node:os')
const path = require('node:path')

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.unref()
    s.on('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}

function waitForPort(port, deadline) {
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, '127.0.0.1')
      socket.once('connect', () => {
        socket.end()
        resolve()
      })
      socket.once('error', () => {
        socket.destroy()
        if (Date.now() > deadline) reject(new Error(`redis-server did not listen on ${port}`))
        else setTimeout(attempt, 25)
      })
    }
    attempt()
  })
}

/**
 * Starts a server; `{ port, url, stop(), restart({ keepData }) }`. `t.after(stop)` is the caller's.
 * With `cluster`, it is a one-node Redis Cluster holding every slot: clients run in cluster mode
 * and Redis refuses a command whose keys are in different slots, as a real cluster does.
 */
async function startRedis({ cluster = false } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'auth-shield-redis-'))
  const port = await freePort()
  let child = null
  const launch = async () => {
    const clusterArgs = cluster
      ? [
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          path.join(dir, 'nodes.conf'),
          '--cluster-announce-ip',
          '127.0.0.1',
        ]
      : []
    child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'no',
        '--protected-mode',
        'no',
        '--daemonize',
        'no',
        '--loglevel',
        'warning',
        '--enable-debug-command',
        'local',
        ...clusterArgs,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    )
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    const exited = new Promise((_, reject) =>
      child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${stderr}`))),
    )
    exited.catch(() => {})
    await Promise.race([waitForPort(port, Date.now() + 10_000), exited])
    if (cluster) await takeAllSlots(port)
  }
  const kill = () =>
    new Promise((resolve) => {
      if (child === null || child.exitCode !== null || child.signalCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.kill('SIGKILL')
    })
  await launch()
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    /** Kills the server (as a crash would), losing everything it held. */
    kill,
    /** Kills it and starts an empty one on the same port. */
    async restart() {
      await kill()
      await launch()
    },
    async stop() {
      await kill()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Gives a fresh cluster node every slot and waits until it reports the cluster ready. */
async function takeAllSlots(port) {
  const IORedis = require('ioredis')
  const admin = new IORedis(port, '127.0.0.1', { lazyConnect: true })
  await admin.connect()
  try {
    await admin.call('CLUSTER', 'ADDSLOTSRANGE', '0', '16383')
    const deadline = Date.now() + 10_000
    while (!/cluster_state:ok/.test(await admin.call('CLUSTER', 'INFO'))) {
      if (Date.now() > deadline) throw new Error('the one-node cluster did not become ready')
      await new Promise((r) => setTimeout(r, 50))
    }
  } finally {
    admin.disconnect()
  }
}

/**
 * An ioredis and a node-redis client, made unconnected: both connected, with no error listener
 * left to crash the process; `close()` quits both.
 */
async function connectBoth(ioredis, nodeRedis) {
  for (const c of [ioredis, nodeRedis]) {
    c.on('error', () => {})
    await c.connect()
  }
  return {
    ioredis,
    nodeRedis,
    async close() {
      ioredis.disconnect()
      await nodeRedis.disconnect().catch(() => {})
    },
  }
}

/** Cluster-mode clients (ioredis Cluster, node-redis createCluster) of a one-node cluster. */
function clusterClients(port) {
  const IORedis = require('ioredis')
  const { createCluster } = require('redis')
  return connectBoth(
    new IORedis.Cluster([{ host: '127.0.0.1', port }], { lazyConnect: true }),
    createCluster({ rootNodes: [{ url: `redis://127.0.0.1:${port}` }] }),
  )
}

/** An ioredis client and a node-redis client on `url`, both connected; `close()` quits both. */
function clients(url) {
  const IORedis = require('ioredis')
  const { createClient } = require('redis')
  const retry = (n) => Math.min(50 * n, 500)
  return connectBoth(
    new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: retry }),
    createClient({ url, socket: { reconnectStrategy: retry } }),
  )
}

module.exports = { startRedis, clients, clusterClients }
