//! Password hashing: Argon2id in PHC strings, and verification of the bcrypt hashes users bring
//! from bcryptjs so they can rehash on login.

use argon2_rust::params::{Memory, TagLen};
use argon2_rust::{Algorithm, Argon2, Params, Version};
use auth_shield_core::error::{Error, ErrorCode};
use auth_shield_core::options::{Options, RawConfig, Value};
use rand::RngCore;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// Longer passwords are refused when hashing and never match when verifying. Argon2 would take
/// any length, but nobody types 4 KiB, and a bound keeps a login endpoint from hashing megabytes.
pub const MAX_PASSWORD_BYTES: usize = 4096;
/// 4 GiB, in KiB: the most a hash may ask for, whether we make it or read it.
use auth_shield_core::contract::helper_option::password_options as opt;

pub const MAX_MEMORY_KIB: u32 = opt::MEMORY_COST.max as u32;
pub const MAX_TIME_COST: u32 = opt::TIME_COST.max as u32;
pub const MAX_PARALLELISM: u32 = opt::PARALLELISM.max as u32;
/// Each step doubles bcrypt's work; cost 16 is already seconds per verification.
pub const MAX_BCRYPT_COST: u32 = 16;
const SALT_BYTES: usize = 16;
const OUTPUT_BYTES: usize = 32;
/// Node Argon2 libraries cap a secret at this length too.
const MAX_SECRET_BYTES: usize = 1024;

pub const HASH_OPTIONS: &[&str] = &[
  opt::MEMORY_COST.name,
  opt::TIME_COST.name,
  opt::PARALLELISM.name,
  opt::SECRET,
];
/// Verifying takes the pepper and the bounds on a stored hash's costs: a cost given to
/// `verifyPassword` would be silently unused.
pub const VERIFY_OPTIONS: &[&str] = &[
  opt::SECRET,
  opt::MAX_MEMORY_COST.name,
  opt::MAX_TIME_COST.name,
  opt::MAX_PARALLELISM.name,
];
/// Rehash checks compare costs; the pepper is not in the hash to compare.
pub const REHASH_OPTIONS: &[&str] = &[
  opt::MEMORY_COST.name,
  opt::TIME_COST.name,
  opt::PARALLELISM.name,
];

/// Argon2id cost parameters (OWASP's first recommendation is the default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cost {
  pub memory_kib: u32,
  pub time: u32,
  pub parallelism: u32,
}

impl Default for Cost {
  fn default() -> Self {
    Cost {
      memory_kib: opt::MEMORY_COST.default as u32,
      time: opt::TIME_COST.default as u32,
      parallelism: opt::PARALLELISM.default as u32,
    }
  }
}

/// Validated options for hashing or verifying.
#[derive(Clone)]
pub struct Settings {
  pub cost: Cost,
  /// A pepper: mixed into Argon2 as its secret input, kept out of the stored hash.
  pub secret: Option<Zeroizing<Vec<u8>>>,
  /// The most a stored hash may ask for when verifying: its costs are the database's word, and a
  /// row altered to m = 4 GiB would otherwise hold a core for seconds on every login.
  pub stored_bound: Cost,
}

impl Default for Settings {
  fn default() -> Self {
    Settings {
      cost: Cost::default(),
      secret: None,
      stored_bound: default_stored_bound(),
    }
  }
}

/// The default bounds on a stored hash's costs.
pub fn default_stored_bound() -> Cost {
  Cost {
    memory_kib: opt::MAX_MEMORY_COST.default as u32,
    time: opt::MAX_TIME_COST.default as u32,
    parallelism: opt::MAX_PARALLELISM.default as u32,
  }
}

