//! API keys shaped like `auth1_pk_<id>_<secret><checksum>`: a recognisable prefix (secret
//! scanners can find leaked keys), a public id to look the stored hash up by, 190 bits of secret,
//! and a CRC32 so a typo or a random string is refused before any database lookup.

use crate::compare::timing_safe_equal;
use auth_shield_core::error::{Error, ErrorCode};
use hmac::{Hmac, Mac};
use rand::Rng;
use sha2::Sha256;

const VERSION: &str = "auth1";
const ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const ID_CHARS: usize = 12;
/// 32 base62 characters: log2(62^32) ≈ 190.5 bits.
const SECRET_CHARS: usize = 32;
/// 62^6 > 2^32, so any CRC32 fits.
const CHECKSUM_CHARS: usize = 6;
const MAX_PREFIX: usize = 16;
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

fn check_prefix(prefix: &str) -> Result<(), Error> {
  let ok = !prefix.is_empty()
    && prefix.len() <= MAX_PREFIX
    && prefix
      .bytes()
      .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
  if ok {
    Ok(())
  } else {
    Err(Error::argument(format!(
      "`prefix` must be 1 to {MAX_PREFIX} characters of a-z and 0-9"
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
  let mut key = format!("{VERSION}_{prefix}_{id}_{}", random(SECRET_CHARS));
  let checksum = base62_checksum(&key);
  key.push_str(std::str::from_utf8(&checksum).expect("ASCII"));
  Ok(Generated { key, id })
}

/// The prefix and id of a well-formed key whose checksum matches; `INVALID_API_KEY` otherwise.
/// The error never repeats the key.
pub fn parse(key: &str) -> Result<Parsed<'_>, Error> {
  let refuse = |why: &str| {
    Error::new(
      ErrorCode::InvalidApiKey,
      format!("Not an auth-shield API key: {why}"),
    )
  };
  if key.len() > VERSION.len() + MAX_PREFIX + ID_CHARS + SECRET_CHARS + CHECKSUM_CHARS + 3 {
    return Err(refuse("too long"));
  }
  let mut parts = key.split('_');
  let (Some(version), Some(prefix), Some(id), Some(tail), None) = (
    parts.next(),
    parts.next(),
    parts.next(),
    parts.next(),
    parts.next(),
  ) else {
    return Err(refuse("expected auth1_<prefix>_<id>_<secret>"));
  };
  if version != VERSION {
    return Err(refuse("unknown version"));
  }
  check_prefix(prefix).map_err(|_| refuse("bad prefix"))?;
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
mod tests {
  use super::*;

  const PEPPER: &[u8] = b"0123456789abcdef0123456789abcdef";

  #[test]
  fn generated_keys_parse_and_carry_enough_secret() {
    let g = generate("pk").unwrap();
    assert!(g.key.starts_with("auth1_pk_"));
    assert_eq!(
      g.key.len(),
      "auth1_pk_".len() + ID_CHARS + 1 + SECRET_CHARS + CHECKSUM_CHARS
    );
    assert_eq!(
      parse(&g.key).unwrap(),
      Parsed {
        prefix: "pk",
        id: &g.id
      }
    );
    assert!((SECRET_CHARS as f64) * 62f64.log2() >= 160.0);
    assert_ne!(generate("pk").unwrap().key, g.key);
  }

  #[test]
  fn typos_and_random_strings_fail_the_checksum() {
    let g = generate("live").unwrap();
    let mut bytes = g.key.clone().into_bytes();
    let i = bytes.len() - 10;
    bytes[i] = if bytes[i] == b'a' { b'b' } else { b'a' };
    let typo = String::from_utf8(bytes).unwrap();
    assert_eq!(parse(&typo).unwrap_err().code, ErrorCode::InvalidApiKey);
    for bad in [
      "",
      "auth1_pk",
      "auth2_pk_AAAAAAAAAAAA_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      "auth1_PK_AAAAAAAAAAAA_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      "auth1_pk_AAAAAAAAAAAA_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      &g.key[..g.key.len() - 1],
      &format!("{}x", g.key),
      &g.key.replace("auth1_live_", "auth1_pk_"),
      &format!("{}_", g.key),
    ] {
      let e = parse(bad).unwrap_err();
      assert_eq!(e.code, ErrorCode::InvalidApiKey, "{bad}");
      assert!(bad.is_empty() || !e.detail.contains(bad));
    }
  }

  #[test]
  fn hash_and_verify() {
    let g = generate("pk").unwrap();
    let h = hash(&g.key, PEPPER).unwrap();
    assert_eq!(h.len(), 64);
    assert!(verify(&g.key, &h, PEPPER).unwrap());
    assert!(verify(&g.key, &h.to_uppercase(), PEPPER).unwrap());
    let other = generate("pk").unwrap();
    assert!(!verify(&other.key, &h, PEPPER).unwrap());
    assert!(!verify(&g.key, &h, b"another-pepper-another-pepper-xx").unwrap());
    assert!(!verify("garbage", &h, PEPPER).unwrap());
    assert_eq!(
      verify(&g.key, "abc", PEPPER).unwrap_err().code,
      ErrorCode::InvalidHash
    );
    assert_eq!(
      verify(&g.key, &"g".repeat(64), PEPPER).unwrap_err().code,
      ErrorCode::InvalidHash
    );
    assert_eq!(
      hash(&g.key, b"short").unwrap_err().code,
      ErrorCode::WeakSecret
    );
    assert_eq!(
      hash("nope", PEPPER).unwrap_err().code,
      ErrorCode::InvalidApiKey
    );
  }

  #[test]
  fn prefixes_are_checked() {
    for bad in ["", "a_b", "UPPER", "x".repeat(17).as_str(), "é"] {
      assert_eq!(
        generate(bad).unwrap_err().code,
        ErrorCode::InvalidArgument,
        "{bad}"
      );
    }
  }
}
