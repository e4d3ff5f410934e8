'use strict'

// `npm run fuzz [-- --seconds 60 --target claims]`: runs each cargo-fuzz target (fuzz/) for a set
// time under libFuzzer with AddressSanitizer, from the committed seeds (fuzz/corpus/<target>,
// read only) into a scratch corpus, and stops at the first failure (its input is written to
// fuzz/artifacts/<target>/). Needs cargo-fuzz and a nightly toolchain; see CONTRIBUTING.md.

const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const TARGETS = ['claims', 'request_path', 'host', 'sanitize_html']
const option = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : fallback
}
const seconds = Number(option('seconds', 60))
const only = option('target', null)
const targets = only === null ? TARGETS : [only]
if (!Number.isInteger(seconds) || seconds < 1) throw new Error('--seconds must be a whole number of seconds')
if (targets.some((t) => !TARGETS.includes(t))) throw new Error(`--target must be one of ${TARGETS.join(', ')}`)

const fuzzDir = path.join(__dirname, '..', 'fuzz')
const probe = spawnSync('cargo', ['+nightly', 'fuzz', '--version'], { encoding: 'utf8' })
if (probe.status !== 0) {
  console.error(
    'npm run fuzz needs cargo-fuzz and a nightly toolchain:\n  rustup toolchain install nightly\n  cargo install cargo-fuzz',
  )
  process.exit(1)
}

for (const target of targets) {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `auth-shield-fuzz-${target}-`))
  console.log(`\n${target}: ${seconds} s`)
  const run = spawnSync(
    'cargo',
    [
      '+nightly',
      'fuzz',
      'run',
      target,
      scratch,
      path.join('corpus', target),
      '--',
      `-max_total_time=${seconds}`,
      '-print_final_stats=1',
    ],
    { cwd: fuzzDir, stdio: 'inherit' },
  )
  fs.rmSync(scratch, { recursive: true, force: true })
  if (run.status !== 0) {
    console.error(
      `${target} failed: its input is in fuzz/artifacts/${target}/ (reproduce: cd fuzz && cargo +nightly fuzz run ${target} <that file>)`,
    )
    process.exit(1)
  }
}
console.log(`\nall ${targets.length} target(s) ran ${seconds} s without a failure`)
