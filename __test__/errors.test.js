'use strict'

// The error codes exist in one Rust enum; this keeps the JS export, index.d.ts and the README
// table in step with it, and likewise the configuration options.

const test = require('node:test')
const assert = require('node:assert')
const fs = require('node:fs')
const path = require('node:path')
const { ErrorCodes, errorTable, configOptions } = require('..')
const native = require('../binding.js')

const root = path.join(__dirname, '..')
const dts = fs.readFileSync(path.join(root, 'index.d.ts'), 'utf8')
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8')

test('the JS error table and option list match the Rust ones row for row', () => {
  assert.deepStrictEqual(errorTable(), native.errorTable())
  assert.deepStrictEqual(configOptions(), native.configOptions())
})

test('ErrorCodes is frozen and matches the table', () => {
  const codes = errorTable().map((e) => e.code)
  assert.ok(Object.isFrozen(ErrorCodes))
  assert.deepStrictEqual(Object.keys(ErrorCodes), codes)
  for (const c of codes) assert.strictEqual(ErrorCodes[c], c)
})

test('index.d.ts declares exactly the codes of the native table', () => {
  const union = dts.match(/export type ErrorCode =([\s\S]*?)\n\n/)[1]
  const declared = [...union.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1])
  assert.deepStrictEqual(declared, errorTable().map((e) => e.code))
})

test('the README tables every code with its status and message', () => {
  for (const { code, status, message } of errorTable()) {
    const row = readme.split("\n").find((line) => line.startsWith(`| \`${code}\` |`))
    assert.ok(row, `README has no row for ${code}`)
    assert.ok(row.includes(status === 0 ? 'thrown' : String(status)), `README row for ${code} lacks ${status}`)
    if (status !== 0) assert.ok(row.includes(message), `README row for ${code} lacks "${message}"`)
  }
})

test('index.d.ts and the README document every configuration option', () => {
  const block = dts.match(/export interface AuthConfig \{([\s\S]*?)\n\}/)[1]
  const declared = [...block.matchAll(/^\s{2}(\w+)\??:/gm)].map((m) => m[1])
  assert.deepStrictEqual(declared.sort(), [...configOptions()].sort())
  for (const name of configOptions()) assert.ok(readme.includes(`\`${name}\``), `README does not document ${name}`)
})

test('every file in __test__ is either a test the runner picks up or the shared helpers', () => {
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.js'))
  for (const f of files) assert.ok(f.endsWith('.test.js') || ['helpers.js', 'corpus.js', 'servers.js'].includes(f), `${f} would never run`)
})
