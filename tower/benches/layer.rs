//! What the layer costs over a bare Axum handler, in process (no sockets), side by side in one
//! run: `cargo bench -p auth-shield-tower --bench layer`.

use auth_shield_tower::{AuthConfig, AuthShieldLayer, AuthUser, SignOptions, TokenKind};
use axum::body::Body;
use axum::routing::get;
use axum::Router;
use http::Request;
use std::hint::black_box;
use std::time::Instant;
use tower::ServiceExt;

const ROUNDS: usize = 5;
const N: usize = 200_000;

fn main() {
  let runtime = tokio::runtime::Builder::new_current_thread()
    .build()
    .unwrap();
  let auth = AuthConfig::new()
    .access_secret("benchmark-access-secret-0123456789abcdef")
    .issuer("auth-shield-bench")
    .rate_limit(1_000_000_000, 1e6)
    .build()
    .unwrap();
  let claims = serde_json::json!({ "sub": "user-4711", "email": "ada@example.com", "role": "admin",
    "permissions": ["read", "write", "billing"], "tenant_id": "acme" });
  let token = auth
    .sign(
      TokenKind::Access,
      claims.as_object().unwrap().clone(),
      &SignOptions::default(),
    )
    .unwrap();
  let header = format!("Bearer {token}");

  let bare = Router::new().route("/me", get(|| async { "user-4711" }));
  let layered = Router::new()
    .route("/me", get(|user: AuthUser| async move { user.user_id }))
    .layer(AuthShieldLayer::builder(auth.clone()).build().unwrap());
  let cases: [(&str, &Router, bool); 3] = [
    ("bare handler", &bare, true),
    ("layer, verified token", &layered, true),
    ("layer, refused (no header)", &layered, false),
  ];
  for round in 0..ROUNDS {
    let mut line = format!("round {round}:");
    for (name, app, with_token) in &cases {
      let start = Instant::now();
      runtime.block_on(async {
        for _ in 0..N {
          let mut req = Request::get("/me").header("x-tenant-id", "acme");
          if *with_token {
            req = req.header("authorization", &header);
          }
          let res = (*app)
            .clone()
            .oneshot(req.body(Body::empty()).unwrap())
            .await
            .unwrap();
          black_box(res.status());
        }
      });
      line += &format!(
        "  {name} {:.0} ns",
        start.elapsed().as_nanos() as f64 / N as f64
      );
    }
    println!("{line}");
  }
}
