'use strict'

// Instances of an API in their own processes (fixtures/redis-instance.js) for the multi-process
// Redis tests, and the requests the tests make of them. Not a test file itself.

const path = require('node:path')
const { fork } = require('node:child_process')

const INSTANCE = path.join(__dirname, 'fixtures', 'redis-instance.js')

/**
 * Forks an instance; resolves with `{ child, base, name, stop() }` once it listens. `extra`: the
 * fixture's optional arguments (budget, limiter, sync interval).
 */
function startInstance(framework, client, url, engine, ...extra) {
  return new Promise((resolve, reject) => {
    const child = fork(INSTANCE, [framework, client, url, engine, ...extra], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    })
    const stop = () =>
      new Promise((r) =>
        child.exitCode !== null || child.signalCode !== null ? r() : (child.once('exit', r), child.send('stop')),
      )
    child.once('message', ({ port }) =>
      resolve({ child, base: `http://127.0.0.1:${port}`, name: `${framework}/${client}/${engine}`, stop }),
    )
    child.once('exit', (code) => reject(new Error(`instance exited (${code})`)))
  })
}

/** Kills an instance as a crash would. */
function killInstance({ child }) {
  return new Promise((r) =>
    child.exitCode !== null || child.signalCode !== null ? r() : (child.once('exit', r), child.kill('SIGKILL')),
  )
}

const post = (base, route, body, token) =>
  fetch(base + route, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  }).then((r) => r.json())
const me = (base, token) => fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${token}` } })
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** Waits until every instance refuses `token`; fails when one still accepts it after `within` ms. */
async function refusedEverywhere(instances, token, within = 1000) {
  const start = Date.now()
  for (const i of instances) {
    while ((await me(i.base, token)).status !== 401) {
      if (Date.now() - start > within) throw new Error(`${i.name} still accepts the token after ${within} ms`)
      await sleep(5)
    }
  }
}

module.exports = { startInstance, killInstance, post, me, sleep, refusedEverywhere }
