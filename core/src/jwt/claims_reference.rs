//! The claims parser written on serde_json, kept as the reference the production reader is
//! tested against: both must accept the same documents and read the same claims.

use super::claims::Claims;
use super::json::serde_support::{duplicate, read_object, skip_other};
use super::json::Str;
use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

pub fn parse(json: &[u8]) -> Option<Claims<'_>> {
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
        "fam" => 12,
        "token_use" => 13,
        "nonce" => 14,
        "at_hash" => 15,
        _ => return skip_other(map, name, members),
      };
      if !members.first_known(bit) {
        return Err(duplicate());
      }
      match bit {
        0 => c.sub = map.next_value::<Id>()?.0,
        1 => c.email = map.next_value()?,
        2 => match map.next_value::<Option<OneOrMany>>()? {
          Some(OneOrMany(mut one, true)) => c.role = one.pop(),
          Some(OneOrMany(list, false)) => {
            c.role = list.first().cloned();
            c.roles = list;
          }
          None => {}
        },
        3 => {
          c.permissions = match map.next_value::<Option<OneOrMany>>()? {
            None => Vec::new(),
            Some(OneOrMany(list, false)) => list,
            Some(OneOrMany(one, true)) => one[0]
              .as_str()
              .split(' ')
              .filter(|t| !t.is_empty())
              .map(|t| Str(t.to_owned().into()))
              .collect(),
          }
        }
        4 => c.tenant_id = map.next_value::<Id>()?.0,
        5 => c.token_type = map.next_value()?,
        6 => c.iss = map.next_value()?,
        7 => c.aud = map.next_value::<OneOrMany>()?.0,
        8 => c.jti = map.next_value()?,
        9 => c.exp = numeric_date(map)?,
        10 => c.nbf = numeric_date(map)?,
        11 => c.iat = numeric_date(map)?,
        12 => c.fam = map.next_value()?,
        13 => c.token_use = map.next_value()?,
        _ => {
          map.next_value::<de::IgnoredAny>()?;
          c.id_token_claims = true;
        }
      }
      Ok(())
    })?;
    Ok(c)
  }
}

/// One string or an array of strings (`aud`, RFC 7519 §4.1.3; roles; permissions); the flag
/// says it was one string.
struct OneOrMany<'a>(Vec<Str<'a>>, bool);

impl<'de> Deserialize<'de> for OneOrMany<'de> {
  fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
    struct OneOrManyVisitor;
    impl<'de> Visitor<'de> for OneOrManyVisitor {
      type Value = OneOrMany<'de>;
      fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string or an array of strings")
      }
      fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(OneOrMany(vec![Str(v.into())], true))
      }
      fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(OneOrMany(vec![Str(v.to_owned().into())], true))
      }
      fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Self::Value, S::Error> {
        let mut all = Vec::new();
        while let Some(s) = seq.next_element::<Str>()? {
          all.push(s);
        }
        Ok(OneOrMany(all, false))
      }
    }
    d.deserialize_any(OneOrManyVisitor)
  }
}

/// A user or tenant id: a string, an integer within ±(2^53 − 1) as its decimal string, or `null`.
struct Id<'a>(Option<Str<'a>>);

impl<'de> Deserialize<'de> for Id<'de> {
  fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
    struct IdVisitor;
    impl<'de> Visitor<'de> for IdVisitor {
      type Value = Id<'de>;
      fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string or an exact integer")
      }
      fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Id(None))
      }
      fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Id(Some(Str(v.into()))))
      }
      fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Id(Some(Str(v.to_owned().into()))))
      }
      fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.visit_f64(v as f64)
      }
      fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.visit_f64(v as f64)
      }
      fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        if v.fract() == 0.0 && v.abs() <= 9_007_199_254_740_991.0 {
          Ok(Id(Some(Str((v as i64).to_string().into()))))
        } else {
          Err(E::custom("not an exact integer"))
        }
      }
    }
    d.deserialize_any(IdVisitor)
  }
}
