//! The layer in front of a real Axum server: what it lets through, what it refuses and how.

mod common;

use auth_shield_tower::{
  AuthRejection, AuthShieldLayer, AuthUser, LayerOptions, RequestId, SignOptions, TokenKind,
};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use common::*;
use serde_json::json;

async fn me(user: AuthUser) -> Json<serde_json::Value> {
  Json(json!({ "user": user, "tenantId": user.tenant_id }))
}

fn app(layer: AuthShieldLayer) -> Router {
  Router::new()
    .route("/me", get(me))
    .route(
      "/maybe",
      get(
        |user: Option<AuthUser>, RequestIdOf(id): RequestIdOf| async move {
          Json(json!({ "user": user.map(|u| u.user_id), "requestId": id }))
        },
      ),
    )
    .layer(layer)
}

/// The request id the layer left, for handlers of requests without a user.
struct RequestIdOf(String);
impl<S: Send + Sync> axum::extract::FromRequestParts<S> for RequestIdOf {
  type Rejection = ();
  async fn from_request_parts(parts: &mut http::request::Parts, _: &S) -> Result<Self, ()> {
    Ok(RequestIdOf(
      parts
        .extensions
        .get::<RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default(),
    ))
  }
}

fn uuid_like(id: &str) -> bool {
  id.len() == 36 && id.chars().filter(|c| *c == '-').count() == 4
}

#[tokio::test]
async fn a_good_token_goes_on_with_its_user_and_the_node_headers() {
  let auth = authenticator();
  let server = serve(app(AuthShieldLayer::builder(auth.clone()).build().unwrap())).await;
  let token = sign(
    &auth,
    json!({ "sub": "user-1", "tenant_id": "acme", "role": "admin", "email": "a@b.c", "permissions": ["r", "w"] }),
  );
  let ok = call(
    &server,
    "/me",
    &[
      ("authorization", bearer(&token).as_str()),
      ("x-tenant-id", "acme"),
    ],
  )
  .await;
  assert_eq!(ok.status, 200, "{:?}", ok.body);
  let user = &ok.body["user"];
  assert_eq!(user["userId"], "user-1");
  assert_eq!(user["email"], "a@b.c");
  assert_eq!(user["role"], "admin");
  assert_eq!(user["roles"], json!(["admin"]));
  assert_eq!(user["permissions"], json!(["r", "w"]));
  assert_eq!(ok.body["tenantId"], "acme");
  let id = ok.header("x-request-id").unwrap();
  assert!(uuid_like(id));
  assert_eq!(user["requestId"], id);
  assert_eq!(ok.header("ratelimit-limit"), Some("100"));
  assert_eq!(ok.header("ratelimit-remaining"), Some("99"));
  assert!(ok.header("ratelimit-reset").is_some());
  assert!(ok.header("www-authenticate").is_none());
}

