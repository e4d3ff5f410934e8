//! RequireRole, RequirePermission and RequireScope after the layer: the Node guards' rules.

mod common;

use auth_shield_tower::{
  AuthShieldLayer, LayerOptions, RequirePermission, RequireRole, RequireScope,
};
use axum::routing::get;
use axum::Router;
use common::*;
use serde_json::json;

#[tokio::test]
async fn guards_refuse_403_with_an_insufficient_scope_challenge() {
  let auth = authenticator();
  let options: LayerOptions =
    serde_json::from_value(json!({ "credentialsRequired": false })).unwrap();
  let app = Router::new()
    .route(
      "/admin",
      get(|| async { "admin" }).route_layer(RequireRole::all(["admin"]).unwrap()),
    )
    .route(
      "/staff",
      get(|| async { "staff" }).route_layer(RequireRole::any(["admin", "support"]).unwrap()),
    )
    .route(
      "/both",
      get(|| async { "both" }).route_layer(RequirePermission::all(["r", "w"]).unwrap()),
    )
    .route(
      "/orders",
      get(|| async { "orders" })
        .route_layer(RequireScope::all(["read:orders", "write:orders"]).unwrap()),
    )
    .layer(
      AuthShieldLayer::builder(auth.clone())
        .options(options)
        .build()
        .unwrap(),
    )
    .route(
      "/unwired",
      get(|| async { "?" }).route_layer(RequireRole::all(["admin"]).unwrap()),
    );
  let server = serve(app).await;
  let admin = sign(
    &auth,
    json!({ "sub": "a", "role": "admin", "permissions": ["r", "w"] }),
  );
  // Signed by hand: tokens this crate signs carry one role; a provider's may carry several.
  let support = hs256(
    json!({ "alg": "HS256", "typ": "JWT" }),
    json!({ "sub": "s", "type": "access", "iss": "auth-shield-test", "exp": now() + 300,
      "role": ["support", "billing"], "permissions": ["r", "read:orders"] }),
  );
  let as_admin = bearer(&admin);
  let as_support = bearer(&support);
  let with = |h: &str| vec![("authorization", h.to_owned())];
  let go = |path: &'static str, headers: Vec<(&'static str, String)>| {
    let server = &server;
    async move {
      let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
      call(server, path, &headers).await
    }
  };

  assert_eq!(go("/admin", with(&as_admin)).await.status, 200);
  let refused = go("/admin", with(&as_support)).await;
  assert_eq!(
    (refused.status, refused.code()),
    (403, "INSUFFICIENT_PERMISSIONS")
  );
  assert_eq!(refused.body["error"], "Insufficient permissions");
  assert_eq!(
    refused.header("www-authenticate"),
    Some("Bearer error=\"insufficient_scope\", error_description=\"Insufficient permissions\"")
  );
  assert!(refused.header("x-request-id").is_some());
  assert_eq!(go("/staff", with(&as_support)).await.status, 200);
  assert_eq!(go("/staff", with(&as_admin)).await.status, 200);
  assert_eq!(go("/both", with(&as_admin)).await.status, 200);
  assert_eq!(go("/both", with(&as_support)).await.status, 403);
  let scope = go("/orders", with(&as_support)).await;
  assert_eq!(scope.status, 403);
  assert_eq!(
    scope.header("www-authenticate"),
    Some("Bearer error=\"insufficient_scope\", error_description=\"Insufficient permissions\", scope=\"read:orders write:orders\"")
  );
  // No user (credentials not required): 401, not 403.
  let anonymous = go("/admin", vec![]).await;
  assert_eq!(
    (anonymous.status, anonymous.code()),
    (401, "MISSING_AUTHORIZATION")
  );
  assert_eq!(anonymous.header("www-authenticate"), Some("Bearer"));
  // A guard no layer ran before is a wiring mistake, never a pass.
  let unwired = go("/unwired", with(&as_admin)).await;
  assert_eq!((unwired.status, unwired.code()), (500, "INVALID_CONFIG"));
}

#[test]
fn guards_check_their_names_when_made() {
  let none: [&str; 0] = [];
  for err in [
    RequireRole::all(none).unwrap_err(),
    RequireRole::all([""]).unwrap_err(),
    RequirePermission::any(["a\nb"]).unwrap_err(),
    RequireScope::all(["two words"]).unwrap_err(),
    RequireScope::all(["quo\"te"]).unwrap_err(),
    RequireRole::all(["x".repeat(257)]).unwrap_err(),
  ] {
    assert_eq!(err.code.as_str(), "INVALID_CONFIG", "{err}");
  }
  assert!(RequireRole::all(["admin", "admin"]).is_ok());
}
