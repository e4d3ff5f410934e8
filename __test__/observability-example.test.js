'use strict'

// examples/observability.js runs as written: its /metrics serves auth-shield's metrics beside
// Node's, and a guard's refusal shows in its pino log as an authz_fail event.

const test = require('node:test')
const assert = require('node:assert/strict')
const { spawn } = require('node:child_process')
const path = require('node:path')

test('the observability example serves /metrics and logs security events with pino', async (t) => {
  const child = spawn(process.execPath, [path.join(__dirname, '..', 'examples', 'observability.js')], {
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  t.after(() => child.kill())
  let out = ''
  child.stdout.on('data', (chunk) => (out += chunk))
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the example did not start:\n${out}`)), 15000)
    const poll = setInterval(() => {
      if (!out.includes('Ctrl-C to stop')) return
      clearInterval(poll)
      clearTimeout(timer)
      resolve()
    }, 20)
    child.on('exit', (code) => reject(new Error(`the example exited with ${code}:\n${out}`)))
  })
  const base = out.match(/on (http:\/\/127\.0\.0\.1:\d+)/)[1]
  const token = out.match(/^ {2}(eyJ[\w-]+\.[\w-]+\.[\w-]+)$/m)[1]
  const headers = { authorization: `Bearer ${token}` }
  assert.equal((await fetch(`${base}/api/me`, { headers })).status, 200)
  assert.equal((await fetch(`${base}/api/admin`, { headers })).status, 403)
  const metrics = await fetch(`${base}/metrics`).then((r) => r.text())
  assert.match(metrics, /^auth_shield_requests_total\{code="OK"\} 2$/m)
  assert.match(metrics, /^process_cpu_user_seconds_total /m)
  await new Promise((r) => setTimeout(r, 100))
  const log = out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l))
  const authz = log.find((l) => l.type === 'authz_fail')
  assert.deepEqual(
    [authz.severity, authz.userId, authz.request_uri, authz.level],
    ['CRITICAL', 'ada', '/api/admin', 50],
  )
  assert.ok(
    !out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .join('\n')
      .includes(token),
  )
})
