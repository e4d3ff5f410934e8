//! The claims set (RFC 7519 §4) as auth-shield reads it. Strings borrow from the decoded payload.
//! Registered claims of the wrong JSON type make the token malformed rather than being ignored,
//! so no claim is ever silently skipped. Optional string claims may be `null` (read as absent);
//! NumericDate claims may not.

use super::json::{duplicate, read_object, skip_other, Str};
use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

#[derive(Debug, Default, PartialEq)]
pub struct Claims<'a> {
  pub sub: Option<Str<'a>>,
  pub email: Option<Str<'a>>,
  pub role: Option<Str<'a>>,
  pub permissions: Vec<Str<'a>>,
  pub tenant_id: Option<Str<'a>>,
  pub token_type: Option<Str<'a>>,
  pub iss: Option<Str<'a>>,
  pub aud: Vec<Str<'a>>,
  pub jti: Option<Str<'a>>,
  pub exp: Option<f64>,
  pub nbf: Option<f64>,
  pub iat: Option<f64>,
}

/// Parses a decoded payload; `None` unless it is one JSON object whose registered claims have
/// their registered types and whose member names are unique.
///
/// sonic-rs parses a typical payload in well under half serde_json's time, but recurses without
/// a depth limit, so a payload with more than a few brackets goes to serde_json, whose depth
/// limit and iterative skipping cannot exhaust the stack. Both accept the same documents
/// (checked by `both_parsers_agree`).
pub fn parse(json: &[u8]) -> Option<Claims<'_>> {
  if bracket_count(json) > FAST_PARSE_MAX_BRACKETS {
    parse_serde_json(json)
  } else {
    parse_sonic(json)
  }
}

const FAST_PARSE_MAX_BRACKETS: usize = 32;

/// Opening brackets anywhere (inside strings too): an upper bound on nesting, counted without an
/// early exit so the scan vectorises.
fn bracket_count(json: &[u8]) -> usize {
  json.iter().fold(0, |n, &b| n + usize::from(b == b'[' || b == b'{'))
}

fn parse_sonic(json: &[u8]) -> Option<Claims<'_>> {
  let mut de = sonic_rs::Deserializer::from_slice(json);
  let claims = ClaimsSeed.deserialize(&mut de).ok()?;
  de.end().ok()?;
  Some(claims)
}

fn parse_serde_json(json: &[u8]) -> Option<Claims<'_>> {
  let mut de = serde_json::Deserializer::from_slice(json);
  let claims = ClaimsSeed.deserialize(&mut de).ok()?;
  de.end().ok()?;
  Some(claims)
}

struct ClaimsSeed;

impl<'de> DeserializeSeed<'de> for ClaimsSeed {
  type Value = Claims<'de>;
  fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
    d.deserialize_map(self)
  }
}

/// A NumericDate (RFC 7519 §2): any JSON number, read as seconds.
fn numeric_date<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<f64>, A::Error> {
  Ok(Some(map.next_value::<f64>()?))
}

impl<'de> Visitor<'de> for ClaimsSeed {
  type Value = Claims<'de>;

  fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
    f.write_str("a JWT claims object")
  }

  fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
    let mut c = Claims::default();
    read_object(map, |map, name, members| {
      let bit = match name.as_str() {
        "sub" => 0,
        "email" => 1,
        "role" => 2,
        "permissions" => 3,
        "tenant_id" => 4,
        "type" => 5,
        "iss" => 6,
        "aud" => 7,
        "jti" => 8,
        "exp" => 9,
        "nbf" => 10,
        "iat" => 11,
        _ => return skip_other(map, name, members),
      };
      if !members.first_known(bit) {
        return Err(duplicate());
      }
      match bit {
        0 => c.sub = map.next_value()?,
        1 => c.email = map.next_value()?,
        2 => c.role = map.next_value()?,
        3 => c.permissions = map.next_value::<Option<Vec<Str>>>()?.unwrap_or_default(),
        4 => c.tenant_id = map.next_value()?,
        5 => c.token_type = map.next_value()?,
        6 => c.iss = map.next_value()?,
        7 => c.aud = map.next_value::<Audience>()?.0,
        8 => c.jti = map.next_value()?,
        9 => c.exp = numeric_date(map)?,
        10 => c.nbf = numeric_date(map)?,
        _ => c.iat = numeric_date(map)?,
      }
      Ok(())
    })?;
    Ok(c)
  }
}

/// `aud` is one string or an array of strings (RFC 7519 §4.1.3).
struct Audience<'a>(Vec<Str<'a>>);