#[tokio::test]
async fn refusals_carry_the_status_body_and_challenge_of_the_node_integrations() {
  let auth = authenticator();
  let server = serve(app(AuthShieldLayer::builder(auth.clone()).build().unwrap())).await;
  let token = sign(&auth, json!({ "sub": "user-1", "tenant_id": "acme" }));

  let missing = call(&server, "/me", &[]).await;
  assert_eq!(missing.status, 401);
  assert_eq!(
    missing.body,
    json!({ "error": "No Authorization header provided", "code": "MISSING_AUTHORIZATION" })
  );
  assert_eq!(missing.header("www-authenticate"), Some("Bearer"));
  assert!(uuid_like(missing.header("x-request-id").unwrap()));
  assert!(missing
    .header("content-type")
    .unwrap()
    .starts_with("application/json"));

  let format = call(&server, "/me", &[("authorization", "Basic dXNlcjpwYXNz")]).await;
  assert_eq!(
    (format.status, format.code()),
    (401, "INVALID_AUTHORIZATION_FORMAT")
  );
  assert_eq!(
    format.header("www-authenticate"),
    Some(
      "Bearer error=\"invalid_request\", error_description=\"Invalid Authorization header format\""
    )
  );

  let forged = format!("{}xx", &token[..token.len() - 2]);
  let refused = call(
    &server,
    "/me",
    &[("authorization", bearer(&forged).as_str())],
  )
  .await;
  assert_eq!((refused.status, refused.code()), (401, "INVALID_SIGNATURE"));
  assert_eq!(refused.body["error"], "Invalid token");
  assert_eq!(
    refused.header("www-authenticate"),
    Some("Bearer error=\"invalid_token\", error_description=\"Invalid token\"")
  );

  // alg: none, with the payload of a good token.
  let payload = token.split('.').nth(1).unwrap();
  let none = format!("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{payload}.");
  assert_eq!(
    call(&server, "/me", &[("authorization", bearer(&none).as_str())])
      .await
      .status,
    401
  );

  let expired = auth
    .sign(
      TokenKind::Access,
      json!({ "sub": "u" }).as_object().unwrap().clone(),
      &SignOptions {
        expires_in: Some(1),
        not_before: None,
      },
    )
    .unwrap();
  let later = auth
    .sign(
      TokenKind::Access,
      json!({ "sub": "u" }).as_object().unwrap().clone(),
      &SignOptions {
        expires_in: None,
        not_before: Some(3600),
      },
    )
    .unwrap();
  assert_eq!(
    call(
      &server,
      "/me",
      &[("authorization", bearer(&later).as_str())]
    )
    .await
    .code(),
    "TOKEN_NOT_ACTIVE"
  );
  let refresh = auth
    .sign(
      TokenKind::Refresh,
      json!({ "sub": "u" }).as_object().unwrap().clone(),
      &SignOptions::default(),
    )
    .unwrap();
  // Signed with the refresh secret, so not even a signature this layer accepts…
  assert_eq!(
    call(
      &server,
      "/me",
      &[("authorization", bearer(&refresh).as_str())]
    )
    .await
    .code(),
    "INVALID_SIGNATURE"
  );
  // …and with the access secret, still not an access token.
  let header = json!({ "alg": "HS256", "typ": "JWT" });
  let as_access = hs256(
    header,
    json!({ "sub": "u", "type": "refresh", "iss": "auth-shield-test", "exp": now() + 60 }),
  );
  assert_eq!(
    call(
      &server,
      "/me",
      &[("authorization", bearer(&as_access).as_str())]
    )
    .await
    .code(),
    "INVALID_TOKEN_TYPE"
  );
  // HS256 claimed while the key set is HMAC: a header that names another algorithm is refused.
  let confused = hs256(
    json!({ "alg": "HS512", "typ": "JWT" }),
    json!({ "sub": "u", "type": "access", "iss": "auth-shield-test", "exp": now() + 60 }),
  );
  assert_eq!(
    call(
      &server,
      "/me",
      &[("authorization", bearer(&confused).as_str())]
    )
    .await
    .code(),
    "ALGORITHM_NOT_ALLOWED"
  );

  let mismatch = call(
    &server,
    "/me",
    &[
      ("authorization", bearer(&token).as_str()),
      ("x-tenant-id", "globex"),
    ],
  )
  .await;
  assert_eq!((mismatch.status, mismatch.code()), (403, "TENANT_MISMATCH"));
  assert!(mismatch.header("www-authenticate").is_none());
  let bad_tenant = call(
    &server,
    "/me",
    &[
      ("authorization", bearer(&token).as_str()),
      ("x-tenant-id", "a b"),
    ],
  )
  .await;
  assert_eq!(
    (bad_tenant.status, bad_tenant.code()),
    (400, "INVALID_TENANT")
  );
  // Two tenant fields are one joined value, as Node reads them: never the first alone.
  let twice = call(
    &server,
    "/me",
    &[
      ("authorization", bearer(&token).as_str()),
      ("x-tenant-id", "acme"),
      ("x-tenant-id", "acme"),
    ],
  )
  .await;
  assert_eq!(twice.code(), "INVALID_TENANT");

  let huge = format!("Bearer {}", "a".repeat(20_000));
  assert_eq!(
    call(&server, "/me", &[("authorization", &huge)])
      .await
      .code(),
    "TOKEN_MALFORMED"
  );

  auth.revoke_user("user-1", None, None).unwrap();
  assert_eq!(
    call(
      &server,
      "/me",
      &[("authorization", bearer(&token).as_str())]
    )
    .await
    .code(),
    "TOKEN_REVOKED"
  );

  tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
  assert_eq!(
    call(
      &server,
      "/me",
      &[("authorization", bearer(&expired).as_str())]
    )
    .await
    .code(),
    "TOKEN_EXPIRED"
  );
}

