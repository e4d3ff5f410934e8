//! The JOSE header (RFC 7515 §4). We read `alg` and `kid`; `crit` names extensions we do not
//! implement, so a token carrying it is refused (RFC 7515 §4.1.11). Key-location members (`jku`,
//! `jwk`, `x5u`, `x5c`) are ignored: the key always comes from configuration, never from the token.

use super::json::{duplicate, read_object, skip_other, Str};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use std::fmt;

#[derive(Debug, PartialEq, Eq)]
pub struct Header<'a> {
  pub alg: Str<'a>,
  pub kid: Option<Str<'a>>,
}

/// Parses a decoded header; `None` if it is not a JSON object with a string `alg` and no
/// duplicate, `crit` or mistyped member.
pub fn parse(json: &[u8]) -> Option<Header<'_>> {
  let mut de = serde_json::Deserializer::from_slice(json);
  let header = HeaderSeed.deserialize(&mut de).ok()?;
  de.end().ok()?;
  Some(header)
}

struct HeaderSeed;

impl<'de> DeserializeSeed<'de> for HeaderSeed {
  type Value = Header<'de>;
  fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
    d.deserialize_map(self)
  }
}

impl<'de> Visitor<'de> for HeaderSeed {
  type Value = Header<'de>;

  fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
    f.write_str("a JOSE header object")
  }

  fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
    let mut alg = None;
    let mut kid = None;
    read_object(map, |map, name, members| match name.as_str() {
      "alg" => {
        if !members.first_known(0) {
          return Err(duplicate());
        }
        alg = Some(map.next_value::<Str>()?);
        Ok(())
      }
      "kid" => {
        if !members.first_known(1) {
          return Err(duplicate());
        }
        kid = Some(map.next_value::<Str>()?);
        Ok(())
      }
      "typ" | "cty" => {
        let bit = if name.as_str() == "typ" { 2 } else { 3 };
        if !members.first_known(bit) {
          return Err(duplicate());
        }
        map.next_value::<Str>()?;
        Ok(())
      }
      "crit" => Err(de::Error::custom("unsupported critical extension")),
      _ => skip_other(map, name, members),
    })?;
    let alg = alg.ok_or_else(|| de::Error::missing_field("alg"))?;
    Ok(Header { alg, kid })
  }
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
    assert_eq!(parse(br#"{"alg":"HS\u0032\u00356"}"#).unwrap().alg.as_str(), "HS256");
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
    for bad in [&b"[]"[..], b"\"HS256\"", b"null", b"{", b"{\"alg\":\"HS256\"} x", b""] {
      assert!(parse(bad).is_none(), "{:?}", String::from_utf8_lossy(bad));
    }
  }
}
