'use strict'

// The hand-written declarations type-check a real application (strict mode), including the
// Express Request and FastifyRequest augmentation.

const test = require('node:test')
const assert = require('node:assert')
const { execFileSync } = require('node:child_process')
const path = require('node:path')

test('index.d.ts and the integration declarations type-check a typed example', () => {
  const tsc = path.join(__dirname, '..', 'node_modules', 'typescript', 'bin', 'tsc')
  const project = path.join(__dirname, 'types', 'tsconfig.json')
  try {
    execFileSync(process.execPath, [tsc, '-p', project], { encoding: 'utf8', stdio: 'pipe' })
  } catch (error) {
    assert.fail(`tsc reported:\n${error.stdout}${error.stderr}`)
  }
})
