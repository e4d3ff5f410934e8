//! The layer's own options: the Node integrations' options that mean something without a JS
//! callback, under the same names (serde) and defaults, checked once when the layer is made.

use crate::config::describe;
use auth_shield_core::config::Value;
use auth_shield_core::error::Error;
use auth_shield_core::options::Options;
use auth_shield_core::request::ratelimit::Limits;
use http::header::HeaderName;
use http::Method;
use serde::Deserialize;

/// Which rate-limit headers go out, named as express-rate-limit's `standardHeaders` modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RateLimitHeaders {
  /// `RateLimit-Limit`, `-Remaining`, `-Reset`.
  #[default]
  Draft6,
  /// One `RateLimit: limit=…, remaining=…, reset=…`.
  Draft7,
  /// `RateLimit-Policy` and `RateLimit` with named fields.
  Draft8,
  None,
}

impl<'de> Deserialize<'de> for RateLimitHeaders {
  fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
    match serde_json::Value::deserialize(d)? {
      serde_json::Value::Bool(false) => Ok(RateLimitHeaders::None),
      serde_json::Value::String(s) if s == "draft-6" => Ok(RateLimitHeaders::Draft6),
      serde_json::Value::String(s) if s == "draft-7" => Ok(RateLimitHeaders::Draft7),
      serde_json::Value::String(s) if s == "draft-8" => Ok(RateLimitHeaders::Draft8),
      _ => Err(serde::de::Error::custom(
        "`rateLimitHeaders` must be 'draft-6', 'draft-7', 'draft-8' or false",
      )),
    }
  }
}

/// As given (JSON or the builder), before the check.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct LayerOptions {
  /// Header holding the requested tenant. Defaults to `x-tenant-id`.
  pub tenant_header: String,
  /// `false` lets a request without credentials through with no user (`Option<AuthUser>`).
  pub credentials_required: bool,
  /// Methods that pass untouched (CORS preflight). Defaults to `OPTIONS`.
  pub skip_methods: Vec<String>,
  /// Exact paths that pass untouched.
  pub skip_paths: Vec<String>,
  pub rate_limit_headers: RateLimitHeaders,
  /// `realm` of the `WWW-Authenticate` challenge.
  pub realm: Option<String>,
  /// Take an incoming `X-Request-Id` when it is 1 to 128 characters of `A-Za-z0-9-_.:@+=/`.
  pub trust_request_id: bool,
  /// This layer's own limits, `{ "max": …, "refill": … }`, in buckets of their own (a tighter
  /// budget for an expensive route); `false`: requests here spend no bucket. Defaults to the
  /// authenticator's limits (and its plans).
  pub rate_limit: Option<serde_json::Value>,
  /// A budget of failed authentications (401s) per client address: `true` (20, refilled at 0.2 a
  /// second, for at most 10000 clients) or `{ "max", "refill", "maxKeys" }`. A client that spent
  /// it is answered 429 `RATE_LIMITED` before any token is read, until it refills. The address
  /// is Axum's `ConnectInfo<SocketAddr>` (serve with `into_make_service_with_connect_info`), or
  /// the builder's `client_ip`.
  pub failed_auth_limit: Option<serde_json::Value>,
}

impl Default for LayerOptions {
  fn default() -> Self {
    LayerOptions {
      tenant_header: "x-tenant-id".into(),
      credentials_required: true,
      skip_methods: vec!["OPTIONS".into()],
      skip_paths: Vec::new(),
      rate_limit_headers: RateLimitHeaders::Draft6,
      realm: None,
      trust_request_id: false,
      rate_limit: None,
      failed_auth_limit: None,
    }
  }
}

/// The options as the request path reads them.
#[derive(Debug, Clone)]
pub(crate) struct Checked {
  pub tenant_header: HeaderName,
  pub credentials_required: bool,
  pub skip_methods: Vec<Method>,
  pub skip_paths: Vec<String>,
  pub rate_limit_headers: RateLimitHeaders,
  pub realm: Option<String>,
  pub trust_request_id: bool,
  pub failed_auth_limit: Option<Limits>,
}

impl LayerOptions {
  pub(crate) fn check(self) -> Result<Checked, Error> {
    let tenant_header = HeaderName::from_bytes(self.tenant_header.as_bytes())
      .map_err(|_| Error::config("`tenantHeader` must be an HTTP header name"))?;
    if tenant_header == http::header::AUTHORIZATION {
      return Err(Error::config(
        "`tenantHeader` cannot be the Authorization header",
      ));
    }
    let skip_methods = self
      .skip_methods
      .iter()
      .map(|m| {
        Method::from_bytes(m.as_bytes())
          .map_err(|_| Error::config(format!("`skipMethods`: `{m}` is not a method")))
      })
      .collect::<Result<_, _>>()?;
    if let Some(realm) = &self.realm {
      if realm
        .chars()
        .any(|c| c == '"' || c == '\\' || c.is_control())
      {
        return Err(Error::config(
          "`realm` must be plain text: no quotes, backslashes or line breaks",
        ));
      }
    }
    Ok(Checked {
      tenant_header,
      credentials_required: self.credentials_required,
      skip_methods,
      skip_paths: self.skip_paths,
      rate_limit_headers: self.rate_limit_headers,
      realm: self.realm,
      trust_request_id: self.trust_request_id,
      failed_auth_limit: failed_auth_limit(self.failed_auth_limit.as_ref())?,
    })
  }
}

/// `failedAuthLimit`, read by the core's option readers with the bounds and defaults contract/
/// options.json declares (FailedAuthLimitOptions, generated into the core's contract).
fn failed_auth_limit(given: Option<&serde_json::Value>) -> Result<Option<Limits>, Error> {
  use auth_shield_core::contract::integration_option::failed_auth_limit_options as spec;
  let members = match given.and_then(|v| describe(v, 0)) {
    None | Some(Value::Bool(false)) => return Ok(None),
    Some(Value::Bool(true)) => Vec::new(),
    Some(Value::Map(members)) => members,
    Some(_) => {
      return Err(Error::config(
        "`failedAuthLimit` must be a boolean or `{ max, refill, maxKeys }`",
      ))
    }
  };
  let named = |e: Error| Error::config(format!("`failedAuthLimit`: {}", e.detail));
  let mut o = Options(members);
  o.refuse_unknown(spec::NAMES).map_err(named)?;
  Ok(Some(Limits {
    capacity: o.whole(&spec::MAX).map_err(named)? as u32,
    refill_per_sec: o.above_zero(&spec::REFILL).map_err(named)?,
    max_keys: o.whole(&spec::MAX_KEYS).map_err(named)? as usize,
  }))
}
