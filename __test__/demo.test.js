'use strict'

// `npm start` runs the demo: both servers come up on 127.0.0.1 and the printed token works.

const test = require('node:test')
const assert = require('node:assert')
const { spawn } = require('node:child_process')
const path = require('node:path')

test('the demo starts both servers and its printed token authenticates', async () => {
  const child = spawn(process.execPath, [path.join(__dirname, '..', 'examples', 'demo.js')], {
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  try {
    let out = ''
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`demo did not start:\n${out}`)), 15000)
      child.stdout.on('data', (chunk) => {
        out += chunk
        if (out.includes('Ctrl-C to stop')) {
          clearTimeout(timer)
          resolve()
        }
      })
      child.on('exit', (code) => reject(new Error(`demo exited with ${code}:\n${out}`)))
    })
    const urls = [...out.matchAll(/(Express|Fastify)\s+(http:\/\/127\.0\.0\.1:\d+)/g)].map((m) => m[2])
    const token = out.match(/^ {2}(eyJ[\w-]+\.[\w-]+\.[\w-]+)$/m)[1]
    assert.strictEqual(urls.length, 2)
    for (const base of urls) {
      const me = await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${token}` } })
      assert.strictEqual(me.status, 200)
      assert.strictEqual((await me.json()).user.userId, 'user-1')
      const other = await fetch(`${base}/api/projects`, {
        headers: { authorization: `Bearer ${token}`, 'x-tenant-id': 'globex' },
      })
      assert.strictEqual(other.status, 403)
      const login = (body) =>
        fetch(`${base}/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      const pair = await login({ username: 'bob', password: 'babbage-1791' })
      assert.ok((await pair.json()).refreshToken)
      assert.ok(pair.headers.get('content-security-policy').startsWith("default-src 'self'"))
      assert.strictEqual((await login({ username: 'bob', password: 'wrong' })).status, 401)
      assert.strictEqual((await login({ username: 'bob', password: 42 })).status, 401)
    }
    // Rotation and logout, across the two servers: they share one authenticator.
    const [expressUrl, fastifyUrl] = urls
    const post = (url, body, token) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      })
    const pair = await (await post(`${expressUrl}/login`, { username: 'ada', password: 'lovelace-1815' })).json()
    const next = await post(`${fastifyUrl}/refresh`, { refreshToken: pair.refreshToken })
    assert.strictEqual(next.status, 200)
    const rotated = await next.json()
    const replay = await post(`${expressUrl}/refresh`, { refreshToken: pair.refreshToken })
    assert.deepStrictEqual([replay.status, (await replay.json()).code], [401, 'TOKEN_REUSED'])
    const fresh = await (await post(`${fastifyUrl}/login`, { username: 'ada', password: 'lovelace-1815' })).json()
    assert.strictEqual((await post(`${expressUrl}/api/logout`, {}, fresh.accessToken)).status, 200)
    for (const base of urls) {
      const gone = await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${fresh.accessToken}` } })
      assert.deepStrictEqual([gone.status, (await gone.json()).code], [401, 'TOKEN_REVOKED'])
    }
    assert.ok(rotated.accessToken)
  } finally {
    child.kill('SIGTERM')
  }
})
