'use strict'

// Plans (`rateLimitPlans`) and route limits for the JavaScript engine, read with the rules and
// messages of core/src/request/rate_policy.rs.

const { AUTHENTICATOR_OPTIONS: OPT, RATE_POLICY_OPTIONS: RATE, LIMITS } = require('../../shared/contract')
const { configError, wrong, readInteger, readPositive, isObject } = require('../../shared/options')
const { claimPath } = require('./claim-map')

/** `{ max, refill }` named `at` as `{ capacity, refill }`; what it leaves out is `defaults`'. */
function readRate(value, at, defaults) {
  if (!isObject(value)) throw wrong(at, 'an object { max, refill }', value)
  const scoped = (read) => {
    try {
      return read()
    } catch (e) {
      throw configError(`${at}: ${e.message}`)
    }
  }
  const unknown = Object.keys(value).find((k) => !Object.hasOwn(RATE, k))
  if (unknown !== undefined)
    throw configError(`${at}: Unknown option \`${unknown}\`; known options are: ${Object.keys(RATE).join(', ')}`)
  const capacity = scoped(() => readInteger(value, { ...RATE.max, default: defaults.capacity }))
  const refill = scoped(() => readPositive(value, { ...RATE.refill, default: defaults.refill }))
  return { capacity, refill }
}

/** `rateLimitPlans` as `{ claim, rates, byName }` (plan i is policy i + 1), or null. */
function readPlans(config, defaults) {
  const name = OPT.rateLimitPlans.name
  const v = config[name]
  if (v === undefined || v === null) return null
  if (!isObject(v)) throw wrong(name, 'an object { claim, plans }', v)
  const unknown = Object.keys(v).find((k) => k !== 'claim' && k !== 'plans')
  if (unknown !== undefined)
    throw configError(`${name}: Unknown option \`${unknown}\`; known options are: claim, plans`)
  if (v.claim === undefined) throw configError(`\`${name}.claim\` is required`)
  const claim = claimPath(v.claim, `${name}.claim`, OPT.rateLimitPlans.reservedClaims)
  const table = v.plans
  if (table === undefined) throw configError(`\`${name}.plans\` is required`)
  if (!isObject(table)) throw wrong(`${name}.plans`, 'an object of plans', table)
  const plans = Object.keys(table)
  if (plans.length === 0 || plans.length > LIMITS.maxRatePlans)
    throw configError(`\`${name}.plans\` must name 1 to ${LIMITS.maxRatePlans} plans`)
  const rates = []
  const byName = new Map()
  for (const plan of plans) {
    if (plan === '') throw configError(`\`${name}.plans\`: a plan name may not be empty`)
    rates.push(readRate(table[plan], `${name}.plans.${plan}`, defaults))
    byName.set(plan, rates.length)
  }
  return { claim, rates, byName }
}

module.exports = { readRate, readPlans }
