//! auth-shield-tower and jwt-authorizer on the same HS256 token, each over a bare handler of its
//! own Axum major, in process and side by side in one run.

use auth_shield_tower::{AuthConfig, AuthShieldLayer, AuthUser, SignOptions, TokenKind};
use jwt_authorizer::{IntoLayer, JwtAuthorizer, JwtClaims, Validation};
use serde::Deserialize;
use std::hint::black_box;
use std::time::Instant;

const SECRET: &str = "benchmark-access-secret-0123456789abcdef";
const N: usize = 200_000;

#[derive(Debug, Clone, Deserialize)]
struct Claims {
  sub: String,
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
  let auth = AuthConfig::new()
    .access_secret(SECRET)
    .issuer("auth-shield-bench")
    .rate_limit(1_000_000_000, 1e6)
    .build()
    .unwrap();
  let claims = serde_json::json!({ "sub": "user-4711", "role": "admin", "tenant_id": "acme" });
  let token = auth
    .sign(TokenKind::Access, claims.as_object().unwrap().clone(), &SignOptions::default())
    .unwrap();
  let header = format!("Bearer {token}");

  let bare08 = axum::Router::new().route("/me", axum::routing::get(|| async { "user-4711" }));
  let ours = axum::Router::new()
    .route("/me", axum::routing::get(|user: AuthUser| async move { user.user_id }))
    .layer(AuthShieldLayer::builder(auth).build().unwrap());
  let bare07 = axum07::Router::new().route("/me", axum07::routing::get(|| async { "user-4711" }));
  let authorizer = JwtAuthorizer::<Claims>::from_secret(SECRET)
    .validation(Validation::new().iss(&["auth-shield-bench"]))
    .build()
    .await
    .unwrap();
  let peer = axum07::Router::new()
    .route("/me", axum07::routing::get(|JwtClaims(c): JwtClaims<Claims>| async move { c.sub }))
    .layer(authorizer.into_layer());

  // The token is good for both: each answers 200 before anything is timed.
  let ok08 = |app: &axum::Router| {
    let req = axum::http::Request::get("/me").header("authorization", &header).body(axum::body::Body::empty());
    tower::ServiceExt::oneshot(app.clone(), req.unwrap())
  };
  let ok07 = |app: &axum07::Router| {
    let req = axum07::http::Request::get("/me").header("authorization", &header).body(axum07::body::Body::empty());
    tower04::ServiceExt::oneshot(app.clone(), req.unwrap())
  };
  assert_eq!(ok08(&ours).await.unwrap().status(), 200);
  assert_eq!(ok07(&peer).await.unwrap().status(), 200);

  for round in 0..5 {
    let mut line = format!("round {round}:");
    macro_rules! time {
      ($name:expr, $call:expr) => {{
        let start = Instant::now();
        for _ in 0..N {
          black_box($call.await.unwrap().status());
        }
        line += &format!("  {} {:.0} ns", $name, start.elapsed().as_nanos() as f64 / N as f64);
      }};
    }
    time!("axum 0.8 bare", ok08(&bare08));
    time!("auth-shield-tower", ok08(&ours));
    time!("axum 0.7 bare", ok07(&bare07));
    time!("jwt-authorizer", ok07(&peer));
    println!("{line}");
  }
}
