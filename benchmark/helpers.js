'use strict'

// The security helpers against the libraries users would otherwise pick, side by side in one
// process: Argon2id hash/verify (vs @node-rs/argon2 and argon2 at the same parameters), event-loop
// delay while 8 hashes run at once, sanitizeHtml vs sanitize-html on a ~10 KB document, and
// timingSafeEqual vs crypto.timingSafeEqual. Usage: npm run bench:helpers [-- --rounds 5]

const assert = require('node:assert')
const crypto = require('node:crypto')
const os = require('node:os')
const { monitorEventLoopDelay, performance } = require('node:perf_hooks')
const nodeRs = require('@node-rs/argon2')
const argon2 = require('argon2')
const sanitizeHtmlLib = require('sanitize-html')
const shield = require('..')

const { arg } = require('./cli')
const ROUNDS = arg('rounds', 5)
const BATCHES = arg('batches', 20)
const COST = { memoryCost: 19456, timeCost: 2, parallelism: 1 }
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

async function timeAsync(fn, n) {
  const t0 = performance.now()
  for (let i = 0; i < n; i++) await fn()
  return (performance.now() - t0) / n
}

function timeSync(fn, n) {
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < n; i++) fn()
  return Number(process.hrtime.bigint() - t0) / n
}

/** Runs every contender once per round, interleaved, and reports the median per contender. */
async function compare(title, unit, contenders, { n, async = false }) {
  const samples = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]))
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, fn] of Object.entries(contenders)) {
      // Async timings are in ms; sync ones in ns, scaled to the unit asked for.
      samples[name].push(async ? await timeAsync(fn, n) : timeSync(fn, n) / (unit === 'µs' ? 1000 : 1))
    }
  }
  const medians = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]))
  const base = Object.values(medians)[0]
  console.log(`\n${title}`)
  for (const [name, m] of Object.entries(medians)) {
    const ratio = name === Object.keys(medians)[0] ? '' : `  (${(m / base).toFixed(2)}x ours)`
    console.log(`  ${name.padEnd(44)} ${m.toFixed(unit === 'ms' ? 2 : 1).padStart(10)} ${unit}${ratio}`)
  }
  return medians
}

async function loopDelayWhileHashing(label, hash) {
  const h = monitorEventLoopDelay({ resolution: 1 })
  h.enable()
  // A timer that should fire every millisecond: the monitor measures how late the loop runs it.
  const ticker = setInterval(() => {}, 1)
  for (let batch = 0; batch < BATCHES; batch++) {
    await Promise.all(Array.from({ length: 8 }, (_, i) => hash(`password-${batch}-${i}`)))
    // Let the loop turn between batches, so a blocking hasher shows up as the delay it causes.
    await new Promise((resolve) => setImmediate(resolve))
  }
  clearInterval(ticker)
  h.disable()
  const ms = (ns) => (ns / 1e6).toFixed(2)
  console.log(
    `  ${label.padEnd(44)} p50 ${ms(h.percentile(50))} ms  p99 ${ms(h.percentile(99))} ms  max ${ms(h.max)} ms`,
  )
}

function document10k() {
  const para = (i) =>
    `<p>Paragraph ${i} with <strong>bold</strong>, <em>emphasis</em>, <a href="https://example.com/post/${i}" title="Post ${i}">a link</a>, ` +
    `<code>inline code</code> and some ordinary prose that readers leave in comments every day.</p>\n`
  const parts = ['<article><h1>Release notes</h1>\n']
  for (let i = 0; parts.join('').length < 9000; i++) {
    parts.push(para(i))
    if (i % 4 === 0) parts.push(`<ul><li>item ${i}</li><li>item <b>${i + 1}</b></li></ul>\n`)
    if (i % 5 === 0)
      parts.push(`<img src="https://cdn.example.com/${i}.png" alt="figure ${i}" onerror="alert(${i})">\n`)
    if (i % 7 === 0) parts.push(`<blockquote>Quoted <script>steal(${i})</script> text</blockquote>\n`)
  }
  parts.push('<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table></article>')
  return parts.join('')
}

