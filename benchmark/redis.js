'use strict'

// Redis figures, side by side in one run against a private redis-server on loopback:
// 1. local-first: Authenticator#authenticate linked to Redis vs the same authenticator alone;
// 2. exact: the latency a request's Redis take adds, vs rate-limiter-flexible's RateLimiterRedis
//    consume on the same server, client and limits (sequential, then 64 in flight);
// 3. revocation propagation across three instances, p50 and p99.
// Usage: npm run bench:redis [-- --iterations 100000 --rounds 5]

const os = require('node:os')
const { createAuthenticator, connectRedis } = require('..')
const { RateLimiterRedis } = require('rate-limiter-flexible')
const IORedis = require('ioredis')
const { startRedis } = require('../__test__/redis-server')
const { arg } = require('./cli')

const ITERATIONS = arg('iterations', 100_000)
const HTTP_SECONDS = arg('duration', 4)
const HTTP_ROUNDS = arg('http-rounds', 2)
const ROUNDS = arg('rounds', 5)
const config = { accessSecret: 'benchmark-access-secret-0123456789abcdef', refreshSecret: 'benchmark-refresh-secret-0123456789abcde', rateLimitMax: 1e9, rateLimitRefill: 1e6, enforceTenantMatch: false }
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

async function client(url) {
  const c = new IORedis(url, { lazyConnect: true })
  await c.connect()
  return c
}

function timeSync(fn, n) {
  const start = process.hrtime.bigint()
  for (let i = 0; i < n; i++) fn()
  return Number(process.hrtime.bigint() - start) / n / 1000
}

async function timeAsync(fn, n, inFlight = 1) {
  const start = process.hrtime.bigint()
  let next = 0
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < n) {
        next++
        await fn()
      }
    }),
  )
  return Number(process.hrtime.bigint() - start) / n / 1000
}

function startInstance(client, url) {
  const path = require('node:path')
  const { fork } = require('node:child_process')
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, '..', '__test__', 'fixtures', 'redis-instance.js'), ['fastify', client, url, 'native', 'unlimited'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
    child.once('message', ({ port }) => resolve({ child, base: `http://127.0.0.1:${port}` }))
    child.once('exit', (code) => reject(new Error(`instance exited (${code})`)))
  })
}

