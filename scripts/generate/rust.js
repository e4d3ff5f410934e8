'use strict'

// The Rust side of the contract: the error enum and the option specs (core/src/contract.rs), and
// the result format's writer (src/bindings/result_format.rs). The output is already in rustfmt's
// layout, so `cargo fmt --check` and the staleness check agree.

const { banner, screaming, snake, formatVersion } = require('./common')

const float = (n) => (Number.isInteger(n) ? `${n}.0` : String(n))
const str = (s) => JSON.stringify(s)

function errorEnum(errors) {
  const arms = (f) => errors.map((e) => `      ErrorCode::${e.variant} => ${f(e)},`).join('\n')
  return `/// A stable error code. Request failures carry an HTTP status; the others are thrown to the caller
/// as programmer errors (status 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum ErrorCode {
${errors.map((e) => `  /// ${e.status || 'Thrown'}: ${e.when}\n  ${e.variant},`).join('\n')}
}

impl ErrorCode {
  /// Every code, in wire order: a code's index here is its number between the native and the JS
  /// layer.
  pub const ALL: [ErrorCode; ${errors.length}] = [
${errors.map((e) => `    ErrorCode::${e.variant},`).join('\n')}
  ];

  pub const fn as_str(self) -> &'static str {
    match self {
${arms((e) => str(e.code))}
    }
  }

  /// HTTP status of a request failure; 0 for errors that are thrown, not returned.
  pub const fn status(self) -> u16 {
    match self {
${arms((e) => e.status)}
    }
  }

  /// The message a client may see. Deliberately vague where detail would help an attacker probe
  /// keys or claims.
  pub const fn message(self) -> &'static str {
    match self {
${arms((e) => str(e.message))}
    }
  }
}
`
}

function optionConsts(options, indent) {
  const pad = ' '.repeat(indent)
  const out = [`${pad}/// Every option's name, in the order a refusal lists them.`]
  // rustfmt keeps an array on one line while its items fit in 60 columns (array_width).
  const inline = options.map((o) => str(o.name)).join(', ')
  if (inline.length <= 60) out.push(`${pad}pub const NAMES: &[&str] = &[${inline}];`)
  else out.push(`${pad}pub const NAMES: &[&str] = &[`, ...options.map((o) => `${pad}  ${str(o.name)},`), `${pad}];`)
  for (const o of options) {
    const name = screaming(o.name)
    out.push('')
    if (o.kind === 'boolean') {
      out.push(
        `${pad}pub const ${name}: Flag = Flag {`,
        `${pad}  name: ${str(o.name)},`,
        `${pad}  default: ${o.default},`,
        `${pad}};`,
      )
    } else if (o.kind === 'integer' && o.default === undefined) {
      out.push(
        `${pad}pub const ${name}: OptionalWhole = OptionalWhole {`,
        `${pad}  name: ${str(o.name)},`,
        `${pad}  min: ${float(o.min)},`,
        `${pad}  max: ${float(o.max)},`,
        `${pad}};`,
      )
    } else if (o.kind === 'integer') {
      out.push(
        `${pad}pub const ${name}: Whole = Whole {`,
        `${pad}  name: ${str(o.name)},`,
        `${pad}  min: ${float(o.min)},`,
        `${pad}  max: ${float(o.max)},`,
        `${pad}  default: ${float(o.default)},`,
        `${pad}};`,
      )
    } else if (o.kind === 'positive') {
      out.push(
        `${pad}pub const ${name}: Positive = Positive {`,
        `${pad}  name: ${str(o.name)},`,
        `${pad}  max: ${float(o.max)},`,
        `${pad}  default: ${float(o.default)},`,
        `${pad}};`,
      )
    } else {
      out.push(`${pad}pub const ${name}: &str = ${str(o.name)};`)
      // The default of an option read by its own reader, where it is a single value.
      if (typeof o.default === 'number') out.push(`${pad}pub const ${name}_DEFAULT: f64 = ${float(o.default)};`)
      else if (typeof o.default === 'string') out.push(`${pad}pub const ${name}_DEFAULT: &str = ${str(o.default)};`)
      // The accepted names of a choice, and claims an option may not name.
      for (const [key, suffix] of [
        ['choices', 'CHOICES'],
        ['reservedClaims', 'RESERVED_CLAIMS'],
      ]) {
        if (!o[key]) continue
        const inline = o[key].map(str).join(', ')
        if (inline.length <= 60) out.push(`${pad}pub const ${name}_${suffix}: &[&str] = &[${inline}];`)
        else
          out.push(
            `${pad}pub const ${name}_${suffix}: &[&str] = &[`,
            ...o[key].map((v) => `${pad}  ${str(v)},`),
            `${pad}];`,
          )
      }
    }
  }
  return out.join('\n')
}

function helperModule(type, list) {
  const kinds = new Set(
    list
      .map((o) =>
        o.kind === 'integer' && o.default === undefined
          ? 'OptionalWhole'
          : { boolean: 'Flag', integer: 'Whole', positive: 'Positive' }[o.kind],
      )
      .filter(Boolean),
  )
  const uses =
    kinds.size === 0
      ? ''
      : kinds.size === 1
        ? `    use crate::options::${[...kinds][0]};\n\n`
        : `    use crate::options::{${[...kinds].sort().join(', ')}};\n\n`
  return `  /// \`${type}\`.\n  pub mod ${snake(type)} {\n${uses}${optionConsts(list, 4)}\n  }\n`
}

function limitConsts(limits) {
  return limits
    .map((l) => `  /// ${l.doc}\n  pub const ${screaming(l.name)}: ${l.type ?? 'usize'} = ${l.value};`)
    .join('\n')
}

