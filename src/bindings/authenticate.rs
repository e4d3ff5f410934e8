//! The prepared authenticator: created once from a config; the per-request calls are in
//! `request_path.rs`.

use super::config;
use super::errors::guard;
use super::registry::{self, Registered};
use super::shared;
use auth_shield_core::error::Error;
use auth_shield_core::lifecycle::signing::{Kind, SignOptions};
use auth_shield_core::request::pipeline::Authenticator;
use napi::bindgen_prelude::External;
use napi::{Env, Unknown};
use napi_derive::napi;

/// Validates `config` and prepares keys, buckets and rules. Throws a coded error naming the
/// first bad option.
#[napi]
pub fn create_authenticator(env: Env, config: Unknown) -> napi::Result<External<Registered>> {
  guard(&env, || {
    let raw = config::read(&config)?;
    let fingerprint = auth_shield_core::config::config_fingerprint(&raw);
    let made = Authenticator::from_config(raw)?;
    if made.settings().share_across_threads {
      registry::register_arc(shared::adopt(fingerprint, made)?)
    } else {
      registry::register(made)
    }
  })
  .map(External::new)
}

/// The number the request path names this authenticator by (see `registry.rs`).
#[napi]
pub fn authenticator_id(authenticator: &External<Registered>) -> u32 {
  authenticator.id()
}

/// Signs a token. `claims` is the JSON text of the claims object (serialised by `index.js`
/// exactly as jsonwebtoken serialises a payload).
#[napi]
pub fn sign_token(
  env: Env,
  authenticator: &External<Registered>,
  refresh: bool,
  claims: String,
  expires_in: Unknown,
  not_before: Unknown,
) -> napi::Result<String> {
  let auth: &Authenticator = authenticator;
  guard(&env, || {
    let claims = match serde_json::from_str::<serde_json::Value>(&claims) {
      Ok(serde_json::Value::Object(map)) => map,
      _ => return Err(Error::argument("claims must be a plain object")),
    };
    let options = SignOptions {
      expires_in: config::duration(&expires_in, "expiresIn")?,
      not_before: config::duration(&not_before, "notBefore")?,
    };
    let kind = if refresh { Kind::Refresh } else { Kind::Access };
    auth.sign(kind, claims, &options)
  })
}

/// Counters for monitoring; cheap enough to poll.
#[napi(object)]
pub struct AuthenticatorStats {
  /// Rate-limit buckets currently held (bounded by `rateLimitMaxKeys`).
  pub rate_limit_keys: u32,
}

#[napi]
pub fn authenticator_stats(authenticator: &External<Registered>) -> AuthenticatorStats {
  AuthenticatorStats {
    rate_limit_keys: authenticator.rate_limiter().len() as u32,
  }
}

/// The names of every configuration option, for tooling and for the test that keeps
/// `index.d.ts` and the README in step.
#[napi]
pub fn config_options() -> Vec<&'static str> {
  auth_shield_core::contract::option::NAMES.to_vec()
}
