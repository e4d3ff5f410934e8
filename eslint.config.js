'use strict'

// The house's JS lint: ESLint's recommended rules on Node globals, run by .ci/run beside Prettier's
// check. The generated loader (binding.js) is the napi CLI's, checked for staleness instead.

const js = require('@eslint/js')
const globals = require('globals')

module.exports = [
  { ignores: ['binding.js', 'target/**', 'node_modules/**', 'fuzz/**', 'npm/**'] },
  js.configs.recommended,
  {
    files: ['**/*.js'],
    languageOptions: { ecmaVersion: 2024, sourceType: 'commonjs', globals: { ...globals.node } },
  },
  {
    // Run by node, bun and deno alike (the runtimes smoke test); Bun and Deno are its own globals.
    files: ['**/*.cjs'],
    languageOptions: {
      ecmaVersion: 2024,
      sourceType: 'commonjs',
      globals: { ...globals.node, Bun: 'readonly', Deno: 'readonly' },
    },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { ecmaVersion: 2024, sourceType: 'module', globals: { ...globals.node } },
  },
  {
    rules: {
      // Every unused name is a mistake but these: a caught error, a name that says it is unused
      // (`_hash`, to leave a field out of a rest object), and an Express error handler's `next`,
      // which Express needs declared to know it for one.
      'no-unused-vars': [
        'error',
        { caughtErrors: 'none', argsIgnorePattern: '^(_|next$)', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Control characters in patterns are what the sanitisers and header checks refuse, on purpose.
      'no-control-regex': 'off',
    },
  },
]
