//! A provider's keys: fetched at start, early for an unknown kid (once per cool-down, shared by
//! the requests waiting), with the same request answered under the new keys.

mod common;

use auth_shield_core::jwt::base64url::encode;
use auth_shield_tower::{AuthConfig, AuthShieldLayer, AuthUser, JwksOptions, JwksRefresher};
use axum::routing::get;
use axum::Router;
use common::*;
use ring::rand::SystemRandom;
use ring::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_FIXED_SIGNING};
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

struct Key {
  kid: &'static str,
  pair: EcdsaKeyPair,
}

impl Key {
  fn new(kid: &'static str) -> Key {
    let rng = SystemRandom::new();
    let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap();
    let pair =
      EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng).unwrap();
    Key { kid, pair }
  }

  fn jwk(&self) -> serde_json::Value {
    let point = self.pair.public_key().as_ref();
    json!({ "kty": "EC", "crv": "P-256", "kid": self.kid, "alg": "ES256", "use": "sig",
      "x": encode(&point[1..33]), "y": encode(&point[33..65]) })
  }

  fn sign(&self, claims: serde_json::Value) -> String {
    let header = json!({ "alg": "ES256", "typ": "JWT", "kid": self.kid });
    let input = format!(
      "{}.{}",
      encode(header.to_string().as_bytes()),
      encode(claims.to_string().as_bytes())
    );
    let sig = self
      .pair
      .sign(&SystemRandom::new(), input.as_bytes())
      .unwrap();
    format!("{input}.{}", encode(sig.as_ref()))
  }
}

fn claims(sub: &str) -> serde_json::Value {
  json!({ "sub": sub, "type": "access", "iss": "https://idp.example.com", "exp": now() + 300 })
}

#[tokio::test]
async fn an_unknown_kid_fetches_the_new_keys_once_per_cooldown() {
  let (k1, k2, k3) = (Key::new("k1"), Key::new("k2"), Key::new("k3"));
  let auth = AuthConfig::new()
    .issuer("https://idp.example.com")
    .jwks(json!({ "keys": [] }))
    .build()
    .unwrap();
  let published = Arc::new(Mutex::new(json!({ "keys": [k1.jwk()] }).to_string()));
  let fetches = Arc::new(AtomicUsize::new(0));
  let errors = Arc::new(Mutex::new(Vec::<String>::new()));
  let (doc, count, told) = (published.clone(), fetches.clone(), errors.clone());
  let options = JwksOptions {
    cooldown: Duration::from_secs(2),
    ..JwksOptions::default()
  };
  let refresher = JwksRefresher::start_with(
    auth.clone(),
    options,
    move || {
      count.fetch_add(1, Ordering::SeqCst);
      let text = doc.lock().unwrap().clone();
      async move {
        if text == "down" {
          Err("503 from the provider".to_owned())
        } else {
          Ok(text)
        }
      }
    },
    move |m| told.lock().unwrap().push(m.to_owned()),
  )
  .unwrap();
  refresher.ready().await;
  assert_eq!(fetches.load(Ordering::SeqCst), 1);
  let layer = AuthShieldLayer::builder(auth.clone())
    .jwks(refresher.clone())
    .build()
    .unwrap();
  let app = Router::new()
    .route("/me", get(|u: AuthUser| async move { u.user_id }))
    .layer(layer);
  let server = serve(app).await;
  let ask = |token: String| {
    let server = &server;
    async move { call(server, "/me", &[("authorization", bearer(&token).as_str())]).await }
  };

  assert_eq!(ask(k1.sign(claims("one"))).await.status, 200);
  assert_eq!(fetches.load(Ordering::SeqCst), 1);

  // The fetch at start counts toward the cool-down, as in Node.
  tokio::time::sleep(Duration::from_millis(2100)).await;
  // The provider rotates to k2: the first k2 token (and those arriving with it) fetch once.
  *published.lock().unwrap() = json!({ "keys": [k1.jwk(), k2.jwk()] }).to_string();
  let (a, b, c) = tokio::join!(
    ask(k2.sign(claims("a"))),
    ask(k2.sign(claims("b"))),
    ask(k2.sign(claims("c")))
  );
  assert_eq!(
    (a.status, b.status, c.status),
    (200, 200, 200),
    "{:?}",
    a.body
  );
  assert_eq!(a.body, "a");
  assert_eq!(fetches.load(Ordering::SeqCst), 2);

  // A kid the provider does not have: refused, and within the cool-down no fetch for each one.
  for _ in 0..3 {
    let unknown = ask(k3.sign(claims("x"))).await;
    assert_eq!((unknown.status, unknown.code()), (401, "UNKNOWN_KEY"));
  }
  assert_eq!(fetches.load(Ordering::SeqCst), 2);

  // An outage keeps the keys in force and is told once.
  *published.lock().unwrap() = "down".into();
  assert!(!refresher.refresh().await);
  assert!(!refresher.refresh().await);
  assert_eq!(ask(k2.sign(claims("still"))).await.status, 200);
  assert_eq!(errors.lock().unwrap().as_slice(), ["503 from the provider"]);
  assert_eq!(refresher.counts().failed, 2);
  // A document that is not a key set is refused whole; the keys stay.
  *published.lock().unwrap() = "{\"keys\": 7}".into();
  assert!(!refresher.refresh().await);
  assert_eq!(ask(k1.sign(claims("kept"))).await.status, 200);
  refresher.stop();
}

