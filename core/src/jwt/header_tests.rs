//! Unit tests of `header.rs`.

use super::*;

#[test]
fn reads_alg_and_kid() {
  let h = parse(br#"{"alg":"HS256","typ":"JWT","kid":"k1","x":[1,{"y":2}]}"#).unwrap();
  assert_eq!(h.alg.as_str(), "HS256");
  assert_eq!(h.kid.unwrap().as_str(), "k1");
}

#[test]
fn escaped_alg_is_unescaped() {
  assert_eq!(
    parse(br#"{"alg":"HS\u0032\u00356"}"#).unwrap().alg.as_str(),
    "HS256"
  );
}

#[test]
fn missing_or_mistyped_alg_is_refused() {
  assert!(parse(br#"{"typ":"JWT"}"#).is_none());
  assert!(parse(br#"{"alg":256}"#).is_none());
  assert!(parse(br#"{"alg":null}"#).is_none());
  assert!(parse(br#"{"alg":"HS256","typ":1}"#).is_none());
}

#[test]
fn duplicate_members_are_refused() {
  assert!(parse(br#"{"alg":"HS256","alg":"none"}"#).is_none());
  assert!(parse(br#"{"alg":"HS256","x":1,"x":2}"#).is_none());
  assert!(parse(br#"{"alg":"HS256","typ":"JWT","typ":"JWT"}"#).is_none());
}

#[test]
fn crit_is_refused() {
  assert!(parse(br#"{"alg":"HS256","crit":["b64"],"b64":false}"#).is_none());
}

#[test]
fn non_objects_and_trailing_bytes_are_refused() {
  for bad in [
    &b"[]"[..],
    b"\"HS256\"",
    b"null",
    b"{",
    b"{\"alg\":\"HS256\"} x",
    b"",
  ] {
    assert!(parse(bad).is_none(), "{:?}", String::from_utf8_lossy(bad));
  }
}
