//! Unit tests of `apikey.rs`.

use super::*;

const PEPPER: &[u8] = b"0123456789abcdef0123456789abcdef";

#[test]
fn generated_keys_parse_and_carry_enough_secret() {
  for prefix in ["pk", "sk_live", "acme_pk", "a_b_c_d"] {
    let g = generate(prefix).unwrap();
    assert!(g.key.starts_with(&format!("{prefix}_")));
    assert_eq!(
      g.key.len(),
      prefix.len() + 1 + ID_CHARS + 1 + SECRET_CHARS + CHECKSUM_CHARS
    );
    assert_eq!(parse(&g.key).unwrap(), Parsed { prefix, id: &g.id });
    assert_ne!(generate(prefix).unwrap().key, g.key);
  }
  assert!((SECRET_CHARS as f64) * 62f64.log2() >= 160.0);
}

/// A key the previous version made (`auth1_<prefix>_…`), checksum and all.
fn legacy_key(prefix: &str, id: &str) -> String {
  let mut key = format!("auth1_{prefix}_{id}_{}", "s".repeat(SECRET_CHARS));
  key.push_str(std::str::from_utf8(&base62_checksum(&key)).unwrap());
  key
}

#[test]
fn keys_of_the_previous_version_still_parse_and_verify() {
  let key = legacy_key("pk", "AbCdEfGhIjKl");
  assert_eq!(
    parse(&key).unwrap(),
    Parsed {
      prefix: "pk",
      id: "AbCdEfGhIjKl"
    }
  );
  let h = hash(&key, PEPPER).unwrap();
  assert!(verify(&key, &h, PEPPER).unwrap());
  assert_eq!(
    parse(&legacy_key("live2", "000000000000")).unwrap().prefix,
    "live2"
  );
}

#[test]
fn typos_and_random_strings_fail_the_checksum() {
  let g = generate("sk_live").unwrap();
  let mut bytes = g.key.clone().into_bytes();
  let i = bytes.len() - 10;
  bytes[i] = if bytes[i] == b'a' { b'b' } else { b'a' };
  let typo = String::from_utf8(bytes).unwrap();
  assert_eq!(parse(&typo).unwrap_err().code, ErrorCode::InvalidApiKey);
  for bad in [
    "",
    "auth1_pk",
    "pk_AAAAAAAAAAAA",
    "PK_AAAAAAAAAAAA_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "pk_AAAAAAAAAAAA_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "_AAAAAAAAAAAA_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "sk__live_AAAAAAAAAAAA_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    &g.key[..g.key.len() - 1],
    &format!("{}x", g.key),
    &g.key.replace("sk_live_", "sk_test_"),
    &g.key.replace("sk_live_", "live_"),
    &format!("{}_", g.key),
    &format!("x{}", g.key),
  ] {
    let e = parse(bad).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidApiKey, "{bad}");
    assert!(bad.is_empty() || !e.detail.contains(bad));
  }
}

#[test]
fn hash_and_verify() {
  let g = generate("pk").unwrap();
  let h = hash(&g.key, PEPPER).unwrap();
  assert_eq!(h.len(), 64);
  assert!(verify(&g.key, &h, PEPPER).unwrap());
  assert!(verify(&g.key, &h.to_uppercase(), PEPPER).unwrap());
  let other = generate("pk").unwrap();
  assert!(!verify(&other.key, &h, PEPPER).unwrap());
  assert!(!verify(&g.key, &h, b"another-pepper-another-pepper-xx").unwrap());
  assert!(!verify("garbage", &h, PEPPER).unwrap());
  assert_eq!(
    verify(&g.key, "abc", PEPPER).unwrap_err().code,
    ErrorCode::InvalidHash
  );
  assert_eq!(
    verify(&g.key, &"g".repeat(64), PEPPER).unwrap_err().code,
    ErrorCode::InvalidHash
  );
  assert_eq!(
    hash(&g.key, b"short").unwrap_err().code,
    ErrorCode::WeakSecret
  );
  assert_eq!(
    hash("nope", PEPPER).unwrap_err().code,
    ErrorCode::InvalidApiKey
  );
}

#[test]
fn prefixes_are_checked() {
  assert!(generate(&"x".repeat(32)).is_ok());
  for bad in [
    "",
    "UPPER",
    "x".repeat(33).as_str(),
    "é",
    "_pk",
    "pk_",
    "sk__live",
    "sk-live",
    "auth1",
    "auth1_pk",
  ] {
    assert_eq!(
      generate(bad).unwrap_err().code,
      ErrorCode::InvalidArgument,
      "{bad}"
    );
  }
}
