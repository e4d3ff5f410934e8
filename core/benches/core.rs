//! The fused core without Node, to see what the boundary adds: `cargo bench --bench core`.

use auth_shield_core::config::Value;
use auth_shield_core::lifecycle::signing::{Kind, SignOptions};
use auth_shield_core::request::pipeline::{Authenticator, Request, Scratch};
use auth_shield_core::request::tenant::Field;
use std::hint::black_box;
use std::time::Instant;

fn main() {
  let auth = Authenticator::from_config(vec![
    (
      "accessSecret".into(),
      Value::String("benchmark-access-secret-0123456789abcdef".into()),
    ),
    ("issuer".into(), Value::String("auth-shield-bench".into())),
    ("rateLimitMax".into(), Value::Number(1e9)),
    ("rateLimitRefill".into(), Value::Number(1e6)),
  ])
  .unwrap();
  let claims = serde_json::json!({"sub": "user-4711", "email": "ada@example.com", "role": "admin",
    "permissions": ["read", "write", "billing"], "tenant_id": "acme"});
  let token = auth
    .sign(
      Kind::Access,
      claims.as_object().unwrap().clone(),
      &SignOptions::default(),
    )
    .unwrap();
  let header = format!("Bearer {token}");
  let req = Request {
    authorization: Field::Present(header.as_bytes()),
    tenant_header: Field::Present(b"acme"),
    host: Field::Present(b"acme.api.example.com:8443"),
    limit: Default::default(),
  };
  let mut fused = Scratch::default();
  let mut scratch = Vec::new();
  let n = 1_000_000;
  for round in 0..3 {
    let start = Instant::now();
    for _ in 0..n {
      let out = auth.authenticate(black_box(&req), &mut fused);
      black_box(out.result.is_ok());
    }
    println!(
      "round {round}: fused core {:.0} ns/op",
      start.elapsed().as_nanos() as f64 / n as f64
    );
  }
  let cached = Authenticator::from_config(vec![
    (
      "accessSecret".into(),
      Value::String("benchmark-access-secret-0123456789abcdef".into()),
    ),
    ("issuer".into(), Value::String("auth-shield-bench".into())),
    ("rateLimitMax".into(), Value::Number(1e9)),
    ("rateLimitRefill".into(), Value::Number(1e6)),
    ("cache".into(), Value::Bool(true)),
  ])
  .unwrap();
  let start = Instant::now();
  for _ in 0..n {
    let out = cached.authenticate(black_box(&req), &mut fused);
    black_box(out.result.is_ok());
  }
  println!(
    "fused core, cache hit: {:.0} ns/op",
    start.elapsed().as_nanos() as f64 / n as f64
  );
  let v = auth.access_verifier();
  let token = &header.as_bytes()[7..];
  let start = Instant::now();
  for _ in 0..n {
    black_box(
      v.verify(black_box(token), 1_800_000_000, &mut scratch)
        .is_ok(),
    );
  }
  println!(
    "verify only (header, HMAC, payload, claims): {:.0} ns/op",
    start.elapsed().as_nanos() as f64 / n as f64
  );
  let start = Instant::now();
  for _ in 0..n {
    black_box(auth_shield_core::request::request_id::new_v4());
  }
  println!(
    "request id: {:.0} ns/op",
    start.elapsed().as_nanos() as f64 / n as f64
  );
  let payload = token.split(|&b| b == b'.').nth(1).unwrap();
  let start = Instant::now();
  for _ in 0..n {
    auth_shield_core::jwt::base64url::decode_into(black_box(payload), &mut scratch).unwrap();
    black_box(auth_shield_core::jwt::claims::parse(&scratch).is_some());
  }
  println!(
    "payload decode + parse: {:.0} ns/op",
    start.elapsed().as_nanos() as f64 / n as f64
  );
}
