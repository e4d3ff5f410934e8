//! Published vectors for named keys: the RFC 8037 Ed25519 example, the RFC 7520 §4.1 (RS256) and
//! §4.4 (HS256) examples (§4.2 PS384 and §4.3 ES512 name algorithms we do not offer), and the
//! Wycheproof JWS vectors.

use super::keys::KeySet;
use super::keys_tests::{hmac_set, jwks_of, to_value, verifier};
use crate::error::ErrorCode;
use crate::options::Value;
use serde_json::Value as Json;

#[test]
fn rfc_8037_appendix_a_ed25519_example() {
  // RFC 8037 §A.1–A.4: the Ed25519 key and the JWS of "Example of Ed25519 signing".
  let jwk = serde_json::json!({
    "kty": "OKP", "crv": "Ed25519", "kid": "rfc8037",
    "d": "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A",
    "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
  });
  let keys = jwks_of(jwk);
  let key = keys.lookup(Some("rfc8037")).unwrap();
  let input = b"eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc";
  let expected =
    "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";
  assert_eq!(
    super::base64url::encode(&key.sign(input).unwrap()),
    expected
  );
  assert!(key.verify(key.alg, input, expected.as_bytes()));
}

#[test]
fn wycheproof_json_web_signature_vectors() {
  let doc: Json = serde_json::from_str(include_str!("testdata/wycheproof_jws.json")).unwrap();
  let mut checked = 0;
  for group in doc["testGroups"].as_array().unwrap() {
    let jwk = &group["key"];
    let keys = if jwk["kty"] == "oct" {
      let text = |name: &str| jwk[name].as_str().unwrap();
      hmac_set(text("kid"), text("alg"), text("k"))
    } else {
      KeySet::from_values(Some(Value::List(vec![to_value(jwk)])), None, None, false).unwrap()
    };
    let v = verifier(keys);
    for t in group["tests"].as_array().unwrap() {
      let got = v.verify_signature(t["jws"].as_str().unwrap().as_bytes());
      let want_valid = t["result"] == "valid";
      assert_eq!(
        got.is_ok(),
        want_valid,
        "tcId {} {}: {got:?}",
        t["tcId"],
        t["comment"]
      );
      checked += 1;
    }
  }
  assert_eq!(checked, 68);
}

#[test]
fn rfc_7520_section_4_4_hmac_sha2_example() {
  // RFC 7520 §3.5 (the symmetric key) and §4.4 (its HS256 compact JWS, Figure 34). The payload is
  // the RFC's text, not a claims object: only the signature step is checked here.
  let keys = hmac_set(
    "018c0ae5-4d9b-471b-bfd6-eef314bc7037",
    "HS256",
    "hJtXIZ2uSN5kbQfbtTNWbpdmhkV8FJG-Onbc6mxCcYg",
  );
  let header = "eyJhbGciOiJIUzI1NiIsImtpZCI6IjAxOGMwYWU1LTRkOWItNDcxYi1iZmQ2LWVlZjMxNGJjNzAzNyJ9";
  let payload = "SXTigJlzIGEgZGFuZ2Vyb3VzIGJ1c2luZXNzLCBGcm9kbywgZ29pbmcgb3V0IHlvdXIgZG9vci4gWW91IHN0ZXAgb250byB0aGUgcm9hZCwgYW5kIGlmIHlvdSBkb24ndCBrZWVwIHlvdXIgZmVldCwgdGhlcmXigJlzIG5vIGtub3dpbmcgd2hlcmUgeW91IG1pZ2h0IGJlIHN3ZXB0IG9mZiB0by4";
  let signature = "s0h6KThzkfBBBkLspW1h84VsJZFTsPPqMDA7g1Md7p0";
  let input = format!("{header}.{payload}");
  let key = keys
    .lookup(Some("018c0ae5-4d9b-471b-bfd6-eef314bc7037"))
    .unwrap();
  assert_eq!(
    super::base64url::encode(&key.sign(input.as_bytes()).unwrap()),
    signature
  );

  let v = verifier(keys);
  let token = format!("{input}.{signature}");
  assert_eq!(v.verify_signature(token.as_bytes()), Ok(payload.as_bytes()));
  let mut decoded = Vec::new();
  super::base64url::decode_into(payload.as_bytes(), &mut decoded).unwrap();
  assert!(String::from_utf8(decoded)
    .unwrap()
    .starts_with("It\u{2019}s a dangerous business, Frodo"));
  // Not a JWT: the signature holds, the payload is no claims object.
  assert_eq!(
    v.verify(token.as_bytes(), 0, &mut Vec::new()).err(),
    Some(ErrorCode::TokenMalformed)
  );
  let forged = format!("{input}.s0h6KThzkfBBBkLspW1h84VsJZFTsPPqMDA7g1Md7p1");
  assert_eq!(
    v.verify_signature(forged.as_bytes()),
    Err(ErrorCode::InvalidSignature)
  );
}

