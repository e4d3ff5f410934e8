//! Time, injectable so tests can move it. Wall-clock seconds judge `exp`/`nbf`/`iat`; a monotonic
//! clock drives the rate limiter so a wall-clock jump cannot refill or drain buckets.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

pub trait Clock: Send + Sync {
  /// Seconds since the Unix epoch, floored (what `Math.floor(Date.now() / 1000)` gives).
  fn unix_seconds(&self) -> u64;
  /// Nanoseconds on a clock that never goes back.
  fn monotonic_nanos(&self) -> u64;
}

pub struct SystemClock;

impl Clock for SystemClock {
  fn unix_seconds(&self) -> u64 {
    SystemTime::now()
      .duration_since(UNIX_EPOCH)
      .map_or(0, |d| d.as_secs())
  }

  fn monotonic_nanos(&self) -> u64 {
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_nanos() as u64
  }
}

/// A clock that only moves when told to.
#[derive(Default)]
pub struct ManualClock {
  unix: AtomicU64,
  mono: AtomicU64,
}

impl ManualClock {
  pub fn at(unix_seconds: u64) -> Self {
    ManualClock {
      unix: AtomicU64::new(unix_seconds),
      mono: AtomicU64::new(0),
    }
  }

  pub fn advance_nanos(&self, nanos: u64) {
    self.mono.fetch_add(nanos, Ordering::SeqCst);
    self.unix.store(
      self.unix.load(Ordering::SeqCst) + nanos / 1_000_000_000,
      Ordering::SeqCst,
    );
  }

  pub fn advance_secs(&self, secs: u64) {
    self.unix.fetch_add(secs, Ordering::SeqCst);
    self.mono.fetch_add(secs * 1_000_000_000, Ordering::SeqCst);
  }
}

impl Clock for ManualClock {
  fn unix_seconds(&self) -> u64 {
    self.unix.load(Ordering::SeqCst)
  }

  fn monotonic_nanos(&self) -> u64 {
    self.mono.load(Ordering::SeqCst)
  }
}
