//! Verification against published examples and against the attacks RFC 8725 lists.

use super::verify::KeySource;
use super::*;
use crate::error::ErrorCode;

const RFC7515_A1_KEY: &str =
  "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";
const RFC7515_A1_TOKEN: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";
const NOW: u64 = 1_700_000_000;

fn hs256_only() -> AlgorithmSet {
  let mut set = AlgorithmSet::default();
  set.insert(Algorithm::HS256);
  set
}

fn access_rules() -> Validation {
  Validation {
    require_exp: true,
    require_sub: true,
    token_type: Some("access"),
    ..Validation::default()
  }
}

fn verifier(rules: Validation) -> Verifier {
  Verifier::new(
    KeySource::Secret(HmacKey::new(SECRET)),
    hs256_only(),
    8192,
    rules,
  )
}

fn token(payload: &str) -> String {
  sign::sign(&HmacKey::new(SECRET), Algorithm::HS256, payload.as_bytes())
}

fn with_header(header: &str, payload: &str, key: &[u8]) -> String {
  let mut t = base64url::encode(header.as_bytes());
  t.push('.');
  t.push_str(&base64url::encode(payload.as_bytes()));
  let mut mac = [0u8; 64];
  let n = HmacKey::new(key).sign_into(Algorithm::HS256, t.as_bytes(), &mut mac);
  t.push('.');
  t.push_str(&base64url::encode(&mac[..n]));
  t
}

fn check(v: &Verifier, token: &str, now: u64) -> Result<(), ErrorCode> {
  let mut scratch = Vec::new();
  v.verify(token.as_bytes(), now, &mut scratch).map(|_| ())
}

