//! Time, injectable so tests can move it. Wall-clock seconds judge `exp`/`nbf`/`iat`; a monotonic
//! clock drives the rate limiter so a wall-clock jump cannot refill or drain buckets.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// The two readings a request needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Now {
  pub unix_seconds: u64,
  pub monotonic_nanos: u64,
}

pub trait Clock: Send + Sync {
  /// Seconds since the Unix epoch, floored (what `Math.floor(Date.now() / 1000)` gives).
  fn unix_seconds(&self) -> u64;
  /// Nanoseconds on a clock that never goes back.
  fn monotonic_nanos(&self) -> u64;
  /// Both; a clock may derive them from one reading.
  fn now(&self) -> Now {
    Now {
      unix_seconds: self.unix_seconds(),
      monotonic_nanos: self.monotonic_nanos(),
    }
  }
}

pub struct SystemClock;

/// How often `SystemClock::now` measures the wall clock again; a wall-clock step is seen within
/// this, and the drift between the two clocks over it (NTP slews at most 0.5 ms/s) is far below
/// the second that claims are judged in.
const RESYNC_NANOS: u64 = 250_000_000;

// Wall-clock nanoseconds minus monotonic nanoseconds at the last measurement, and the monotonic
// time of the next one.
static WALL_OFFSET: AtomicI64 = AtomicI64::new(0);
static NEXT_RESYNC: AtomicU64 = AtomicU64::new(0);

fn unix_nanos() -> i64 {
  SystemTime::now()
    .duration_since(UNIX_EPOCH)
    .map_or(0, |d| d.as_nanos().min(i64::MAX as u128) as i64)
}

/// Whole seconds of a Unix time in nanoseconds, floored; a time before the epoch is 0.
fn whole_seconds(unix_nanos: i64) -> u64 {
  unix_nanos.max(0) as u64 / 1_000_000_000
}

/// Wall-clock minus monotonic nanoseconds, from readings taken close together: a thread
/// preempted between the two would otherwise put the derived clock ahead or behind by however
/// long it waited, and across a second boundary that is a token judged a second off (the JS
/// engine, reading the wall clock directly, would then disagree in shadow mode).
fn measure_offset() -> i64 {
  const CLOSE_NANOS: u64 = 20_000;
  let mut best = (u64::MAX, 0i64);
  for _ in 0..4 {
    let before = SystemClock.monotonic_nanos();
    let wall = unix_nanos();
    let after = SystemClock.monotonic_nanos();
    let spread = after.saturating_sub(before);
    let mid = before + spread / 2;
    if spread < best.0 {
      best = (spread, wall.saturating_sub(mid as i64));
    }
    if spread <= CLOSE_NANOS {
      break;
    }
  }
  best.1
}

impl Clock for SystemClock {
  fn unix_seconds(&self) -> u64 {
    whole_seconds(unix_nanos())
  }

  fn monotonic_nanos(&self) -> u64 {
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_nanos() as u64
  }

  /// Reading a clock costs ~25 ns on the VMs we measure on, a twentieth of a cache hit, so a
  /// request reads only the monotonic clock and derives wall-clock seconds from the offset.
  fn now(&self) -> Now {
    let mono = self.monotonic_nanos();
    // Acquire pairs with the Release below: an offset at least as new as the deadline is seen.
    let unix_nanos = if mono < NEXT_RESYNC.load(Ordering::Acquire) {
      (mono as i64).saturating_add(WALL_OFFSET.load(Ordering::Relaxed))
    } else {
      let wall = unix_nanos();
      WALL_OFFSET.store(measure_offset(), Ordering::Relaxed);
      NEXT_RESYNC.store(mono.saturating_add(RESYNC_NANOS), Ordering::Release);
      wall
    };
    Now {
      unix_seconds: whole_seconds(unix_nanos),
      monotonic_nanos: mono,
    }
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

#[cfg(test)]
#[path = "clock_tests.rs"]
mod tests;
