'use strict'

/** A numeric `--name value` command-line option, or `fallback`. */
function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : fallback
}

/** A `--name value` command-line option as a string, or `fallback`. */
function word(name, fallback) {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : fallback
}

module.exports = { arg, word }
