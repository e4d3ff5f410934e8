//! Named keys: every algorithm from PEM and JWK, tokens signed by node:crypto, algorithm
//! confusion, `kid` injection, refused keys, and whole-set swaps. The published vectors are in
//! vectors_tests.rs.

use super::keys::KeySet;
use super::verify::{KeySource, Validation, Verifier};
use super::AlgorithmSet;
use crate::error::ErrorCode;
use crate::options::Value;
use serde_json::Value as Json;
use std::sync::{Arc, RwLock};

const KEYS: &str = include_str!("testdata/keys.json");

pub(super) fn data() -> Json {
  serde_json::from_str(KEYS).unwrap()
}

pub(super) fn to_value(j: &Json) -> Value {
  match j {
    Json::String(s) => Value::String(s.clone()),
    Json::Number(n) => Value::Number(n.as_f64().unwrap()),
    Json::Bool(b) => Value::Bool(*b),
    Json::Array(a) => Value::List(a.iter().map(to_value).collect()),
    Json::Object(o) => Value::Map(o.iter().map(|(k, v)| (k.clone(), to_value(v))).collect()),
    Json::Null => Value::Other("null"),
  }
}

fn key(kid: &str, alg: &str, extra: Json) -> Json {
  let mut o = serde_json::json!({ "kid": kid, "alg": alg });
  o.as_object_mut()
    .unwrap()
    .extend(extra.as_object().unwrap().clone());
  o
}

pub(super) fn set(keys: Vec<Json>) -> Result<KeySet, crate::error::Error> {
  KeySet::from_values(Some(to_value(&Json::Array(keys))), None, None, false)
}

/// A JWKS document of one key, read as the `jwks` option.
pub(super) fn jwks_of(jwk: Json) -> KeySet {
  let doc = serde_json::json!({ "keys": [jwk] });
  KeySet::from_values(None, Some(to_value(&doc)), None, false).unwrap()
}

/// The one HMAC key of a symmetric JWK (`k` in base64url), given as our `secret` bytes.
pub(super) fn hmac_set(kid: &str, alg: &str, k: &str) -> KeySet {
  let mut secret = Vec::new();
  super::base64url::decode_into(k.as_bytes(), &mut secret).unwrap();
  let key = Value::Map(vec![
    ("kid".into(), Value::String(kid.into())),
    ("alg".into(), Value::String(alg.into())),
    ("secret".into(), Value::Bytes(secret)),
  ]);
  KeySet::from_values(Some(Value::List(vec![key])), None, None, false).unwrap()
}

pub(super) fn verifier(keys: KeySet) -> Verifier {
  let rules = Validation {
    require_exp: true,
    require_sub: true,
    token_type: Some("access"),
    ..Validation::default()
  };
  Verifier::new(
    KeySource::Keys(RwLock::new(Arc::new(keys))),
    AlgorithmSet::default(),
    8192,
    rules,
  )
}

pub(super) fn check(v: &Verifier, token: &str) -> Result<(), ErrorCode> {
  let mut scratch = Vec::new();
  v.verify(token.as_bytes(), 1_800_000_000, &mut scratch)
    .map(|_| ())
}

fn all_public() -> Vec<Json> {
  let d = data();
  vec![
    key(
      "rs",
      "RS256",
      serde_json::json!({ "publicKey": d["rsa"]["spki"] }),
    ),
    key(
      "ps",
      "PS256",
      serde_json::json!({ "publicKey": d["rsa"]["pkcs1"] }),
    ),
    key(
      "es",
      "ES256",
      serde_json::json!({ "publicKey": d["ec"]["spki"] }),
    ),
    key(
      "ed",
      "EdDSA",
      serde_json::json!({ "publicKey": d["ed"]["spki"] }),
    ),
    key(
      "es384",
      "ES384",
      serde_json::json!({ "publicKey": d["ec384"]["spki"] }),
    ),
  ]
}