#[tokio::test]
async fn the_rate_limit_answers_429_with_retry_after_and_a_layer_may_have_its_own() {
  let auth = config().rate_limit(2, 0.001).build().unwrap();
  let own: LayerOptions = serde_json::from_value(
    json!({ "rateLimit": { "max": 1, "refill": 0.001 }, "rateLimitHeaders": "draft-7" }),
  )
  .unwrap();
  let unlimited: LayerOptions = serde_json::from_value(json!({ "rateLimit": false })).unwrap();
  let app = Router::new()
    .nest(
      "/a",
      app(AuthShieldLayer::builder(auth.clone()).build().unwrap()),
    )
    .nest(
      "/b",
      app(
        AuthShieldLayer::builder(auth.clone())
          .options(own)
          .build()
          .unwrap(),
      ),
    )
    .nest(
      "/c",
      app(
        AuthShieldLayer::builder(auth.clone())
          .options(unlimited)
          .build()
          .unwrap(),
      ),
    );
  let server = serve(app).await;
  let token = sign(&auth, json!({ "sub": "user-7" }));
  let h = bearer(&token);
  let headers = [("authorization", h.as_str())];
  assert_eq!(call(&server, "/a/me", &headers).await.status, 200);
  assert_eq!(call(&server, "/a/me", &headers).await.status, 200);
  let limited = call(&server, "/a/me", &headers).await;
  assert_eq!((limited.status, limited.code()), (429, "RATE_LIMITED"));
  assert_eq!(limited.body["error"], "Rate limit exceeded");
  assert!(
    limited
      .header("retry-after")
      .unwrap()
      .parse::<u32>()
      .unwrap()
      > 0
  );
  assert_eq!(limited.header("ratelimit-remaining"), Some("0"));

  let first = call(&server, "/b/me", &headers).await;
  assert_eq!(first.status, 200);
  assert!(first
    .header("ratelimit")
    .unwrap()
    .starts_with("limit=1, remaining=0, reset="));
  assert_eq!(call(&server, "/b/me", &headers).await.status, 429);

  for _ in 0..3 {
    let free = call(&server, "/c/me", &headers).await;
    assert_eq!(free.status, 200);
    assert!(free.header("ratelimit-limit").is_none());
  }
}