fn good_payload() -> String {
  format!(r#"{{"sub":"u1","type":"access","exp":{}}}"#, NOW + 60)
}

#[test]
fn rfc7515_a1_hs256_example_verifies_before_exp_and_expires_at_exp() {
  let mut key = Vec::new();
  base64url::decode_into(RFC7515_A1_KEY.as_bytes(), &mut key).unwrap();
  let v = Verifier::new(
    KeySource::Secret(HmacKey::new(&key)),
    hs256_only(),
    8192,
    Validation {
      require_exp: true,
      issuers: super::Issuers::new(&["joe".into()]).unwrap(),
      ..Validation::default()
    },
  );
  let mut scratch = Vec::new();
  let claims = v
    .verify(RFC7515_A1_TOKEN.as_bytes(), 1_300_819_379, &mut scratch)
    .unwrap();
  assert_eq!(claims.iss.unwrap().as_str(), "joe");
  assert_eq!(
    check(&v, RFC7515_A1_TOKEN, 1_300_819_380),
    Err(ErrorCode::TokenExpired)
  );
}

#[test]
fn valid_token_yields_its_claims() {
  let v = verifier(access_rules());
  let t = token(&good_payload());
  let mut scratch = Vec::new();
  let c = v.verify(t.as_bytes(), NOW, &mut scratch).unwrap();
  assert_eq!(c.sub.unwrap().as_str(), "u1");
}

#[test]
fn forged_signature_with_another_secret_fails() {
  let t = with_header(
    r#"{"alg":"HS256","typ":"JWT"}"#,
    &good_payload(),
    b"another-secret-another-secret-xx",
  );
  assert_eq!(
    check(&verifier(access_rules()), &t, NOW),
    Err(ErrorCode::InvalidSignature)
  );
}

#[test]
fn tampered_payload_fails() {
  let t = token(&good_payload());
  let parts: Vec<&str> = t.split('.').collect();
  let evil = base64url::encode(
    format!(r#"{{"sub":"admin","type":"access","exp":{}}}"#, NOW + 60).as_bytes(),
  );
  let forged = format!("{}.{}.{}", parts[0], evil, parts[2]);
  assert_eq!(
    check(&verifier(access_rules()), &forged, NOW),
    Err(ErrorCode::InvalidSignature)
  );
}

#[test]
fn every_flipped_signature_character_fails() {
  let v = verifier(access_rules());
  let t = token(&good_payload());
  let sig_start = t.rfind('.').unwrap() + 1;
  for i in sig_start..t.len() {
    let mut bytes = t.clone().into_bytes();
    bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
    let forged = String::from_utf8(bytes).unwrap();
    assert_eq!(
      check(&v, &forged, NOW),
      Err(ErrorCode::InvalidSignature),
      "at {i}"
    );
  }
}

#[test]
fn non_canonical_signature_encoding_fails() {
  // The last character of a 32-byte signature carries 2 unused bits; setting them must not pass.
  let v = verifier(access_rules());
  let t = token(&good_payload());
  let last = *t.as_bytes().last().unwrap();
  const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  let idx = ALPHABET.iter().position(|&c| c == last).unwrap();
  let variant = ALPHABET[idx ^ 1] as char;
  let forged = format!("{}{}", &t[..t.len() - 1], variant);
  assert_eq!(check(&v, &forged, NOW), Err(ErrorCode::InvalidSignature));
  let padded = format!("{t}=");
  assert_eq!(check(&v, &padded, NOW), Err(ErrorCode::InvalidSignature));
}

#[test]
fn alg_none_is_never_accepted() {
  let payload = base64url::encode(good_payload().as_bytes());
  for header in [
    r#"{"alg":"none"}"#,
    r#"{"alg":"None"}"#,
    r#"{"alg":"NONE","typ":"JWT"}"#,
  ] {
    let h = base64url::encode(header.as_bytes());
    let v = verifier(access_rules());
    assert_eq!(
      check(&v, &format!("{h}.{payload}."), NOW),
      Err(ErrorCode::TokenMalformed)
    );
    assert_eq!(
      check(&v, &format!("{h}.{payload}.x"), NOW),
      Err(ErrorCode::AlgorithmNotAllowed)
    );
  }
}

#[test]
fn algorithm_confusion_is_refused_before_the_key_is_used() {
  // An RS256 or ES256 header, "signed" with the secret as if it were an HMAC key.
  for alg in ["RS256", "ES256", "PS256", "EdDSA", "HS384"] {
    let t = with_header(&format!(r#"{{"alg":"{alg}"}}"#), &good_payload(), SECRET);
    assert_eq!(
      check(&verifier(access_rules()), &t, NOW),
      Err(ErrorCode::AlgorithmNotAllowed),
      "{alg}"
    );
  }
}

#[test]
fn unusual_but_allowed_headers_take_the_full_parse() {
  let t = with_header(
    r#"{"kid":"k1","alg":"HS256","typ":"JWT"}"#,
    &good_payload(),
    SECRET,
  );
  assert_eq!(check(&verifier(access_rules()), &t, NOW), Ok(()));
  let t = with_header(r#"{"alg":"HS256","crit":["exp"]}"#, &good_payload(), SECRET);
  assert_eq!(
    check(&verifier(access_rules()), &t, NOW),
    Err(ErrorCode::TokenMalformed)
  );
  let t = with_header(r#"{"alg":"HS256","alg":"HS256"}"#, &good_payload(), SECRET);
  assert_eq!(
    check(&verifier(access_rules()), &t, NOW),
    Err(ErrorCode::TokenMalformed)
  );
}

#[test]
fn wrong_segment_counts_and_empty_segments_are_malformed() {
  let v = verifier(access_rules());
  let t = token(&good_payload());
  let p: Vec<&str> = t.split('.').collect();
  for bad in [
    format!("{}.{}", p[0], p[1]),
    format!("{}.{}.{}.{}", p[0], p[1], p[2], p[2]),
    format!(".{}.{}", p[1], p[2]),
    format!("{}..{}", p[0], p[2]),
    format!("{}.{}.", p[0], p[1]),
    String::new(),
    "abc".into(),
    "..".into(),
  ] {
    assert_eq!(
      check(&v, &bad, NOW),
      Err(ErrorCode::TokenMalformed),
      "{bad}"
    );
  }
}

#[test]
fn oversized_tokens_are_refused_before_any_work() {
  let v = Verifier::new(
    KeySource::Secret(HmacKey::new(SECRET)),
    hs256_only(),
    100,
    access_rules(),
  );
  let t = token(&good_payload());
  assert!(t.len() > 100);
  assert_eq!(check(&v, &t, NOW), Err(ErrorCode::TokenMalformed));
}

#[test]
fn signed_but_unparseable_payloads_are_malformed() {
  let v = verifier(access_rules());
  for payload in [
    "[]",
    "null",
    "not json",
    r#"{"sub":"a","sub":"b"}"#,
    r#"{"exp":"soon"}"#,
  ] {
    assert_eq!(
      check(&v, &token(payload), NOW),
      Err(ErrorCode::TokenMalformed),
      "{payload}"
    );
  }
}

#[test]
fn expiry_edges_respect_leeway() {
  let exp = NOW;
  let t = token(&format!(r#"{{"sub":"u","type":"access","exp":{exp}}}"#));
  let strict = verifier(access_rules());
  assert_eq!(check(&strict, &t, exp - 1), Ok(()));
  assert_eq!(check(&strict, &t, exp), Err(ErrorCode::TokenExpired));
  let lenient = verifier(Validation {
    leeway: 30,
    ..access_rules()
  });
  assert_eq!(check(&lenient, &t, exp + 29), Ok(()));
  assert_eq!(check(&lenient, &t, exp + 30), Err(ErrorCode::TokenExpired));
}

#[test]
fn fractional_exp_is_compared_exactly() {
  let t = token(&format!(r#"{{"sub":"u","type":"access","exp":{}.5}}"#, NOW));
  assert_eq!(check(&verifier(access_rules()), &t, NOW), Ok(()));
  assert_eq!(
    check(&verifier(access_rules()), &t, NOW + 1),
    Err(ErrorCode::TokenExpired)
  );
}

#[test]
fn nbf_and_iat_in_the_future_are_not_active_until_leeway_covers_them() {
  let exp = NOW + 600;
  for claim in ["nbf", "iat"] {
    let t = token(&format!(
      r#"{{"sub":"u","type":"access","exp":{exp},"{claim}":{}}}"#,
      NOW + 10
    ));
    assert_eq!(
      check(&verifier(access_rules()), &t, NOW),
      Err(ErrorCode::TokenNotActive),
      "{claim}"
    );
    assert_eq!(
      check(&verifier(access_rules()), &t, NOW + 10),
      Ok(()),
      "{claim}"
    );
    let lenient = verifier(Validation {
      leeway: 10,
      ..access_rules()
    });
    assert_eq!(check(&lenient, &t, NOW), Ok(()), "{claim}");
  }
}

#[test]
fn missing_exp_or_sub_is_a_missing_claim_unless_allowed() {
  let no_exp = token(r#"{"sub":"u","type":"access"}"#);
  assert_eq!(
    check(&verifier(access_rules()), &no_exp, NOW),
    Err(ErrorCode::MissingClaim)
  );
  let relaxed = verifier(Validation {
    require_exp: false,
    ..access_rules()
  });
  assert_eq!(check(&relaxed, &no_exp, NOW), Ok(()));
  let no_sub = token(&format!(r#"{{"type":"access","exp":{}}}"#, NOW + 5));
  assert_eq!(
    check(&verifier(access_rules()), &no_sub, NOW),
    Err(ErrorCode::MissingClaim)
  );
}

#[test]
fn issuer_and_audience_must_match_when_configured() {
  let rules = Validation {
    issuers: super::Issuers::new(&["auth".into()]).unwrap(),
    audiences: vec!["api".into(), "web".into()],
    ..access_rules()
  };
  let v = verifier(rules);
  let exp = NOW + 60;
  let mk = |extra: &str| {
    token(&format!(
      r#"{{"sub":"u","type":"access","exp":{exp}{extra}}}"#
    ))
  };
  assert_eq!(check(&v, &mk(r#","iss":"auth","aud":"web""#), NOW), Ok(()));
  assert_eq!(
    check(&v, &mk(r#","iss":"auth","aud":["x","api"]"#), NOW),
    Ok(())
  );
  assert_eq!(
    check(&v, &mk(r#","aud":"api""#), NOW),
    Err(ErrorCode::InvalidIssuer)
  );
  assert_eq!(
    check(&v, &mk(r#","iss":"evil","aud":"api""#), NOW),
    Err(ErrorCode::InvalidIssuer)
  );
  assert_eq!(
    check(&v, &mk(r#","iss":"auth""#), NOW),
    Err(ErrorCode::InvalidAudience)
  );
  assert_eq!(
    check(&v, &mk(r#","iss":"auth","aud":["x"]"#), NOW),
    Err(ErrorCode::InvalidAudience)
  );
}

#[test]
fn refresh_tokens_are_not_access_tokens() {
  let exp = NOW + 60;
  let v = verifier(access_rules());
  let refresh = token(&format!(r#"{{"sub":"u","type":"refresh","exp":{exp}}}"#));
  assert_eq!(check(&v, &refresh, NOW), Err(ErrorCode::InvalidTokenType));
  let untyped = token(&format!(r#"{{"sub":"u","exp":{exp}}}"#));
  assert_eq!(check(&v, &untyped, NOW), Err(ErrorCode::InvalidTokenType));
}

#[test]
fn checks_run_in_the_documented_order() {
  // Expired, wrong issuer and refresh all at once: expiry is reported first.
  let v = verifier(Validation {
    issuers: super::Issuers::new(&["auth".into()]).unwrap(),
    ..access_rules()
  });
  let t = token(&format!(
    r#"{{"sub":"u","type":"refresh","iss":"x","exp":{}}}"#,
    NOW - 1
  ));
  assert_eq!(check(&v, &t, NOW), Err(ErrorCode::TokenExpired));
}