#[test]
fn tokens_signed_by_node_crypto_verify_for_every_algorithm() {
  let v = verifier(set(all_public()).unwrap());
  for alg in ["RS256", "PS256", "ES256", "ES384", "EdDSA"] {
    let token = data()["tokens"][alg].as_str().unwrap().to_owned();
    assert_eq!(check(&v, &token), Ok(()), "{alg}");
    // One flipped bit in the signature, and it fails.
    let mut bytes = token.into_bytes();
    let i = bytes.len() - 5;
    bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
    assert_eq!(
      check(&v, std::str::from_utf8(&bytes).unwrap()),
      Err(ErrorCode::InvalidSignature),
      "{alg}"
    );
  }
}

#[test]
fn private_keys_sign_and_their_public_halves_verify() {
  let d = data();
  let cases = vec![
    key(
      "rs384",
      "RS384",
      serde_json::json!({ "privateKey": d["rsa"]["pkcs8"] }),
    ),
    key(
      "rs512",
      "RS512",
      serde_json::json!({ "privateKey": d["rsa"]["jwk"] }),
    ),
    key(
      "ps384",
      "PS384",
      serde_json::json!({ "privateKey": d["rsa"]["pkcs8"] }),
    ),
    key(
      "ps512",
      "PS512",
      serde_json::json!({ "privateKey": d["rsa"]["pkcs1Private"] }),
    ),
    key(
      "rs",
      "RS256",
      serde_json::json!({ "privateKey": d["rsa"]["pkcs8"] }),
    ),
    key(
      "rs1",
      "RS256",
      serde_json::json!({ "privateKey": d["rsa"]["pkcs1Private"] }),
    ),
    key(
      "ps",
      "PS256",
      serde_json::json!({ "privateKey": d["rsa"]["jwk"], "publicKey": d["rsa"]["spki"] }),
    ),
    key(
      "es",
      "ES256",
      serde_json::json!({ "privateKey": d["ec"]["pkcs8"] }),
    ),
    key(
      "es-jwk",
      "ES256",
      serde_json::json!({ "privateKey": d["ec"]["jwk"] }),
    ),
    key(
      "es384",
      "ES384",
      serde_json::json!({ "privateKey": d["ec384"]["pkcs8"] }),
    ),
    key(
      "es384-jwk",
      "ES384",
      serde_json::json!({ "privateKey": d["ec384"]["jwk"], "publicKey": d["ec384"]["spki"] }),
    ),
    key(
      "ed",
      "EdDSA",
      serde_json::json!({ "privateKey": d["ed"]["pkcs8"] }),
    ),
    key(
      "ed-jwk",
      "EdDSA",
      serde_json::json!({ "privateKey": d["ed"]["jwk"] }),
    ),
    key(
      "hs",
      "HS256",
      serde_json::json!({ "secret": "0123456789abcdef0123456789abcdef" }),
    ),
  ];
  for case in cases {
    let kid = case["kid"].as_str().unwrap().to_owned();
    let keys =
      KeySet::from_values(Some(to_value(&Json::Array(vec![case]))), None, None, false).unwrap();
    let v = verifier(keys);
    let token = v
      .sign(
        super::Algorithm::HS256,
        br#"{"sub":"u1","type":"access","exp":4102444800}"#,
      )
      .unwrap();
    assert_eq!(check(&v, &token), Ok(()), "{kid}");
    let header: Json = {
      let mut h = Vec::new();
      super::base64url::decode_into(token.split('.').next().unwrap().as_bytes(), &mut h).unwrap();
      serde_json::from_slice(&h).unwrap()
    };
    assert_eq!(header["kid"], kid.as_str());
  }
}

