'use strict'

// The integrations' authentication as the TracingChannel `tracing:auth-shield:authenticate`:
// a subscriber (a tracer) sees start and end for each request on Express and Fastify, with the
// method, the path without its query and, at end, the result; nothing of the token.

const test = require('node:test')
const assert = require('node:assert/strict')
const diagnostics = require('node:diagnostics_channel')
const { FRAMEWORKS, start } = require('./servers')
const { baseConfig, mint } = require('./helpers')

for (const framework of ['express 5', 'fastify 5']) {
  test(`${framework}: each authentication is traced, start to end, with its result`, async (t) => {
    const seen = []
    const channel = diagnostics.tracingChannel('auth-shield:authenticate')
    const handlers = {
      start: (c) => seen.push(['start', c.method, c.path, c.result]),
      end: (c) => seen.push(['end', c.result?.errorCode ?? 'OK', c.result?.subject ?? null, c.framework]),
      asyncStart: () => {},
      asyncEnd: () => {},
      error: (c) => seen.push(['error', c.error]),
    }
    channel.subscribe(handlers)
    t.after(() => channel.unsubscribe(handlers))
    const server = await start(framework, baseConfig())
    t.after(() => server.close())
    const token = mint({ sub: 'ada' })
    assert.equal(
      (await fetch(`${server.base}/api/me?x=1`, { headers: { authorization: `Bearer ${token}` } })).status,
      200,
    )
    assert.equal((await fetch(`${server.base}/api/me`)).status, 401)
    const kind = FRAMEWORKS[framework].kind
    assert.deepEqual(seen, [
      ['start', 'GET', '/api/me', undefined],
      ['end', 'OK', 'ada', kind],
      ['start', 'GET', '/api/me', undefined],
      ['end', 'MISSING_AUTHORIZATION', null, kind],
    ])
    assert.ok(!JSON.stringify(seen).includes(token))
  })
}
