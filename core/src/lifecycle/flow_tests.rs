//! Token pairs, rotation, reuse detection and revocation through the fused call, with a clock
//! the tests move.

use crate::clock::ManualClock;
use crate::config::{Settings, Value};
use crate::error::ErrorCode;
use crate::lifecycle::rotation::{Pair, PairOptions};
use crate::lifecycle::signing::{Kind, SignOptions};
use crate::request::pipeline::{Authenticator, Request, Scratch};
use crate::request::tenant::Field;
use serde_json::{json, Map};
use std::sync::Arc;

pub(crate) const T0: u64 = 1_700_000_000;

pub(crate) fn setup(extra: &[(&str, Value)]) -> (Authenticator, Arc<ManualClock>) {
  let mut raw = vec![
    (
      "accessSecret".to_string(),
      Value::String("access-secret-access-secret-0123".into()),
    ),
    (
      "refreshSecret".to_string(),
      Value::String("refresh-secret-refresh-secret-01".into()),
    ),
    ("rateLimitMax".to_string(), Value::Number(1000.0)),
    ("enforceTenantMatch".to_string(), Value::Bool(false)),
  ];
  raw.extend(extra.iter().map(|(n, v)| (n.to_string(), v.clone())));
  let clock = Arc::new(ManualClock::at(T0));
  (
    Authenticator::with_clock(Settings::from_raw(raw).unwrap(), clock.clone()).unwrap(),
    clock,
  )
}

pub(crate) fn claims(v: serde_json::Value) -> Map<String, serde_json::Value> {
  v.as_object().unwrap().clone()
}

pub(crate) fn check(auth: &Authenticator, token: &str) -> Result<String, ErrorCode> {
  let header = format!("Bearer {token}");
  let req = Request {
    authorization: Field::Present(header.as_bytes()),
    tenant_header: Field::Absent,
    host: Field::Absent,
    limit: Default::default(),
  };
  let mut scratch = Scratch::default();
  let out = auth.authenticate(&req, &mut scratch);
  out
    .result
    .map(|s| {
      s.claims
        .role
        .as_ref()
        .map_or(String::new(), |r| r.as_str().to_owned())
    })
    .map_err(|f| f.code)
}

fn login(auth: &Authenticator) -> Pair {
  auth
    .issue_pair(
      claims(json!({ "sub": "u1", "role": "admin", "tenant_id": "acme", "plan": "pro" })),
      &PairOptions::default(),
    )
    .unwrap()
}

fn refresh(auth: &Authenticator, token: &str) -> Result<Pair, ErrorCode> {
  auth
    .refresh(token, None, &PairOptions::default())
    .unwrap()
    .map_err(|r| r.code)
}

#[test]
fn a_pair_authenticates_and_refreshes_with_the_same_claims() {
  let (auth, clock) = setup(&[]);
  let pair = login(&auth);
  assert_eq!(pair.access_expires_at, T0 + 900);
  assert_eq!(pair.refresh_expires_at, T0 + 604_800);
  assert_eq!(check(&auth, &pair.access_token).unwrap(), "admin");
  // A refresh token is never an access token, nor the other way round: each has its own secret.
  assert_eq!(
    check(&auth, &pair.refresh_token),
    Err(ErrorCode::InvalidSignature)
  );
  assert_eq!(
    refresh(&auth, &pair.access_token).unwrap_err(),
    ErrorCode::InvalidSignature
  );
  clock.advance_nanos(60_000_000_000);
  let next = refresh(&auth, &pair.refresh_token).unwrap();
  assert_eq!(next.family, pair.family);
  assert_eq!(next.user_id, "u1");
  assert_eq!(check(&auth, &next.access_token).unwrap(), "admin");
  let mut payload = Vec::new();
  crate::jwt::base64url::decode_into(
    next.refresh_token.split('.').nth(1).unwrap().as_bytes(),
    &mut payload,
  )
  .unwrap();
  let v: serde_json::Value = serde_json::from_slice(&payload).unwrap();
  assert_eq!(v["plan"], "pro");
  assert_eq!(v["fam"], pair.family.as_str());
  assert_eq!(v["iat"], T0 + 60);
}

#[test]
fn reusing_a_rotated_refresh_token_revokes_the_whole_family() {
  let (auth, _) = setup(&[]);
  let pair = login(&auth);
  let other = login(&auth);
  let second = refresh(&auth, &pair.refresh_token).unwrap();
  assert_eq!(
    refresh(&auth, &pair.refresh_token).unwrap_err(),
    ErrorCode::TokenReused
  );
  // Every token of the family is dead now: the thief's and the user's.
  assert_eq!(
    refresh(&auth, &second.refresh_token).unwrap_err(),
    ErrorCode::TokenRevoked
  );
  assert_eq!(
    check(&auth, &second.access_token),
    Err(ErrorCode::TokenRevoked)
  );
  assert_eq!(
    check(&auth, &pair.access_token),
    Err(ErrorCode::TokenRevoked)
  );
  // Other logins are untouched.
  assert!(check(&auth, &other.access_token).is_ok());
  assert!(refresh(&auth, &other.refresh_token).is_ok());
}

