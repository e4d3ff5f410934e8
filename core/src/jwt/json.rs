//! The pieces of JSON reading shared by the header and the claims: strings borrowed from the
//! decoded bytes where no escape forces a copy, and duplicate-member detection. RFC 7515 §5.2 and
//! RFC 7519 §4 let a parser reject duplicate member names; we do, so two parsers can never read
//! one signed token two ways.

use std::borrow::Cow;

/// A JSON string, borrowed when it contained no escapes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Str<'a>(pub Cow<'a, str>);

impl<'a> Str<'a> {
  pub fn as_str(&self) -> &str {
    &self.0
  }
}

impl AsRef<str> for Str<'_> {
  fn as_ref(&self) -> &str {
    &self.0
  }
}

#[cfg(any(test, feature = "fuzzing"))]
impl<'de> serde::Deserialize<'de> for Str<'de> {
  fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
    use serde::de::{self, Visitor};
    use std::fmt;
    struct StrVisitor;
    impl<'de> Visitor<'de> for StrVisitor {
      type Value = Str<'de>;
      fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
      }
      fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Str(Cow::Borrowed(v)))
      }
      fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Str(Cow::Owned(v.to_owned())))
      }
      fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Str(Cow::Owned(v)))
      }
    }
    deserializer.deserialize_str(StrVisitor)
  }
}

/// Remembers member names seen in one object. Known names are tracked by a bit each; others by
/// value, since a payload may carry any custom claim: in a short list while there are few (a
/// scan of a handful of names is cheaper than hashing), in a hash set once there are many, so a
/// token of thousands of claims costs linear time, not quadratic. The set's hasher is std's
/// keyed SipHash: the names are the sender's choice, and must not be able to collide on purpose.
#[derive(Default)]
pub struct Members<'a> {
  known: u32,
  other: Vec<Str<'a>>,
  many: Option<std::collections::HashSet<Str<'a>>>,
}

/// How many other names are scanned before they move to a hash set.
const SCANNED_NAMES: usize = 16;

impl<'a> Members<'a> {
  /// Records a known member (by its bit); false if it was already present.
  pub fn first_known(&mut self, bit: u32) -> bool {
    let fresh = self.known & (1 << bit) == 0;
    self.known |= 1 << bit;
    fresh
  }

  /// Records any other member; false if it was already present.
  pub fn first_other(&mut self, name: Str<'a>) -> bool {
    if let Some(many) = &mut self.many {
      return many.insert(name);
    }
    if self.other.iter().any(|n| n.0 == name.0) {
      return false;
    }
    self.other.push(name);
    if self.other.len() > SCANNED_NAMES {
      self.many = Some(self.other.drain(..).collect());
    }
    true
  }
}

/// serde helpers for the reference parser in the tests.
#[cfg(any(test, feature = "fuzzing"))]
pub mod serde_support {
  use super::{Members, Str};
  use serde::de::{self, MapAccess};

  pub fn duplicate<E: de::Error>() -> E {
    E::custom("duplicate member")
  }

  /// Reads an object member by member, calling `on_member` with each name; used by both parsers so
  /// the walk and the duplicate rule live in one place.
  pub fn read_object<'de, A, F>(mut map: A, mut on_member: F) -> Result<(), A::Error>
  where
    A: MapAccess<'de>,
    F: FnMut(&mut A, Str<'de>, &mut Members<'de>) -> Result<(), A::Error>,
  {
    let mut members = Members::default();
    while let Some(name) = map.next_key::<Str<'de>>()? {
      on_member(&mut map, name, &mut members)?;
    }
    Ok(())
  }

  /// Skips the value of a member we do not read, refusing a repeated name.
  pub fn skip_other<'de, A: MapAccess<'de>>(
    map: &mut A,
    name: Str<'de>,
    members: &mut Members<'de>,
  ) -> Result<(), A::Error> {
    if !members.first_other(name) {
      return Err(duplicate());
    }
    map.next_value::<de::IgnoredAny>()?;
    Ok(())
  }
}
