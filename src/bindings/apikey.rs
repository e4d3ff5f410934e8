//! API keys for JS.

use super::args;
use super::errors::guard;
use auth_shield_core::error::{Error, ErrorCode};
use auth_shield_helpers::apikey::{self, DEFAULT_PREFIX};
use napi::{Env, Unknown};
use napi_derive::napi;

#[napi(object)]
pub struct GeneratedApiKey {
  pub key: String,
  pub id: String,
  pub hash: String,
}

#[napi(object)]
pub struct ParsedApiKey {
  pub prefix: String,
  pub id: String,
}

fn pepper(value: &Unknown) -> Result<zeroize::Zeroizing<Vec<u8>>, Error> {
  let bytes = args::bytes(value, "pepper")?;
  apikey::check_pepper(&bytes)?;
  Ok(bytes)
}

#[napi]
pub fn generate_api_key(
  env: Env,
  prefix: Unknown,
  pepper_value: Unknown,
) -> napi::Result<GeneratedApiKey> {
  guard(&env, || {
    let prefix =
      args::optional_string(&prefix, "prefix")?.unwrap_or_else(|| DEFAULT_PREFIX.to_string());
    let pepper = pepper(&pepper_value)?;
    let generated = apikey::generate(&prefix)?;
    let hash = apikey::hash(&generated.key, &pepper)?;
    Ok(GeneratedApiKey {
      key: generated.key,
      id: generated.id,
      hash,
    })
  })
}

#[napi]
pub fn hash_api_key(env: Env, key: Unknown, pepper_value: Unknown) -> napi::Result<String> {
  guard(&env, || {
    apikey::hash(
      &args::required_string(&key, "key")?,
      &pepper(&pepper_value)?,
    )
  })
}

/// A key that is not a string cannot match: `false`, like any other wrong key.
#[napi]
pub fn verify_api_key(
  env: Env,
  key: Unknown,
  stored: Unknown,
  pepper_value: Unknown,
) -> napi::Result<bool> {
  guard(&env, || {
    let stored = args::string(&stored).ok_or_else(|| {
      Error::new(
        ErrorCode::InvalidHash,
        "`storedHash` must be the hex string hashApiKey returned",
      )
    })?;
    let pepper = pepper(&pepper_value)?;
    match args::string(&key) {
      Some(k) => apikey::verify(&k, &stored, &pepper),
      None => Ok(false),
    }
  })
}

#[napi]
pub fn parse_api_key(env: Env, key: Unknown) -> napi::Result<ParsedApiKey> {
  guard(&env, || {
    let key = args::string(&key).ok_or_else(|| {
      Error::new(
        ErrorCode::InvalidApiKey,
        "Not an auth-shield API key: not a string",
      )
    })?;
    let parsed = apikey::parse(&key)?;
    Ok(ParsedApiKey {
      prefix: parsed.prefix.to_owned(),
      id: parsed.id.to_owned(),
    })
  })
}
