'use strict'

// Writes the tables declared once in contract/ out to every place that needs them: Rust
// (core/src/contract.rs, src/bindings/result_format.rs), JS (lib/shared/contract.js), the marked
// regions of index.d.ts, the README and the reference pages in docs/. `--check` writes nothing and exits 1 naming any file that is not what it would write.
//
//   node scripts/generate.js          regenerate
//   node scripts/generate.js --check  fail on a stale file (CI and the test suite run this)

const fs = require('node:fs')
const path = require('node:path')
const { rust } = require('./generate/rust')
const { js } = require('./generate/js')
const {
  dtsRegions,
  helperDtsRegions,
  readmeRegions,
  integrationMembers,
  apiKeyAuthMembers,
} = require('./generate/docs')

const root = path.join(__dirname, '..')
const read = (file) => fs.readFileSync(path.join(root, file), 'utf8')
const contract = {
  errors: JSON.parse(read('contract/errors.json')).errors,
  options: JSON.parse(read('contract/options.json')),
  result: JSON.parse(read('contract/result.json')),
  limits: JSON.parse(read('contract/limits.json')).limits,
  metrics: JSON.parse(read('contract/metrics.json')),
  events: JSON.parse(read('contract/events.json')).events,
}

/** Replaces the body of every `<start name>`…`<end>` region of `text`; each must exist once. */
function fillRegions(file, text, regions, open, close) {
  for (const [name, body] of Object.entries(regions)) {
    const start = open(name)
    const from = text.indexOf(start)
    const to = text.indexOf(close, from)
    if (from < 0 || to < 0 || text.indexOf(start, from + 1) >= 0) {
      throw new Error(`${file}: needs exactly one region "${start}" … "${close}"`)
    }
    const indent = text.slice(text.lastIndexOf('\n', from) + 1, from)
    text = `${text.slice(0, from + start.length)}\n${body}\n${indent}${text.slice(to)}`
  }
  return text
}

// The README and the reference pages under docs/ it links to, where the tables are.
const DOCS = [
  'README.md',
  ...fs
    .readdirSync(path.join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
]

/** `fillRegions` over several files: each region is filled in the one file that has its marker. */
function fillAcross(files, regions, open, close) {
  const texts = Object.fromEntries(files.map((f) => [f, read(f)]))
  const byFile = Object.fromEntries(files.map((f) => [f, {}]))
  for (const [name, body] of Object.entries(regions)) {
    const holders = files.filter((f) => texts[f].includes(open(name)))
    if (holders.length !== 1) throw new Error(`region "${open(name)}" must be in exactly one of ${files.join(', ')}`)
    byFile[holders[0]][name] = body
  }
  return Object.fromEntries(files.map((f) => [f, fillRegions(f, texts[f], byFile[f], open, close)]))
}

const outputs = {
  ...rust(contract),
  'lib/shared/contract.js': js(contract),
  'index.d.ts': fillRegions(
    'index.d.ts',
    read('index.d.ts'),
    dtsRegions(contract),
    (n) => `// <generated: ${n}>`,
    '// </generated>',
  ),
  'lib/helpers/index.d.ts': fillRegions(
    'lib/helpers/index.d.ts',
    read('lib/helpers/index.d.ts'),
    helperDtsRegions(contract),
    (n) => `// <generated: ${n}>`,
    '// </generated>',
  ),
  'lib/integrations/request-auth.d.ts': fillRegions(
    'lib/integrations/request-auth.d.ts',
    read('lib/integrations/request-auth.d.ts'),
    { 'integration-options': integrationMembers(contract.options) },
    (n) => `// <generated: ${n}>`,
    '// </generated>',
  ),
  'lib/integrations/guards.d.ts': fillRegions(
    'lib/integrations/guards.d.ts',
    read('lib/integrations/guards.d.ts'),
    { 'api-key-auth-options': apiKeyAuthMembers(contract.options) },
    (n) => `// <generated: ${n}>`,
    '// </generated>',
  ),
  ...fillAcross(DOCS, readmeRegions(contract), (n) => `<!-- generated: ${n} -->`, '<!-- /generated -->'),
}

/** JS and TypeScript outputs as the house formatter writes them, so `prettier --check` agrees. */
async function formatted(file, text) {
  if (!/\.(js|mjs|ts)$/.test(file)) return text
  const prettier = require('prettier')
  const options = await prettier.resolveConfig(path.join(root, file))
  return prettier.format(text, { ...options, filepath: path.join(root, file) })
}

async function main() {
  const check = process.argv.includes('--check')
  const stale = []
  for (const [file, raw] of Object.entries(outputs)) {
    const text = await formatted(file, raw)
    const full = path.join(root, file)
    const current = fs.existsSync(full) ? fs.readFileSync(full, 'utf8') : null
    if (current === text) continue
    stale.push(file)
    if (!check) {
      fs.mkdirSync(path.dirname(full), { recursive: true })
      fs.writeFileSync(full, text)
    }
  }
  if (check && stale.length > 0) {
    console.error(`Stale generated files (run \`npm run generate\`): ${stale.join(', ')}`)
    process.exit(1)
  }
  if (!check) console.log(stale.length > 0 ? `wrote ${stale.join(', ')}` : 'generated files are up to date')
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
