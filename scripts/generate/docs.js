'use strict'

// The contract as documentation: the regions of index.d.ts (the ErrorCode union and the config
// types) and of the README and docs/ (the option and error tables) that are generated.

const { defaultDoc, bounds } = require('./common')

const TS_TYPES = { boolean: 'boolean', integer: 'number', positive: 'number' }
const README_TYPES = { boolean: 'boolean', integer: 'integer', positive: 'number' }

const sentence = (...parts) => parts.filter(Boolean).join(' ')

function member(o, { required = false, never = false } = {}) {
  if (never) return `  ${o.name}?: undefined`
  const doc = sentence(o.doc, bounds(o), required ? 'Required here.' : `Defaults to ${defaultDoc(o)}.`)
  return `  /** ${doc} */\n  ${o.name}${required ? '' : '?'}: ${o.ts ?? TS_TYPES[o.kind]}`
}

function configTypes(options) {
  const all = options.authenticator
  const common = all.filter((o) => !o.group)
  const secret = all.filter((o) => o.group === 'secret')
  const named = all.filter((o) => o.group === 'named')
  const byName = (n) => all.find((o) => o.name === n)
  const variant = (name, doc, members) =>
    `/** ${doc} */\nexport interface ${name} extends AuthConfigOptions {\n${members.join('\n')}\n}`
  return [
    '/** The options every configuration may take, whichever keys verify its access tokens. */',
    `export interface AuthConfigOptions {\n${common.map((o) => member(o)).join('\n')}\n}`,
    '',
    variant('SecretConfig', 'Access tokens signed and verified with one secret.', [
      ...secret.map((o) => member(o, { required: true })),
      ...named.map((o) => member(o, { never: true })),
    ]),
    '',
    variant('NamedKeysConfig', "Access tokens verified with named keys, each chosen by the token's `kid`.", [
      ...secret.map((o) => member(o, { never: true })),
      member(byName('keys'), { required: true }),
      ...named.filter((o) => o.name !== 'keys').map((o) => member(o)),
    ]),
    '',
    variant('JwksConfig', "Access tokens verified with the keys of a JWK Set, e.g. an identity provider's.", [
      ...secret.map((o) => member(o, { never: true })),
      member(byName('jwks'), { required: true }),
      ...named.filter((o) => o.name !== 'jwks').map((o) => member(o)),
    ]),
    '',
    "/** An authenticator's configuration: `accessSecret`, or named `keys` / `jwks`, never both (the engine refuses both). */",
    'export type AuthConfig = SecretConfig | NamedKeysConfig | JwksConfig',
  ].join('\n')
}

function dtsRegions({ errors, options }) {
  return {
    'error-codes': [
      '/** Every error code auth-shield reports. Request failures come back in a result; the others are thrown. */',
      'export type ErrorCode =',
      ...errors.map((e) => `  | '${e.code}'`),
    ].join('\n'),
    config: configTypes(options),
    'security-event-options': familyMembers(options.jsFamilies.SecurityEventOptions, {
      function: '(event: SecurityEvent) => void',
      logger: '{ warn(obj: object, msg?: string): unknown; error(obj: object, msg?: string): unknown }',
      integer: 'number',
    }),
    'prometheus-options': familyMembers(options.jsFamilies.PrometheusOptions, {
      Registry: '{ registerMetric(metric: any): void }',
      JwksRefresher: "import('./lib/helpers/index').JwksRefresher",
    }),
  }
}

/** A family's members as optional d.ts members, with TypeScript types where its docs type differs. */
function familyMembers(list, tsOf = {}) {
  return list
    .map(
      (o) =>
        `  /** ${sentence(o.doc, `Defaults to ${defaultDoc(o)}.`)} */\n  ${o.name}?: ${tsOf[o.type] ?? o.ts ?? o.type}`,
    )
    .join('\n')
}

/** The helper option interfaces, in lib/helpers/index.d.ts. */
function helperDtsRegions({ options }) {
  return Object.fromEntries(
    Object.entries(options.helpers).map(([type, list]) => [
      type,
      `export interface ${type} {\n${list.map((o) => member(o)).join('\n')}\n}`,
    ]),
  )
}

const cell = (s) => s.replace(/\|/g, '\\|')

function integrationMembers(options) {
  return options.integration
    .filter((o) => !o.declared)
    .map((o) => `  /** ${sentence(o.doc, `Defaults to ${defaultDoc(o)}.`)} */\n  ${o.name}?: ${o.ts}`)
    .join('\n')
}

