//! Configuration, validated once when an authenticator is built. Every option is checked for
//! type and range and refused with a message naming it; nothing is coerced or dropped silently.

use crate::contract::option::{self as opt, NAMES as OPTIONS};
use crate::error::Error;
use crate::jwt::keys::KeySet;
use crate::jwt::{AccessMark, Algorithm, AlgorithmSet, ClaimMap};
use crate::options::{wrong, Options};
pub use crate::options::{RawConfig, Value};
use crate::request::cache::CacheSettings;
use crate::request::rate_policy::Plans;
use crate::request::ratelimit::{LimitKey, Limits, Rate};
use std::sync::Arc;
use zeroize::Zeroizing;

#[derive(Debug, Clone)]
pub struct Settings {
  /// Wiped when the settings are dropped. `None` when access tokens use named `keys`.
  pub access_secret: Option<Zeroizing<Vec<u8>>>,
  /// Named keys (`keys` / `jwks`) for access tokens, instead of `accessSecret`.
  pub keys: Option<Arc<KeySet>>,
  /// Kept for `setKeys`, which reads keys by the same rules.
  pub allow_weak_secrets: bool,
  /// The verified-token cache, when enabled.
  pub cache: Option<CacheSettings>,
  pub refresh_secret: Option<Zeroizing<Vec<u8>>>,
  /// Named keys for refresh tokens, instead of `refreshSecret`.
  pub refresh_keys: Option<Arc<KeySet>>,
  pub algorithms: AlgorithmSet,
  /// The algorithm new tokens are signed with: the first one listed.
  pub signing_algorithm: Algorithm,
  pub issuers: Vec<String>,
  pub audiences: Vec<String>,
  pub leeway: u64,
  pub require_exp: bool,
  /// Whether the request path and the lifecycle count for `metrics()`.
  pub metrics: bool,
  /// Tenants counted by name in the metrics (0: none).
  pub metrics_tenants: usize,
  /// How access tokens are marked; `None` for the `type: access` claim (`accessTokenMark`).
  pub access_mark: Option<AccessMark>,
  /// Where access tokens hold the user, tenant, roles and permissions (`claims`).
  pub claim_map: ClaimMap,
  /// Refuse access tokens whose `iat` is this many seconds old (`maxTokenAge`).
  pub max_token_age: Option<u64>,
  pub max_token_length: usize,
  pub limits: Limits,
  /// Whose bucket a request spends; `None` when `rateLimit: false` turned the limiter off.
  pub limit_key: Option<LimitKey>,
  /// Limits by plan (`rateLimitPlans`).
  pub plans: Option<Plans>,
  pub enforce_tenant_match: bool,
  /// Lowercase, without a leading dot; empty when no host names a tenant.
  pub base_domains: Vec<String>,
  pub access_token_ttl: u64,
  pub refresh_token_ttl: u64,
  pub revocation_max_entries: usize,
  pub max_sessions: usize,
  /// One state for every authenticator in the process made from the same configuration (the
  /// binding keeps the table; `config_fingerprint` names a configuration).
  pub share_across_threads: bool,
}

impl Settings {
  /// The longest a token signed here can stay valid, leeway included: how long a revocation must
  /// last to outlive every token it could match.
  pub fn longest_token_lifetime(&self) -> u64 {
    self
      .access_token_ttl
      .max(self.refresh_token_ttl)
      .saturating_add(self.leeway)
  }

