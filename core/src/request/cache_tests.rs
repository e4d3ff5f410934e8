//! The verified-token cache through the fused call: hits still decide time claims and revocation,
//! failures are never stored, and a flood of distinct tokens keeps it at its bound.

use crate::clock::ManualClock;
use crate::config::Value;
use crate::error::ErrorCode;
use crate::lifecycle::rotation::PairOptions;
use crate::lifecycle::signing::{Kind, SignOptions};
use crate::lifecycle::tests::{check, claims, setup};
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
