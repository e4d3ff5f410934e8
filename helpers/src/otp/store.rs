//! One-time codes sent out of band (email, SMS): random numeric codes kept only as keyed hashes,
//! single use, expiring, locked after too many wrong guesses, in bounded memory.

use auth_shield_core::clock::Clock;
use auth_shield_core::error::{Error, ErrorCode};
use auth_shield_core::lifecycle::signing::lifetime;
use auth_shield_core::options::{Options, RawConfig};
use hmac::{Hmac, Mac};
use rand::{Rng, RngCore};
use sha2::Sha256;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use auth_shield_core::contract::helper_option::otp_store_options as opt;

/// A key names whoever the code was sent to (a user id, an email address); longer is a mistake.
pub const MAX_KEY_BYTES: usize = auth_shield_core::contract::limit::MAX_OTP_KEY_BYTES;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreSettings {
  pub digits: u32,
  pub ttl_secs: u64,
  pub max_attempts: u32,
  pub max_entries: usize,
}

impl StoreSettings {
  pub fn from_raw(raw: RawConfig) -> Result<StoreSettings, Error> {
    let mut opts = Options(raw);
    opts.refuse_unknown(opt::NAMES)?;
    let ttl_secs = match opts.take(opt::TTL) {
      None => opt::TTL_DEFAULT as u64,
      Some(v) => lifetime(&v, "ttl").map_err(|e| Error::config(e.detail))?,
    };
    if !(1..=86_400).contains(&ttl_secs) {
      return Err(Error::config("`ttl` must be from 1 second to 1 day"));
    }
    Ok(StoreSettings {
      digits: opts.whole(&opt::DIGITS)? as u32,
      ttl_secs,
      max_attempts: opts.whole(&opt::MAX_ATTEMPTS)? as u32,
      max_entries: opts.whole(&opt::MAX_ENTRIES)? as usize,
    })
  }
}

/// What `verify` found. `code` is `None` when the code was right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
  pub code: Option<ErrorCode>,
  pub attempts_remaining: u32,
}

struct Entry {
  mac: [u8; 32],
  expires: u64,
  attempts_left: u32,
  /// Position in `State::by_expiry`, to remove it when the entry goes.
  order: (u64, u64),
}

#[derive(Default)]
struct State {
  entries: HashMap<Box<str>, Entry>,
  /// (expiry, sequence) → key: the oldest entry is the first, as every code lives equally long.
  by_expiry: BTreeMap<(u64, u64), Box<str>>,
  sequence: u64,
}

impl State {
  fn remove(&mut self, key: &str) {
    if let Some(e) = self.entries.remove(key) {
      self.by_expiry.remove(&e.order);
    }
  }

  fn drop_expired(&mut self, now: u64) {
    while let Some((&(expires, seq), _)) = self.by_expiry.first_key_value() {
      if expires > now {
        break;
      }
      if let Some(key) = self.by_expiry.remove(&(expires, seq)) {
        self.entries.remove(&key);
      }
    }
  }

  fn drop_oldest(&mut self) {
    if let Some((_, key)) = self.by_expiry.pop_first() {
      self.entries.remove(&key);
    }
  }
}

pub struct OtpStore {
  settings: StoreSettings,
  /// Codes are kept as HMACs under this per-store key, so a heap dump does not show them.
  key: Zeroizing<[u8; 32]>,
  state: Mutex<State>,
  clock: Arc<dyn Clock>,
}

impl OtpStore {
  pub fn new(settings: StoreSettings, clock: Arc<dyn Clock>) -> OtpStore {
    let mut key = Zeroizing::new([0u8; 32]);
    rand::rng().fill_bytes(key.as_mut());
    OtpStore {
      settings,
      key,
      state: Mutex::default(),
      clock,
    }
  }

  pub fn settings(&self) -> &StoreSettings {
    &self.settings
  }

