'use strict'

// The Rust test layout, checked (run by `npm run lint`): tests live out of line, in files named
// `*_tests.rs` in the directory of the code they test, compiled only under `cfg(test)`.
// - `foo_tests.rs` beside `foo.rs` holds foo's own tests and is declared by foo.rs as
//   `#[cfg(test)] #[path = "foo_tests.rs"] mod tests;`, so it sees foo's private items;
// - any other `topic_tests.rs` is a suite of the directory's capability, through its public face,
//   declared by the directory's `mod.rs` or `lib.rs` as `#[cfg(test)] mod topic_tests;`.
// An inline `mod tests { ... }` or a test file by another name is refused.

const fs = require('node:fs')
const path = require('node:path')

const ROOTS = ['core/src', 'helpers/src', 'tower/src', 'src']
const root = path.join(__dirname, '..')

function rustFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    return e.isDirectory() ? rustFiles(p) : e.name.endsWith('.rs') ? [p] : []
  })
}

/** Whether `source` declares `declaration` right after a `#[cfg(test)]` (attributes between allowed). */
function declaresUnderTest(source, declaration) {
  const lines = source.split('\n').map((l) => l.trim())
  const at = lines.indexOf(declaration)
  if (at < 0) return false
  for (let i = at - 1; i >= 0 && lines[i].startsWith('#['); i--) if (lines[i] === '#[cfg(test)]') return true
  return false
}

const problems = []
for (const base of ROOTS) {
  for (const file of rustFiles(path.join(root, base))) {
    const rel = path.relative(root, file)
    const source = fs.readFileSync(file, 'utf8')
    if (/^\s*(pub(\([a-z]+\))? )?mod [a-z_]*tests\s*\{/m.test(source))
      problems.push(`${rel}: an inline test module; move it to a *_tests.rs file`)
    const name = path.basename(file, '.rs')
    if (/(^|_)tests?$/.test(name) && !name.endsWith('_tests'))
      problems.push(`${rel}: test files are named <module>_tests.rs or <topic>_tests.rs`)
    if (!name.endsWith('_tests')) continue
    const dir = path.dirname(file)
    const owner = path.join(dir, `${name.slice(0, -'_tests'.length)}.rs`)
    if (fs.existsSync(owner)) {
      const src = fs.readFileSync(owner, 'utf8')
      const ok = [`mod tests;`, `pub(crate) mod tests;`].some(
        (d) => declaresUnderTest(src, d) && src.includes(`#[path = "${name}.rs"]`),
      )
      if (!ok)
        problems.push(
          `${rel}: declare it in ${path.relative(root, owner)} as #[cfg(test)] #[path = "${name}.rs"] mod tests;`,
        )
    } else {
      const parent = ['mod.rs', 'lib.rs'].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f))
      const src = parent === undefined ? '' : fs.readFileSync(parent, 'utf8')
      if (![`mod ${name};`, `pub(crate) mod ${name};`].some((d) => declaresUnderTest(src, d)))
        problems.push(`${rel}: a suite is declared by its directory's mod.rs or lib.rs as #[cfg(test)] mod ${name};`)
    }
  }
}

if (problems.length > 0) {
  console.error(`Rust test layout (scripts/check-test-layout.js):\n  ${problems.join('\n  ')}`)
  process.exit(1)
}