#[test]
fn refresh_can_replace_the_claims_and_bad_claims_change_nothing() {
  let (auth, _) = setup(&[]);
  let pair = login(&auth);
  let bad = auth.refresh(
    &pair.refresh_token,
    Some(claims(json!({ "sub": 5 }))),
    &PairOptions::default(),
  );
  assert_eq!(bad.unwrap_err().code, ErrorCode::InvalidArgument);
  let demoted = auth
    .refresh(
      &pair.refresh_token,
      Some(claims(json!({ "sub": "u1", "role": "viewer" }))),
      &PairOptions::default(),
    )
    .unwrap()
    .unwrap();
  assert_eq!(check(&auth, &demoted.access_token).unwrap(), "viewer");
}

#[test]
fn hand_signed_refresh_tokens_have_no_family_to_rotate() {
  let (auth, _) = setup(&[]);
  let t = auth
    .sign(
      Kind::Refresh,
      claims(json!({ "sub": "u1" })),
      &SignOptions::default(),
    )
    .unwrap();
  assert_eq!(refresh(&auth, &t).unwrap_err(), ErrorCode::MissingClaim);
  let e = auth
    .sign(
      Kind::Access,
      claims(json!({ "sub": "u1", "fam": "x" })),
      &SignOptions::default(),
    )
    .unwrap_err();
  assert_eq!(e.code, ErrorCode::InvalidArgument);
  let e = auth
    .issue_pair(
      claims(json!({ "sub": "u1", "jti": "x" })),
      &PairOptions::default(),
    )
    .unwrap_err();
  assert_eq!(e.code, ErrorCode::InvalidArgument);
}

#[test]
fn revoke_user_takes_effect_on_the_next_call_and_spares_tokens_signed_after() {
  let (auth, clock) = setup(&[]);
  let old = login(&auth);
  let other_user = auth
    .issue_pair(claims(json!({ "sub": "u2" })), &PairOptions::default())
    .unwrap();
  assert!(check(&auth, &old.access_token).is_ok());
  auth.revoke_user("u1", None, None).unwrap();
  assert_eq!(
    check(&auth, &old.access_token),
    Err(ErrorCode::TokenRevoked)
  );
  assert_eq!(
    refresh(&auth, &old.refresh_token).unwrap_err(),
    ErrorCode::TokenRevoked
  );
  assert!(check(&auth, &other_user.access_token).is_ok());
  // Same second, after the revocation: the new login works.
  let fresh = login(&auth);
  assert!(check(&auth, &fresh.access_token).is_ok());
  // Signed elsewhere in that same second: it cannot be told from one issued before, so it is refused.
  let raw = |payload: serde_json::Value| {
    crate::jwt::sign::sign(
      auth.access_verifier().secret_key().unwrap(),
      auth.settings().signing_algorithm,
      payload.to_string().as_bytes(),
    )
  };
  let foreign =
    raw(json!({ "sub": "u1", "type": "access", "jti": "elsewhere", "iat": T0, "exp": T0 + 900 }));
  assert_eq!(check(&auth, &foreign), Err(ErrorCode::TokenRevoked));
  clock.advance_nanos(2_000_000_000);
  let next_second =
    raw(json!({ "sub": "u1", "type": "access", "jti": "later", "iat": T0 + 1, "exp": T0 + 900 }));
  assert!(check(&auth, &next_second).is_ok());
  assert!(check(&auth, &fresh.access_token).is_ok());
  auth.revoke_user("u1", None, None).unwrap();
  assert_eq!(
    check(&auth, &fresh.access_token),
    Err(ErrorCode::TokenRevoked)
  );
  // Tokens without iat cannot be shown to be newer.
  let no_iat = raw(json!({ "sub": "u1", "type": "access", "exp": T0 + 1000 }));
  assert_eq!(check(&auth, &no_iat), Err(ErrorCode::TokenRevoked));
}

#[test]
fn revoke_user_per_tenant() {
  let (auth, _) = setup(&[]);
  let acme = login(&auth);
  let globex = auth
    .issue_pair(
      claims(json!({ "sub": "u1", "tenant_id": "globex" })),
      &PairOptions::default(),
    )
    .unwrap();
  auth.revoke_user("u1", Some("acme"), None).unwrap();
  assert_eq!(
    check(&auth, &acme.access_token),
    Err(ErrorCode::TokenRevoked)
  );
  assert!(check(&auth, &globex.access_token).is_ok());
}

