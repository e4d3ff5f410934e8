'use strict'

// Redis figures, side by side in one run against a private redis-server on loopback:
// 1. local-first: Authenticator#authenticate linked to Redis vs the same authenticator alone;
// 2. exact: the latency a request's Redis take adds, vs rate-limiter-flexible's RateLimiterRedis
//    consume on the same server, client and limits (sequential, then 64 in flight);
// 3. revocation propagation across three instances, p50 and p99;
// 4. HTTP, three Fastify instances, local-first: req/s with Redis and without;
// 5. HTTP, one Fastify instance, exact: added latency and req/s vs @fastify/rate-limit's Redis store.
// Usage: npm run bench:redis [-- --iterations 100000 --rounds 5 --only exact,http-exact]

const os = require('node:os')
const { createAuthenticator, connectRedis } = require('..')
const { RateLimiterRedis } = require('rate-limiter-flexible')
const IORedis = require('ioredis')
const { startRedis } = require('../__test__/redis-server')
const { arg, word } = require('./cli')

const ITERATIONS = arg('iterations', 100_000)
const HTTP_SECONDS = arg('duration', 4)
const HTTP_ROUNDS = arg('http-rounds', 2)
const ROUNDS = arg('rounds', 5)
const config = {
  accessSecret: 'benchmark-access-secret-0123456789abcdef',
  refreshSecret: 'benchmark-refresh-secret-0123456789abcde',
  rateLimitMax: 1e9,
  rateLimitRefill: 1e6,
  enforceTenantMatch: false,
}
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

function startInstance(client, url, limiter = 'local-first') {
  const path = require('node:path')
  const { fork } = require('node:child_process')
  return new Promise((resolve, reject) => {
    const child = fork(
      path.join(__dirname, '..', '__test__', 'fixtures', 'redis-instance.js'),
      ['fastify', client, url, 'native', 'unlimited', limiter],
      { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] },
    )
    child.once('message', ({ port }) => resolve({ child, base: `http://127.0.0.1:${port}` }))
    child.once('exit', (code) => reject(new Error(`instance exited (${code})`)))
  })
}

const stopInstance = ({ child }) => new Promise((r) => (child.once('exit', r), child.send('stop')))
const load = (options) =>
  new Promise((resolve, reject) => require('autocannon')(options, (e, r) => (e ? reject(e) : resolve(r))))