  /// A new code for `key`, replacing any earlier one (and its attempt count).
  pub fn generate(&self, key: &str) -> Result<String, Error> {
    check_key(key)?;
    let bound = 10u64.pow(self.settings.digits);
    let code = format!(
      "{:0width$}",
      rand::rng().random_range(0..bound),
      width = self.settings.digits as usize
    );
    let mac = self.mac(key, code.as_bytes());
    let now = self.clock.monotonic_nanos();
    let expires = now.saturating_add(self.settings.ttl_secs * 1_000_000_000);
    let mut state = self.lock();
    state.remove(key);
    state.drop_expired(now);
    while state.entries.len() >= self.settings.max_entries {
      state.drop_oldest();
    }
    state.sequence += 1;
    let order = (expires, state.sequence);
    state.by_expiry.insert(order, key.into());
    state.entries.insert(
      key.into(),
      Entry {
        mac,
        expires,
        attempts_left: self.settings.max_attempts,
        order,
      },
    );
    Ok(code)
  }

  /// Checks `code` (`None` when the caller was given something other than a string, which counts
  /// as a wrong guess) against the code pending for `key`.
  pub fn verify(&self, key: &str, code: Option<&str>) -> Result<Verdict, Error> {
    check_key(key)?;
    let now = self.clock.monotonic_nanos();
    let mut state = self.lock();
    let Some(entry) = state.entries.get_mut(key) else {
      return Ok(verdict(Some(ErrorCode::OtpNotFound), 0));
    };
    if entry.expires <= now {
      state.remove(key);
      return Ok(verdict(Some(ErrorCode::OtpExpired), 0));
    }
    if entry.attempts_left == 0 {
      return Ok(verdict(Some(ErrorCode::OtpLocked), 0));
    }
    let matches = code.is_some_and(|c| {
      c.len() == self.settings.digits as usize
        && bool::from(self.mac(key, c.as_bytes()).ct_eq(&entry.mac))
    });
    if matches {
      let left = entry.attempts_left;
      state.remove(key);
      return Ok(verdict(None, left));
    }
    // A locked entry stays until it expires, so the lockout cannot be waited out by asking again.
    entry.attempts_left -= 1;
    Ok(verdict(Some(ErrorCode::OtpInvalid), entry.attempts_left))
  }

  /// Forgets the code pending for `key`; `true` if there was one.
  pub fn delete(&self, key: &str) -> Result<bool, Error> {
    check_key(key)?;
    let mut state = self.lock();
    let had = state.entries.contains_key(key);
    state.remove(key);
    Ok(had)
  }

  /// Pending codes, expired ones excluded.
  pub fn len(&self) -> usize {
    let now = self.clock.monotonic_nanos();
    let mut state = self.lock();
    state.drop_expired(now);
    state.entries.len()
  }

  pub fn is_empty(&self) -> bool {
    self.len() == 0
  }

  pub fn clear(&self) {
    *self.lock() = State::default();
  }

  fn mac(&self, key: &str, code: &[u8]) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(self.key.as_ref()).expect("any key length");
    // Length-prefixed, so no (key, code) pair can collide with another.
    mac.update(&(key.len() as u32).to_be_bytes());
    mac.update(key.as_bytes());
    mac.update(code);
    mac.finalize().into_bytes().into()
  }

  fn lock(&self) -> MutexGuard<'_, State> {
    // Nothing panics while holding the lock; if something ever did, the map is still consistent.
    self.state.lock().unwrap_or_else(|p| p.into_inner())
  }
}

fn verdict(code: Option<ErrorCode>, attempts_remaining: u32) -> Verdict {
  Verdict {
    code,
    attempts_remaining,
  }
}

fn check_key(key: &str) -> Result<(), Error> {
  if key.is_empty() || key.len() > MAX_KEY_BYTES {
    return Err(Error::argument(format!(
      "The key must be a string of 1 to {MAX_KEY_BYTES} bytes"
    )));
  }
  Ok(())
}

#[cfg(test)]
#[path = "store_tests.rs"]
mod tests;
