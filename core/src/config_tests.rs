//! Unit tests of `config.rs`, beside it as every module's are.

use super::*;
use crate::error::ErrorCode;

const SECRET: &str = "0123456789abcdef0123456789abcdef";

fn raw(extra: &[(&str, Value)]) -> RawConfig {
  let mut r = vec![];
  if !extra.iter().any(|(n, _)| *n == "accessSecret") {
    r.push(("accessSecret".to_string(), Value::String(SECRET.into())));
  }
  r.extend(extra.iter().map(|(n, v)| (n.to_string(), v.clone())));
  r
}

fn err(extra: &[(&str, Value)]) -> Error {
  Settings::from_raw(raw(extra)).unwrap_err()
}

#[test]
fn every_declared_choice_is_read() {
  for name in opt::RATE_LIMIT_KEY_CHOICES {
    assert!(LimitKey::from_name(name).is_some(), "{name}");
  }
  for name in opt::ACCESS_TOKEN_MARK_CHOICES {
    assert!(
      access_mark(Some(Value::String(name.to_string()))).is_ok(),
      "{name}"
    );
  }
  assert!(access_mark(Some(Value::String("jwt".into()))).is_err());
}

#[test]
fn defaults() {
  let s = Settings::from_raw(raw(&[])).unwrap();
  assert_eq!(s.signing_algorithm, Algorithm::HS256);
  assert_eq!(s.leeway, 0);
  assert!(s.require_exp && s.enforce_tenant_match);
  assert_eq!(
    s.limits,
    Limits {
      capacity: 100,
      refill_per_sec: 10.0,
      max_keys: 100_000
    }
  );
  assert_eq!(s.max_token_length, 8192);
  assert_eq!((s.access_token_ttl, s.refresh_token_ttl), (900, 604_800));
}

#[test]
fn missing_secret_and_unknown_options_are_refused() {
  let e = Settings::from_raw(vec![]).unwrap_err();
  assert_eq!(e.code, ErrorCode::InvalidConfig);
  assert!(e.detail.contains("accessSecret"));
  let e = err(&[("enforceTenantMach", Value::Bool(true))]);
  assert!(e.detail.contains("enforceTenantMach"));
}

#[test]
fn short_secrets_are_weak_unless_allowed_and_never_echoed() {
  let short = vec![("accessSecret".to_string(), Value::String("hunter2".into()))];
  let e = Settings::from_raw(short.clone()).unwrap_err();
  assert_eq!(e.code, ErrorCode::WeakSecret);
  assert!(!e.detail.contains("hunter2"));
  let mut allowed = short;
  allowed.push(("allowWeakSecrets".into(), Value::Bool(true)));
  assert!(Settings::from_raw(allowed).is_ok());
  let e = err(&[(
    "algorithms",
    Value::List(vec![Value::String("HS512".into())]),
  )]);
  assert_eq!(e.code, ErrorCode::WeakSecret);
}

#[test]
fn empty_secret_is_refused_even_when_weak_ones_are_allowed() {
  let e = Settings::from_raw(vec![
    ("accessSecret".into(), Value::Bytes(vec![])),
    ("allowWeakSecrets".into(), Value::Bool(true)),
  ])
  .unwrap_err();
  assert_eq!(e.code, ErrorCode::InvalidConfig);
}

#[test]
fn none_and_unknown_algorithms_are_refused() {
  for alg in ["none", "RS256", "hs256", ""] {
    let e = err(&[("algorithms", Value::List(vec![Value::String(alg.into())]))]);
    assert_eq!(e.code, ErrorCode::InvalidConfig, "{alg}");
  }
  assert_eq!(
    err(&[("algorithms", Value::List(vec![]))]).code,
    ErrorCode::InvalidConfig
  );
  assert_eq!(
    err(&[("algorithms", Value::String("HS256".into()))]).code,
    ErrorCode::InvalidConfig
  );
}

#[test]
fn numbers_are_range_checked_not_coerced() {
  for (name, v) in [
    ("leeway", Value::Number(-1.0)),
    ("leeway", Value::Number(1.5)),
    ("leeway", Value::String("5".into())),
    ("rateLimitMax", Value::Number(0.0)),
    ("rateLimitMax", Value::Number(f64::NAN)),
    ("rateLimitRefill", Value::Number(0.0)),
    ("rateLimitRefill", Value::Number(f64::INFINITY)),
    ("rateLimitMaxKeys", Value::Number(1.0)),
    ("maxTokenLength", Value::Number(1e9)),
    ("requireExp", Value::Number(1.0)),
    ("issuer", Value::List(vec![])),
    ("issuer", Value::String(String::new())),
    ("audience", Value::Number(1.0)),
    ("baseDomain", Value::String("exa mple.com".into())),
    ("baseDomain", Value::List(vec![])),
    ("baseDomain", Value::List(vec![Value::Number(1.0)])),
    (
      "baseDomain",
      Value::List(vec![
        Value::String("ok.com".into()),
        Value::String("no/pe".into()),
      ]),
    ),
    ("accessSecret", Value::Number(1.0)),
    ("refreshSecret", Value::Other("an object")),
  ] {
    let e = err(&[(name, v.clone())]);
    assert_eq!(e.code, ErrorCode::InvalidConfig, "{name} {v:?}");
    assert!(e.detail.contains(name), "{}", e.detail);
  }
}

#[test]
fn lists_and_domains_are_normalised() {
  let s = Settings::from_raw(raw(&[
    ("issuer", Value::String("a".into())),
    (
      "audience",
      Value::List(vec![Value::String("x".into()), Value::String("y".into())]),
    ),
    ("baseDomain", Value::String(".Example.COM".into())),
    ("rateLimitRefill", Value::Number(0.5)),
  ]))
  .unwrap();
  assert_eq!(s.issuers, vec!["a"]);
  assert_eq!(s.audiences, vec!["x", "y"]);
  assert_eq!(s.base_domains, vec!["example.com"]);
  assert_eq!(s.limits.refill_per_sec, 0.5);
}
