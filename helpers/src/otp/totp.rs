//! HOTP (RFC 4226) and TOTP (RFC 6238) for authenticator apps: base32 secrets, codes, verification
//! with a window and replay protection, and the `otpauth://` URI apps scan.

use auth_shield_core::error::{Error, ErrorCode};
use auth_shield_core::options::{wrong, Options, RawConfig, Value};
use data_encoding::BASE32_NOPAD;
use hmac::{Hmac, Mac};
use rand::RngCore;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use auth_shield_core::contract::helper_option::totp_options as opt;
/// RFC 4226 R6: a shared secret of at least 128 bits; 160 is what it recommends and what we make.
pub const MIN_SECRET_BYTES: usize = 16;
pub const DEFAULT_SECRET_BYTES: usize = 20;
const MAX_SECRET_BYTES: usize = 128;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashAlgorithm {
  Sha1,
  Sha256,
  Sha512,
}

impl HashAlgorithm {
  /// `SHA1`, `SHA256` or `SHA512`, in any case, with or without a hyphen (`sha-256`).
  pub fn from_name(name: &str) -> Option<HashAlgorithm> {
    match name.to_ascii_uppercase().replace('-', "").as_str() {
      "SHA1" => Some(HashAlgorithm::Sha1),
      "SHA256" => Some(HashAlgorithm::Sha256),
      "SHA512" => Some(HashAlgorithm::Sha512),
      _ => None,
    }
  }

  pub fn name(self) -> &'static str {
    match self {
      HashAlgorithm::Sha1 => "SHA1",
      HashAlgorithm::Sha256 => "SHA256",
      HashAlgorithm::Sha512 => "SHA512",
    }
  }
}

/// Validated options. `timestamp_ms` is "now" unless the caller pins it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TotpSettings {
  pub digits: u32,
  pub period: u64,
  pub algorithm: HashAlgorithm,
  pub window: u64,
  pub timestamp_ms: Option<f64>,
  pub after_step: Option<u64>,
  pub allow_weak_secrets: bool,
}

impl TotpSettings {
  pub fn from_raw(raw: RawConfig) -> Result<TotpSettings, Error> {
    let mut opts = Options(raw);
    opts.refuse_unknown(opt::NAMES)?;
    let algorithm = match opts.take(opt::ALGORITHM) {
      None => HashAlgorithm::from_name(opt::ALGORITHM_DEFAULT)
        .ok_or_else(|| Error::config("no default algorithm"))?,
      Some(Value::String(s)) => match HashAlgorithm::from_name(&s) {
        Some(a) => a,
        None => {
          return Err(Error::config(
            "`algorithm` must be \"SHA1\", \"SHA256\" or \"SHA512\"",
          ))
        }
      },
      Some(v) => return Err(wrong("algorithm", "a string", &v)),
    };
    let timestamp_ms = match opts.take(opt::TIMESTAMP) {
      None => None,
      Some(Value::Number(n)) if n.is_finite() && (0.0..=8.64e15).contains(&n) => Some(n),
      Some(v) => {
        return Err(wrong(
          "timestamp",
          "milliseconds since the epoch (a non-negative number, as Date.now() gives)",
          &v,
        ))
      }
    };
    let after_step = match opts.take(opt::AFTER_STEP) {
      None => None,
      Some(Value::Number(n))
        if n.fract() == 0.0 && (0.0..=9.007_199_254_740_991e15).contains(&n) =>
      {
        Some(n as u64)
      }
      Some(v) => {
        return Err(wrong(
          "afterStep",
          "a non-negative whole number (a step returned by verifyTotp)",
          &v,
        ))
      }
    };
    Ok(TotpSettings {
      digits: opts.whole(&opt::DIGITS)? as u32,
      period: opts.whole(&opt::PERIOD)? as u64,
      algorithm,
      window: opts.whole(&opt::WINDOW)? as u64,
      timestamp_ms,
      after_step,
      allow_weak_secrets: opts.flag(&opt::ALLOW_WEAK_SECRETS)?,
    })
  }

  pub fn step_at(&self, unix_ms: f64) -> u64 {
    (unix_ms / 1000.0).floor() as u64 / self.period
  }
}

