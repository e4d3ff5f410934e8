'use strict'

// Every entry point answers `import` with the same names `require` gives, through the exports map.

const test = require('node:test')
const assert = require('node:assert/strict')

for (const entry of [
  'auth-shield',
  'auth-shield/express',
  'auth-shield/fastify',
  'auth-shield/nest',
  'auth-shield/js',
]) {
  test(`import('${entry}') exposes what require('${entry}') does`, async () => {
    const esm = await import(entry)
    const cjs = require(entry)
    for (const name of Object.keys(cjs)) {
      if (name === 'default') continue
      assert.ok(name in esm, `${entry}: ${name} is missing from the ESM entry`)
      assert.equal(esm[name], cjs[name], `${entry}: ${name} differs`)
    }
    assert.equal(esm.default, cjs)
  })
}
