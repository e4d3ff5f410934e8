//! Which claims hold the user id, the tenant, the roles and the permissions (`claims`). Identity
//! providers put them in different places: Entra ID's user is `oid` and its tenant `tid`, Auth0's
//! organisation is `org_id` and custom claims are namespaced URLs, Keycloak's roles sit in
//! `realm_access.roles`, and RFC 8693/9068 scopes are one space-separated string.
//!
//! A claim is named by a string, taken whole (so `https://example.com/tenant_id` is one name), or
//! by a list of names, a path into nested objects. The values are read by what each field means,
//! the same whichever claim holds it:
//! - user and tenant ids: a string, or an integer (JSON number within ±(2^53 − 1), what every
//!   JSON parser reads exactly) given as its decimal string;
//! - roles: a string or an array of strings;
//! - permissions: an array of strings or a space-separated string (an OAuth `scope`);
//! - `null`, or a path that stops before its end, is the claim being absent; anything else is
//!   `TOKEN_MALFORMED`.

use super::json::Str;
use super::reader::Reader;
use crate::error::Error;
use crate::options::{wrong, Options, Value};
use std::borrow::Cow;

/// A claim by its top-level name and the names below it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimPath {
  pub name: String,
  pub rest: Vec<String>,
}

impl ClaimPath {
  fn top(name: &str) -> ClaimPath {
    ClaimPath {
      name: name.to_owned(),
      rest: Vec::new(),
    }
  }
}

/// What a claim's value is read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
  UserId,
  TenantId,
  Roles,
  Permissions,
  /// `email`, which is not mapped but read by the same path.
  Email,
  /// The plan that picks the rate limits (`rateLimitPlans.claim`), read as an id is.
  Plan,
}

/// The claims read into the result, in `Field` order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimMap {
  pub paths: [ClaimPath; 5],
  /// Where the plan is, when limits depend on it.
  pub plan: Option<ClaimPath>,
  /// The default names and no plan (kept up to date by the constructors and `with_plan`).
  default: bool,
}

pub const FIELDS: [Field; 5] = [
  Field::UserId,
  Field::TenantId,
  Field::Roles,
  Field::Permissions,
  Field::Email,
];

impl Default for ClaimMap {
  fn default() -> Self {
    use crate::contract::option::claims as c;
    ClaimMap {
      paths: [
        ClaimPath::top(c::USER_ID_DEFAULT),
        ClaimPath::top(c::TENANT_ID_DEFAULT),
        ClaimPath::top(c::ROLES_DEFAULT),
        ClaimPath::top(c::PERMISSIONS_DEFAULT),
        ClaimPath::top("email"),
      ],
      plan: None,
      default: true,
    }
  }
}

impl ClaimMap {
  /// `claims: { userId, tenantId, roles, permissions }`; unnamed fields keep their default.
  /// `reserved` are the claims with a meaning of their own (expiry, issuer, the token's kind...),
  /// which no field may read.
  pub fn from_value(value: Option<Value>, reserved: &[&str]) -> Result<ClaimMap, Error> {
    use crate::contract::option::{claims as c, CLAIMS};
    let mut map = ClaimMap::default();
    let members = match value {
      None => return Ok(map),
      Some(Value::Map(members)) => members,
      Some(v) => return Err(wrong(CLAIMS, "an object", &v)),
    };
    let mut opts = Options(members);
    opts
      .refuse_unknown(c::NAMES)
      .map_err(|e| Error::config(format!("{CLAIMS}: {}", e.detail)))?;
    for (i, name) in [c::USER_ID, c::TENANT_ID, c::ROLES, c::PERMISSIONS]
      .into_iter()
      .enumerate()
    {
      if let Some(v) = opts.take(name) {
        map.paths[i] = claim_path(v, &format!("{CLAIMS}.{name}"), reserved)?;
      }
    }
    map.default = map == ClaimMap::default();
    Ok(map)
  }

  /// The map, reading the plan from `path` too.
  pub fn with_plan(mut self, path: ClaimPath) -> ClaimMap {
    self.plan = Some(path);
    self.default = false;
    self
  }

  /// Every field read and where from.
  pub fn readings(&self) -> impl Iterator<Item = (Field, &ClaimPath)> {
    FIELDS
      .into_iter()
      .zip(&self.paths)
      .chain(self.plan.iter().map(|p| (Field::Plan, p)))
  }

  /// The first reading (in `readings` order) of the top-level claim `name`, if any.
  #[inline]
  pub fn first_reading(&self, name: &str) -> Option<usize> {
    if self.is_default() {
      // The common case, as one match rather than a comparison per reading.
      return match name {
        "sub" => Some(0),
        "tenant_id" => Some(1),
        "role" => Some(2),
        "permissions" => Some(3),
        "email" => Some(4),
        _ => None,
      };
    }
    self.readings().position(|(_, p)| p.name == name)
  }

  /// Whether reading `index` is read in place: a top-level claim no other reading shares.
  #[inline]
  pub fn in_place(&self, index: usize) -> bool {
    if self.is_default() {
      return true;
    }
    let Some((_, path)) = self.readings().nth(index) else {
      return false;
    };
    path.rest.is_empty() && self.readings().filter(|(_, p)| p.name == path.name).count() == 1
  }

