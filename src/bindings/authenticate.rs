//! The prepared authenticator: created once from a config, then one call per request.

use super::config;
use super::encode::Encoder;
use super::errors::guard;
use super::strings::read_field;
use crate::core::error::Error;
use crate::core::pipeline::{self, Authenticator, Request};
use crate::core::tokens::{Kind, SignOptions};
use napi::bindgen_prelude::External;
use napi::{Env, JsString, JsValue, Unknown};
use napi_derive::napi;
use std::cell::RefCell;

/// Buffers reused by every call on this thread, so the request path allocates nothing once warm.
#[derive(Default)]
struct Scratch {
  authorization: Vec<u8>,
  tenant: Vec<u8>,
  host: Vec<u8>,
  claims: pipeline::Scratch,
  encoder: Encoder,
  latin1: Vec<u8>,
}

thread_local! {
  static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch {
    tenant: vec![0; 512],
    host: vec![0; 512],
    ..Scratch::default()
  });
}

/// Validates `config` and prepares keys, buckets and rules. Throws a coded error naming the
/// first bad option.
#[napi]
pub fn create_authenticator(env: Env, config: Unknown) -> napi::Result<External<Authenticator>> {
  guard(&env, || Authenticator::from_config(config::read(&config)?)).map(External::new)
}

/// Authenticates one request; the result is the compact encoding that `index.js` decodes.
/// Request failures are part of the result; this only throws on an internal error.
#[napi]
pub fn authenticate<'env>(
  env: &'env Env,
  authenticator: &External<Authenticator>,
  authorization: Unknown,
  tenant: Unknown,
  host: Unknown,
) -> napi::Result<JsString<'env>> {
  let auth: &Authenticator = authenticator;
  let raw_env = env.raw();
  let text = guard(env, || {
    SCRATCH.with(|cell| {
      let s = &mut *cell.borrow_mut();
      let need = auth.settings().max_token_length + 1024;
      if s.authorization.len() < need {
        s.authorization.resize(need, 0);
      }
      // SAFETY: the handles belong to this call and the buffers outlive the reads.
      let request = unsafe {
        Request {
          authorization: read_field(raw_env, authorization.raw(), &mut s.authorization),
          tenant_header: read_field(raw_env, tenant.raw(), &mut s.tenant),
          host: read_field(raw_env, host.raw(), &mut s.host),
        }
      };
      let outcome = auth.authenticate(&request, &mut s.claims);
      s.encoder.encode(&outcome);
      Ok::<_, Error>(encoded_string(env, &s.encoder, &mut s.latin1))
    })
  })?;
  text
}

/// The encoded outcome as a JS string: Latin-1 (compact in V8) when every unit fits, else UTF-16.
fn encoded_string<'env>(
  env: &'env Env,
  encoder: &Encoder,
  latin1: &mut Vec<u8>,
) -> napi::Result<JsString<'env>> {
  if encoder.wide {
    return env.create_string_utf16(&encoder.units);
  }
  latin1.clear();
  latin1.extend(encoder.units.iter().map(|&u| u as u8));
  env.create_string_latin1(latin1)
}

/// A request whose token an earlier success reported as cache entry `id` (high and low halves):
/// the token is not sent again. `null` when the entry is gone; the caller then sends the token.
#[napi]
pub fn authenticate_cached<'env>(
  env: &'env Env,
  authenticator: &External<Authenticator>,
  id_high: u32,
  id_low: u32,
  tenant: Unknown,
  host: Unknown,
) -> napi::Result<Option<JsString<'env>>> {
  let auth: &Authenticator = authenticator;
  let raw_env = env.raw();
  let id = ((id_high as u64) << 32) | id_low as u64;
  let text = guard(env, || {
    SCRATCH.with(|cell| {
      let s = &mut *cell.borrow_mut();
      // SAFETY: the handles belong to this call and the buffers outlive the reads.
      let (tenant_header, host) = unsafe {
        (
          read_field(raw_env, tenant.raw(), &mut s.tenant),
          read_field(raw_env, host.raw(), &mut s.host),
        )
      };
      let Some(outcome) = auth.authenticate_cached(id, tenant_header, host, &mut s.claims) else {
        return Ok::<_, Error>(None);
      };
      s.encoder.encode_cached(&outcome);
      Ok(Some(encoded_string(env, &s.encoder, &mut s.latin1)))
    })
  })?;
  text.transpose()
}

/// Signs a token. `claims` is the JSON text of the claims object (serialised by `index.js`
/// exactly as jsonwebtoken serialises a payload).
#[napi]
pub fn sign_token(
  env: Env,
  authenticator: &External<Authenticator>,
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
pub fn authenticator_stats(authenticator: &External<Authenticator>) -> AuthenticatorStats {
  AuthenticatorStats {
    rate_limit_keys: authenticator.rate_limiter().len() as u32,
  }
}

/// The names of every configuration option, for tooling and for the test that keeps
/// `index.d.ts` and the README in step.
#[napi]
pub fn config_options() -> Vec<&'static str> {
  crate::core::config::OPTIONS.to_vec()
}
