//! API keys shaped like `<prefix>_<id>_<secret><checksum>`: the user's own prefix (`sk_live`,
//! `acme_pk`: secret scanners can be taught it, people can tell keys apart), a public id to look
//! the stored hash up by, 190 bits of secret, and a CRC32 so a typo or a random string is refused
//! before any database lookup. Keys made before prefixes were the user's carry the brand `auth1_`
//! before a one-part prefix (`auth1_pk_…`); they still parse, with the brand left out of the
//! prefix, and no new key's prefix may begin with it.

use crate::compare::timing_safe_equal;
use auth_shield_core::error::{Error, ErrorCode};
use hmac::{Hmac, Mac};
use rand::Rng;
use sha2::Sha256;

/// What keys of earlier versions begin with; reserved.
const LEGACY_BRAND: &str = "auth1_";
const ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const ID_CHARS: usize = 12;
/// 32 base62 characters: log2(62^32) ≈ 190.5 bits.
const SECRET_CHARS: usize = 32;
/// 62^6 > 2^32, so any CRC32 fits.
const CHECKSUM_CHARS: usize = 6;
const MAX_PREFIX: usize = 32;
pub const MIN_PEPPER_BYTES: usize = 32;
const MAX_PEPPER_BYTES: usize = 1024;
pub const DEFAULT_PREFIX: &str = "pk";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
  pub key: String,
  pub id: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parsed<'a> {
  pub prefix: &'a str,
  pub id: &'a str,
}

/// 1 to MAX_PREFIX characters of a-z, 0-9 and `_`, in parts that are not empty (an underscore
/// only between two of them), and not the legacy brand.
fn check_prefix(prefix: &str) -> Result<(), Error> {
  let ok = !prefix.is_empty()
    && prefix.len() <= MAX_PREFIX
    && prefix.split('_').all(|part| {
      !part.is_empty()
        && part
          .bytes()
          .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    })
    && !prefix.starts_with(LEGACY_BRAND)
    && prefix != &LEGACY_BRAND[..LEGACY_BRAND.len() - 1];
  if ok {
    Ok(())
  } else {
    Err(Error::argument(format!(
      "`prefix` must be 1 to {MAX_PREFIX} characters of a-z, 0-9 and single underscores between them (such as \"sk_live\"), not beginning with \"{LEGACY_BRAND}\""
    )))
  }
}

pub fn check_pepper(pepper: &[u8]) -> Result<(), Error> {
  if pepper.len() < MIN_PEPPER_BYTES {
    return Err(Error::new(
      ErrorCode::WeakSecret,
      format!(
        "The pepper is {} bytes; use at least {MIN_PEPPER_BYTES} random bytes",
        pepper.len()
      ),
    ));
  }
  if pepper.len() > MAX_PEPPER_BYTES {
    return Err(Error::argument(format!(
      "The pepper must be at most {MAX_PEPPER_BYTES} bytes"
    )));
  }
  Ok(())
}

fn base62_checksum(body: &str) -> [u8; CHECKSUM_CHARS] {
  let mut n = crc32fast::hash(body.as_bytes()) as u64;
  let mut out = [b'0'; CHECKSUM_CHARS];
  for slot in out.iter_mut().rev() {
    *slot = ALPHABET[(n % 62) as usize];
    n /= 62;
  }
  out
}

pub fn generate(prefix: &str) -> Result<Generated, Error> {
  check_prefix(prefix)?;
  let mut rng = rand::rng();
  let mut random = |n: usize| -> String {
    (0..n)
      .map(|_| ALPHABET[rng.random_range(0..62)] as char)
      .collect()
  };
  let id = random(ID_CHARS);
  let mut key = format!("{prefix}_{id}_{}", random(SECRET_CHARS));
  let checksum = base62_checksum(&key);
  key.push_str(std::str::from_utf8(&checksum).expect("ASCII"));
  Ok(Generated { key, id })
}

/// The prefix and id of a well-formed key whose checksum matches; `INVALID_API_KEY` otherwise.
/// Read from the right, so the prefix may have parts of its own. The error never repeats the key.
pub fn parse(key: &str) -> Result<Parsed<'_>, Error> {
  let refuse = |why: &str| {
    Error::new(
      ErrorCode::InvalidApiKey,
      format!("Not an API key of this format: {why}"),
    )
  };
  if key.len() > LEGACY_BRAND.len() + MAX_PREFIX + ID_CHARS + SECRET_CHARS + CHECKSUM_CHARS + 2 {
    return Err(refuse("too long"));
  }
  let Some((rest, tail)) = key.rsplit_once('_') else {
    return Err(refuse("expected <prefix>_<id>_<secret>"));
  };
  let Some((prefix, id)) = rest.rsplit_once('_') else {
    return Err(refuse("expected <prefix>_<id>_<secret>"));
  };
  let prefix = match prefix.strip_prefix(LEGACY_BRAND) {
    // A key of an earlier version: its prefix was one part.
    Some(legacy) if !legacy.contains('_') => legacy,
    _ => prefix,
  };
  if prefix.is_empty()
    || prefix.len() > MAX_PREFIX
    || !prefix.split('_').all(|part| {
      !part.is_empty()
        && part
          .bytes()
          .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    })
  {
    return Err(refuse("bad prefix"));
  }
  let base62 = |s: &str| s.bytes().all(|b| b.is_ascii_alphanumeric());
  if id.len() != ID_CHARS
    || !base62(id)
    || tail.len() != SECRET_CHARS + CHECKSUM_CHARS
    || !base62(tail)
  {
    return Err(refuse("bad id or secret"));
  }
  let body = &key[..key.len() - CHECKSUM_CHARS];
  if !timing_safe_equal(&base62_checksum(body), &key.as_bytes()[body.len()..]) {
    return Err(refuse("checksum mismatch (mistyped or truncated?)"));
  }
  Ok(Parsed { prefix, id })
}

/// HMAC-SHA256 of the whole key under the pepper, as 64 lower-case hex characters: what to store.
pub fn hash(key: &str, pepper: &[u8]) -> Result<String, Error> {
  parse(key)?;
  check_pepper(pepper)?;
  Ok(hex(&mac(key, pepper)))
}

/// Whether `key` hashes to `stored`. A malformed key is `Ok(false)` (it is the request's fault);
/// a malformed `stored` is `INVALID_HASH` (it is the database's).
pub fn verify(key: &str, stored: &str, pepper: &[u8]) -> Result<bool, Error> {
  check_pepper(pepper)?;
  let Some(expected) = unhex(stored) else {
    return Err(Error::new(
      ErrorCode::InvalidHash,
      "The stored API key hash must be 64 hex characters, as hashApiKey returns",
    ));
  };
  if parse(key).is_err() {
    return Ok(false);
  }
  Ok(timing_safe_equal(&mac(key, pepper), &expected))
}

fn mac(key: &str, pepper: &[u8]) -> [u8; 32] {
  let mut m = <Hmac<Sha256> as Mac>::new_from_slice(pepper).expect("any key length");
  m.update(key.as_bytes());
  m.finalize().into_bytes().into()
}

fn hex(bytes: &[u8]) -> String {
  bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<[u8; 32]> {
  if s.len() != 64 {
    return None;
  }
  let mut out = [0u8; 32];
  for (i, pair) in s.as_bytes().chunks(2).enumerate() {
    let digit = |c: u8| (c as char).to_digit(16);
    out[i] = (digit(pair[0])? * 16 + digit(pair[1])?) as u8;
  }
  Some(out)
}

#[cfg(test)]
#[path = "apikey_tests.rs"]
mod tests;
