//! The authenticator's configuration in the shape the Node package takes it (`accessSecret`,
//! `issuer`, `rateLimitMax`…): from JSON (serde), or built in Rust. Either way it is checked by
//! the core's one reader, so a config that Node accepts means the same here, and one it refuses is
//! refused with the same message.

use auth_shield_core::config::{RawConfig, Value};
use auth_shield_core::error::Error;
use auth_shield_core::request::pipeline::Authenticator;
use serde::de::{Deserializer, Error as _};
use serde::Deserialize;
use std::sync::Arc;

/// How deep a value may nest below an option (`jwks: { keys: [{ x5c: [...] }] }` is 3), as the
/// Node binding reads them.
const MAX_DEPTH: u8 = 4;

/// An authenticator configuration, option by option, in the Node package's names.
#[derive(Debug, Clone, Default)]
pub struct AuthConfig {
  raw: RawConfig,
}

impl AuthConfig {
  pub fn new() -> Self {
    Self::default()
  }

  /// From a JSON object (`{ "accessSecret": "…", "issuer": "…" }`); `null` members are left out,
  /// as `undefined` is in JS.
  pub fn from_json(json: &serde_json::Value) -> Result<Self, Error> {
    let serde_json::Value::Object(members) = json else {
      return Err(Error::config("the configuration must be a JSON object"));
    };
    let mut raw = Vec::with_capacity(members.len());
    for (name, value) in members {
      if let Some(v) = describe(value, 0) {
        raw.push((name.clone(), v));
      }
    }
    Ok(AuthConfig { raw })
  }

  pub fn from_json_str(text: &str) -> Result<Self, Error> {
    let json: serde_json::Value = serde_json::from_str(text)
      .map_err(|e| Error::config(format!("the configuration is not JSON: {e}")))?;
    Self::from_json(&json)
  }

  /// Sets one option by its Node name (`"rateLimitMax"`), replacing an earlier value.
  pub fn set(mut self, name: &str, value: impl Into<serde_json::Value>) -> Self {
    self.raw.retain(|(n, _)| n != name);
    if let Some(v) = describe(&value.into(), 0) {
      self.raw.push((name.to_owned(), v));
    }
    self
  }

  pub fn access_secret(self, secret: impl Into<String>) -> Self {
    self.set("accessSecret", secret.into())
  }

  pub fn refresh_secret(self, secret: impl Into<String>) -> Self {
    self.set("refreshSecret", secret.into())
  }

  pub fn issuer(self, issuer: impl Into<String>) -> Self {
    self.set("issuer", issuer.into())
  }

  pub fn audience(self, audience: impl Into<String>) -> Self {
    self.set("audience", audience.into())
  }

  pub fn algorithms<S: Into<String>>(self, algorithms: impl IntoIterator<Item = S>) -> Self {
    let list: Vec<serde_json::Value> = algorithms.into_iter().map(|a| a.into().into()).collect();
    self.set("algorithms", list)
  }

  /// The default bucket: `max` requests, refilled at `refill` a second.
  pub fn rate_limit(self, max: u32, refill: f64) -> Self {
    self.set("rateLimitMax", max).set("rateLimitRefill", refill)
  }

  pub fn base_domain(self, domain: impl Into<String>) -> Self {
    self.set("baseDomain", domain.into())
  }

  /// A JWK Set (`{ "keys": [...] }`) to verify with instead of a shared secret.
  pub fn jwks(self, set: serde_json::Value) -> Self {
    self.set("jwks", set)
  }

  /// Whether an option is given (by its Node name).
  pub fn has(&self, name: &str) -> bool {
    self.raw.iter().any(|(n, _)| n == name)
  }

  /// The authenticator, or the core's `INVALID_CONFIG` error naming the option at fault.
  pub fn build(self) -> Result<Arc<Authenticator>, Error> {
    Authenticator::from_config(self.raw).map(Arc::new)
  }
}

impl<'de> Deserialize<'de> for AuthConfig {
  fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
    let json = serde_json::Value::deserialize(deserializer)?;
    AuthConfig::from_json(&json).map_err(D::Error::custom)
  }
}

/// A JSON value as the core's readers take option values; `None` for `null`.
pub(crate) fn describe(json: &serde_json::Value, depth: u8) -> Option<Value> {
  use serde_json::Value as J;
  let nested = |v: &J| describe(v, depth + 1).unwrap_or(Value::Other("null or undefined"));
  Some(match json {
    J::Null => return None,
    J::Bool(b) => Value::Bool(*b),
    J::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
    J::String(s) => Value::String(s.clone()),
    J::Array(_) if depth >= MAX_DEPTH => Value::Other("an array nested too deeply"),
    J::Object(_) if depth >= MAX_DEPTH => Value::Other("an object nested too deeply"),
    J::Array(items) => Value::List(items.iter().map(nested).collect()),
    J::Object(members) => Value::Map(
      members
        .iter()
        .map(|(k, v)| (k.clone(), nested(v)))
        .collect(),
    ),
  })
}

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;