#[tokio::test]
async fn optional_auth_skipping_and_trusted_request_ids() {
  let auth = authenticator();
  let options: LayerOptions = serde_json::from_value(json!({
    "credentialsRequired": false, "skipPaths": ["/open"], "trustRequestId": true, "realm": "api"
  }))
  .unwrap();
  let layer = AuthShieldLayer::builder(auth.clone())
    .options(options)
    .build()
    .unwrap();
  let app = Router::new()
    .route(
      "/open",
      get(|user: Option<AuthUser>| async move { Json(json!({ "user": user.is_some() })) }),
    )
    .merge(app(layer.clone()))
    .layer(layer);
  let server = serve(app).await;
  let anonymous = call(&server, "/maybe", &[]).await;
  assert_eq!(anonymous.status, 200);
  assert_eq!(anonymous.body["user"], serde_json::Value::Null);
  assert_eq!(
    anonymous.body["requestId"],
    anonymous.header("x-request-id").unwrap()
  );
  // A token that is sent must still be good.
  let bad = call(&server, "/maybe", &[("authorization", "Bearer a.b.c")]).await;
  assert_eq!((bad.status, bad.code()), (401, "TOKEN_MALFORMED"));
  assert!(bad
    .header("www-authenticate")
    .unwrap()
    .starts_with("Bearer realm=\"api\", error=\"invalid_token\""));
  // A route that needs a user refuses an anonymous request as the layer would.
  let needs = call(&server, "/me", &[("x-request-id", "gateway-42")]).await;
  assert_eq!((needs.status, needs.code()), (401, "MISSING_AUTHORIZATION"));
  assert_eq!(
    needs.header("www-authenticate"),
    Some("Bearer realm=\"api\"")
  );
  assert_eq!(needs.header("x-request-id"), Some("gateway-42"));
  let token = sign(&auth, json!({ "sub": "user-3" }));
  let named = call(
    &server,
    "/maybe",
    &[
      ("authorization", bearer(&token).as_str()),
      ("x-request-id", "bad id!"),
    ],
  )
  .await;
  assert_eq!(named.body["user"], "user-3");
  assert!(uuid_like(named.header("x-request-id").unwrap()));
  let open = call(&server, "/open", &[("authorization", "garbage")]).await;
  assert_eq!(
    (open.status, open.body["user"].clone()),
    (200, json!(false))
  );
  let preflight = send(&server, "OPTIONS", "/me", &[]).await;
  assert_ne!(preflight.status, 401);
}

#[tokio::test]
async fn refusals_map_to_the_applications_own_answer_and_extractors_reject_typed() {
  let auth = authenticator();
  let layer = AuthShieldLayer::builder(auth.clone())
    .on_refusal(|refusal| {
      let status = refusal.status();
      let mut response = (
        status,
        Json(json!({ "problem": refusal.code(), "id": refusal.request_id() })),
      )
        .into_response();
      response.headers_mut().extend(refusal.headers().clone());
      response
    })
    .options(serde_json::from_value(json!({ "credentialsRequired": false })).unwrap())
    .build()
    .unwrap();
  let app = Router::new()
    .route("/me", get(me))
    .route(
      "/typed",
      get(|user: Result<AuthUser, AuthRejection>| async move {
        match user {
          Ok(u) => u.user_id,
          Err(AuthRejection::Refused(r)) => format!("refused {}", r.code()),
          Err(AuthRejection::NoLayer) => "no layer".into(),
        }
      }),
    )
    .layer(layer)
    .route("/unguarded", get(me));
  let server = serve(app).await;
  let expired = call(&server, "/me", &[("authorization", "Bearer x.y.z")]).await;
  assert_eq!(expired.status, 401);
  assert_eq!(expired.body["problem"], "TOKEN_MALFORMED");
  assert_eq!(expired.body["id"], expired.header("x-request-id").unwrap());
  assert!(expired.header("www-authenticate").is_some());
  let anonymous = call(&server, "/me", &[]).await;
  assert_eq!(
    (anonymous.status, anonymous.body["problem"].clone()),
    (401, json!("MISSING_AUTHORIZATION"))
  );
  assert_eq!(
    call(&server, "/typed", &[]).await.body,
    "refused MISSING_AUTHORIZATION"
  );
  let wiring = call(&server, "/unguarded", &[]).await;
  assert_eq!((wiring.status, wiring.code()), (500, "INVALID_CONFIG"));
}

