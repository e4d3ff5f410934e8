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

test('every runtime export of each entry point is declared in its .d.ts', () => {
  // An import of every name each entry exports at runtime, compiled: an undeclared one fails.
  const fs = require('node:fs')
  const root = path.join(__dirname, '..')
  const entries = [
    ['auth-shield', 'index.js'],
    ['auth-shield/express', 'lib/integrations/express.js'],
    ['auth-shield/fastify', 'lib/integrations/fastify.js'],
    ['auth-shield/nest', 'lib/integrations/nest.js'],
    ['auth-shield/js', 'lib/engines/js/index.js'],
  ]
  const lines = entries.map(([specifier, js], i) => {
    const names = Object.keys(require(path.join(root, js))).filter((n) => n !== 'default')
    return `import { ${names.map((n) => `${n} as e${i}_${n}`).join(', ')} } from '${specifier}'\nvoid [${names.map((n) => `e${i}_${n}`).join(', ')}]`
  })
  const dir = fs.mkdtempSync(path.join(__dirname, 'types', '.exports-'))
  try {
    fs.writeFileSync(path.join(dir, 'exports.ts'), `${lines.join('\n')}\nexport {}\n`)
    fs.writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({ extends: '../tsconfig.json', files: ['exports.ts'] }),
    )
    execFileSync(
      process.execPath,
      [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(dir, 'tsconfig.json')],
      { encoding: 'utf8', stdio: 'pipe' },
    )
  } catch (error) {
    assert.fail(`an export is not declared:\n${error.stdout}${error.stderr}`)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})