// The JS-only families (contract/options.json jsFamilies) the tower layer reads as well.
const RUST_READ_FAMILIES = ['FailedAuthLimitOptions']

function contractRs({ errors, options, limits, metrics }) {
  return `${banner('//', ['contract/errors.json', 'contract/options.json', 'contract/limits.json', 'contract/metrics.json'])}
//! The error codes, the names, bounds and defaults of the options, and the fixed limits, as
//! declared in contract/.

#![allow(dead_code)]

${errorEnum(errors)}
/// An authenticator's options.
pub mod option {
  use crate::options::{Flag, OptionalWhole, Positive, Whole};

${optionConsts(options.authenticator, 2)}

  /// What \`setKeys\` takes.
  pub const SET_KEYS: &[&str] = &[${options.setKeys.map(str).join(', ')}];

  /// The options of \`cache: { max, ttl }\`.
  pub mod cache {
    use crate::options::Whole;

${optionConsts(options.cache, 4)}
  }

  /// The fields of \`claims: { userId, tenantId, roles, permissions }\` and the claims they
  /// default to.
  pub mod claims {
${optionConsts(options.claims, 4)}
  }

  /// The limits of a plan or a route, \`{ max, refill }\`; a left-out one is the authenticator's.
  pub mod rate_policy {
    use crate::options::{Positive, Whole};

${optionConsts(options.ratePolicy, 4)}
  }
}

/// Fixed bounds both engines apply.
pub mod limit {
${limitConsts(limits)}
}

/// The bounds of the metrics' histograms (contract/metrics.json).
pub mod metric {
  /// Upper bounds of the fused call's latency buckets, in microseconds.
  pub const LATENCY_BOUNDS_MICROS: [u64; ${metrics.latencyBoundsMicros.length}] =
    [${metrics.latencyBoundsMicros.join(', ')}];
}

/// The helpers' options, by the name of their type in index.d.ts.
pub mod helper_option {
${Object.entries(options.helpers)
  .map(([type, list]) => helperModule(type, list))
  .join('\n')}}

/// Option families of the integrations that the Rust integration (auth-shield-tower) reads too.
pub mod integration_option {
${RUST_READ_FAMILIES.map((type) => helperModule(type, options.jsFamilies[type])).join('\n')}}
`
}

const RUST_TYPES = { u32: 'u32', 'u32?': 'Option<u32>', u64: 'u64', string: "Option<&'a str>", strings: "&'a [P]" }
const WRITERS = { u32: 'u32', 'u32?': 'opt_u32', u64: 'u64', string: 'string', strings: 'strings' }

function section(name, doc, fields) {
  const generic = fields.some((f) => f.type === 'strings')
  const lifetime = fields.some((f) => f.type === 'string' || f.type === 'strings')
  const params = [lifetime && "'a", generic && 'P'].filter(Boolean)
  const decl = params.length ? `<${params.join(', ')}>` : ''
  const use = params.length ? `<${params.map((p) => (p === "'a" ? "'_" : p)).join(', ')}>` : ''
  const bound = generic ? '<P: AsRef<str>>' : ''
  return `/// ${doc}
pub(crate) struct ${name}${decl} {
${fields.map((f) => `${f.doc ? `  /// ${f.doc}\n` : ''}  pub ${snake(f.name)}: ${RUST_TYPES[f.type]},`).join('\n')}
}

impl${bound} ${name}${use} {
  pub(crate) fn write(&self, out: &mut impl Sink) -> Result<(), Wide> {
${fields.map((f) => `    out.${WRITERS[f.type]}(self.${snake(f.name)})?;`).join('\n')}
    Ok(())
  }
}
`
}

function resultFormatRs(contract) {
  const { result } = contract
  const version = formatVersion(contract)
  return `${banner('//', ['contract/result.json', 'contract/errors.json'])}
//! The request path's result format (contract/result.json): one writer per section, in the
//! declared field order; lib/shared/contract.js has the matching readers.

use super::encode::{Sink, Wide};
use napi_derive::napi;

/// A digest of the fields and the error list; the JS wrapper refuses a binary with another.
pub const VERSION: u32 = 0x${version.toString(16).padStart(8, '0')};

/// Bytes read of an Authorization header beyond \`maxTokenLength\`; more is "too long".
pub const AUTHORIZATION_SLACK_BYTES: usize = ${result.request.authorizationSlackBytes};
/// The buffer a tenant header or Host is read into; a value that fills it is "too long".
pub const HEADER_FIELD_BUFFER_BYTES: usize = ${result.request.headerFieldBufferBytes};

/// Units of an encoded result's kind, written first.
pub const KIND_UNITS: usize = ${result.frame.kindUnits};
/// Units of the request id, written after the kind.
pub const REQUEST_ID_UNITS: usize = ${result.frame.requestIdUnits};

/// The request path's \`limit\` argument that means the default limits.
pub const LIMIT_DEFAULT: u32 = ${result.limitArgument.default};
/// The \`limit\` argument that means the caller limits the request itself, or not at all.
pub const LIMIT_DEFERRED: u32 = ${result.limitArgument.deferred};

/// The result format this binary writes.
#[napi]
pub fn result_format_version() -> u32 {
  VERSION
}

${Object.entries(result.sections)
  .map(([name, doc]) => section(pascal(name), `${doc}.`, result[name]))
  .join('\n')}`
}

const pascal = (name) => name[0].toUpperCase() + name.slice(1)

function rust(contract) {
  return {
    'core/src/contract.rs': contractRs(contract),
    'src/bindings/result_format.rs': resultFormatRs(contract),
  }
}

module.exports = { rust }
