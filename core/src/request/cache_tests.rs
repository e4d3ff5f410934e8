//! The verified-token cache through the fused call: hits still decide time claims and revocation,
//! failures are never stored, and a flood of distinct tokens keeps it at its bound.

use super::{CacheSettings, Claims, VerifiedCache};
use crate::clock::ManualClock;
use crate::config::Value;
use crate::error::ErrorCode;
use crate::lifecycle::flow_tests::{check, claims, setup};
use crate::lifecycle::rotation::PairOptions;
use crate::lifecycle::signing::{Kind, SignOptions};
use crate::request::pipeline::Authenticator;
use serde_json::json;
use std::sync::Arc;

fn cached(extra: &[(&str, Value)]) -> (Authenticator, Arc<ManualClock>) {
  let mut all = vec![(
    "cache",
    Value::Map(vec![
      ("max".into(), Value::Number(100.0)),
      ("ttl".into(), Value::Number(300.0)),
    ]),
  )];
  all.extend(extra.iter().cloned());
  setup(&all)
}

#[test]
fn cache_hits_recheck_time_and_revocation() {
  let (auth, clock) = cached(&[]);
  let pair = auth
    .issue_pair(
      claims(json!({ "sub": "u1", "role": "admin" })),
      &PairOptions {
        access_expires_in: Some(100),
        refresh_expires_in: None,
      },
    )
    .unwrap();
  assert_eq!(check(&auth, &pair.access_token).unwrap(), "admin");
  assert_eq!(auth.cache().unwrap().len(), 1);
  assert_eq!(check(&auth, &pair.access_token).unwrap(), "admin");
  // Revoked: refused on the very next (cached) call.
  auth.revoke_family(&pair.family, None).unwrap();
  assert_eq!(
    check(&auth, &pair.access_token),
    Err(ErrorCode::TokenRevoked)
  );
  // Dies at exp, cached or not.
  let other = auth
    .sign(
      Kind::Access,
      claims(json!({ "sub": "u2" })),
      &SignOptions {
        expires_in: Some(50),
        not_before: None,
      },
    )
    .unwrap();
  assert!(check(&auth, &other).is_ok());
  clock.advance_nanos(49_000_000_000);
  assert!(check(&auth, &other).is_ok());
  clock.advance_nanos(1_000_000_000);
  assert_eq!(check(&auth, &other), Err(ErrorCode::TokenExpired));
}

#[test]
fn failures_are_not_cached_and_tampering_misses() {
  let (auth, _) = cached(&[]);
  let good = auth
    .sign(
      Kind::Access,
      claims(json!({ "sub": "u1" })),
      &SignOptions::default(),
    )
    .unwrap();
  let mut bad = good.clone();
  bad.pop();
  bad.push(if good.ends_with('A') { 'B' } else { 'A' });
  assert_eq!(check(&auth, &bad), Err(ErrorCode::InvalidSignature));
  assert_eq!(check(&auth, &bad), Err(ErrorCode::InvalidSignature));
  assert!(auth.cache().unwrap().is_empty());
  assert!(check(&auth, &good).is_ok());
  // Same signature, other payload: a different token, so a different (missing) entry.
  let parts: Vec<&str> = good.split('.').collect();
  let forged = format!("{}.{}.{}", parts[0], "eyJzdWIiOiJhZG1pbiJ9", parts[2]);
  assert_eq!(check(&auth, &forged), Err(ErrorCode::InvalidSignature));
}

#[test]
fn a_flood_of_distinct_tokens_keeps_the_cache_at_its_bound() {
  let (auth, _) = cached(&[]);
  for i in 0..1000 {
    let t = auth
      .sign(
        Kind::Access,
        claims(json!({ "sub": format!("u{i}") })),
        &SignOptions::default(),
      )
      .unwrap();
    assert!(check(&auth, &t).is_ok());
    assert!(auth.cache().unwrap().len() <= 100);
  }
}

fn expiring(exp: f64) -> Claims<'static> {
  Claims {
    sub: Some(crate::jwt::Str("u".into())),
    exp: Some(exp),
    ..Claims::default()
  }
}

#[test]
fn entries_live_until_ttl_or_exp_and_the_bound_holds() {
  let c = VerifiedCache::new(CacheSettings {
    max: 100,
    ttl_secs: 60,
  });
  c.put(b"a", &expiring(1030.0), 1000);
  assert!(c.get(b"a", 1029).is_some());
  assert!(c.get(b"a", 1030).is_none());
  c.put(b"b", &expiring(5000.0), 1000);
  assert!(c.get(b"b", 1059).is_some());
  assert!(c.get(b"b", 1060).is_none());
  c.put(b"gone", &expiring(999.0), 1000);
  assert!(c.get(b"gone", 1000).is_none());
  for i in 0..10_000u32 {
    c.put(&i.to_be_bytes(), &expiring(5000.0), 1000);
    assert!(c.len() <= 100);
  }
  // Recently used entries survive a flood of new ones better than untouched ones.
  assert!(c.get(&9_999u32.to_be_bytes(), 1001).is_some());
}

#[test]
fn options() {
  assert_eq!(CacheSettings::from_value(None).unwrap(), None);
  assert_eq!(
    CacheSettings::from_value(Some(Value::Bool(true)))
      .unwrap()
      .unwrap()
      .max,
    10_000
  );
  let m = Value::Map(vec![
    ("max".into(), Value::Number(50.0)),
    ("ttl".into(), Value::Number(5.0)),
  ]);
  assert_eq!(
    CacheSettings::from_value(Some(m)).unwrap(),
    Some(CacheSettings {
      max: 50,
      ttl_secs: 5
    })
  );
  for bad in [
    Value::Number(1.0),
    Value::Map(vec![("size".into(), Value::Number(5.0))]),
    Value::Map(vec![("max".into(), Value::Number(1.0))]),
    Value::Map(vec![("ttl".into(), Value::Number(0.0))]),
  ] {
    assert!(CacheSettings::from_value(Some(bad)).is_err());
  }
}
