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
 */
async function startRedis() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'auth-shield-redis-'))
  const port = await freePort()
  let child = null
  const launch = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--protected-mode', 'no', '--daemonize', 'no', '--loglevel', 'warning', '--enable-debug-command', 'local'], { stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    const exited = new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${stderr}`))))
    exited.catch(() => {})
    await Promise.race([waitForPort(port, Date.now() + 10_000), exited])
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

/** An ioredis client and a node-redis client on `url`, both connected; `close()` quits both. */
async function clients(url) {
  const IORedis = require('ioredis')
  const { createClient } = require('redis')
  const ioredis = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: (n) => Math.min(50 * n, 500) })
  ioredis.on('error', () => {})
  await ioredis.connect()
  const nodeRedis = createClient({ url, socket: { reconnectStrategy: (n) => Math.min(50 * n, 500) } })
  nodeRedis.on('error', () => {})
  await nodeRedis.connect()
  return {
    ioredis,
    nodeRedis,
    async close() {
      ioredis.disconnect()
      await nodeRedis.disconnect().catch(() => {})
    },
  }
}

module.exports = { startRedis, clients }
