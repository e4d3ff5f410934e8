//! JWK Sets as providers publish them: encryption keys, keys without `alg` (Entra ID), and keys
//! this build cannot use, which are skipped with their reasons rather than failing the set.

use super::keys::KeySet;
use super::keys_tests::{check, data, hs256_token, set, to_value, verifier};
use crate::error::ErrorCode;
use serde_json::Value as Json;

#[test]
fn a_jwks_document_is_read_and_encryption_keys_are_skipped() {
  let d = data();
  let mut rsa = d["rsa"]["jwk"].clone();
  for private in ["d", "p", "q", "dp", "dq", "qi"] {
    rsa.as_object_mut().unwrap().remove(private);
  }
  rsa["kid"] = "rs".into();
  rsa["alg"] = "RS256".into();
  let mut ec = d["ec"]["jwk"].clone();
  ec.as_object_mut().unwrap().remove("d");
  ec["kid"] = "es".into();
  let mut enc = ec.clone();
  enc["kid"] = "enc".into();
  enc["use"] = "enc".into();
  let jwks = serde_json::json!({ "keys": [rsa, ec, enc] });
  let keys = KeySet::from_values(None, Some(to_value(&jwks)), None, false).unwrap();
  assert_eq!(keys.kids().collect::<Vec<_>>(), ["rs", "es"]);
  assert!(keys.signing_key().is_none());
  let v = verifier(keys);
  assert_eq!(check(&v, d["tokens"]["RS256"].as_str().unwrap()), Ok(()));
  assert_eq!(check(&v, d["tokens"]["ES256"].as_str().unwrap()), Ok(()));
  assert_eq!(
    check(&v, d["tokens"]["EdDSA"].as_str().unwrap()),
    Err(ErrorCode::UnknownKey)
  );
}

fn public_rsa_jwk(kid: &str) -> Json {
  let mut rsa = data()["rsa"]["jwk"].clone();
  for private in ["d", "p", "q", "dp", "dq", "qi"] {
    rsa.as_object_mut().unwrap().remove(private);
  }
  rsa["kid"] = kid.into();
  rsa
}

#[test]
fn an_rsa_jwk_without_alg_verifies_the_rsa_algorithms_only() {
  let d = data();
  // As Entra ID publishes its keys: no `alg`, with `x5t`, `x5c` and members of its own.
  let entra = |kid: &str| {
    let mut k = public_rsa_jwk(kid);
    k["use"] = "sig".into();
    k["x5t"] = "bm90LWEtdGh1bWJwcmludA".into();
    k["x5c"] = serde_json::json!(["bm90LWEtY2VydGlmaWNhdGU="]);
    k["issuer"] = "https://login.microsoftonline.com/{tenantid}/v2.0".into();
    k["cloud_instance_name"] = "microsoftonline.com".into();
    k
  };
  let keys = jwks_set(vec![entra("rs"), entra("ps")]).unwrap();
  assert!(keys.skipped().is_empty(), "{:?}", keys.skipped());
  let v = verifier(keys);
  assert_eq!(check(&v, d["tokens"]["RS256"].as_str().unwrap()), Ok(()));
  assert_eq!(check(&v, d["tokens"]["PS256"].as_str().unwrap()), Ok(()));
  // Algorithm confusion: the key's modulus as an HMAC secret, or another key type's algorithm.
  let n = d["rsa"]["jwk"]["n"].as_str().unwrap().as_bytes();
  let hs = hs256_token(n, &serde_json::json!({ "alg": "HS256", "kid": "rs" }));
  assert_eq!(check(&v, &hs), Err(ErrorCode::AlgorithmNotAllowed));
  let es = d["tokens"]["ES256"].as_str().unwrap().replacen(
    &super::base64url::encode(br#"{"alg":"ES256","kid":"es"}"#),
    &super::base64url::encode(br#"{"alg":"ES256","kid":"rs"}"#),
    1,
  );
  assert_eq!(check(&v, &es), Err(ErrorCode::AlgorithmNotAllowed));
}

fn jwks_set(keys: Vec<Json>) -> Result<KeySet, crate::error::Error> {
  KeySet::from_values(
    None,
    Some(to_value(&serde_json::json!({ "keys": keys }))),
    None,
    false,
  )
}

#[test]
fn keys_a_jwks_cannot_use_are_skipped_with_their_reasons() {
  let d = data();
  let mut rs = public_rsa_jwk("rs");
  rs["alg"] = "RS256".into();
  let unusable = vec![
    serde_json::json!({ "kty": "EC", "crv": "P-521", "kid": "p521", "x": "AQ", "y": "AQ" }),
    serde_json::json!({ "kty": "OKP", "crv": "Ed448", "kid": "ed448", "x": "AQ" }),
    serde_json::json!({ "kty": "oct", "kid": "sym", "k": "c2VjcmV0" }),
    serde_json::json!({ "kty": "RSA", "kid": "short", "n": "AQAB", "e": "AQAB", "alg": "RS256" }),
    serde_json::json!({ "kty": "RSA", "kid": "oaep", "alg": "RSA-OAEP", "n": rs["n"], "e": rs["e"] }),
    serde_json::json!({ "kty": "PQC", "kid": "future" }),
    serde_json::json!("not an object"),
    {
      let mut k = rs.clone();
      k.as_object_mut().unwrap().remove("kid");
      k
    },
  ];
  let mut all = unusable.clone();
  all.push(rs.clone());
  all.push(rs.clone());
  let keys = jwks_set(all).unwrap();
  assert_eq!(keys.kids().collect::<Vec<_>>(), ["rs"]);
  assert_eq!(
    keys.skipped().len(),
    unusable.len() + 1,
    "{:?}",
    keys.skipped()
  );
  assert!(keys.skipped().iter().any(|s| s.contains("appears twice")));
  assert_eq!(
    check(&verifier(keys), d["tokens"]["RS256"].as_str().unwrap()),
    Ok(())
  );
  // Nothing usable at all is still a mistake, with the reasons.
  let e = jwks_set(unusable).unwrap_err();
  assert!(
    e.detail.contains("no usable key") && e.detail.contains("P-521"),
    "{}",
    e.detail
  );
  // In `keys`, the configuration's own list, a bad key is refused outright.
  let e = set(vec![
    serde_json::json!({ "kid": "a", "alg": "HS256", "secret": "short" }),
  ]);
  assert!(e.is_err());
}
