//! An Axum service behind auth-shield, answering as the Node demo's API does:
//! `cargo run -p auth-shield-tower --example service`.
//!
//! With `AUTH_SHIELD_SERVICE` set to `{ "config": {…}, "options": {…} }` (the Node package's
//! config and integration options, as JSON) it serves that; otherwise a demo config, and it
//! prints a token to try. `PORT` picks the port (default 3002; 0 for any free one). The line
//! `listening on http://…` tells where it listens.

use auth_shield_tower::{
  AuthConfig, AuthShieldLayer, AuthUser, LayerOptions, RequirePermission, RequireRole, SignOptions,
  TokenKind,
};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
struct Service {
  config: AuthConfig,
  #[serde(default)]
  options: LayerOptions,
}

/// The user as the Node integrations put it on the request, and the tenant beside it.
async fn me(user: AuthUser) -> Json<serde_json::Value> {
  Json(json!({
    "user": {
      "userId": user.user_id, "email": user.email, "role": user.role,
      "roles": user.roles, "permissions": user.permissions,
    },
    "tenantId": user.tenant_id,
  }))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
  let (service, demo) = match std::env::var("AUTH_SHIELD_SERVICE") {
    Ok(text) => (serde_json::from_str::<Service>(&text)?, false),
    Err(_) => {
      let secret = std::env::var("ACCESS_SECRET")
        .unwrap_or_else(|_| "demo-access-secret-change-me-0123456789".into());
      let config = AuthConfig::new()
        .access_secret(secret)
        .issuer("auth-shield-demo")
        .rate_limit(100, 10.0);
      (
        Service {
          config,
          options: LayerOptions::default(),
        },
        true,
      )
    }
  };
  let auth = service.config.build()?;
  let layer = AuthShieldLayer::builder(auth.clone())
    .options(service.options)
    .build()?;
  let api = Router::new()
    .route("/me", get(me))
    .route("/admin", get(me).route_layer(RequireRole::all(["admin"])?))
    .route(
      "/billing",
      get(me).route_layer(RequirePermission::all(["billing:read"])?),
    )
    .layer(layer);
  let app = Router::new()
    .nest("/api", api)
    .route("/health", get(|| async { Json(json!({ "ok": true })) }));

  let port: u16 = std::env::var("PORT")
    .ok()
    .and_then(|p| p.parse().ok())
    .unwrap_or(3002);
  let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
  println!("listening on http://{}", listener.local_addr()?);
  if demo {
    let claims = json!({ "sub": "user-1", "tenant_id": "acme", "role": "admin", "permissions": ["billing:read"] });
    let token = auth.sign(
      TokenKind::Access,
      claims.as_object().cloned().unwrap_or_default(),
      &SignOptions::default(),
    )?;
    println!(
      "try: curl -H 'Authorization: Bearer {token}' http://{}/api/me",
      listener.local_addr()?
    );
  }
  axum::serve(listener, app).await?;
  Ok(())
}
