'use strict'

// Soak test (not in CI): `npm run soak [-- --minutes 10 --connections 16]`. Express and Fastify
// servers on both engines, each in its own process, take mixed traffic at once for the whole
// run — valid tokens of many users (some of them refused as rate-limited), revoked, expired,
// forged and malformed tokens, wrong tenants, guarded routes — and the run reports each server's
// RSS after warm-up, at its peak and at the end, and its p99 latency. The warm-up and end
// readings are taken after a full collection in the server (so they compare live memory, not the
// collector's timing); the end must be within 10% of after warm-up (memory does not keep growing
// under steady traffic).

const { spawn } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')
const { createAuthenticator } = require('..')
const { SOAK_CONFIG } = require('./soak-config')
const { arg } = require('./cli')

const MINUTES = arg('minutes', 10)
const CONNECTIONS = arg('connections', 16)
// V8 and the allocator grow their reserves in steps during the first minutes under load (the
// live heap stays flat: see each minute's reading), so the baseline is taken once they settle.
const WARM_UP_MS = Math.min(180_000, (MINUTES * 60_000) / 3)
const ALL_SERVERS = [
  ['express', 'native'],
  ['express', 'js'],
  ['fastify', 'native'],
  ['fastify', 'js'],
]
// `--only fastify/native,express/js` runs some of them.
const ONLY = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1].split(',') : null
const SERVERS = ALL_SERVERS.filter(([f, e]) => ONLY === null || ONLY.includes(`${f}/${e}`))

const signer = createAuthenticator(SOAK_CONFIG, { engine: 'native' })
const revoked = Array.from({ length: 200 }, (_, i) => `revoked-${i}`)

/**
 * The traffic mix: [weight, () => { path, headers }]. Its key space (users, tokens, cache
 * entries) fills well within the warm-up, so what the end-of-run RSS compares is steady state,
 * not state still being filled: growth past it is a leak.
 */
function traffic() {
  const users = 2_000
  const token = (claims, options) => signer.signAccessToken({ tenant_id: 'acme', ...claims }, options)
  const valid = Array.from({ length: 2_000 }, (_, i) =>
    token({ sub: `user-${i % users}`, role: i % 10 === 0 ? 'admin' : 'member' }),
  )
  const fresh = () => token({ sub: `user-${Math.floor(Math.random() * users)}` })
  const revokedTokens = revoked.map((jti, i) => token({ sub: `gone-${i}`, jti }))
  const expired = token({ sub: 'old' }, { expiresIn: 1 })
  const forged = `${valid[0].slice(0, -4)}AAAA`
  const pick = (xs) => xs[Math.floor(Math.random() * xs.length)]
  const bearer = (t) => ({ authorization: `Bearer ${t}`, 'x-tenant-id': 'acme' })
  return [
    [40, () => ({ path: '/api/me', headers: bearer(pick(valid)) })],
    [10, () => ({ path: '/api/me', headers: bearer(fresh()) })],
    [10, () => ({ path: '/api/me', headers: bearer(valid[0]) })], // one hot user: rate-limited
    [8, () => ({ path: '/api/admin', headers: bearer(pick(valid)) })],
    [8, () => ({ path: '/api/me', headers: bearer(pick(revokedTokens)) })],
    [6, () => ({ path: '/api/me', headers: bearer(expired) })],
    [6, () => ({ path: '/api/me', headers: bearer(forged) })],
    [
      6,
      () => ({
        path: '/api/me',
        headers: { authorization: pick(['Bearer', 'Basic abc', 'Bearer a.b', `Bearer ${'x'.repeat(9000)}`, '']) },
      }),
    ],
    [
      6,
      () => ({
        path: '/api/me',
        headers: { ...bearer(pick(valid)), 'x-tenant-id': pick(['globex', 'a b', `t${Math.random()}`]) },
      }),
    ],
  ]
}

function start(framework, engine) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', path.join(__dirname, 'soak-server.js'), framework, engine], {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
      env: { ...process.env, SOAK_REVOKED: revoked.join(',') },
    })
    child.stdout.once('data', (d) =>
      resolve({ child, base: `http://127.0.0.1:${String(d).trim()}`, name: `${framework}/${engine}` }),
    )
    child.once('exit', (code) => reject(new Error(`${framework}/${engine} exited with ${code}`)))
  })
}

/** The server's RSS after a full collection, in MiB (see soak-server.js). */
function liveRssMiB(child) {
  return new Promise((resolve) => {
    child.once('message', (m) => {
      child.lastMemory = m
      resolve(m.rss / 1048576)
    })
    child.send('rss')
  })
}