  pub fn from_raw(raw: RawConfig) -> Result<Settings, Error> {
    let mut opts = Options(raw);
    opts.refuse_unknown(OPTIONS)?;
    let (algorithms, signing_algorithm) = algorithms(opts.take(opt::ALGORITHMS))?;
    let allow_weak = opts.flag(&opt::ALLOW_WEAK_SECRETS)?;
    let min_len = algorithms
      .iter()
      .map(Algorithm::min_secret_len)
      .max()
      .unwrap_or(32);
    let access_secret = opts.secret(opt::ACCESS_SECRET, min_len, allow_weak)?;
    let keys = key_set(&mut opts, allow_weak)?;
    match (&access_secret, &keys) {
      (None, None) => return Err(Error::config("`accessSecret` is required (or named `keys` / `jwks`)")),
      (Some(_), Some(_)) => {
        return Err(Error::config(
          "Give `accessSecret` or `keys`/`jwks`, not both: with named keys every token names its key by `kid`",
        ))
      }
      _ => {}
    }
    let refresh_secret = opts.secret(opt::REFRESH_SECRET, min_len, allow_weak)?;
    let refresh_keys = refresh_key_set(opts.take(opt::REFRESH_KEYS), allow_weak)?;
    if refresh_secret.is_some() && refresh_keys.is_some() {
      return Err(Error::config(
        "Give `refreshSecret` or `refreshKeys`, not both: with named keys every token names its key by `kid`",
      ));
    }
    let settings = Settings {
      access_secret,
      keys,
      allow_weak_secrets: allow_weak,
      cache: CacheSettings::from_value(opts.take(opt::CACHE))?,
      refresh_secret,
      refresh_keys,
      algorithms,
      signing_algorithm,
      issuers: opts.strings(opt::ISSUER)?,
      audiences: opts.strings(opt::AUDIENCE)?,
      leeway: opts.whole(&opt::LEEWAY)? as u64,
      require_exp: opts.flag(&opt::REQUIRE_EXP)?,
      metrics: opts.flag(&opt::METRICS)?,
      metrics_tenants: opts.whole(&opt::METRICS_TENANTS)? as usize,
      access_mark: access_mark(opts.take(opt::ACCESS_TOKEN_MARK))?,
      claim_map: ClaimMap::from_value(opts.take(opt::CLAIMS), opt::CLAIMS_RESERVED_CLAIMS)?,
      max_token_age: opts.optional_whole(&opt::MAX_TOKEN_AGE)?.map(|s| s as u64),
      max_token_length: opts.whole(&opt::MAX_TOKEN_LENGTH)? as usize,
      limits: Limits {
        capacity: opts.whole(&opt::RATE_LIMIT_MAX)? as u32,
        refill_per_sec: opts.above_zero(&opt::RATE_LIMIT_REFILL)?,
        max_keys: opts.whole(&opt::RATE_LIMIT_MAX_KEYS)? as usize,
      },
      limit_key: limit_key(&mut opts)?,
      plans: None,
      enforce_tenant_match: opts.flag(&opt::ENFORCE_TENANT_MATCH)?,
      base_domains: opts.domains(opt::BASE_DOMAIN)?,
      access_token_ttl: opts.whole(&opt::ACCESS_TOKEN_TTL)? as u64,
      refresh_token_ttl: opts.whole(&opt::REFRESH_TOKEN_TTL)? as u64,
      revocation_max_entries: opts.whole(&opt::REVOCATION_MAX_ENTRIES)? as usize,
      max_sessions: opts.whole(&opt::MAX_SESSIONS)? as usize,
      share_across_threads: opts.flag(&opt::SHARE_ACROSS_THREADS)?,
    };
    let mut settings = settings;
    let defaults = Rate {
      capacity: settings.limits.capacity,
      refill_per_sec: settings.limits.refill_per_sec,
    };
    settings.plans = Plans::from_value(
      opts.take(opt::RATE_LIMIT_PLANS),
      defaults,
      opt::RATE_LIMIT_PLANS_RESERVED_CLAIMS,
    )?;
    if let Some(plans) = &settings.plans {
      if settings.limit_key.is_none() {
        return Err(Error::config(
          "`rateLimitPlans` has no use with `rateLimit: false`",
        ));
      }
      settings.claim_map = settings.claim_map.clone().with_plan(plans.claim.clone());
    }
    if let Some(AccessMark::Claim { name, .. }) = &settings.access_mark {
      if settings.claim_map.first_reading(name).is_some() {
        return Err(Error::config(format!(
          "`{}`: \"{name}\" is read by `{}`; name the claim that marks access tokens",
          opt::ACCESS_TOKEN_MARK,
          opt::CLAIMS
        )));
      }
    }
    Ok(settings)
  }
}

