'use strict'

// Runs every `__test__/*.test.js` file with node's test runner. The files are listed here rather
// than by a directory or glob argument: `node --test __test__/` runs differently across Node 20,
// 22 and 24, and npm on Windows expands no globs.

const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')

const dir = path.join(__dirname, '..', '__test__')
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.test.js'))
  .sort()
  .map((f) => path.join(dir, f))
if (files.length === 0) {
  console.error(`no test files in ${dir}`)
  process.exit(1)
}
// The Redis tests need a server binary; they start and stop their own.
require('./ensure-redis').ensureRedis()
// A test that waits forever fails after this long, naming itself, rather than hanging the run.
const TIMEOUT = ['--test-timeout=120000']
const run = spawnSync(process.execPath, ['--test', ...TIMEOUT, ...process.argv.slice(2), ...files], {
  stdio: 'inherit',
})
process.exit(run.status ?? 1)