/** A token `instance` accepts, as request headers. */
async function tokenFor(instance) {
  const login = await fetch(`${instance.base}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"sub":"user-4711"}',
  }).then((r) => r.json())
  const headers = { authorization: `Bearer ${login.accessToken}` }
  if ((await fetch(`${instance.base}/api/me`, { headers })).status !== 200)
    throw new Error('the benchmark token was refused')
  return headers
}

/** Requests per second over three instances, loaded at once for HTTP_SECONDS. */
async function httpRound(url, client) {
  const instances = await Promise.all([0, 1, 2].map(() => startInstance(client, url)))
  try {
    const headers = await tokenFor(instances[0])
    for (const i of instances.slice(1)) await tokenFor(i)
    const runs = await Promise.all(
      instances.map((i) => load({ url: `${i.base}/api/me`, headers, connections: 16, duration: HTTP_SECONDS })),
    )
    return runs.reduce((sum, r) => sum + r.requests.average, 0)
  } finally {
    await Promise.all(instances.map(stopInstance))
  }
}

// 1. local-first: the request path does not wait on Redis.
async function localFirst(redis) {
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
  console.log(
    `\nlocal-first: authenticate alone ${alone.toFixed(3)} µs, linked to Redis ${withRedis.toFixed(3)} µs: ${(((withRedis - alone) / alone) * 100).toFixed(1)}% (target within 10%); syncs ${link.stats().rateLimits.syncs}`,
  )
  await link.close()
}

// 2. exact: one round trip per request, against RateLimiterRedis on the same server.
async function exactTakes(redis) {
  const plain = createAuthenticator(config, { engine: 'native' })
  const header = `Bearer ${plain.signAccessToken({ sub: 'user-4711', tenant_id: 'acme' })}`
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
}

// 3. Revocation propagation across three instances.
async function propagation(redis) {
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
    while (!others.every((o) => o.auth.authenticate(h).errorCode === 'TOKEN_REVOKED'))
      await new Promise((r) => setImmediate(r))
    delays.push(Number(process.hrtime.bigint() - start) / 1e6)
  }
  console.log(
    `\nrevocation propagation to the two other instances (200 revocations): p50 ${pct(delays, 0.5).toFixed(2)} ms, p99 ${pct(delays, 0.99).toFixed(2)} ms (target p99 ≤ 50 ms)`,
  )
  for (const { link: l } of three) await l.close()
}

// 4. HTTP: three Fastify instances in their own processes, with and without Redis.
async function httpLocalFirst(redis) {
  const perRound = { redis: [], alone: [] }
  for (let round = 0; round < HTTP_ROUNDS; round++) {
    for (const mode of round % 2 ? ['alone', 'redis'] : ['redis', 'alone'])
      perRound[mode].push(await httpRound(redis.url, mode === 'redis' ? 'ioredis' : 'none'))
  }
  const [withR, withoutR] = [median(perRound.redis), median(perRound.alone)]
  console.log(
    `\nHTTP, 3 Fastify instances (local-first), req/s summed over the three: with Redis ${Math.round(withR)}, without ${Math.round(withoutR)}: ${((withR / withoutR) * 100).toFixed(1)}% (target ≥ 90%)`,
  )
}

// 5. HTTP, exact mode: one Fastify instance taking each request's token from Redis, beside the same
// instance with @fastify/rate-limit's Redis store (same client, same budget per user) and with no
// global limit. Latency at one connection, req/s at 32.
async function httpExact(redis) {
  const modes = {
    'no global limit': ['none', 'local-first'],
    'auth-shield exact': ['ioredis', 'exact'],
    '@fastify/rate-limit (Redis store)': ['ioredis', 'fastify-rate-limit'],
  }
  const figures = Object.fromEntries(Object.keys(modes).map((m) => [m, { latency: [], rps: [] }]))
  for (let round = 0; round < HTTP_ROUNDS; round++) {
    const order = round % 2 ? Object.keys(modes).reverse() : Object.keys(modes)
    for (const mode of order) {
      const instance = await startInstance(modes[mode][0], redis.url, modes[mode][1])
      try {
        const headers = await tokenFor(instance)
        const url = `${instance.base}/api/me`
        await load({ url, headers, connections: 8, duration: 1 })
        // One request at a time: the mean time per request is the latency, to the microsecond.
        figures[mode].latency.push(
          1e6 / (await load({ url, headers, connections: 1, duration: HTTP_SECONDS })).requests.average,
        )
        figures[mode].rps.push((await load({ url, headers, connections: 32, duration: HTTP_SECONDS })).requests.average)
      } finally {
        await stopInstance(instance)
      }
    }
  }
  const base = median(figures['no global limit'].latency)
  console.log('\nHTTP, one Fastify instance, exact global limit (latency at 1 connection, req/s at 32)')
  console.table(
    Object.entries(figures).map(([mode, f]) => ({
      mode,
      'latency (µs)': median(f.latency).toFixed(0),
      'added latency (µs)': (median(f.latency) - base).toFixed(0),
      'req/s': Math.round(median(f.rps)),
    })),
  )
}

const SECTIONS = {
  'local-first': localFirst,
  exact: exactTakes,
  propagation,
  http: httpLocalFirst,
  'http-exact': httpExact,
}

async function main() {
  const only = word('only', Object.keys(SECTIONS).join(',')).split(',')
  const unknown = only.find((s) => !(s in SECTIONS))
  if (unknown !== undefined)
    throw new Error(`unknown section ${unknown}; sections: ${Object.keys(SECTIONS).join(', ')}`)
  const redis = await startRedis()
  try {
    console.log(`${os.cpus()[0].model}, ${os.cpus().length} cores, Node ${process.version}; redis-server on loopback`)
    for (const section of only) await SECTIONS[section](redis)
  } finally {
    await redis.stop()
  }
  process.exit(0)
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