#[tokio::test]
async fn the_layers_functions_read_a_cookie_skip_requests_and_name_tenants_from_the_host() {
  let auth = authenticator();
  let layer = AuthShieldLayer::builder(auth.clone())
    .get_token(|parts| {
      let cookies = parts.headers.get("cookie")?.to_str().ok()?;
      if cookies.contains("explode") {
        panic!("a cookie parser bug");
      }
      cookies
        .split("; ")
        .find_map(|c| c.strip_prefix("session="))
        .map(str::to_owned)
    })
    .skip(|parts| parts.uri.path() == "/maybe" && parts.headers.contains_key("x-internal"))
    .tenant_from_host(|host| host.strip_suffix(".tenants.example.net").map(str::to_owned))
    .build()
    .unwrap();
  let server = serve(app(layer)).await;
  let token = sign(&auth, json!({ "sub": "user-5", "tenant_id": "acme" }));
  let cookie = format!("theme=dark; session={token}");

  let ok = call(
    &server,
    "/me",
    &[
      ("cookie", cookie.as_str()),
      ("host", "acme.tenants.example.net"),
    ],
  )
  .await;
  assert_eq!(ok.status, 200, "{:?}", ok.body);
  assert_eq!(
    (
      ok.body["user"]["userId"].clone(),
      ok.body["tenantId"].clone()
    ),
    (json!("user-5"), json!("acme"))
  );
  // The header comes first; the host's tenant is checked like a header's.
  let other = call(
    &server,
    "/me",
    &[
      ("cookie", cookie.as_str()),
      ("host", "globex.tenants.example.net"),
    ],
  )
  .await;
  assert_eq!(other.code(), "TENANT_MISMATCH");
  let header_first = call(
    &server,
    "/me",
    &[
      ("cookie", cookie.as_str()),
      ("host", "globex.tenants.example.net"),
      ("x-tenant-id", "acme"),
    ],
  )
  .await;
  assert_eq!(header_first.status, 200);
  // With get_token the Authorization header is not read, and no cookie is no credentials.
  let header_only = call(
    &server,
    "/me",
    &[("authorization", bearer(&token).as_str())],
  )
  .await;
  assert_eq!(header_only.code(), "MISSING_AUTHORIZATION");
  let skipped = call(&server, "/maybe", &[("x-internal", "1")]).await;
  assert_eq!(
    (skipped.status, skipped.body["user"].clone()),
    (200, serde_json::Value::Null)
  );
  assert!(skipped.header("x-request-id").is_some());
  // A function that panics refuses the request (500 CALLBACK_FAILED); the server goes on.
  let failed = call(&server, "/me", &[("cookie", "explode=1")]).await;
  assert_eq!((failed.status, failed.code()), (500, "CALLBACK_FAILED"));
  assert_eq!(
    call(&server, "/me", &[("cookie", cookie.as_str())])
      .await
      .status,
    200
  );
}

#[tokio::test]
async fn a_rate_limit_key_spends_a_shared_bucket_besides_the_users_own() {
  let auth = config().rate_limit(3, 0.001).build().unwrap();
  let shared = AuthShieldLayer::builder(auth.clone())
    .rate_limit_key(|parts, _user| {
      let office = parts
        .headers
        .get("x-office")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("hq");
      if office == "none" {
        String::new()
      } else {
        format!("office:{office}")
      }
    })
    .build()
    .unwrap();
  let server = serve(app(shared)).await;
  let (a, b) = (
    sign(&auth, json!({ "sub": "ada" })),
    sign(&auth, json!({ "sub": "bob" })),
  );
  let (a, b) = (bearer(&a), bearer(&b));
  let first = call(&server, "/me", &[("authorization", a.as_str())]).await;
  assert_eq!(
    (first.status, first.header("ratelimit-remaining")),
    (200, Some("2"))
  );
  assert_eq!(
    call(&server, "/me", &[("authorization", a.as_str())])
      .await
      .status,
    200
  );
  // Bob's own bucket is full, the office's has one left: the headers tell of the office's.
  let third = call(&server, "/me", &[("authorization", b.as_str())]).await;
  assert_eq!(
    (third.status, third.header("ratelimit-remaining")),
    (200, Some("0"))
  );
  let limited = call(&server, "/me", &[("authorization", b.as_str())]).await;
  assert_eq!((limited.status, limited.code()), (429, "RATE_LIMITED"));
  assert!(limited.header("retry-after").is_some());
  // Another office is another bucket; a key function that answers nothing is a bug, not a pass.
  assert_eq!(
    call(
      &server,
      "/me",
      &[("authorization", b.as_str()), ("x-office", "lab")]
    )
    .await
    .status,
    200
  );
  let cy = bearer(&sign(&auth, json!({ "sub": "cy" })));
  let empty = call(
    &server,
    "/me",
    &[("authorization", cy.as_str()), ("x-office", "none")],
  )
  .await;
  assert_eq!((empty.status, empty.code()), (500, "CALLBACK_FAILED"));
}