async function main() {
  console.log(
    `Node ${process.version}, ${os.cpus()[0].model}, ${os.cpus().length} CPUs; medians of ${ROUNDS} interleaved rounds`,
  )

  const ours = await shield.hashPassword('correct horse battery staple', COST)
  const theirsRs = await nodeRs.hash('correct horse battery staple', COST)
  const theirsArgon2 = await argon2.hash('correct horse battery staple', { type: argon2.argon2id, ...COST })
  for (const h of [ours, theirsRs, theirsArgon2])
    assert.equal(await shield.verifyPassword(h, 'correct horse battery staple'), true)
  assert.equal(await nodeRs.verify(ours, 'correct horse battery staple'), true)

  await compare(
    'Argon2id hash, m=19456 KiB t=2 p=1 (one at a time, async)',
    'ms',
    {
      'auth-shield hashPassword': () => shield.hashPassword('correct horse battery staple', COST),
      '@node-rs/argon2 hash': () => nodeRs.hash('correct horse battery staple', COST),
      'argon2 (node-argon2) hash': () =>
        argon2.hash('correct horse battery staple', { type: argon2.argon2id, ...COST }),
    },
    { n: 20, async: true },
  )
  await compare(
    'Argon2id verify, same parameters',
    'ms',
    {
      'auth-shield verifyPassword': () => shield.verifyPassword(ours, 'correct horse battery staple'),
      '@node-rs/argon2 verify': () => nodeRs.verify(theirsRs, 'correct horse battery staple'),
      'argon2 (node-argon2) verify': () => argon2.verify(theirsArgon2, 'correct horse battery staple'),
    },
    { n: 20, async: true },
  )

  console.log(`\nEvent-loop delay while 8 hashes run concurrently (${BATCHES} batches, 1 ms timer)`)
  const cpus = os.availableParallelism()
  const defaultConcurrency = shield.setPasswordConcurrency(cpus)
  shield.setPasswordConcurrency(defaultConcurrency)
  await loopDelayWhileHashing(`auth-shield hashPassword (concurrency ${defaultConcurrency})`, (p) =>
    shield.hashPassword(p, COST),
  )
  shield.setPasswordConcurrency(cpus)
  await loopDelayWhileHashing(`auth-shield hashPassword (concurrency ${cpus})`, (p) => shield.hashPassword(p, COST))
  shield.setPasswordConcurrency(defaultConcurrency)
  await loopDelayWhileHashing('@node-rs/argon2 hash', (p) => nodeRs.hash(p, COST))
  await loopDelayWhileHashing('auth-shield hashPasswordSync (for contrast)', async (p) =>
    shield.hashPasswordSync(p, COST),
  )

  console.log('\nThroughput: 40 hashes started at once')
  const throughput = async (label, hash) => {
    const t0 = performance.now()
    await Promise.all(Array.from({ length: 40 }, (_, i) => hash(`password-${i}`)))
    console.log(`  ${label.padEnd(44)} ${(40000 / (performance.now() - t0)).toFixed(1).padStart(10)} hashes/s`)
  }
  await throughput(`auth-shield (concurrency ${defaultConcurrency})`, (p) => shield.hashPassword(p, COST))
  shield.setPasswordConcurrency(cpus)
  await throughput(`auth-shield (concurrency ${cpus})`, (p) => shield.hashPassword(p, COST))
  shield.setPasswordConcurrency(defaultConcurrency)
  await throughput('@node-rs/argon2', (p) => nodeRs.hash(p, COST))

  const doc = document10k()
  const ammoniaOut = shield.sanitizeHtml(doc)
  const libOut = sanitizeHtmlLib(doc)
  assert.ok(
    !ammoniaOut.includes('<script') &&
      !libOut.includes('<script') &&
      !ammoniaOut.includes('onerror') &&
      !libOut.includes('onerror'),
  )
  console.log(
    `\nDocument: ${doc.length} bytes in, ${ammoniaOut.length} (auth-shield) / ${libOut.length} (sanitize-html) out`,
  )
  await compare(
    'sanitizeHtml, ~10 KB document, default policies',
    'µs',
    {
      'auth-shield sanitizeHtml': () => shield.sanitizeHtml(doc),
      'sanitize-html': () => sanitizeHtmlLib(doc),
    },
    { n: 200 },
  )

  const a = crypto.randomBytes(32)
  const b = Buffer.from(a)
  const sa = a.toString('hex')
  const sb = b.toString('hex')
  await compare(
    'timingSafeEqual, 32-byte Buffers',
    'ns',
    {
      'auth-shield timingSafeEqual': () => shield.timingSafeEqual(a, b),
      'crypto.timingSafeEqual': () => crypto.timingSafeEqual(a, b),
    },
    { n: 500_000 },
  )
  await compare(
    'timingSafeEqual, 64-character strings (crypto needs Buffer.from and a length check)',
    'ns',
    {
      'auth-shield timingSafeEqual': () => shield.timingSafeEqual(sa, sb),
      'crypto.timingSafeEqual': () => {
        const x = Buffer.from(sa)
        const y = Buffer.from(sb)
        return x.length === y.length && crypto.timingSafeEqual(x, y)
      },
    },
    { n: 500_000 },
  )
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