/** ApiKeyAuthOptions' members: its own options, then the integrations' it shares, in its own words where they differ. */
function apiKeyAuthMembers(options) {
  const own = options.jsFamilies.ApiKeyAuthOptions.map((o) => ({ ...o, optional: !o.required }))
  const shared = options.integration
    .filter((o) => o.apiKeyAuth !== undefined)
    .map((o) => ({ ...o, ...(o.apiKeyAuth === true ? {} : o.apiKeyAuth), optional: true }))
  return [...own, ...shared]
    .map(
      (o) =>
        `  /** ${sentence(o.doc, o.required ? '' : `Defaults to ${defaultDoc(o)}.`)} */\n  ${o.name}${o.optional ? '?' : ''}: ${o.ts}`,
    )
    .join('\n')
}

/** A family's rows; apiKeyAuth's table goes on with the integrations' options it takes too. */
function familyRows(type, list, options) {
  if (type !== 'ApiKeyAuthOptions') return list
  const shared = options.integration.filter((o) => o.apiKeyAuth !== undefined)
  return [
    ...list,
    ...shared.map((o) => ({ ...o, type: o.ts ?? 'string', ...(o.apiKeyAuth === true ? {} : o.apiKeyAuth) })),
  ]
}

function metricRows(metrics) {
  return [
    '| metric (Prometheus) | OpenTelemetry | type | labels | meaning |',
    '|---|---|---|---|---|',
    ...metrics.metrics.map(
      (m) =>
        `| \`${m.name}\` | \`${m.otel}\` (${m.unit}) | ${m.type} | ${m.labels.map((l) => `\`${l}\``).join(', ') || '—'} | ${cell(m.help)} |`,
    ),
  ].join('\n')
}

function eventRows(events) {
  return [
    '| event | level | when | its `event` names |',
    '|---|---|---|---|',
    ...events.map(
      (e) => `| \`${e.type}\` | ${e.level} | ${cell(e.when)} | ${e.args.map((a) => `\`${a}\``).join(', ')} |`,
    ),
  ].join('\n')
}

function readmeRegions({ errors, options, metrics, events }) {
  const optionRows = options.authenticator.map((o) => {
    const type = o.type ?? README_TYPES[o.kind]
    return `| \`${o.name}\` | ${cell(type)} | ${cell(defaultDoc(o))} | ${cell(sentence(o.doc, bounds(o)))} |`
  })
  const errorRows = errors.map((e) => `| \`${e.code}\` | ${e.status || 'thrown'} | ${e.message} | ${cell(e.when)} |`)
  const integrationRows = options.integration.map((o) => `| \`${o.name}\` | ${cell(defaultDoc(o))} | ${cell(o.doc)} |`)
  return {
    options: ['| option | type | default | meaning |', '|---|---|---|---|', ...optionRows].join('\n'),
    'integration-options': ['| option | default | meaning |', '|---|---|---|', ...integrationRows].join('\n'),
    ...Object.fromEntries(
      Object.entries(options.helpers).map(([type, list]) => [
        type,
        [
          '| option | type | default | meaning |',
          '|---|---|---|---|',
          ...list.map(
            (o) =>
              `| \`${o.name}\` | ${cell(o.type ?? README_TYPES[o.kind])} | ${cell(defaultDoc(o))} | ${cell(sentence(o.doc, bounds(o)))} |`,
          ),
        ].join('\n'),
      ]),
    ),
    ...Object.fromEntries(
      Object.entries(options.jsFamilies)
        .filter(([type]) => !type.startsWith('$'))
        .map(([type, list]) => [
          type,
          [
            '| option | type | default | meaning |',
            '|---|---|---|---|',
            ...familyRows(type, list, options).map(
              (o) =>
                `| \`${o.name}\` | ${cell(o.type)} | ${cell(o.required ? 'required' : defaultDoc(o))} | ${cell(sentence(o.doc, bounds(o)))} |`,
            ),
          ].join('\n'),
        ]),
    ),
    errors: ['| code | status | message | when |', '|---|---|---|---|', ...errorRows].join('\n'),
    metrics: metricRows(metrics),
    'security-events': eventRows(events),
  }
}

module.exports = { dtsRegions, helperDtsRegions, readmeRegions, integrationMembers, apiKeyAuthMembers }