impl<'de> Deserialize<'de> for Audience<'de> {
  fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
    struct AudVisitor;
    impl<'de> Visitor<'de> for AudVisitor {
      type Value = Audience<'de>;
      fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string or an array of strings")
      }
      fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Audience(vec![Str(v.into())]))
      }
      fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Audience(vec![Str(v.to_owned().into())]))
      }
      fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Self::Value, S::Error> {
        let mut all = Vec::new();
        while let Some(s) = seq.next_element::<Str>()? {
          all.push(s);
        }
        Ok(Audience(all))
      }
    }
    d.deserialize_any(AudVisitor)
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn reads_every_claim() {
    let c = parse(
      br#"{"sub":"u1","email":"a@b.c","role":"admin","permissions":["r","w"],"tenant_id":"acme",
          "type":"access","iss":"me","aud":["x","y"],"jti":"j","exp":20,"nbf":10.5,"iat":10,
          "custom":{"deep":[1,2,3]}}"#,
    )
    .unwrap();
    assert_eq!(c.sub.unwrap().as_str(), "u1");
    assert_eq!(c.email.unwrap().as_str(), "a@b.c");
    assert_eq!(c.role.unwrap().as_str(), "admin");
    assert_eq!(c.permissions.len(), 2);
    assert_eq!(c.tenant_id.unwrap().as_str(), "acme");
    assert_eq!(c.token_type.unwrap().as_str(), "access");
    assert_eq!(c.iss.unwrap().as_str(), "me");
    assert_eq!(c.aud.len(), 2);
    assert_eq!(c.jti.unwrap().as_str(), "j");
    assert_eq!((c.exp, c.nbf, c.iat), (Some(20.0), Some(10.5), Some(10.0)));
  }

  #[test]
  fn single_string_audience_and_null_optionals() {
    let c = parse(br#"{"aud":"x","email":null,"permissions":null}"#).unwrap();
    assert_eq!(c.aud, vec![Str("x".into())]);
    assert_eq!(c.email, None);
    assert!(c.permissions.is_empty());
  }

  #[test]
  fn escaped_strings_are_unescaped() {
    let c = parse(br#"{"sub":"a\"b\u00e9\ud83d\ude00"}"#).unwrap();
    assert_eq!(c.sub.unwrap().as_str(), "a\"b\u{e9}\u{1f600}");
  }

  #[test]
  fn mistyped_registered_claims_are_refused() {
    for bad in [
      &br#"{"exp":"20"}"#[..],
      br#"{"exp":null}"#,
      br#"{"exp":true}"#,
      br#"{"sub":1}"#,
      br#"{"permissions":"admin"}"#,
      br#"{"permissions":[1]}"#,
      br#"{"aud":1}"#,
      br#"{"aud":[1]}"#,
      br#"{"type":{}}"#,
    ] {
      assert!(parse(bad).is_none(), "{}", String::from_utf8_lossy(bad));
    }
  }

  #[test]
  fn duplicates_are_refused_known_or_not() {
    assert!(parse(br#"{"sub":"a","sub":"b"}"#).is_none());
    assert!(parse(br#"{"role":"user","role":"admin"}"#).is_none());
    assert!(parse(br#"{"x":1,"y":2,"x":3}"#).is_none());
    assert!(parse(br#"{"x":1,"y":2}"#).is_some());
  }

  #[test]
  fn non_objects_bad_unicode_and_trailing_data_are_refused() {
    for bad in [
      &b"[]"[..],
      b"1",
      b"\"s\"",
      b"null",
      b"{} {}",
      br#"{"sub":"\ud800"}"#,
      b"{\"sub\":\"\xff\"}",
      br#"{"exp":1e400}"#,
    ] {
      assert!(parse(bad).is_none(), "{}", String::from_utf8_lossy(bad));
    }
  }

  #[test]
  fn both_parsers_agree() {
    let docs: &[&[u8]] = &[
      br#"{"sub":"u1","permissions":["r","w"],"aud":["x"],"exp":20,"nbf":10.5,"x":{"y":[1,2]}}"#,
      br#"{"sub":"a\"b\u00e9\ud83d\ude00","email":null}"#,
      br#"  {"sub" : "u" }  "#,
      br#"{"exp":1e400}"#,
      br#"{"exp":-0}"#,
      br#"{"exp":1E3}"#,
      br#"{"exp":01}"#,
      br#"{"exp":1.}"#,
      br#"{"sub":"\ud800"}"#,
      br#"{"sub":"\udc00\ud800"}"#,
      b"{\"sub\":\"\xff\"}",
      b"{\"sub\":\"a\tb\"}",
      br#"{"sub":"\x"}"#,
      br#"{"a":1,}"#,
      br#"{"a":1 "b":2}"#,
      br#"{"a":tru}"#,
      br#"{"a":[1,]}"#,
      br#"{"x":1,"x":2}"#,
      br#"{} x"#,
      b"{}\x00",
      br#"{"sub":"u","aud":"x"}"#,
      br#"{"sub":"u","aud":[]}"#,
      br#"{"permissions":[null]}"#,
      br#"{"iat":1.7976931348623157e308}"#,
    ];
    for doc in docs {
      assert_eq!(parse_sonic(doc), parse_serde_json(doc), "{}", String::from_utf8_lossy(doc));
    }
  }

  #[test]
  fn deep_nesting_in_an_unread_claim_is_skipped_without_overflowing_the_stack() {
    let mut s = String::from(r#"{"x":"#);
    s.push_str(&"[".repeat(10_000));
    s.push_str(&"]".repeat(10_000));
    s.push('}');
    assert!(parse(s.as_bytes()).is_some());
    // Unbalanced nesting is still malformed.
    assert!(parse(&s.as_bytes()[..s.len() - 2]).is_none());
  }
}