#[test]
fn rfc_7520_section_4_1_rsa_v1_5_example() {
  // RFC 7520 §3.3 Figure 3 (the public half of the RSA key, bound here to RS256 as our keys must
  // be) and §4.1 Figure 13 (the RS256 compact JWS of the same text).
  let n = concat!(
    "n4EPtAOCc9AlkeQHPzHStgAbgs7bTZLwUBZdR8_KuKPEHLd4rHVTeT-O-XV2",
    "jRojdNhxJWTDvNd7nqQ0VEiZQHz_AJmSCpMaJMRBSFKrKb2wqVwGU_NsYOYL",
    "-QtiWN2lbzcEe6XC0dApr5ydQLrHqkHHig3RBordaZ6Aj-oBHqFEHYpPe7Tp",
    "e-OfVfHd1E6cS6M1FZcD1NNLYD5lFHpPI9bTwJlsde3uhGqC0ZCuEHg8lhzw",
    "OHrtIQbS0FVbb9k3-tVTU4fg_3L_vniUFAKwuCLqKnS2BYwdq_mzSnbLY7h_",
    "qixoR7jig3__kRhuaxwUkRz5iaiQkqgc5gHdrNP5zw",
  );
  let jwk = serde_json::json!({
    "kty": "RSA", "kid": "bilbo.baggins@hobbiton.example", "use": "sig", "alg": "RS256",
    "n": n, "e": "AQAB"
  });
  let keys = jwks_of(jwk);
  let token = concat!(
    "eyJhbGciOiJSUzI1NiIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24u",
    "ZXhhbXBsZSJ9.SXTigJlzIGEgZGFuZ2Vyb3VzIGJ1c2luZXNzLCBGcm9kbyw",
    "gZ29pbmcgb3V0IHlvdXIgZG9vci4gWW91IHN0ZXAgb250byB0aGUgcm9hZCw",
    "gYW5kIGlmIHlvdSBkb24ndCBrZWVwIHlvdXIgZmVldCwgdGhlcmXigJlzIG5",
    "vIGtub3dpbmcgd2hlcmUgeW91IG1pZ2h0IGJlIHN3ZXB0IG9mZiB0by4.MRj",
    "dkly7_-oTPTS3AXP41iQIGKa80A0ZmTuV5MEaHoxnW2e5CZ5NlKtainoFmKZ",
    "opdHM1O2U4mwzJdQx996ivp83xuglII7PNDi84wnB-BDkoBwA78185hX-Es4",
    "JIwmDLJK3lfWRa-XtL0RnltuYv746iYTh_qHRD68BNt1uSNCrUCTJDt5aAE6",
    "x8wW1Kt9eRo4QPocSadnHXFxnt8Is9UzpERV0ePPQdLuW3IS_de3xyIrDaLG",
    "djluPxUAhb6L2aXic1U12podGU0KLUQSE_oI-ZnmKJ3F4uOZDnd6QZWJushZ",
    "41Axf_fcIe8u9ipH84ogoree7vjbU5y18kDquDg",
  );
  let v = verifier(keys);
  assert!(v.verify_signature(token.as_bytes()).is_ok());
  assert_eq!(
    v.verify(token.as_bytes(), 0, &mut Vec::new()).err(),
    Some(ErrorCode::TokenMalformed)
  );
  // One byte of the payload changed (`SXTi` -> `SXTj`): the signature no longer holds.
  let tampered = token.replacen(".SXTigJlz", ".SXTjgJlz", 1);
  assert_eq!(
    v.verify_signature(tampered.as_bytes()),
    Err(ErrorCode::InvalidSignature)
  );
}
