//! One-time codes for JS: the code store as an opaque handle, and the stateless HOTP/TOTP calls.

use super::args;
use super::config::read_options;
use super::errors::guard;
use auth_shield_core::clock::SystemClock;
use auth_shield_core::error::Error;
use auth_shield_helpers::otp::store::{OtpStore, StoreSettings, Verdict};
use auth_shield_helpers::otp::totp::{self, Check, TotpSettings, UriParts};
use napi::bindgen_prelude::External;
use napi::{Env, Unknown, ValueType};
use napi_derive::napi;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};
use zeroize::Zeroizing;

#[napi(object)]
pub struct OtpStoreVerdict {
  pub valid: bool,
  pub code: Option<String>,
  pub attempts_remaining: u32,
}

fn verdict(v: Verdict) -> OtpStoreVerdict {
  OtpStoreVerdict {
    valid: v.code.is_none(),
    code: v.code.map(|c| c.as_str().to_owned()),
    attempts_remaining: v.attempts_remaining,
  }
}

#[napi]
pub fn create_otp_store(env: Env, options: Unknown) -> napi::Result<External<OtpStore>> {
  guard(&env, || {
    let settings = StoreSettings::from_raw(read_options(&options, "OtpStore")?)?;
    Ok(External::new(OtpStore::new(
      settings,
      Arc::new(SystemClock),
    )))
  })
}

#[napi]
pub fn otp_generate(env: Env, store: &External<OtpStore>, key: Unknown) -> napi::Result<String> {
  guard(&env, || {
    store.generate(&args::required_string(&key, "key")?)
  })
}

/// A `code` that is not a string (a number from a JSON body, say) is a wrong guess, not a throw.
#[napi]
pub fn otp_verify(
  env: Env,
  store: &External<OtpStore>,
  key: Unknown,
  code: Unknown,
) -> napi::Result<OtpStoreVerdict> {
  guard(&env, || {
    let key = args::required_string(&key, "key")?;
    let code = args::string(&code);
    store.verify(&key, code.as_deref()).map(verdict)
  })
}

#[napi]
pub fn otp_delete(env: Env, store: &External<OtpStore>, key: Unknown) -> napi::Result<bool> {
  guard(&env, || store.delete(&args::required_string(&key, "key")?))
}

#[napi]
pub fn otp_size(store: &External<OtpStore>) -> u32 {
  store.len() as u32
}

#[napi]
pub fn otp_clear(store: &External<OtpStore>) {
  store.clear()
}

/// A base32 string is decoded; bytes are taken as they are.
fn secret(value: &Unknown, allow_weak: bool) -> Result<Zeroizing<Vec<u8>>, Error> {
  if value.get_type().ok() == Some(ValueType::String) {
    return totp::decode_secret(&args::required_string(value, "secret")?, allow_weak);
  }
  totp::check_secret(args::bytes(value, "secret")?, allow_weak)
}

const COUNTER: &str = "a non-negative safe integer";

fn counter(value: &Unknown) -> Result<u64, Error> {
  args::whole_number(value).ok_or_else(|| Error::argument(format!("`counter` must be {COUNTER}")))
}

fn now_ms(s: &TotpSettings) -> f64 {
  s.timestamp_ms.unwrap_or_else(|| {
    SystemTime::now()
      .duration_since(UNIX_EPOCH)
      .map_or(0.0, |d| d.as_millis() as f64)
  })
}

#[napi(object)]
pub struct OtpCheck {
  pub valid: bool,
  pub code: Option<String>,
  /// The time step (TOTP) or counter (HOTP) the code matched, also on `OTP_REPLAYED`.
  pub step: Option<i64>,
  pub delta: Option<i64>,
}

fn check(c: Check) -> OtpCheck {
  OtpCheck {
    valid: c.code.is_none(),
    code: c.code.map(|c| c.as_str().to_owned()),
    step: c.step.map(|s| s as i64),
    delta: c.delta,
  }
}

/// The options, and the secret read under their `allowWeakSecrets`.
fn prepare(
  options: &Unknown,
  secret_value: &Unknown,
) -> Result<(TotpSettings, Zeroizing<Vec<u8>>), Error> {
  let s = TotpSettings::from_raw(read_options(options, "TOTP")?)?;
  let key = secret(secret_value, s.allow_weak_secrets)?;
  Ok((s, key))
}

#[napi]
pub fn totp_generate_secret(env: Env, bytes: Unknown) -> napi::Result<String> {
  guard(&env, || {
    let n = args::optional_whole_number(&bytes, "bytes", "a whole number")?
      .unwrap_or(totp::DEFAULT_SECRET_BYTES as u64);
    totp::generate_secret(n.min(usize::MAX as u64) as usize)
  })
}

#[napi]
pub fn totp_generate(env: Env, secret_value: Unknown, options: Unknown) -> napi::Result<String> {
  guard(&env, || {
    let (s, key) = prepare(&options, &secret_value)?;
    Ok(totp::hotp(
      &key,
      s.step_at(now_ms(&s)),
      s.digits,
      s.algorithm,
    ))
  })
}

#[napi]
pub fn hotp_generate(
  env: Env,
  secret_value: Unknown,
  counter_value: Unknown,
  options: Unknown,
) -> napi::Result<String> {
  guard(&env, || {
    let (s, key) = prepare(&options, &secret_value)?;
    Ok(totp::hotp(
      &key,
      counter(&counter_value)?,
      s.digits,
      s.algorithm,
    ))
  })
}

/// A `code` that is not a string is `OTP_INVALID`, as a wrong code is.
#[napi]
pub fn totp_verify(
  env: Env,
  code: Unknown,
  secret_value: Unknown,
  options: Unknown,
) -> napi::Result<OtpCheck> {
  guard(&env, || {
    let (s, key) = prepare(&options, &secret_value)?;
    Ok(check(totp::verify_totp(
      &key,
      args::string(&code).as_deref(),
      now_ms(&s),
      &s,
    )))
  })
}

#[napi]
pub fn hotp_verify(
  env: Env,
  code: Unknown,
  secret_value: Unknown,
  counter_value: Unknown,
  options: Unknown,
) -> napi::Result<OtpCheck> {
  guard(&env, || {
    let (s, key) = prepare(&options, &secret_value)?;
    let c = counter(&counter_value)?;
    Ok(check(totp::verify_hotp(
      &key,
      args::string(&code).as_deref(),
      c,
      &s,
    )))
  })
}

/// `counter` given makes an HOTP URI. The secret is re-encoded, so a Buffer works too.
#[napi]
pub fn otp_uri(
  env: Env,
  secret_value: Unknown,
  account: Unknown,
  issuer: Unknown,
  counter_value: Unknown,
  options: Unknown,
) -> napi::Result<String> {
  guard(&env, || {
    let (s, key) = prepare(&options, &secret_value)?;
    let encoded = Zeroizing::new(data_encoding::BASE32_NOPAD.encode(&key));
    let account = args::required_string(&account, "account")?;
    let issuer = args::optional_string(&issuer, "issuer")?;
    let counter = args::optional_whole_number(&counter_value, "counter", COUNTER)?;
    totp::uri(
      &UriParts {
        secret_base32: &encoded,
        account: &account,
        issuer: issuer.as_deref(),
        counter,
      },
      &s,
    )
  })
}