/// A fresh random secret, base32 without padding (what authenticator apps expect).
pub fn generate_secret(bytes: usize) -> Result<String, Error> {
  if !(MIN_SECRET_BYTES..=MAX_SECRET_BYTES).contains(&bytes) {
    return Err(Error::argument(format!(
      "A TOTP secret must be {MIN_SECRET_BYTES} to {MAX_SECRET_BYTES} bytes"
    )));
  }
  let mut raw = Zeroizing::new(vec![0u8; bytes]);
  rand::rng().fill_bytes(&mut raw);
  Ok(BASE32_NOPAD.encode(&raw))
}

/// Base32 as people type it: any case, spaces and `=` padding ignored.
pub fn decode_secret(text: &str, allow_weak: bool) -> Result<Zeroizing<Vec<u8>>, Error> {
  let cleaned: Zeroizing<String> = Zeroizing::new(
    text
      .chars()
      .filter(|c| !matches!(c, ' ' | '-'))
      .collect::<String>()
      .trim_end_matches('=')
      .to_ascii_uppercase(),
  );
  let bytes = BASE32_NOPAD
    .decode(cleaned.as_bytes())
    .map_err(|_| Error::argument("The secret is not base32 (RFC 4648: A-Z and 2-7)"))?;
  check_secret(Zeroizing::new(bytes), allow_weak)
}

pub fn check_secret(
  bytes: Zeroizing<Vec<u8>>,
  allow_weak: bool,
) -> Result<Zeroizing<Vec<u8>>, Error> {
  if bytes.is_empty() || bytes.len() > MAX_SECRET_BYTES {
    return Err(Error::argument(format!(
      "The secret must be 1 to {MAX_SECRET_BYTES} bytes"
    )));
  }
  if bytes.len() < MIN_SECRET_BYTES && !allow_weak {
    return Err(Error::new(
      ErrorCode::WeakSecret,
      format!(
        "The secret is {} bytes; RFC 4226 asks for at least {MIN_SECRET_BYTES}. Set `allowWeakSecrets: true` to accept older 80-bit secrets",
        bytes.len()
      ),
    ));
  }
  Ok(bytes)
}

/// RFC 4226 §5.3: HMAC of the 8-byte counter, dynamically truncated to `digits` decimal digits.
pub fn hotp(secret: &[u8], counter: u64, digits: u32, algorithm: HashAlgorithm) -> String {
  macro_rules! hmac_of {
    ($digest:ty) => {{
      let mut m =
        <Hmac<$digest> as Mac>::new_from_slice(secret).expect("HMAC takes any key length");
      m.update(&counter.to_be_bytes());
      truncate(&m.finalize().into_bytes())
    }};
  }
  let value = match algorithm {
    HashAlgorithm::Sha1 => hmac_of!(sha1::Sha1),
    HashAlgorithm::Sha256 => hmac_of!(sha2::Sha256),
    HashAlgorithm::Sha512 => hmac_of!(sha2::Sha512),
  };
  format!(
    "{:0width$}",
    value as u64 % 10u64.pow(digits),
    width = digits as usize
  )
}

fn truncate(hash: &[u8]) -> u32 {
  let offset = (hash[hash.len() - 1] & 0x0f) as usize;
  u32::from_be_bytes([
    hash[offset],
    hash[offset + 1],
    hash[offset + 2],
    hash[offset + 3],
  ]) & 0x7fff_ffff
}

/// The outcome of a TOTP/HOTP check. On success `step` is the time step (TOTP) or counter (HOTP)
/// the code belonged to: store it, and pass it back as `afterStep` (TOTP) or use `step + 1` as
/// the next counter (HOTP).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Check {
  pub code: Option<ErrorCode>,
  pub step: Option<u64>,
  /// Matched step minus the current step (TOTP), or minus the expected counter (HOTP).
  pub delta: Option<i64>,
}

const INVALID: Check = Check {
  code: Some(ErrorCode::OtpInvalid),
  step: None,
  delta: None,
};

fn well_formed(code: Option<&str>, digits: u32) -> Option<&str> {
  code.filter(|c| c.len() == digits as usize && c.bytes().all(|b| b.is_ascii_digit()))
}

