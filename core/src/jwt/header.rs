//! The JOSE header (RFC 7515 §4). We read `alg`, `kid` and `typ`; `crit` names extensions we do not
//! implement, so a token carrying it is refused (RFC 7515 §4.1.11). Key-location members (`jku`,
//! `jwk`, `x5u`, `x5c`) are ignored: the key always comes from configuration, never from the token.

use super::json::{Members, Str};
use super::reader::Reader;

#[derive(Debug, PartialEq, Eq)]
pub struct Header<'a> {
  pub alg: Str<'a>,
  pub kid: Option<Str<'a>>,
  pub typ: Option<Str<'a>>,
}

/// Parses a decoded header; `None` if it is not a JSON object with a string `alg` and no
/// duplicate, `crit` or mistyped member.
pub fn parse(json: &[u8]) -> Option<Header<'_>> {
  let mut r = Reader::new(json)?;
  let mut alg = None;
  let mut kid = None;
  let mut typ = None;
  let mut members = Members::default();
  r.object(|r, name| {
    let bit = match name.as_str() {
      "alg" => 0,
      "kid" => 1,
      "typ" => 2,
      "cty" => 3,
      "crit" => return None,
      _ => return members.first_other(name).then(|| r.skip())?,
    };
    if !members.first_known(bit) {
      return None;
    }
    let value = r.string()?;
    match bit {
      0 => alg = Some(value),
      1 => kid = Some(value),
      2 => typ = Some(value),
      _ => {}
    }
    Some(())
  })?;
  r.end()?;
  Some(Header {
    alg: alg?,
    kid,
    typ,
  })
}

#[cfg(test)]
mod tests {
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
}
