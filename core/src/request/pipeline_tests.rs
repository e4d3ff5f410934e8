//! The fused call end to end, with a clock the tests move.

use crate::clock::ManualClock;
use crate::config::{Settings, Value};
use crate::error::ErrorCode;
use crate::lifecycle::signing::{Kind, SignOptions};
use crate::request::pipeline::{Authenticator, Request, Scratch};
use crate::request::tenant::Field;
use serde_json::{json, Map};
use std::sync::Arc;

pub(crate) const ACCESS: &str = "access-secret-access-secret-0123";
const REFRESH: &str = "refresh-secret-refresh-secret-01";
pub(crate) const T0: u64 = 1_700_000_000;

pub(crate) fn setup(extra: &[(&str, Value)]) -> (Authenticator, Arc<ManualClock>) {
  let mut raw = vec![
    ("accessSecret".to_string(), Value::String(ACCESS.into())),
    ("refreshSecret".to_string(), Value::String(REFRESH.into())),
    ("rateLimitMax".to_string(), Value::Number(3.0)),
    ("rateLimitRefill".to_string(), Value::Number(1.0)),
  ];
  raw.extend(extra.iter().map(|(n, v)| (n.to_string(), v.clone())));
  let clock = Arc::new(ManualClock::at(T0));
  let auth = Authenticator::with_clock(Settings::from_raw(raw).unwrap(), clock.clone()).unwrap();
  (auth, clock)
}

pub(crate) fn claims(v: serde_json::Value) -> Map<String, serde_json::Value> {
  v.as_object().unwrap().clone()
}

pub(crate) fn access(auth: &Authenticator, v: serde_json::Value) -> String {
  auth
    .sign(Kind::Access, claims(v), &SignOptions::default())
    .unwrap()
}

pub(crate) fn run(
  auth: &Authenticator,
  header: &str,
  tenant: Option<&str>,
  host: Option<&str>,
) -> Result<(String, Option<String>, u32), ErrorCode> {
  fn field(v: Option<&str>) -> Field<'_> {
    v.map_or(Field::Absent, |s| Field::Present(s.as_bytes()))
  }
  let req = Request {
    authorization: field(Some(header)),
    tenant_header: field(tenant),
    host: field(host),
    limit: Default::default(),
  };
  let mut scratch = Scratch::default();
  let out = auth.authenticate(&req, &mut scratch);
  assert_eq!(out.request_id[14], b'4');
  out
    .result
    .map(|s| {
      (
        s.user_id().to_owned(),
        s.tenant().map(str::to_owned),
        s.rate.map_or(u32::MAX, |r| r.remaining),
      )
    })
    .map_err(|f| f.code)
}

#[test]
fn minted_access_token_authenticates_with_its_claims() {
  let (auth, _) = setup(&[]);
  let t = access(
    &auth,
    json!({"sub": "u1", "role": "admin", "tenant_id": "acme"}),
  );
  assert_eq!(
    run(&auth, &format!("Bearer {t}"), None, None),
    Ok(("u1".into(), Some("acme".into()), 2))
  );
}

#[test]
fn every_request_failure_code_is_reachable() {
  let (auth, clock) = setup(&[
    ("issuer", Value::String("auth".into())),
    ("audience", Value::String("api".into())),
  ]);
  let good = access(&auth, json!({"sub": "u", "tenant_id": "acme"}));
  let bearer = |t: &str| format!("Bearer {t}");
  assert_eq!(
    run(&auth, "", None, None),
    Err(ErrorCode::MissingAuthorization)
  );
  assert_eq!(
    run(&auth, "Basic x", None, None),
    Err(ErrorCode::InvalidAuthorizationFormat)
  );
  assert_eq!(
    run(&auth, "Bearer a.b", None, None),
    Err(ErrorCode::TokenMalformed)
  );
  let none = format!("eyJhbGciOiJub25lIn0.{}.x", good.split('.').nth(1).unwrap());
  assert_eq!(
    run(&auth, &bearer(&none), None, None),
    Err(ErrorCode::AlgorithmNotAllowed)
  );
  assert_eq!(
    run(&auth, &bearer(&format!("{good}x")), None, None),
    Err(ErrorCode::InvalidSignature)
  );
  let wrong_iss = access(&auth, json!({"sub": "u", "iss": "evil"}));
  assert_eq!(
    run(&auth, &bearer(&wrong_iss), None, None),
    Err(ErrorCode::InvalidIssuer)
  );
  let wrong_aud = access(&auth, json!({"sub": "u", "aud": "other"}));
  assert_eq!(
    run(&auth, &bearer(&wrong_aud), None, None),
    Err(ErrorCode::InvalidAudience)
  );
  let refresh_as_access = auth
    .sign(
      Kind::Refresh,
      claims(json!({"sub": "u"})),
      &SignOptions::default(),
    )
    .unwrap();
  assert_eq!(
    run(&auth, &bearer(&refresh_as_access), None, None),
    Err(ErrorCode::InvalidSignature)
  );
  assert_eq!(
    run(&auth, &bearer(&good), Some("a b"), None),
    Err(ErrorCode::InvalidTenant)
  );
  assert_eq!(
    run(&auth, &bearer(&good), Some("other"), None),
    Err(ErrorCode::TenantMismatch)
  );
  let later = auth
    .sign(
      Kind::Access,
      claims(json!({"sub": "u"})),
      &SignOptions {
        not_before: Some(60),
        ..Default::default()
      },
    )
    .unwrap();
  assert_eq!(
    run(&auth, &bearer(&later), None, None),
    Err(ErrorCode::TokenNotActive)
  );
  clock.advance_secs(901);
  assert_eq!(
    run(&auth, &bearer(&good), None, None),
    Err(ErrorCode::TokenExpired)
  );
}