/** Requests per second over three instances, loaded at once for HTTP_SECONDS. */
async function httpRound(url, client) {
  const autocannon = require('autocannon')
  const instances = await Promise.all([0, 1, 2].map(() => startInstance(client, url)))
  try {
    const login = await fetch(`${instances[0].base}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"sub":"user-4711"}' }).then((r) => r.json())
    const headers = { authorization: `Bearer ${login.accessToken}` }
    for (const i of instances) if ((await fetch(`${i.base}/api/me`, { headers })).status !== 200) throw new Error('the benchmark token was refused')
    const runs = await Promise.all(
      instances.map((i) => new Promise((resolve, reject) => autocannon({ url: `${i.base}/api/me`, headers, connections: 16, duration: HTTP_SECONDS }, (e, r) => (e ? reject(e) : resolve(r))))),
    )
    return runs.reduce((sum, r) => sum + r.requests.average, 0)
  } finally {
    await Promise.all(instances.map(({ child }) => new Promise((r) => (child.once('exit', r), child.send('stop')))))
  }
}

async function main() {
  const redis = await startRedis()
  try {
    console.log(`${os.cpus()[0].model}, ${os.cpus().length} cores, Node ${process.version}; redis-server on loopback`)

    // 1. local-first: the request path does not wait on Redis.
    const plain = createAuthenticator(config, { engine: 'native' })
    const linked = createAuthenticator(config, { engine: 'native' })
    const c1 = await client(redis.url)
    const link = connectRedis(linked, c1, { prefix: 'bench:' })
    await link.ready()
    const header = `Bearer ${plain.signAccessToken({ sub: 'user-4711', tenant_id: 'acme' })}`
    const samples = { alone: [], linked: [] }
    timeSync(() => plain.authenticate(header), 20_000)
    timeSync(() => linked.authenticate(header), 20_000)
    for (let r = 0; r < ROUNDS; r++) {
      samples.alone.push(timeSync(() => plain.authenticate(header), ITERATIONS))
      // Let the sync run between rounds as it would between requests.
      await sleep(60)
      samples.linked.push(timeSync(() => linked.authenticate(header), ITERATIONS))
      await sleep(60)
    }
    const [alone, withRedis] = [median(samples.alone), median(samples.linked)]
    console.log(`\nlocal-first: authenticate alone ${alone.toFixed(3)} µs, linked to Redis ${withRedis.toFixed(3)} µs: ${(((withRedis - alone) / alone) * 100).toFixed(1)}% (target within 10%); syncs ${link.stats().rateLimits.syncs}`)
    await link.close()

    // 2. exact: one round trip per request, against RateLimiterRedis on the same server.
    const exactAuth = createAuthenticator(config, { engine: 'native' })
    const c2 = await client(redis.url)
    const exact = connectRedis(exactAuth, c2, { prefix: 'bench-exact:', rateLimit: 'exact' })
    await exact.ready()
    const flexible = new RateLimiterRedis({ storeClient: c2, keyPrefix: 'bench-flex', points: 1e9, duration: 1 })
    const n = Math.ceil(ITERATIONS / 10)
    const rows = []
    for (const inFlight of [1, 64]) {
      const ours = []
      const theirs = []
      const local = []
      for (let r = 0; r < ROUNDS; r++) {
        local.push(await timeAsync(async () => exactAuth.authenticate(header), n, inFlight))
        ours.push(await timeAsync(() => exact.authenticate(header), n, inFlight))
        theirs.push(await timeAsync(() => flexible.consume('user-4711:acme'), n, inFlight))
      }
      rows.push({
        'in flight': inFlight,
        'auth-shield exact, whole request (µs)': median(ours).toFixed(2),
        'its Redis take alone (µs)': (median(ours) - median(local)).toFixed(2),
        'RateLimiterRedis consume alone (µs)': median(theirs).toFixed(2),
      })
    }
    console.log('\nexact mode, per request (in flight = concurrent requests; µs per request)')
    console.table(rows)
    await exact.close()

    // 3. Revocation propagation across three instances.
    const three = []
    for (let i = 0; i < 3; i++) {
      const auth = createAuthenticator(config, { engine: 'native' })
      const l = connectRedis(auth, await client(redis.url), { prefix: 'bench-rev:' })
      await l.ready()
      three.push({ auth, link: l })
    }
    const delays = []
    for (let i = 0; i < 200; i++) {
      const token = three[0].auth.signAccessToken({ sub: `u${i}`, jti: `revoked-${i}` })
      const h = `Bearer ${token}`
      const start = process.hrtime.bigint()
      three[i % 3].auth.revokeToken(`revoked-${i}`, Math.floor(Date.now() / 1000) + 600)
      const others = three.filter((_, k) => k !== i % 3)
      while (!others.every((o) => o.auth.authenticate(h).errorCode === 'TOKEN_REVOKED')) await new Promise((r) => setImmediate(r))
      delays.push(Number(process.hrtime.bigint() - start) / 1e6)
    }
    console.log(`\nrevocation propagation to the two other instances (200 revocations): p50 ${pct(delays, 0.5).toFixed(2)} ms, p99 ${pct(delays, 0.99).toFixed(2)} ms (target p99 ≤ 50 ms)`)
    for (const { link: l } of three) await l.close()

    // 4. HTTP: three Fastify instances in their own processes, with and without Redis.
    const perRound = { redis: [], alone: [] }
    for (let round = 0; round < HTTP_ROUNDS; round++) {
      for (const mode of round % 2 ? ['alone', 'redis'] : ['redis', 'alone']) perRound[mode].push(await httpRound(redis.url, mode === 'redis' ? 'ioredis' : 'none'))
    }
    const [withR, withoutR] = [median(perRound.redis), median(perRound.alone)]
    console.log(`\nHTTP, 3 Fastify instances (local-first), req/s summed over the three: with Redis ${Math.round(withR)}, without ${Math.round(withoutR)}: ${((withR / withoutR) * 100).toFixed(1)}% (target ≥ 90%)`)
  } finally {
    await redis.stop()
  }
  process.exit(0)
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