/// `accessTokenMark`: `None` for the default, the `type: access` claim.
/// A configuration's identity: SHA-256 of a canonical encoding of its options (object members
/// in name order, each value tagged with its kind), so two configurations written alike, in any
/// member order, have one fingerprint. It holds no secret in the clear.
pub fn config_fingerprint(raw: &RawConfig) -> [u8; 32] {
  use sha2::{Digest, Sha256};
  fn feed(h: &mut Sha256, v: &Value) {
    let bytes = |h: &mut Sha256, tag: u8, b: &[u8]| {
      h.update([tag]);
      h.update((b.len() as u64).to_le_bytes());
      h.update(b);
    };
    match v {
      Value::Bool(b) => h.update([b'b', u8::from(*b)]),
      Value::Number(n) => {
        h.update([b'n']);
        h.update(n.to_bits().to_le_bytes());
      }
      Value::String(s) => bytes(h, b's', s.as_bytes()),
      Value::Bytes(b) => bytes(h, b'y', b),
      Value::Other(kind) => bytes(h, b'o', kind.as_bytes()),
      Value::List(items) => {
        h.update([b'l']);
        h.update((items.len() as u64).to_le_bytes());
        items.iter().for_each(|i| feed(h, i));
      }
      Value::Map(members) => members_in_order(h, members),
    }
  }
  fn members_in_order(h: &mut Sha256, members: &[(String, Value)]) {
    let mut sorted: Vec<&(String, Value)> = members.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    h.update([b'm']);
    h.update((sorted.len() as u64).to_le_bytes());
    for (name, value) in sorted {
      h.update((name.len() as u64).to_le_bytes());
      h.update(name.as_bytes());
      feed(h, value);
    }
  }
  let mut h = Sha256::new();
  members_in_order(&mut h, raw);
  h.finalize().into()
}

fn access_mark(value: Option<Value>) -> Result<Option<AccessMark>, Error> {
  let name = opt::ACCESS_TOKEN_MARK;
  let refuse = || {
    Error::config(format!(
      "`{name}` must be \"type\", \"at+jwt\", \"none\" or {{ claim, value }} with two non-empty strings"
    ))
  };
  match value {
    None => Ok(None),
    Some(Value::String(s)) => match s.as_str() {
      "type" => Ok(None),
      "at+jwt" => Ok(Some(AccessMark::AtJwt)),
      "none" => Ok(Some(AccessMark::Unmarked)),
      _ => Err(refuse()),
    },
    Some(Value::Map(members)) => {
      let mut opts = Options(members);
      opts
        .refuse_unknown(&["claim", "value"])
        .map_err(|e| Error::config(format!("{name}: {}", e.detail)))?;
      let text = |v: Option<Value>| match v {
        Some(Value::String(s)) if !s.is_empty() => Ok(s),
        _ => Err(refuse()),
      };
      let claim = text(opts.take("claim"))?;
      let value = text(opts.take("value"))?;
      if opt::ACCESS_TOKEN_MARK_RESERVED_CLAIMS.contains(&claim.as_str()) {
        return Err(Error::config(format!(
          "`{name}`: \"{claim}\" is a claim with a meaning of its own; name the claim that marks access tokens"
        )));
      }
      Ok(Some(AccessMark::Claim { name: claim, value }))
    }
    Some(v) => Err(wrong(
      name,
      "\"type\", \"at+jwt\", \"none\" or { claim, value }",
      &v,
    )),
  }
}

/// `rateLimitKey`, or `None` with `rateLimit: false` (the key is then refused: it would do nothing).
fn limit_key(opts: &mut Options) -> Result<Option<LimitKey>, Error> {
  let on = opts.flag(&opt::RATE_LIMIT)?;
  let key = match opts.take(opt::RATE_LIMIT_KEY) {
    None => None,
    Some(Value::String(s)) => Some(LimitKey::from_name(&s).ok_or_else(|| {
      Error::config("`rateLimitKey` must be \"user+tenant\", \"user\" or \"tenant\"")
    })?),
    Some(v) => return Err(wrong(opt::RATE_LIMIT_KEY, "a string", &v)),
  };
  if !on {
    return match key {
      Some(_) => Err(Error::config(
        "`rateLimitKey` has no use with `rateLimit: false`",
      )),
      None => Ok(None),
    };
  }
  let default = LimitKey::from_name(opt::RATE_LIMIT_KEY_DEFAULT)
    .ok_or_else(|| Error::config("no default rateLimitKey"))?;
  Ok(Some(key.unwrap_or(default)))
}

trait DomainOption {
  fn domains(&mut self, name: &str) -> Result<Vec<String>, Error>;
}