pub(super) fn hs256_token(secret: &[u8], header: &Json) -> String {
  use super::base64url::encode;
  let input = format!(
    "{}.{}",
    encode(header.to_string().as_bytes()),
    encode(br#"{"sub":"u1","type":"access","exp":4102444800}"#)
  );
  let key = super::HmacKey::new(secret);
  let mut mac = [0u8; 64];
  let n = key.sign_into(super::Algorithm::HS256, input.as_bytes(), &mut mac);
  format!("{input}.{}", encode(&mac[..n]))
}

#[test]
fn algorithm_confusion_is_impossible() {
  let d = data();
  let v = verifier(set(all_public()).unwrap());
  // The classic attack: HS256 "signed" with the RSA public key's PEM bytes as the secret.
  for (kid, pem) in [
    ("rs", &d["rsa"]["spki"]),
    ("es", &d["ec"]["spki"]),
    ("ed", &d["ed"]["spki"]),
  ] {
    let forged = hs256_token(
      pem.as_str().unwrap().as_bytes(),
      &serde_json::json!({ "alg": "HS256", "kid": kid }),
    );
    assert_eq!(
      check(&v, &forged),
      Err(ErrorCode::AlgorithmNotAllowed),
      "{kid}"
    );
  }
  // A genuine RS256 signature presented as PS256, or under another key's kid.
  let rs = d["tokens"]["RS256"].as_str().unwrap();
  let (_, rest) = rs.split_once('.').unwrap();
  let relabel = |header: Json| {
    format!(
      "{}.{rest}",
      super::base64url::encode(header.to_string().as_bytes())
    )
  };
  assert_eq!(
    check(
      &v,
      &relabel(serde_json::json!({ "alg": "PS256", "kid": "rs" }))
    ),
    Err(ErrorCode::AlgorithmNotAllowed)
  );
  assert_eq!(
    check(
      &v,
      &relabel(serde_json::json!({ "alg": "RS256", "kid": "ps" }))
    ),
    Err(ErrorCode::AlgorithmNotAllowed)
  );
  assert_eq!(
    check(
      &v,
      &relabel(serde_json::json!({ "alg": "ES256", "kid": "es" }))
    ),
    Err(ErrorCode::InvalidSignature)
  );
  assert_eq!(
    check(
      &v,
      &relabel(serde_json::json!({ "alg": "none", "kid": "rs" }))
    ),
    Err(ErrorCode::AlgorithmNotAllowed)
  );
}

#[test]
fn kid_injection_attempts_are_refused() {
  let v = verifier(set(all_public()).unwrap());
  let secret = b"0123456789abcdef0123456789abcdef";
  for kid in [
    "../../etc/passwd",
    "' OR '1'='1",
    "rs\u{0}",
    "RS",
    " rs",
    "*",
  ] {
    let t = hs256_token(secret, &serde_json::json!({ "alg": "RS256", "kid": kid }));
    assert_eq!(check(&v, &t), Err(ErrorCode::UnknownKey), "{kid:?}");
  }
  let long = hs256_token(
    secret,
    &serde_json::json!({ "alg": "RS256", "kid": "k".repeat(2000) }),
  );
  assert_eq!(check(&v, &long), Err(ErrorCode::TokenMalformed));
  for kid in [
    serde_json::json!(1),
    serde_json::json!(["rs"]),
    serde_json::json!({ "k": "rs" }),
    Json::Null,
  ] {
    let t = hs256_token(secret, &serde_json::json!({ "alg": "RS256", "kid": kid }));
    assert_eq!(check(&v, &t), Err(ErrorCode::TokenMalformed), "{kid}");
  }
  // No kid and several keys: nothing is tried.
  let t = hs256_token(secret, &serde_json::json!({ "alg": "RS256" }));
  assert_eq!(check(&v, &t), Err(ErrorCode::UnknownKey));
}

#[test]
fn bad_keys_are_refused_with_reasons() {
  let d = data();
  let cases: Vec<(Json, &str)> = vec![
    (
      key(
        "a",
        "RS256",
        serde_json::json!({ "publicKey": d["rsa1024"]["spki"] }),
      ),
      "2048",
    ),
    (
      key(
        "a",
        "ES256",
        serde_json::json!({ "publicKey": d["ec384"]["spki"] }),
      ),
      "P-256",
    ),
    (
      key(
        "a",
        "ES256",
        serde_json::json!({ "publicKey": d["rsa"]["spki"] }),
      ),
      "cannot be used with ES256",
    ),
    (
      key(
        "a",
        "RS256",
        serde_json::json!({ "publicKey": d["ec"]["spki"] }),
      ),
      "cannot be used with RS256",
    ),
    (
      key(
        "a",
        "EdDSA",
        serde_json::json!({ "publicKey": d["rsa"]["spki"] }),
      ),
      "cannot be used",
    ),
    (
      key(
        "a",
        "ES256",
        serde_json::json!({ "privateKey": d["ec"]["sec1"] }),
      ),
      "PKCS#8",
    ),
    (
      key(
        "a",
        "RS256",
        serde_json::json!({ "secret": "0123456789abcdef0123456789abcdef" }),
      ),
      "never a shared secret",
    ),
    (
      key(
        "a",
        "HS256",
        serde_json::json!({ "publicKey": d["rsa"]["spki"] }),
      ),
      "secret",
    ),
    (
      key("a", "HS256", serde_json::json!({ "secret": "short" })),
      "bytes",
    ),
    (
      key(
        "a",
        "RS256",
        serde_json::json!({ "publicKey": "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----" }),
      ),
      "SubjectPublicKeyInfo",
    ),
    (
      key(
        "a",
        "RS256",
        serde_json::json!({ "publicKey": "not a pem" }),
      ),
      "PEM",
    ),
    (key("a", "RS256", serde_json::json!({})), "publicKey"),
    (
      key(
        "a",
        "ES512",
        serde_json::json!({ "publicKey": d["rsa"]["spki"] }),
      ),
      "alg",
    ),
    (
      key(
        "a",
        "ES384",
        serde_json::json!({ "publicKey": d["ec"]["spki"] }),
      ),
      "non-P-384",
    ),
    (
      key(
        "a",
        "RS256",
        serde_json::json!({ "publicKey": d["rsa"]["spki"], "privateKey": d["ec"]["pkcs8"] }),
      ),
      "rejected",
    ),
    (
      key(
        "a",
        "ES256",
        serde_json::json!({ "publicKey": d["ec"]["spki"], "privateKey": d["ed"]["pkcs8"] }),
      ),
      "rejected",
    ),
    (
      serde_json::json!({ "alg": "RS256", "publicKey": d["rsa"]["spki"] }),
      "kid",
    ),
    (
      key(
        "a",
        "RS256",
        serde_json::json!({ "publicKey": d["rsa"]["spki"], "pem": 1 }),
      ),
      "unknown member",
    ),
  ];
  for (case, needle) in cases {
    let e = set(vec![case.clone()]).unwrap_err();
    assert!(
      matches!(e.code, ErrorCode::InvalidConfig | ErrorCode::WeakSecret),
      "{case}"
    );
    assert!(e.detail.contains(needle), "{case}: {}", e.detail);
    // Reasons name the key and the problem, never key material.
    assert!(!e.detail.contains("MI"), "{}", e.detail);
  }
  let dup = set(vec![all_public()[0].clone(), all_public()[0].clone()]).unwrap_err();
  assert!(dup.detail.contains("twice"));
  let e = KeySet::from_values(
    Some(to_value(&Json::Array(all_public()))),
    None,
    Some("rs".into()),
    false,
  )
  .unwrap_err();
  assert!(e.detail.contains("no private key"));
}

#[test]
fn set_keys_swaps_whole_sets() {
  let d = data();
  let v = verifier(set(vec![all_public()[0].clone()]).unwrap());
  let es = d["tokens"]["ES256"].as_str().unwrap();
  let rs = d["tokens"]["RS256"].as_str().unwrap();
  assert_eq!(check(&v, es), Err(ErrorCode::UnknownKey));
  assert_eq!(check(&v, rs), Ok(()));
  v.set_keys(set(vec![all_public()[2].clone()]).unwrap())
    .unwrap();
  assert_eq!(check(&v, es), Ok(()));
  assert_eq!(check(&v, rs), Err(ErrorCode::UnknownKey));
}
