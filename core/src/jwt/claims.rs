//! The claims set (RFC 7519 §4) as auth-shield reads it. Strings borrow from the decoded payload.
//! Registered claims of the wrong JSON type make the token malformed rather than being ignored,
//! so no claim is ever silently skipped. Optional string claims may be `null` (read as absent);
//! NumericDate claims may not.

use super::claim_map::{self, ClaimMap, Field, FIELDS};
use super::json::{Members, Str};
use super::reader::Reader;
use std::sync::LazyLock;

#[derive(Debug, Default, PartialEq)]
pub struct Claims<'a> {
  /// The user id, from `sub` unless `claims.userId` names another claim.
  pub sub: Option<Str<'a>>,
  pub email: Option<Str<'a>>,
  /// The first of `roles`.
  pub role: Option<Str<'a>>,
  /// The roles when the claim was an array; empty when it was one string (then `role` is it), so
  /// the usual single role costs no allocation. Read them with `roles()`.
  pub roles: Vec<Str<'a>>,
  pub permissions: Vec<Str<'a>>,
  pub tenant_id: Option<Str<'a>>,
  pub token_type: Option<Str<'a>>,
  pub iss: Option<Str<'a>>,
  pub aud: Vec<Str<'a>>,
  pub jti: Option<Str<'a>>,
  /// The refresh-token family a token was issued in (auth-shield's own claim).
  pub fam: Option<Str<'a>>,
  pub exp: Option<f64>,
  pub nbf: Option<f64>,
  pub iat: Option<f64>,
  /// Cognito's marking of access and ID tokens (`access` / `id`).
  pub token_use: Option<Str<'a>>,
  /// `nonce` or `at_hash` is present: what an OpenID Connect ID token carries, an access token
  /// does not (OIDC Core §2, §3.1.3.6).
  pub id_token_claims: bool,
  /// The value of the claim that marks access tokens, when the configuration names one other
  /// than `type` and `token_use`.
  pub marker: Option<Str<'a>>,
  /// The plan (`rateLimitPlans.claim`), when limits depend on one.
  pub plan: Option<Str<'a>>,
}

impl<'a> Claims<'a> {
  /// Every role: the array the claim held, or the one string.
  pub fn roles(&self) -> &[Str<'a>] {
    if self.roles.is_empty() {
      self.role.as_slice()
    } else {
      &self.roles
    }
  }
}

static DEFAULT_MAP: LazyLock<ClaimMap> = LazyLock::new(ClaimMap::default);

/// Parses a decoded payload with the default claim names; `None` unless it is one UTF-8 JSON
/// object whose registered claims have their registered types and whose member names are unique.
pub fn parse(json: &[u8]) -> Option<Claims<'_>> {
  parse_with(json, &DEFAULT_MAP, None)
}

/// `parse`, reading the user, tenant, roles and permissions where `map` says, and the claim
/// named `marker` (a string or `null`) into `Claims::marker`.
pub fn parse_with<'a>(json: &'a [u8], map: &ClaimMap, marker: Option<&str>) -> Option<Claims<'a>> {
  let mut r = Reader::new(json)?;
  let mut c = Claims::default();
  let mut members = Members::default();
  // The raw value of each mapped field's top-level claim, read once the object is whole (two
  // fields may share one claim, as Keycloak's roles and permissions can).
  let mut raw: [Option<&'a str>; FIELDS.len() + 1] = [None; FIELDS.len() + 1];
  r.object(|r, name| {
    if let Some(first) = map.first_reading(name.as_str()) {
      if !members.first_known(16 + first as u32) {
        return None;
      }
      if map.in_place(first) {
        let field = map.field_at(first);
        let reading = claim_map::read_here(r, field)?;
        store(&mut c, field, reading);
        return Some(());
      }
      let value = r.raw_value()?;
      for (slot, (_, path)) in raw.iter_mut().zip(map.readings()) {
        if path.name == name.as_str() {
          *slot = Some(value);
        }
      }
      return Some(());
    }
    let bit = match name.as_str() {
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
      _ if marker == Some(name.as_str()) => {
        members.first_other(name).then_some(())?;
        c.marker = r.opt_string()?;
        return Some(());
      }
      _ => return members.first_other(name).then(|| r.skip())?,
    };
    if !members.first_known(bit) {
      return None;
    }
    match bit {
      5 => c.token_type = r.opt_string()?,
      6 => c.iss = r.opt_string()?,
      7 => {
        c.aud = if r.peek()? == b'[' {
          r.string_array()?
        } else {
          vec![r.string()?]
        }
      }
      8 => c.jti = r.opt_string()?,
      // NumericDate (RFC 7519 §2): any JSON number, read as seconds; `null` is refused.
      9 => c.exp = Some(r.number()?),
      10 => c.nbf = Some(r.number()?),
      11 => c.iat = Some(r.number()?),
      12 => c.fam = r.opt_string()?,
      13 => c.token_use = r.opt_string()?,
      // Their values are not read: their presence is what says "ID token".
      _ => {
        r.skip()?;
        c.id_token_claims = true;
      }
    }
    Some(())
  })?;
  r.end()?;
  for (value, (field, path)) in raw.iter().zip(map.readings()) {
    let Some(value) = value else { continue };
    let reading = claim_map::read(value, &path.rest, field)?;
    store(&mut c, field, reading);
  }
  Some(c)
}

#[inline]
fn store<'a>(c: &mut Claims<'a>, field: Field, reading: claim_map::Reading<'a>) {
  match field {
    Field::UserId => c.sub = reading.id,
    Field::TenantId => c.tenant_id = reading.id,
    Field::Email => c.email = reading.id,
    Field::Roles => {
      if let Some(one) = reading.one {
        c.role = Some(one);
        c.roles = Vec::new();
      } else {
        c.role = reading.list.first().cloned();
        c.roles = reading.list;
      }
    }
    Field::Permissions => c.permissions = reading.list,
    Field::Plan => c.plan = reading.id,
  }
}

#[cfg(test)]
#[path = "claims_tests.rs"]
mod tests;
