'use strict'

// HTTP-level benchmark: `npm run bench:http [-- --duration 5 --connections 50]`. Each server runs
// in its own process on 127.0.0.1 and is loaded by autocannon from this process, for a bounded
// duration. Every scenario serves the same authenticated GET; the result is checked before load.

const { spawn } = require('node:child_process')
const path = require('node:path')
const os = require('node:os')
const autocannon = require('autocannon')
const { Authenticator } = require('..')
const { config } = require('./http-config')

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : fallback
}
const DURATION = arg('duration', 5)
const CONNECTIONS = arg('connections', 50)
const MODES = (process.env.BENCH_MODES || 'none,jsonwebtoken,fast-jwt,js,native').split(',')

const token = new Authenticator(config).signAccessToken(
  { sub: 'user-4711', email: 'ada@example.com', role: 'admin', permissions: ['read', 'write', 'billing'], tenant_id: 'acme' },
  { expiresIn: '1h' },
)
const headers = { authorization: `Bearer ${token}`, 'x-tenant-id': 'acme' }

function startServer(framework, mode) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, 'http-server.js'), framework, mode], { stdio: ['ignore', 'pipe', 'inherit'] })
    child.stdout.once('data', (d) => resolve({ child, url: `http://127.0.0.1:${String(d).trim()}/api/me` }))
    child.once('exit', (code) => reject(new Error(`${framework}/${mode} server exited with ${code}`)))
  })
}

const run = (opts) => new Promise((resolve, reject) => autocannon(opts, (err, res) => (err ? reject(err) : resolve(res))))

async function scenario(framework, mode) {
  const { child, url } = await startServer(framework, mode)
  try {
    const check = await fetch(url, { headers })
    const body = await check.json()
    if (check.status !== 200 || (!['none', 'noop'].includes(mode) && body.tenantId !== 'acme')) throw new Error(`${framework}/${mode} answered ${check.status}`)
    await run({ url, headers, connections: CONNECTIONS, duration: 1 }) // warm-up
    const r = await run({ url, headers, connections: CONNECTIONS, duration: DURATION })
    if (r.non2xx > 0 || r.errors > 0) throw new Error(`${framework}/${mode}: ${r.non2xx} non-2xx, ${r.errors} errors`)
    return { reqs: r.requests.average, p99: r.latency.p99 }
  } finally {
    child.kill()
  }
}

async function main() {
  const cpu = os.cpus()[0]
  console.log(`HTTP benchmark: ${CONNECTIONS} connections, ${DURATION}s per scenario, autocannon on 127.0.0.1`)
  console.log(`${cpu ? cpu.model : 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}\n`)
  for (const framework of (process.env.BENCH_FRAMEWORKS || 'express,fastify').split(',')) {
    const rows = []
    let baseline
    for (const mode of MODES) {
      const { reqs, p99 } = await scenario(framework, mode)
      if (mode === 'none') baseline = reqs
      rows.push({ scenario: `${framework} 5, ${mode === 'none' ? 'no auth' : mode}`, 'req/s': Math.round(reqs), 'p99 ms': p99, 'of no-auth': `${((reqs / baseline) * 100).toFixed(1)}%` })
    }
    console.table(rows)
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