#[tokio::test]
async fn a_refresher_needs_named_keys_and_sane_durations() {
  let secret = authenticator();
  let fetch = || async { Ok::<_, String>("{}".to_owned()) };
  let err = JwksRefresher::start(secret, JwksOptions::default(), fetch)
    .err()
    .unwrap();
  assert_eq!(err.code.as_str(), "INVALID_CONFIG");
  let keyed = AuthConfig::new()
    .jwks(json!({ "keys": [] }))
    .build()
    .unwrap();
  let zero = JwksOptions {
    cooldown: Duration::ZERO,
    ..JwksOptions::default()
  };
  assert!(JwksRefresher::start(keyed, zero, fetch)
    .err()
    .unwrap()
    .detail
    .contains("cooldown"));
}

#[test]
fn outside_a_runtime_a_refresher_is_a_coded_error_not_a_panic() {
  let keyed = AuthConfig::new()
    .jwks(json!({ "keys": [] }))
    .build()
    .unwrap();
  let fetch = || async { Ok::<_, String>("{}".to_owned()) };
  let err = JwksRefresher::start(keyed, JwksOptions::default(), fetch)
    .err()
    .unwrap();
  assert_eq!(err.code.as_str(), "INVALID_CONFIG");
  assert!(err.detail.contains("Tokio runtime"));
}

#[cfg(feature = "fetch")]
#[tokio::test]
async fn from_uri_fetches_over_http_with_the_node_refreshers_rules() {
  use axum::http::StatusCode;
  let k1 = Key::new("k1");
  let jwk = k1.jwk();
  let provider = Router::new()
    .route(
      "/.well-known/jwks.json",
      get(move || {
        let jwk = jwk.clone();
        async move { axum::Json(json!({ "keys": [jwk] })) }
      }),
    )
    .route("/gone", get(|| async { StatusCode::NOT_FOUND }))
    .route("/huge", get(|| async { "x".repeat(2 << 20) }));
  let server = serve(provider).await;
  let base = format!("http://{}", server.addr);

  let auth = AuthConfig::new()
    .jwks(json!({ "keys": [] }))
    .build()
    .unwrap();
  let refresher = JwksRefresher::from_uri(
    auth.clone(),
    &format!("{base}/.well-known/jwks.json?key=s3cret"),
    JwksOptions::default(),
  )
  .unwrap();
  refresher.ready().await;
  assert_eq!(refresher.counts().ok, 1);
  let app = Router::new()
    .route("/me", get(|u: AuthUser| async move { u.user_id }))
    .layer(
      AuthShieldLayer::builder(auth.clone())
        .jwks(refresher)
        .build()
        .unwrap(),
    );
  let api = serve(app).await;
  let token = k1.sign(json!({ "sub": "fetched", "type": "access", "exp": now() + 60 }));
  let ok = call(&api, "/me", &[("authorization", bearer(&token).as_str())]).await;
  assert_eq!((ok.status, ok.body.clone()), (200, json!("fetched")));

  for (path, why) in [
    ("/gone?key=s3cret", "HTTP 404"),
    ("/huge", "larger than 1048576 bytes"),
  ] {
    let told = Arc::new(Mutex::new(Vec::<String>::new()));
    let sink = told.clone();
    let failing = AuthConfig::new()
      .jwks(json!({ "keys": [] }))
      .build()
      .unwrap();
    let r = JwksRefresher::from_uri_with(
      failing,
      &format!("{base}{path}"),
      JwksOptions::default(),
      move |m| sink.lock().unwrap().push(m.to_owned()),
    )
    .unwrap();
    r.ready().await;
    assert_eq!(r.counts().failed, 1);
    let told = told.lock().unwrap();
    let clean = path.split('?').next().unwrap();
    assert_eq!(told.as_slice(), [format!("JWKS {base}{clean}: {why}")]);
  }
  // The HTTPS client is made and tried (nothing listens there): a reported failure, no panic.
  let told = Arc::new(Mutex::new(Vec::<String>::new()));
  let sink = told.clone();
  let tls = AuthConfig::new()
    .jwks(json!({ "keys": [] }))
    .build()
    .unwrap();
  let r = JwksRefresher::from_uri_with(
    tls,
    "https://127.0.0.1:1/jwks",
    JwksOptions::default(),
    move |m| sink.lock().unwrap().push(m.to_owned()),
  )
  .unwrap();
  r.ready().await;
  assert!(
    told.lock().unwrap()[0].starts_with("JWKS https://127.0.0.1:1/jwks: fetch failed ("),
    "{:?}",
    told.lock().unwrap()
  );
  for bad in ["ftp://idp.example.com/jwks", "not a url", "/relative/jwks"] {
    let auth = AuthConfig::new()
      .jwks(json!({ "keys": [] }))
      .build()
      .unwrap();
    let err = JwksRefresher::from_uri(auth, bad, JwksOptions::default())
      .err()
      .unwrap();
    assert_eq!(err.code.as_str(), "INVALID_CONFIG", "{bad}");
  }
}