impl Settings {
  /// `known` is the option list of the function being called, so that e.g. a cost given to
  /// `verifyPassword` is refused rather than silently ignored.
  pub fn from_raw(raw: RawConfig, known: &[&str]) -> Result<Settings, Error> {
    let mut opts = Options(raw);
    opts.refuse_unknown(known)?;
    let parallelism = opts.whole(&opt::PARALLELISM)? as u32;
    // Argon2 needs 8 KiB per lane at the least.
    let m = &opt::MEMORY_COST;
    let min_memory = m.min.max(8.0 * parallelism as f64);
    let memory_kib = opts.integer(m.name, min_memory, m.max, m.default)? as u32;
    let time = opts.whole(&opt::TIME_COST)? as u32;
    let stored_bound = Cost {
      memory_kib: opts.whole(&opt::MAX_MEMORY_COST)? as u32,
      time: opts.whole(&opt::MAX_TIME_COST)? as u32,
      parallelism: opts.whole(&opt::MAX_PARALLELISM)? as u32,
    };
    let secret = match opts.take(opt::SECRET) {
      None => None,
      Some(Value::String(s)) if !s.is_empty() => Some(Zeroizing::new(s.into_bytes())),
      Some(Value::Bytes(b)) if !b.is_empty() => Some(Zeroizing::new(b)),
      Some(Value::String(_) | Value::Bytes(_)) => {
        return Err(Error::config("`secret` must not be empty"))
      }
      Some(v) => {
        return Err(auth_shield_core::options::wrong(
          "secret",
          "a string or a Buffer",
          &v,
        ))
      }
    };
    if secret.as_ref().is_some_and(|s| s.len() > MAX_SECRET_BYTES) {
      return Err(Error::config(format!(
        "`secret` must be at most {MAX_SECRET_BYTES} bytes"
      )));
    }
    Ok(Settings {
      cost: Cost {
        memory_kib,
        time,
        parallelism,
      },
      secret,
      stored_bound,
    })
  }

  fn secret(&self) -> &[u8] {
    self.secret.as_deref().map_or(&[], |s| s.as_slice())
  }
}

/// The one place an Argon2 instance is made (argon2-rust: a port of the reference implementation
/// with run-time selected SIMD, the engine `@node-rs/argon2` uses). Lanes are computed one after
/// another on the calling thread, so a hash occupies exactly one pool thread.
fn engine(algorithm: Algorithm, version: Version, cost: Cost, len: usize) -> Result<Argon2, Error> {
  let params = Params::builder()
    .memory(Memory::kib(cost.memory_kib as u64))
    .passes(cost.time)
    .lanes(cost.parallelism)
    .threads(1)
    .tag_len(TagLen::bytes(len as u64))
    .build()
    .map_err(|e| {
      Error::new(
        ErrorCode::InvalidHash,
        format!("Argon2 parameters refused: {e}"),
      )
    })?;
  Ok(Argon2::new(algorithm, version, params))
}

/// Hashes `password` with Argon2id and a fresh 16-byte salt into a PHC string such as
/// `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`.
pub fn hash(password: &[u8], settings: &Settings) -> Result<String, Error> {
  if password.is_empty() {
    return Err(Error::argument("The password must not be empty"));
  }
  if password.len() > MAX_PASSWORD_BYTES {
    return Err(Error::argument(format!(
      "The password must be at most {MAX_PASSWORD_BYTES} bytes"
    )));
  }
  let mut salt = [0u8; SALT_BYTES];
  rand::rng().fill_bytes(&mut salt);
  let argon = engine(
    Algorithm::Argon2id,
    Version::V0x13,
    settings.cost,
    OUTPUT_BYTES,
  )?;
  let mut tag = Zeroizing::new([0u8; OUTPUT_BYTES]);
  argon
    .hash_into_with_ad(password, &salt, settings.secret(), &[], tag.as_mut())
    .map_err(internal)?;
  argon2_rust::encode_string_alloc(
    Algorithm::Argon2id,
    Version::V0x13,
    argon.params(),
    &salt,
    tag.as_ref(),
  )
  .map_err(internal)
}

/// `Ok(false)` for a wrong password (and for an empty or over-long one, which no hash we make can
/// match); `Err(InvalidHash)` when `stored` is not a hash this library can check.
pub fn verify(stored: &str, password: &[u8], settings: &Settings) -> Result<bool, Error> {
  let parsed = Stored::parse(stored)?;
  if password.is_empty() || password.len() > MAX_PASSWORD_BYTES {
    return Ok(false);
  }
  match parsed {
    Stored::Argon2(p) => {
      let bound = settings.stored_bound;
      if p.cost.memory_kib > bound.memory_kib
        || p.cost.time > bound.time
        || p.cost.parallelism > bound.parallelism
      {
        return Err(invalid_hash(&format!(
          "the stored hash asks for m={}, t={}, p={}, over the bounds m<={}, t<={}, p<={} (`maxMemoryCost`, `maxTimeCost`, `maxParallelism`)",
          p.cost.memory_kib, p.cost.time, p.cost.parallelism, bound.memory_kib, bound.time, bound.parallelism
        )));
      }
      let argon = engine(p.algorithm, p.version, p.cost, p.hash.len())?;
      let mut computed = Zeroizing::new(vec![0u8; p.hash.len()]);
      argon
        .hash_into_with_ad(password, &p.salt, settings.secret(), &p.ad, &mut computed)
        .map_err(|e| invalid_hash(&format!("Argon2 refused it: {e}")))?;
      Ok(computed.ct_eq(&p.hash).into())
    }
    // bcrypt reads only the first 72 bytes, exactly as bcryptjs did when it made the hash.
    Stored::Bcrypt => {
      bcrypt::verify(password, stored).map_err(|e| invalid_hash(&format!("bcrypt: {e}")))
    }
  }
}