#[tokio::test]
async fn failed_authentications_spend_a_budget_per_client_checked_before_any_token() {
  let auth = authenticator();
  let options: LayerOptions = serde_json::from_value(json!({
    "failedAuthLimit": { "max": 2, "refill": 0.001 }, "credentialsRequired": false
  }))
  .unwrap();
  let server = serve_with_addresses(app(
    AuthShieldLayer::builder(auth.clone())
      .options(options)
      .build()
      .unwrap(),
  ))
  .await;
  let good = bearer(&sign(&auth, json!({ "sub": "user-8" })));
  assert_eq!(
    call(&server, "/me", &[("authorization", good.as_str())])
      .await
      .status,
    200
  );
  // Anonymous requests are not failures.
  for _ in 0..3 {
    assert_eq!(call(&server, "/maybe", &[]).await.status, 200);
  }
  for _ in 0..2 {
    assert_eq!(
      call(&server, "/me", &[("authorization", "Bearer a.b.c")])
        .await
        .status,
      401
    );
  }
  // Spent: refused before the token is read, a good one included.
  let blocked = call(&server, "/me", &[("authorization", good.as_str())]).await;
  assert_eq!((blocked.status, blocked.code()), (429, "RATE_LIMITED"));
  assert!(
    blocked
      .header("retry-after")
      .unwrap()
      .parse::<u32>()
      .unwrap()
      > 0
  );
  assert_eq!(blocked.header("ratelimit-limit"), Some("2"));

  // Behind a proxy the caller says where the address is; each client has its own budget.
  let options: LayerOptions = serde_json::from_value(json!({ "failedAuthLimit": true })).unwrap();
  let layer = AuthShieldLayer::builder(auth.clone())
    .options(options)
    .client_ip(|parts| {
      parts
        .headers
        .get("x-forwarded-for")?
        .to_str()
        .ok()?
        .parse()
        .ok()
    })
    .build()
    .unwrap();
  let server = serve(app(layer)).await;
  for _ in 0..20 {
    assert_eq!(
      call(&server, "/me", &[("x-forwarded-for", "203.0.113.7")])
        .await
        .status,
      401
    );
  }
  assert_eq!(
    call(&server, "/me", &[("x-forwarded-for", "203.0.113.7")])
      .await
      .status,
    429
  );
  let other = call(
    &server,
    "/me",
    &[
      ("x-forwarded-for", "203.0.113.8"),
      ("authorization", good.as_str()),
    ],
  )
  .await;
  assert_eq!(other.status, 200);
  for bad in [
    json!("yes"),
    json!({ "max": 0 }),
    json!({ "refill": 0 }),
    json!({ "maxKeys": 5 }),
    json!({ "burst": 1 }),
  ] {
    let options: LayerOptions = serde_json::from_value(json!({ "failedAuthLimit": bad })).unwrap();
    let err = AuthShieldLayer::builder(auth.clone())
      .options(options)
      .build()
      .err()
      .unwrap();
    assert!(err.detail.contains("failedAuthLimit"), "{}", err.detail);
  }
}