#[test]
fn revoked_jtis_die_with_their_tokens() {
  let (auth, clock) = setup(&[]);
  let t = auth
    .sign(
      Kind::Access,
      claims(json!({ "sub": "u1", "jti": "j-1" })),
      &SignOptions::default(),
    )
    .unwrap();
  let u = auth
    .sign(
      Kind::Access,
      claims(json!({ "sub": "u1", "jti": "j-2" })),
      &SignOptions::default(),
    )
    .unwrap();
  assert!(auth.revoke_token("j-1", Some(T0 + 900)).unwrap());
  assert_eq!(check(&auth, &t), Err(ErrorCode::TokenRevoked));
  assert!(check(&auth, &u).is_ok());
  assert_eq!(auth.revocations().len(), 1);
  // Already expired: nothing to record.
  assert!(!auth.revoke_token("j-3", Some(T0 - 1)).unwrap());
  clock.advance_nanos(901_000_000_000);
  assert_eq!(check(&auth, &t), Err(ErrorCode::TokenExpired));
  // The entry is gone once it can match nothing; the next write purges it.
  assert!(auth.revocations().has_room(100_000, T0 + 901));
  assert_eq!(auth.revocations().len(), 0);
}

#[test]
fn the_bound_refuses_rather_than_forgets() {
  let (auth, _) = setup(&[("revocationMaxEntries", Value::Number(3.0))]);
  for i in 0..3 {
    auth.revoke_token(&format!("j{i}"), None).unwrap();
  }
  let e = auth.revoke_token("j3", None).unwrap_err();
  assert_eq!(e.code, ErrorCode::RevocationLimit);
  // Merging into an existing entry needs no room.
  assert!(auth.revoke_token("j0", None).is_ok());
  for bad in ["", &"x".repeat(300), "a\nb"] {
    assert_eq!(
      auth.revoke_token(bad, None).unwrap_err().code,
      ErrorCode::InvalidArgument
    );
  }
}

#[test]
fn a_refusal_at_the_bound_costs_the_same_however_many_entries_are_held() {
  // Each refusal used to purge (scan) every entry under the write lock: 4x the entries, 4x the
  // cost per refusal. Now a refusal with nothing due to expire is a check under the read lock.
  let per_refusal = |n: usize| -> f64 {
    let (auth, _) = setup(&[("revocationMaxEntries", Value::Number(n as f64))]);
    for i in 0..n {
      auth.revoke_token(&format!("j{i}"), None).unwrap();
    }
    (0..5)
      .map(|round| {
        let start = std::time::Instant::now();
        for i in 0..2_000 {
          let e = auth
            .revoke_token(&format!("x{round}-{i}"), None)
            .unwrap_err();
          assert_eq!(e.code, ErrorCode::RevocationLimit);
        }
        start.elapsed().as_nanos() as f64 / 2_000.0
      })
      .fold(f64::MAX, f64::min)
  };
  let (small, large) = (per_refusal(5_000), per_refusal(20_000));
  assert!(
    large < small * 2.5,
    "4x the entries made a refusal {:.1}x as costly",
    large / small
  );
}

#[test]
fn at_the_bound_an_expired_entry_still_makes_room() {
  let (auth, clock) = setup(&[("revocationMaxEntries", Value::Number(2.0))]);
  auth.revoke_token("short", Some(T0 + 10)).unwrap();
  auth.revoke_token("long", Some(T0 + 900)).unwrap();
  assert_eq!(
    auth.revoke_token("new", Some(T0 + 900)).unwrap_err().code,
    ErrorCode::RevocationLimit
  );
  clock.advance_nanos(10_000_000_000);
  assert!(auth.revoke_token("new", Some(T0 + 900)).unwrap());
  assert_eq!(auth.revocations().len(), 2);
  assert_eq!(
    auth.revoke_token("newer", Some(T0 + 900)).unwrap_err().code,
    ErrorCode::RevocationLimit
  );
}