function rssMiB(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024
}

async function main() {
  const servers = await Promise.all(SERVERS.map(([f, e]) => start(f, e)))
  // Tokens signed after the servers start, so the expired one has expired by the first request.
  const mix = traffic()
  await new Promise((r) => setTimeout(r, 1500))
  const total = mix.reduce((s, [w]) => s + w, 0)
  const request = () => {
    let r = Math.random() * total
    for (const [w, make] of mix) if ((r -= w) < 0) return make()
    return mix[0][1]()
  }
  const stats = servers.map(() => ({
    latencies: [],
    statuses: new Map(),
    errors: 0,
    rss: { warm: null, peak: 0, end: null },
  }))
  const deadline = Date.now() + MINUTES * 60_000
  const warmAt = Date.now() + WARM_UP_MS
  const sampler = setInterval(() => {
    servers.forEach((s, i) => {
      const rss = rssMiB(s.child.pid)
      stats[i].rss.peak = Math.max(stats[i].rss.peak, rss)
    })
  }, 1000)
  // Every minute, each server's live RSS, to tell growth that levels off from growth that does not.
  const minutes = servers.map(() => [])
  const everyMinute = setInterval(async () => {
    for (const [i, s] of servers.entries()) {
      const rss = await liveRssMiB(s.child)
      // RSS / V8 heap in use / memory outside the heap (Buffers, native objects V8 knows of).
      const m = s.child.lastMemory
      minutes[i].push(`${rss.toFixed(0)}/${(m.heapUsed / 1048576).toFixed(0)}/${(m.external / 1048576).toFixed(0)}`)
    }
  }, 60_000)
  // After warm-up, each server's live RSS (after a full collection) is the baseline.
  const warmed = new Promise((resolve) =>
    setTimeout(async () => {
      for (const [i, s] of servers.entries()) stats[i].rss.warm = await liveRssMiB(s.child)
      resolve()
    }, WARM_UP_MS),
  )
  await Promise.all(
    servers.flatMap((s, i) =>
      Array.from({ length: Math.max(1, Math.floor(CONNECTIONS / servers.length)) }, async () => {
        while (Date.now() < deadline) {
          const { path: p, headers } = request()
          const t0 = process.hrtime.bigint()
          try {
            const res = await fetch(`${s.base}${p}`, { headers })
            await res.arrayBuffer()
            const st = stats[i]
            if (Date.now() >= warmAt) st.latencies.push(Number(process.hrtime.bigint() - t0) / 1e6)
            st.statuses.set(res.status, (st.statuses.get(res.status) ?? 0) + 1)
          } catch {
            stats[i].errors++
          }
        }
      }),
    ),
  )
  clearInterval(sampler)
  clearInterval(everyMinute)
  await warmed
  for (const [i, s] of servers.entries()) stats[i].rss.end = await liveRssMiB(s.child)
  const rows = servers.map((s, i) => {
    const st = stats[i]
    const sorted = st.latencies.sort((a, b) => a - b)
    const p99 = sorted[Math.floor(sorted.length * 0.99)] ?? NaN
    const growth = ((st.rss.end - st.rss.warm) / st.rss.warm) * 100
    return {
      server: s.name,
      requests: [...st.statuses.values()].reduce((a, b) => a + b, 0),
      statuses: [...st.statuses.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([k, v]) => `${k}:${v}`)
        .join(' '),
      errors: st.errors,
      'live RSS after warm-up (MiB)': st.rss.warm.toFixed(1),
      'RSS peak (MiB)': st.rss.peak.toFixed(1),
      'live RSS at the end (MiB)': st.rss.end.toFixed(1),
      'end vs warm-up': `${growth >= 0 ? '+' : ''}${growth.toFixed(1)}%`,
      'p99 ms': p99.toFixed(2),
    }
  })
  for (const s of servers) s.child.kill('SIGTERM')
  console.log(
    `Soak: ${MINUTES} min, ${CONNECTIONS} connections over ${servers.length} servers, warm-up ${WARM_UP_MS / 1000} s`,
  )
  console.table(rows)
  servers.forEach((s, i) =>
    console.log(
      `${s.name}: each minute, after a full collection, RSS/V8 heap used/external (MiB): ${minutes[i].join(' ')}`,
    ),
  )
  const failed = rows.filter((r) => Math.abs(parseFloat(r['end vs warm-up'])) > 10 || r.errors > 0)
  if (failed.length > 0) {
    console.error(
      `RSS at the end not within 10% of after warm-up, or transport errors: ${failed.map((r) => r.server).join(', ')}`,
    )
    process.exit(1)
  }
  process.exit(0)
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
