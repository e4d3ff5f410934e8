//! The configurable policies of the fused call: token age, rate-limit keys and the limiter turned
//! off, and how access tokens are marked.

use super::pipeline::tests::{access, claims, run, setup, ACCESS, T0};
use crate::config::{Settings, Value};
use crate::error::ErrorCode;
use crate::lifecycle::signing::{Kind, SignOptions};
use serde_json::json;

fn hand_signed(payload: &str) -> String {
  let key = crate::jwt::HmacKey::new(ACCESS.as_bytes());
  let t = crate::jwt::sign::sign(&key, crate::jwt::Algorithm::HS256, payload.as_bytes());
  format!("Bearer {t}")
}

#[test]
fn max_token_age_expires_old_tokens_whatever_their_exp() {
  let (auth, clock) = setup(&[
    ("maxTokenAge", Value::Number(60.0)),
    ("leeway", Value::Number(5.0)),
    ("rateLimitMax", Value::Number(100.0)),
  ]);
  let t = format!("Bearer {}", access(&auth, json!({"sub": "u"})));
  assert!(run(&auth, &t, None, None).is_ok());
  // iat + maxTokenAge + leeway is the first refused second, as jsonwebtoken's maxAge.
  clock.advance_secs(64);
  assert!(run(&auth, &t, None, None).is_ok());
  clock.advance_secs(1);
  assert_eq!(run(&auth, &t, None, None), Err(ErrorCode::TokenExpired));
  let no_iat = format!(r#"{{"sub":"u","type":"access","exp":{}}}"#, T0 + 600);
  assert_eq!(
    run(&auth, &hand_signed(&no_iat), None, None),
    Err(ErrorCode::MissingClaim)
  );
}

#[test]
fn max_token_age_is_rechecked_on_cache_hits_and_spares_refresh_tokens() {
  let cache = (
    "cache",
    Value::Map(vec![("max".into(), Value::Number(10.0))]),
  );
  let (auth, clock) = setup(&[
    ("maxTokenAge", Value::Number(60.0)),
    ("refreshTokenTtl", Value::Number(3600.0)),
    cache,
  ]);
  let t = format!("Bearer {}", access(&auth, json!({"sub": "u"})));
  assert!(run(&auth, &t, None, None).is_ok());
  clock.advance_secs(60);
  assert_eq!(run(&auth, &t, None, None), Err(ErrorCode::TokenExpired));
  let refresh = auth
    .sign(
      Kind::Refresh,
      claims(json!({"sub": "u"})),
      &SignOptions::default(),
    )
    .unwrap();
  clock.advance_secs(940);
  let mut scratch = Vec::new();
  let verifier = auth.refresh_verifier().unwrap();
  assert!(verifier
    .verify(refresh.as_bytes(), T0 + 1000, &mut scratch)
    .is_ok());
}

#[test]
fn rate_limit_off_keeps_no_bucket_and_reports_none() {
  let (auth, _) = setup(&[("rateLimit", Value::Bool(false))]);
  let t = format!("Bearer {}", access(&auth, json!({"sub": "u"})));
  for _ in 0..10 {
    assert_eq!(run(&auth, &t, None, None).unwrap().2, u32::MAX);
  }
  assert_eq!(auth.rate_limiter().len(), 0);
  let e = Settings::from_raw(vec![
    ("accessSecret".into(), Value::String(ACCESS.into())),
    ("rateLimit".into(), Value::Bool(false)),
    ("rateLimitKey".into(), Value::String("user".into())),
  ])
  .err()
  .unwrap();
  assert!(e.detail.contains("rateLimitKey"));
}

#[test]
fn rate_limit_keys_by_user_by_tenant_or_both() {
  let spend = |mode: &str, requests: &[(&str, Option<&str>)]| -> Vec<u32> {
    let (auth, _) = setup(&[
      ("rateLimitKey", Value::String(mode.into())),
      ("enforceTenantMatch", Value::Bool(false)),
    ]);
    // The tenant is the token's own: only that one keys a bucket.
    requests
      .iter()
      .map(|(user, tenant)| {
        let claims = match tenant {
          Some(t) => json!({"sub": user, "tenant_id": t}),
          None => json!({"sub": user}),
        };
        let t = format!("Bearer {}", access(&auth, claims));
        run(&auth, &t, None, None).unwrap().2
      })
      .collect()
  };
  let requests = [
    ("a", Some("t1")),
    ("a", Some("t2")),
    ("b", Some("t1")),
    ("b", None),
  ];
  // Capacity 3: each answer is what is left in the bucket that request spent.
  assert_eq!(spend("user+tenant", &requests), vec![2, 2, 2, 2]);
  assert_eq!(spend("user", &requests), vec![2, 1, 2, 1]);
  assert_eq!(spend("tenant", &requests), vec![2, 2, 1, 2]);
  assert!(Settings::from_raw(vec![
    ("accessSecret".into(), Value::String(ACCESS.into())),
    ("rateLimitKey".into(), Value::String("ip".into())),
  ])
  .is_err());
}

#[test]
fn a_tenant_the_client_names_never_makes_a_new_budget() {
  for mode in ["user+tenant", "tenant", "user"] {
    let (auth, _) = setup(&[
      ("rateLimitKey", Value::String(mode.into())),
      ("enforceTenantMatch", Value::Bool(false)),
    ]);
    let t = format!("Bearer {}", access(&auth, json!({"sub": "roamer"})));
    let accepted = (0..100)
      .filter(|i| run(&auth, &t, Some(&format!("t{i}")), None).is_ok())
      .count();
    // Capacity 3, whatever tenant each request names.
    assert_eq!(accepted, 3, "{mode}");
  }
}

fn signed_with_header(header: &str, payload: &str) -> String {
  use crate::jwt::base64url;
  let key = crate::jwt::HmacKey::new(ACCESS.as_bytes());
  let mut token = base64url::encode(header.as_bytes());
  token.push('.');
  base64url::encode_into(payload.as_bytes(), &mut token);
  let mut mac = [0u8; 64];
  let len = key.sign_into(crate::jwt::Algorithm::HS256, token.as_bytes(), &mut mac);
  token.push('.');
  base64url::encode_into(&mac[..len], &mut token);
  format!("Bearer {token}")
}

fn keycloak() -> Value {
  Value::Map(vec![
    ("claim".into(), Value::String("typ".into())),
    ("value".into(), Value::String("Bearer".into())),
  ])
}

#[test]
fn access_token_marks_accept_provider_tokens_and_refuse_id_and_refresh_tokens() {
  let exp = T0 + 600;
  let jwt = r#"{"alg":"HS256","typ":"JWT"}"#;
  let at_jwt = r#"{"alg":"HS256","typ":"application/AT+JWT"}"#;
  let body = |extra: &str| format!(r#"{{"sub":"u","exp":{exp}{extra}}}"#);
  let cases: &[(Value, &str, String, Result<(), ErrorCode>)] = &[
    (Value::String("at+jwt".into()), at_jwt, body(""), Ok(())),
    (
      Value::String("at+jwt".into()),
      jwt,
      body(""),
      Err(ErrorCode::InvalidTokenType),
    ),
    (
      Value::String("at+jwt".into()),
      at_jwt,
      body(r#","nonce":"n""#),
      Err(ErrorCode::InvalidTokenType),
    ),
    (Value::String("none".into()), jwt, body(""), Ok(())),
    (
      Value::String("none".into()),
      jwt,
      body(r#","type":"refresh""#),
      Err(ErrorCode::InvalidTokenType),
    ),
    (
      Value::String("none".into()),
      jwt,
      body(r#","token_use":"id""#),
      Err(ErrorCode::InvalidTokenType),
    ),
    (
      Value::String("none".into()),
      jwt,
      body(r#","at_hash":{"x":1}"#),
      Err(ErrorCode::InvalidTokenType),
    ),
    (
      Value::String("type".into()),
      jwt,
      body(""),
      Err(ErrorCode::InvalidTokenType),
    ),
    // Keycloak's mark decides: its access tokens may carry the sign-in's `nonce`, and its ID
    // tokens (`typ: ID`) are refused with or without `nonce`/`at_hash`.
    (
      keycloak(),
      jwt,
      body(r#","typ":"Bearer","nonce":"n""#),
      Ok(()),
    ),
    (
      keycloak(),
      jwt,
      body(r#","typ":"Bearer","at_hash":"h""#),
      Ok(()),
    ),
    (
      keycloak(),
      jwt,
      body(r#","typ":"ID""#),
      Err(ErrorCode::InvalidTokenType),
    ),
    (
      keycloak(),
      jwt,
      body(r#","typ":"Bearer","type":"refresh""#),
      Err(ErrorCode::InvalidTokenType),
    ),
  ];
  for (i, (mark, header, payload, want)) in cases.iter().enumerate() {
    let (auth, _) = setup(&[
      ("accessTokenMark", mark.clone()),
      ("rateLimitMax", Value::Number(100.0)),
    ]);
    let got = run(&auth, &signed_with_header(header, payload), None, None).map(|_| ());
    assert_eq!(&got, want, "case {i}");
  }
  let claim = |name: &str, value: &str| {
    Value::Map(vec![
      ("claim".into(), Value::String(name.into())),
      ("value".into(), Value::String(value.into())),
    ])
  };
  let (cognito, _) = setup(&[("accessTokenMark", claim("token_use", "access"))]);
  let t = |extra: &str| signed_with_header(jwt, &body(extra));
  assert!(run(&cognito, &t(r#","token_use":"access""#), None, None).is_ok());
  assert_eq!(
    run(&cognito, &t(r#","token_use":"id""#), None, None),
    Err(ErrorCode::InvalidTokenType)
  );
  let (custom, _) = setup(&[("accessTokenMark", claim("https://x.io/kind", "api"))]);
  assert!(run(&custom, &t(r#","https://x.io/kind":"api""#), None, None).is_ok());
  assert_eq!(
    run(&custom, &t(r#","https://x.io/kind":1"#), None, None),
    Err(ErrorCode::TokenMalformed)
  );
  assert!(Settings::from_raw(vec![
    ("accessSecret".into(), Value::String(ACCESS.into())),
    ("accessTokenMark".into(), claim("sub", "x")),
  ])
  .is_err());
}

mod plans_and_routes {
  use super::super::pipeline::tests::{access, setup};
  use super::super::pipeline::{Authenticator, Limit, Request, Scratch};
  use super::super::tenant::Field;
  use crate::config::Value;
  use crate::error::ErrorCode;
  use serde_json::json;

  fn map(pairs: &[(&str, Value)]) -> Value {
    Value::Map(
      pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect(),
    )
  }

  fn n(v: f64) -> Value {
    Value::Number(v)
  }

  /// `(remaining, plan)` of a success, or the failure's code.
  fn go(
    auth: &Authenticator,
    header: &str,
    limit: Limit,
  ) -> Result<(Option<u32>, Option<String>), ErrorCode> {
    let req = Request {
      authorization: Field::Present(header.as_bytes()),
      tenant_header: Field::Absent,
      host: Field::Absent,
      limit,
    };
    let mut scratch = Scratch::default();
    auth
      .authenticate(&req, &mut scratch)
      .result
      .map(|s| (s.rate.map(|r| r.remaining), s.plan().map(str::to_owned)))
      .map_err(|f| f.code)
  }

  fn with_plans() -> Authenticator {
    let plans = map(&[
      ("claim", Value::String("plan".into())),
      (
        "plans",
        map(&[
          ("free", map(&[("max", n(1.0))])),
          ("pro", map(&[("max", n(5.0))])),
        ]),
      ),
    ]);
    // The default limits are setup()'s: 3 per bucket.
    setup(&[("rateLimitPlans", plans), ("rateLimitRefill", n(0.001))]).0
  }

  #[test]
  fn each_plan_has_its_own_limits_and_buckets() {
    let auth = with_plans();
    let token = |sub: &str, plan: Option<&str>| {
      let mut c = json!({ "sub": sub });
      if let Some(p) = plan {
        c["plan"] = json!(p);
      }
      format!("Bearer {}", access(&auth, c))
    };
    let free = token("u", Some("free"));
    assert_eq!(
      go(&auth, &free, Limit::Default),
      Ok((Some(0), Some("free".into())))
    );
    assert_eq!(
      go(&auth, &free, Limit::Default),
      Err(ErrorCode::RateLimited)
    );
    // The same user without a plan spends the default bucket, untouched by the free one.
    let plain = token("u", None);
    assert_eq!(go(&auth, &plain, Limit::Default), Ok((Some(2), None)));
    let pro = token("p", Some("pro"));
    for left in (0..5).rev() {
      assert_eq!(
        go(&auth, &pro, Limit::Default),
        Ok((Some(left), Some("pro".into())))
      );
    }
    assert_eq!(go(&auth, &pro, Limit::Default), Err(ErrorCode::RateLimited));
    // A plan not in the table gets the default limits and says no plan.
    let gold = token("g", Some("gold"));
    assert_eq!(go(&auth, &gold, Limit::Default), Ok((Some(2), None)));
    // A plan of the wrong type is a malformed token, as any mapped claim.
    let bad = format!(
      "Bearer {}",
      access(&auth, json!({ "sub": "b", "plan": ["pro"] }))
    );
    assert_eq!(
      go(&auth, &bad, Limit::Default),
      Err(ErrorCode::TokenMalformed)
    );
  }

  #[test]
  fn routes_have_their_own_buckets_and_deferred_requests_spend_none() {
    let auth = with_plans();
    let route = auth.define_route_limit(map(&[("max", n(2.0))])).unwrap();
    let pro = format!(
      "Bearer {}",
      access(&auth, json!({ "sub": "p", "plan": "pro" }))
    );
    assert_eq!(
      go(&auth, &pro, Limit::Route(route)),
      Ok((Some(1), Some("pro".into())))
    );
    assert_eq!(
      go(&auth, &pro, Limit::Route(route)),
      Ok((Some(0), Some("pro".into())))
    );
    assert_eq!(
      go(&auth, &pro, Limit::Route(route)),
      Err(ErrorCode::RateLimited)
    );
    // The plan's bucket was not touched by the route's.
    assert_eq!(
      go(&auth, &pro, Limit::Default),
      Ok((Some(4), Some("pro".into())))
    );
    // Deferred: nothing spent, the plan still reported for the caller's own take.
    assert_eq!(
      go(&auth, &pro, Limit::Deferred),
      Ok((None, Some("pro".into())))
    );
    let (ok, info) = auth
      .take_rate_limit("api-key-7", None, Some("pro"))
      .unwrap();
    assert!(ok);
    assert_eq!((info.limit, info.remaining), (5, 4));
    let (_, info) = auth
      .take_rate_limit("api-key-7", Some(route), None)
      .unwrap();
    assert_eq!((info.limit, info.remaining), (2, 1));
    // A caller's key never meets a user's bucket of the same name.
    let (_, info) = auth.take_rate_limit("p", None, Some("pro")).unwrap();
    assert_eq!(info.remaining, 4);
    assert!(auth.take_rate_limit("k", Some(9999), None).is_err());
    assert!(auth.define_route_limit(map(&[("max", n(0.0))])).is_err());
    assert!(auth.define_route_limit(Value::Number(3.0)).is_err());
  }

  #[test]
  fn plans_and_route_limits_need_the_limiter() {
    let plans = map(&[
      ("claim", Value::String("plan".into())),
      ("plans", map(&[("free", map(&[]))])),
    ]);
    let raw = vec![
      (
        "accessSecret".to_string(),
        Value::String(super::ACCESS.into()),
      ),
      ("rateLimit".to_string(), Value::Bool(false)),
      ("rateLimitPlans".to_string(), plans),
    ];
    let e = crate::config::Settings::from_raw(raw).unwrap_err();
    assert!(e.detail.contains("rateLimitPlans"), "{}", e.detail);
    let off = setup(&[("rateLimit", Value::Bool(false))]).0;
    assert!(off.define_route_limit(map(&[])).is_err());
    assert!(off.take_rate_limit("k", None, None).is_err());
  }
}