#[test]
fn export_import_changes_and_apply() {
  let (a, _) = setup(&[]);
  let pair = login(&a);
  a.revoke_token("j-9", None).unwrap();
  a.revoke_user("u7", Some("acme"), None).unwrap();
  let rotated = refresh(&a, &pair.refresh_token).unwrap();
  let exported = a.export_revocations();
  let (b, _) = setup(&[]);
  assert_eq!(b.import_revocations(&exported).unwrap(), 2);
  // The rotation state came along: the old refresh token is a replay on `b` too.
  assert_eq!(
    refresh(&b, &pair.refresh_token).unwrap_err(),
    ErrorCode::TokenReused
  );
  assert_eq!(
    check(&b, &rotated.access_token),
    Err(ErrorCode::TokenRevoked)
  );

  let changes: serde_json::Value = serde_json::from_str(&a.revocation_changes(0)).unwrap();
  assert_eq!(changes["events"].as_array().unwrap().len(), 2);
  // Tokens signed after a same-second user revocation are announced, so other processes let them through.
  a.revoke_user("u1", None, None).unwrap();
  let relogin = login(&a);
  let (e, _) = setup(&[]);
  let all: serde_json::Value = serde_json::from_str(&a.revocation_changes(0)).unwrap();
  for ev in all["events"].as_array().unwrap() {
    e.apply_revocation(&ev.to_string()).unwrap();
  }
  assert!(check(&e, &relogin.access_token).is_ok());
  assert_eq!(check(&e, &pair.access_token), Err(ErrorCode::TokenRevoked));
  let changes: serde_json::Value = serde_json::from_str(&a.revocation_changes(0)).unwrap();
  let cursor = changes["cursor"].as_u64().unwrap();
  a.revoke_token("j-10", None).unwrap();
  let later: serde_json::Value = serde_json::from_str(&a.revocation_changes(cursor)).unwrap();
  let events = later["events"].as_array().unwrap();
  assert_eq!(events.len(), 1);
  let (c, _) = setup(&[]);
  assert!(c.apply_revocation(&events[0].to_string()).unwrap());
  // Applied events are not this process's own changes.
  let own: serde_json::Value = serde_json::from_str(&c.revocation_changes(0)).unwrap();
  assert_eq!(own["events"].as_array().unwrap().len(), 0);

  for bad in [
    "",
    "[]",
    r#"{"version":2}"#,
    r#"{"version":1,"revocations":[{"kind":"token"}]}"#,
    r#"{"version":1,"revocations":[{"kind":"token","jti":"x","expiresAt":-1}]}"#,
    r#"{"version":1,"revocations":[{"kind":"user","userId":"u","before":1,"expiresAt":9999999999,"extra":1}]}"#,
    r#"{"version":1,"revocations":[{"kind":"token","jti":"ok","expiresAt":9999999999},{"kind":"nope"}]}"#,
  ] {
    let (d, _) = setup(&[]);
    assert_eq!(
      d.import_revocations(bad).unwrap_err().code,
      ErrorCode::InvalidArgument,
      "{bad}"
    );
    assert!(d.revocations().is_empty(), "half-applied: {bad}");
  }
}

fn hs_key(kid: &str, secret: &str) -> Value {
  Value::Map(vec![
    ("kid".into(), Value::String(kid.into())),
    ("alg".into(), Value::String("HS256".into())),
    ("secret".into(), Value::String(secret.into())),
  ])
}

#[test]
fn refresh_keys_rotate_like_access_keys() {
  let raw = vec![
    (
      "accessSecret".to_string(),
      Value::String("access-secret-access-secret-0123".into()),
    ),
    (
      "refreshKeys".to_string(),
      Value::List(vec![hs_key("r1", "refresh-one-refresh-one-refresh-1")]),
    ),
  ];
  let clock = Arc::new(ManualClock::at(T0));
  let auth = Authenticator::with_clock(Settings::from_raw(raw).unwrap(), clock).unwrap();
  let first = login(&auth);
  // Rotate: r2 signs from now on, r1 still verifies what it signed.
  let rotate = |keys: Vec<Value>| auth.set_keys(vec![("refreshKeys".into(), Value::List(keys))]);
  rotate(vec![
    hs_key("r2", "refresh-two-refresh-two-refresh-2"),
    hs_key("r1", "refresh-one-refresh-one-refresh-1"),
  ])
  .unwrap();
  let second = refresh(&auth, &first.refresh_token).unwrap();
  let mut header = Vec::new();
  crate::jwt::base64url::decode_into(
    second.refresh_token.split('.').next().unwrap().as_bytes(),
    &mut header,
  )
  .unwrap();
  assert!(String::from_utf8(header)
    .unwrap()
    .contains("\"kid\":\"r2\""));
  // A bad set changes nothing; setting access keys on an accessSecret authenticator is refused
  // without touching the refresh keys either.
  assert!(rotate(vec![hs_key("r3", "short")]).is_err());
  let both = auth.set_keys(vec![
    (
      "refreshKeys".into(),
      Value::List(vec![hs_key("r9", "refresh-nine-refresh-nine-refresh")]),
    ),
    (
      "keys".into(),
      Value::List(vec![hs_key("a1", "access-one-access-one-access-one-1")]),
    ),
  ]);
  assert!(both.is_err());
  assert!(refresh(&auth, &second.refresh_token).is_ok());
  // Dropping r1: tokens it signed are now UNKNOWN_KEY.
  let third = login(&auth);
  rotate(vec![hs_key("r2", "refresh-two-refresh-two-refresh-2")]).unwrap();
  assert!(refresh(&auth, &third.refresh_token).is_ok());
  assert_eq!(
    refresh(&auth, &first.refresh_token).unwrap_err(),
    ErrorCode::UnknownKey
  );
}