  /// The field of reading `index` (in `readings` order).
  #[inline]
  pub fn field_at(&self, index: usize) -> Field {
    FIELDS.get(index).copied().unwrap_or(Field::Plan)
  }

  fn is_default(&self) -> bool {
    self.default
  }
}

/// A claim named by the option `full`: a name, or a non-empty list of names (a path), none empty,
/// the first not one of `reserved`.
pub fn claim_path(value: Value, full: &str, reserved: &[&str]) -> Result<ClaimPath, Error> {
  let want = "a claim name or a non-empty array of names (a path into nested objects)";
  let mut names = match value {
    Value::String(s) => vec![s],
    Value::List(items) if !items.is_empty() => items
      .into_iter()
      .map(|v| match v {
        Value::String(s) => Ok(s),
        v => Err(wrong(full, want, &v)),
      })
      .collect::<Result<Vec<_>, _>>()?,
    v => return Err(wrong(full, want, &v)),
  };
  if names.iter().any(|n| n.is_empty()) {
    return Err(Error::config(format!(
      "`{full}`: a claim name may not be empty"
    )));
  }
  if reserved.contains(&names[0].as_str()) {
    return Err(Error::config(format!(
      "`{full}`: \"{}\" is a claim with a meaning of its own; name the claim that holds the value",
      names[0]
    )));
  }
  let rest = names.split_off(1);
  Ok(ClaimPath {
    name: names.pop().unwrap_or_default(),
    rest,
  })
}

/// The value a field reads, once its claim was found.
#[derive(Debug, Default)]
pub struct Reading<'a> {
  pub id: Option<Str<'a>>,
  pub list: Vec<Str<'a>>,
  /// A single role given as a string, kept out of `list` so reading it allocates nothing.
  pub one: Option<Str<'a>>,
}

/// Follows `rest` down from the raw JSON value `raw` of the top-level claim and reads it as
/// `field`; `None` when it is malformed.
pub fn read<'a>(raw: &'a str, rest: &[String], field: Field) -> Option<Reading<'a>> {
  let mut value = raw;
  for name in rest {
    match descend(value, name)? {
      Some(inner) => value = inner,
      None => return Some(Reading::default()),
    }
  }
  let mut r = Reader::over(value);
  let reading = read_here(&mut r, field)?;
  r.end()?;
  Some(reading)
}

/// The value at the reader's position, read as `field`: a claim named at the top level, read in
/// place as the payload is parsed.
#[inline]
pub fn read_here<'a>(r: &mut Reader<'a>, field: Field) -> Option<Reading<'a>> {
  Some(match (field, r.peek()?) {
    (_, b'n') => {
      r.opt_string()?;
      Reading::default()
    }
    (Field::UserId | Field::TenantId | Field::Plan, b'"') | (Field::Email, _) => Reading {
      id: r.opt_string()?,
      ..Reading::default()
    },
    (Field::UserId | Field::TenantId | Field::Plan, _) => Reading {
      id: Some(integer_id(r.number()?)?),
      ..Reading::default()
    },
    (Field::Roles, b'"') => Reading {
      one: Some(r.string()?),
      ..Reading::default()
    },
    (Field::Permissions, b'"') => Reading {
      list: scopes(r.string()?),
      ..Reading::default()
    },
    (Field::Roles | Field::Permissions, _) => Reading {
      list: r.string_array()?,
      ..Reading::default()
    },
  })
}

/// The raw value of member `name` of the object `raw`: `Some(None)` when `raw` is `null` or has no
/// such member, `None` when it is neither an object nor `null`. A repeated name gives its last
/// value, as ECMAScript's JSON.parse does (RFC 7519 §4 allows it below the top level too).
fn descend<'a>(raw: &'a str, name: &str) -> Option<Option<&'a str>> {
  let mut r = Reader::over(raw);
  if r.peek()? == b'n' {
    return Some(None);
  }
  let mut found = None;
  r.object(|r, member| {
    let value = r.raw_value()?;
    if member.as_str() == name {
      found = Some(value);
    }
    Some(())
  })?;
  Some(found)
}

/// ±(2^53 − 1): integers every JSON reader holds exactly.
const MAX_EXACT_INTEGER: f64 = 9_007_199_254_740_991.0;

fn integer_id<'a>(n: f64) -> Option<Str<'a>> {
  (n.fract() == 0.0 && n.abs() <= MAX_EXACT_INTEGER)
    .then(|| Str(Cow::Owned((n as i64).to_string())))
}

/// RFC 6749 §3.3: scope tokens separated by spaces; runs of spaces are tolerated.
fn scopes(s: Str<'_>) -> Vec<Str<'_>> {
  match s.0 {
    Cow::Borrowed(b) => b
      .split(' ')
      .filter(|t| !t.is_empty())
      .map(|t| Str(Cow::Borrowed(t)))
      .collect(),
    Cow::Owned(o) => o
      .split(' ')
      .filter(|t| !t.is_empty())
      .map(|t| Str(Cow::Owned(t.to_owned())))
      .collect(),
  }
}

#[cfg(test)]
#[path = "claim_map_tests.rs"]
mod tests;