impl DomainOption for Options {
  /// One domain name or a non-empty list of them, lowercased, without a leading dot.
  fn domains(&mut self, name: &str) -> Result<Vec<String>, Error> {
    let items = match self.take(name) {
      None => return Ok(Vec::new()),
      Some(Value::String(s)) => vec![Value::String(s)],
      Some(Value::List(items)) if !items.is_empty() => items,
      Some(v) => {
        return Err(wrong(
          name,
          "a domain name or a non-empty array of them",
          &v,
        ))
      }
    };
    items
      .into_iter()
      .map(|v| {
        let Value::String(s) = v else {
          return Err(wrong(name, "made of domain names", &v));
        };
        let s = s.trim_start_matches('.').to_ascii_lowercase();
        let valid = !s.is_empty()
          && s.len() <= 253
          && s.split('.').all(|l| {
            !l.is_empty()
              && l.len() <= 63
              && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
          });
        if valid {
          Ok(s)
        } else {
          Err(Error::config(format!(
            "`{name}` must be a domain name such as \"example.com\", or an array of them"
          )))
        }
      })
      .collect()
  }
}

/// What `setKeys` replaces: the access keys, the refresh keys, or both.
pub struct NewKeys {
  pub access: Option<KeySet>,
  pub refresh: Option<KeySet>,
}

fn unshared(arc: Arc<KeySet>) -> Result<KeySet, Error> {
  Arc::try_unwrap(arc).map_err(|_| Error::new(crate::error::ErrorCode::Internal, "key set shared"))
}

/// Reads `setKeys({ keys, jwks, signingKid, refreshKeys })` by the configuration's rules; both
/// sets are read before either is used, so a bad one changes nothing.
pub fn key_sets_from_raw(raw: RawConfig, allow_weak: bool) -> Result<NewKeys, Error> {
  let mut opts = Options(raw);
  opts.refuse_unknown(opt::SET_KEYS)?;
  let refresh = refresh_key_set(opts.take(opt::REFRESH_KEYS), allow_weak)?
    .map(unshared)
    .transpose()?;
  let access = key_set(&mut opts, allow_weak)?.map(unshared).transpose()?;
  if access.is_none() && refresh.is_none() {
    return Err(Error::config(
      "setKeys needs `keys`, `jwks` or `refreshKeys`",
    ));
  }
  Ok(NewKeys { access, refresh })
}

fn refresh_key_set(value: Option<Value>, allow_weak: bool) -> Result<Option<Arc<KeySet>>, Error> {
  match value {
    None => Ok(None),
    Some(v) => KeySet::from_values(Some(v), None, None, allow_weak)
      .map_err(|e| Error::new(e.code, format!("refreshKeys: {}", e.detail)))
      .map(|k| Some(Arc::new(k))),
  }
}

fn key_set(opts: &mut Options, allow_weak: bool) -> Result<Option<Arc<KeySet>>, Error> {
  let keys = opts.take(opt::KEYS);
  let jwks = opts.take(opt::JWKS);
  let signing_kid = match opts.take(opt::SIGNING_KID) {
    None => None,
    Some(Value::String(s)) => Some(s),
    Some(v) => return Err(wrong("signingKid", "a string", &v)),
  };
  if keys.is_none() && jwks.is_none() {
    if signing_kid.is_some() {
      return Err(Error::config("`signingKid` needs `keys` or `jwks`"));
    }
    return Ok(None);
  }
  KeySet::from_values(keys, jwks, signing_kid, allow_weak).map(|k| Some(Arc::new(k)))
}

fn algorithms(value: Option<Value>) -> Result<(AlgorithmSet, Algorithm), Error> {
  let names = match value {
    None => return Ok((set_of(&[Algorithm::HS256]), Algorithm::HS256)),
    Some(Value::List(items)) if !items.is_empty() => items,
    Some(v) => {
      return Err(wrong(
        "algorithms",
        "a non-empty array of algorithm names",
        &v,
      ))
    }
  };
  let mut set = AlgorithmSet::default();
  let mut first = None;
  for v in names {
    let alg = match &v {
      Value::String(name) => Algorithm::from_name(name).filter(|a| a.is_hmac()).ok_or_else(|| {
        Error::config(format!(
          "`algorithms` may list only {} (for `accessSecret`; asymmetric keys go in `keys`); \"{name}\" is not supported",
          Algorithm::HMAC.map(Algorithm::name).join(", ")
        ))
      })?,
      v => return Err(wrong("algorithms", "made of strings", v)),
    };
    set.insert(alg);
    first.get_or_insert(alg);
  }
  Ok((set, first.unwrap_or(Algorithm::HS256)))
}

fn set_of(algs: &[Algorithm]) -> AlgorithmSet {
  let mut set = AlgorithmSet::default();
  algs.iter().for_each(|a| set.insert(*a));
  set
}

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;
