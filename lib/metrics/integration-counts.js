'use strict'

// Outcomes the integrations decide themselves, beside the fused call's own (which its engine
// counts): each API-key request, each guard's refusal, and the JWT strategies' refusals made
// outside the fused call (failedAuthLimit's 429, a keyed or Redis `exact` bucket's 429 or 503).
// Kept per authenticator, in objects made once per strategy, so counting allocates nothing.

const { REQUEST_CODES } = require('../shared/metrics')

const STRATEGIES = ['api_key', 'guard', 'jwt']
const byAuthenticator = new WeakMap()

function blank() {
  const codes = { OK: 0 }
  for (const [code] of REQUEST_CODES) codes[code] = 0
  return codes
}

/** The counts of `auth` (made on first use), or null without an authenticator. */
function integrationCountsOf(auth) {
  if (auth === null || auth === undefined || typeof auth !== 'object') return null
  let counts = byAuthenticator.get(auth)
  if (counts === undefined) {
    counts = Object.fromEntries(STRATEGIES.map((s) => [s, blank()]))
    byAuthenticator.set(auth, counts)
  }
  return counts
}

/** One outcome (`'OK'` or a code) decided by `strategy`, counted on `counts` (null: not counted). */
function countOutcome(counts, strategy, code) {
  if (counts === null) return
  const of = counts[strategy]
  if (Object.hasOwn(of, code)) of[code]++
}

/** `{ strategy, code, n }` rows of what has been counted for `auth` (none before any). */
function integrationRows(auth) {
  const counts = byAuthenticator.get(auth)
  if (counts === undefined) return []
  return STRATEGIES.flatMap((strategy) =>
    Object.entries(counts[strategy])
      .filter(([, n]) => n > 0)
      .map(([code, n]) => ({ strategy, code, n })),
  )
}

module.exports = { integrationCountsOf, countOutcome, integrationRows }
