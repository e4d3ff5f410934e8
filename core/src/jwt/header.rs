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
#[path = "header_tests.rs"]
mod tests;