#[test]
fn refresh_token_signed_with_the_access_secret_is_the_wrong_type() {
  let (auth, _) = setup(&[]);
  let key = crate::jwt::HmacKey::new(ACCESS.as_bytes());
  let payload = format!(r#"{{"sub":"u","type":"refresh","exp":{}}}"#, T0 + 60);
  let t = crate::jwt::sign::sign(&key, crate::jwt::Algorithm::HS256, payload.as_bytes());
  assert_eq!(
    run(&auth, &format!("Bearer {t}"), None, None),
    Err(ErrorCode::InvalidTokenType)
  );
}

#[test]
fn missing_sub_is_a_missing_claim() {
  let (auth, _) = setup(&[]);
  let key = crate::jwt::HmacKey::new(ACCESS.as_bytes());
  let payload = format!(r#"{{"type":"access","exp":{}}}"#, T0 + 60);
  let t = crate::jwt::sign::sign(&key, crate::jwt::Algorithm::HS256, payload.as_bytes());
  assert_eq!(
    run(&auth, &format!("Bearer {t}"), None, None),
    Err(ErrorCode::MissingClaim)
  );
}

#[test]
fn rate_limit_exhausts_then_refills_per_user_and_tenant() {
  let (auth, clock) = setup(&[("enforceTenantMatch", Value::Bool(false))]);
  let h = format!(
    "Bearer {}",
    access(&auth, json!({"sub": "u", "tenant_id": "t1"}))
  );
  for remaining in [2, 1, 0] {
    assert_eq!(run(&auth, &h, None, None).unwrap().2, remaining);
  }
  assert_eq!(run(&auth, &h, None, None), Err(ErrorCode::RateLimited));
  // The same user in another tenant (a token bound to it) is another bucket.
  let other = format!(
    "Bearer {}",
    access(&auth, json!({"sub": "u", "tenant_id": "t2"}))
  );
  assert_eq!(run(&auth, &other, None, None).unwrap().2, 2);
  clock.advance_nanos(1_000_000_000);
  assert_eq!(run(&auth, &h, None, None).unwrap().2, 0);
}

#[test]
fn rate_limited_failure_carries_retry_after() {
  let (auth, _) = setup(&[]);
  let h = format!("Bearer {}", access(&auth, json!({"sub": "u"})));
  for _ in 0..3 {
    run(&auth, &h, None, None).unwrap();
  }
  let req = Request {
    authorization: Field::Present(h.as_bytes()),
    tenant_header: Field::Absent,
    host: Field::Absent,
    limit: Default::default(),
  };
  let mut scratch = Scratch::default();
  let failure = auth.authenticate(&req, &mut scratch).result.err().unwrap();
  let rate = failure.rate.unwrap();
  assert_eq!(
    (rate.limit, rate.remaining, rate.retry_after, rate.reset),
    (3, 0, 1, 3)
  );
}

#[test]
fn an_api_host_is_not_a_tenant_without_a_base_domain() {
  let (auth, _) = setup(&[("rateLimitMax", Value::Number(10.0))]);
  let h = format!(
    "Bearer {}",
    access(&auth, json!({"sub": "u", "tenant_id": "acme"}))
  );
  for host in [
    "api.example.com",
    "api.eu.example.co.uk",
    "localhost:3000",
    "127.0.0.1:8080",
  ] {
    assert_eq!(
      run(&auth, &h, None, Some(host)).unwrap().1,
      Some("acme".into()),
      "{host}"
    );
  }
}

#[test]
fn subdomain_tenant_is_used_when_token_and_header_name_none() {
  let base = || ("baseDomain", Value::String("example.com".into()));
  let (auth, _) = setup(&[base()]);
  let h = format!("Bearer {}", access(&auth, json!({"sub": "u"})));
  // Enforced: a token bound to no tenant cannot enter one.
  assert_eq!(
    run(&auth, &h, None, Some("acme.example.com")),
    Err(ErrorCode::TenantMismatch)
  );
  let (open, _) = setup(&[("enforceTenantMatch", Value::Bool(false)), base()]);
  let h = format!("Bearer {}", access(&open, json!({"sub": "u"})));
  assert_eq!(
    run(&open, &h, None, Some("Acme.example.com:8080"))
      .unwrap()
      .1,
    Some("acme".into())
  );
}

#[test]
fn escaped_tenant_claim_is_reported_and_matched() {
  let (auth, _) = setup(&[]);
  let h = format!(
    "Bearer {}",
    access(&auth, json!({"sub": "u", "tenant_id": "ac\"me"}))
  );
  assert_eq!(run(&auth, &h, None, None).unwrap().1, Some("ac\"me".into()));
}

#[test]
fn signing_refuses_reserved_and_mistyped_claims_and_needs_a_refresh_secret() {
  let (auth, _) = setup(&[]);
  for bad in [
    json!({"sub": "u", "exp": 1}),
    json!({"sub": "u", "type": "access"}),
    json!({"sub": 5}),
    json!({}),
    json!({"sub": "u", "permissions": "all"}),
    json!({"sub": "u", "role": 1}),
    json!({"sub": "u", "aud": [1]}),
  ] {
    let e = auth
      .sign(Kind::Access, claims(bad.clone()), &SignOptions::default())
      .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidArgument, "{bad}");
  }
  let raw = vec![("accessSecret".to_string(), Value::String(ACCESS.into()))];
  let only_access = Authenticator::from_config(raw).unwrap();
  let e = only_access
    .sign(
      Kind::Refresh,
      claims(json!({"sub": "u"})),
      &SignOptions::default(),
    )
    .unwrap_err();
  assert_eq!(e.code, ErrorCode::InvalidConfig);
}

#[test]
fn issuer_and_audience_defaults_come_from_the_configuration() {
  let (auth, _) = setup(&[
    ("issuer", Value::String("auth".into())),
    ("audience", Value::String("api".into())),
  ]);
  let h = format!("Bearer {}", access(&auth, json!({"sub": "u"})));
  assert!(run(&auth, &h, None, None).is_ok());
}

#[test]
fn unreadable_and_oversized_headers_have_defined_answers() {
  let (auth, _) = setup(&[]);
  let h = format!("Bearer {}", access(&auth, json!({"sub": "u"})));
  let code = |authorization, tenant_header| {
    let req = Request {
      authorization,
      tenant_header,
      host: Field::Unusable,
      limit: Default::default(),
    };
    let mut scratch = Scratch::default();
    auth
      .authenticate(&req, &mut scratch)
      .result
      .err()
      .map(|f| f.code)
  };
  assert_eq!(
    code(Field::Absent, Field::Absent),
    Some(ErrorCode::MissingAuthorization)
  );
  assert_eq!(
    code(Field::Unusable, Field::Absent),
    Some(ErrorCode::InvalidAuthorizationFormat)
  );
  assert_eq!(
    code(Field::TooLong(b"Bearer aaaa"), Field::Absent),
    Some(ErrorCode::TokenMalformed)
  );
  assert_eq!(
    code(Field::TooLong(b"Basic aaaa"), Field::Absent),
    Some(ErrorCode::InvalidAuthorizationFormat)
  );
  assert_eq!(
    code(Field::Present(h.as_bytes()), Field::Unusable),
    Some(ErrorCode::InvalidTenant)
  );
  assert_eq!(code(Field::Present(h.as_bytes()), Field::Absent), None);
}

#[test]
fn a_refusal_after_the_signature_verified_names_the_tokens_user_and_no_other_does() {
  let (auth, _) = setup(&[("enforceTenantMatch", Value::Bool(true))]);
  let subject = |header: &str, tenant: Option<&str>| {
    let req = Request {
      authorization: Field::Present(header.as_bytes()),
      tenant_header: tenant.map_or(Field::Absent, |t| Field::Present(t.as_bytes())),
      host: Field::Absent,
      limit: Default::default(),
    };
    let mut scratch = Scratch::default();
    let out = auth.authenticate(&req, &mut scratch);
    (
      out.result.err().map(|f| f.code),
      out.subject.map(str::to_owned),
    )
  };
  let t = format!(
    "Bearer {}",
    access(&auth, json!({"sub": "ada", "tenant_id": "acme"}))
  );
  // A success needs no subject: its user is the result's.
  assert_eq!(subject(&t, None), (None, None));
  assert_eq!(
    subject(&t, Some("globex")),
    (Some(ErrorCode::TenantMismatch), Some("ada".into()))
  );
  for _ in 0..3 {
    subject(&t, None);
  }
  assert_eq!(
    subject(&t, None),
    (Some(ErrorCode::RateLimited), Some("ada".into()))
  );
  auth.revoke_user("ada", None, None).unwrap();
  assert_eq!(
    subject(&t, None),
    (Some(ErrorCode::TokenRevoked), Some("ada".into()))
  );
  // Before verification nothing is known of the user, whatever the payload claims.
  let forged = format!("{}x", t);
  assert_eq!(subject(&forged, None).1, None);
  assert_eq!(subject("Bearer a.b", None).1, None);
}