/// Finds which candidate step a code belongs to, comparing against every candidate so the time
/// taken does not say which one matched.
fn find(
  secret: &[u8],
  code: &str,
  steps: impl Iterator<Item = u64>,
  s: &TotpSettings,
) -> Option<u64> {
  let mut found = None;
  for step in steps {
    let expected = hotp(secret, step, s.digits, s.algorithm);
    if bool::from(expected.as_bytes().ct_eq(code.as_bytes())) && found.is_none() {
      found = Some(step);
    }
  }
  found
}

/// TOTP check at `now_ms` with ±`window` steps. A code whose step is not after `afterStep` is
/// refused as `OTP_REPLAYED`, so a code seen once (say by a shoulder-surfer) cannot be used again.
pub fn verify_totp(secret: &[u8], code: Option<&str>, now_ms: f64, s: &TotpSettings) -> Check {
  let Some(code) = well_formed(code, s.digits) else {
    return INVALID;
  };
  let now = s.step_at(now_ms);
  let first = now.saturating_sub(s.window);
  let Some(step) = find(secret, code, first..=now.saturating_add(s.window), s) else {
    return INVALID;
  };
  let delta = Some(step as i64 - now as i64);
  if s.after_step.is_some_and(|after| step <= after) {
    return Check {
      code: Some(ErrorCode::OtpReplayed),
      step: Some(step),
      delta,
    };
  }
  Check {
    code: None,
    step: Some(step),
    delta,
  }
}

/// HOTP check of counters `counter ..= counter + window` (look-ahead only: a counter never goes
/// back, which is HOTP's own replay protection).
pub fn verify_hotp(secret: &[u8], code: Option<&str>, counter: u64, s: &TotpSettings) -> Check {
  let Some(code) = well_formed(code, s.digits) else {
    return INVALID;
  };
  match find(secret, code, counter..=counter.saturating_add(s.window), s) {
    Some(step) => Check {
      code: None,
      step: Some(step),
      delta: Some((step - counter) as i64),
    },
    None => INVALID,
  }
}

/// Google's Key URI format: `otpauth://totp/Issuer:account?secret=…&issuer=…&algorithm=…`.
pub struct UriParts<'a> {
  pub secret_base32: &'a str,
  pub account: &'a str,
  pub issuer: Option<&'a str>,
  /// `Some(counter)` makes an HOTP URI.
  pub counter: Option<u64>,
}

pub fn uri(parts: &UriParts<'_>, s: &TotpSettings) -> Result<String, Error> {
  for (name, value) in [("account", Some(parts.account)), ("issuer", parts.issuer)] {
    if let Some(v) = value {
      if v.is_empty() || v.contains(':') || v.len() > 256 || v.chars().any(char::is_control) {
        return Err(Error::argument(format!(
          "`{name}` must be 1 to 256 characters with no colon or control character"
        )));
      }
    }
  }
  let mut out = String::from(if parts.counter.is_some() {
    "otpauth://hotp/"
  } else {
    "otpauth://totp/"
  });
  if let Some(issuer) = parts.issuer {
    percent_encode(issuer, &mut out);
    out.push(':');
  }
  percent_encode(parts.account, &mut out);
  out.push_str("?secret=");
  out.push_str(parts.secret_base32);
  if let Some(issuer) = parts.issuer {
    out.push_str("&issuer=");
    percent_encode(issuer, &mut out);
  }
  out.push_str(&format!(
    "&algorithm={}&digits={}",
    s.algorithm.name(),
    s.digits
  ));
  match parts.counter {
    Some(c) => out.push_str(&format!("&counter={c}")),
    None => out.push_str(&format!("&period={}", s.period)),
  }
  Ok(out)
}

/// RFC 3986: everything but the unreserved characters is escaped (a space is `%20`, not `+`).
fn percent_encode(s: &str, out: &mut String) {
  for b in s.bytes() {
    if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
      out.push(b as char);
    } else {
      out.push_str(&format!("%{b:02X}"));
    }
  }
}

#[cfg(test)]
#[path = "totp_tests.rs"]
mod tests;