/// `true` when `stored` should be replaced on the user's next login: bcrypt, an Argon2 variant
/// other than Argon2id, an older Argon2 version, or costs other than `cost`.
pub fn needs_rehash(stored: &str, cost: Cost) -> Result<bool, Error> {
  Ok(match Stored::parse(stored)? {
    Stored::Bcrypt => true,
    Stored::Argon2(p) => {
      p.algorithm != Algorithm::Argon2id
        || p.version != Version::V0x13
        || p.cost != cost
        || p.hash.len() != OUTPUT_BYTES
    }
  })
}

enum Stored {
  Argon2(ParsedArgon2),
  Bcrypt,
}

struct ParsedArgon2 {
  algorithm: Algorithm,
  version: Version,
  cost: Cost,
  salt: Vec<u8>,
  hash: Vec<u8>,
  /// Associated data (`data=`), which node-argon2 can write.
  ad: Vec<u8>,
}

impl Stored {
  fn parse(stored: &str) -> Result<Stored, Error> {
    if stored.starts_with("$2a$") || stored.starts_with("$2b$") || stored.starts_with("$2y$") {
      let cost: u32 = stored
        .get(4..6)
        .filter(|c| {
          c.bytes().all(|b| b.is_ascii_digit()) && stored.as_bytes().get(6) == Some(&b'$')
        })
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| invalid_hash("bcrypt hash without a two-digit cost"))?;
      if stored.len() != 60 {
        return Err(invalid_hash("a bcrypt hash is 60 characters"));
      }
      if !(4..=MAX_BCRYPT_COST).contains(&cost) {
        return Err(invalid_hash(&format!(
          "bcrypt cost {cost} is outside 4..={MAX_BCRYPT_COST}"
        )));
      }
      return Ok(Stored::Bcrypt);
    }
    if !stored.starts_with("$argon2") {
      return Err(invalid_hash("not an Argon2 or bcrypt hash"));
    }
    let decoded = argon2_rust::decode_phc(stored)
      .map_err(|e| invalid_hash(&format!("malformed PHC string: {e}")))?;
    let cost = Cost {
      memory_kib: decoded.params.memory_kib(),
      time: decoded.params.passes(),
      parallelism: decoded.params.lanes(),
    };
    if cost.memory_kib > MAX_MEMORY_KIB
      || cost.time > MAX_TIME_COST
      || cost.parallelism > MAX_PARALLELISM
    {
      return Err(invalid_hash(&format!(
        "parameters m={}, t={}, p={} exceed the bounds m<={MAX_MEMORY_KIB}, t<={MAX_TIME_COST}, p<={MAX_PARALLELISM}",
        cost.memory_kib, cost.time, cost.parallelism
      )));
    }
    if decoded.salt.len() < 8 || decoded.hash.len() < 4 {
      return Err(invalid_hash("the salt or the hash output is too short"));
    }
    Ok(Stored::Argon2(ParsedArgon2 {
      algorithm: decoded.algorithm,
      version: decoded.version,
      cost,
      salt: decoded.salt,
      hash: decoded.hash,
      ad: decoded.ad,
    }))
  }
}

fn invalid_hash(why: &str) -> Error {
  Error::new(
    ErrorCode::InvalidHash,
    format!("The stored hash is not usable: {why}"),
  )
}

fn internal(e: impl std::fmt::Display) -> Error {
  Error::new(ErrorCode::Internal, format!("Argon2 failed: {e}"))
}

#[cfg(test)]
#[path = "password_tests.rs"]
mod tests;
