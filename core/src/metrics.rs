//! What an authenticator has done, counted where it is done: each request's outcome by code, its
//! rate-limit policy, the verified-token cache, the fused call's own time, revocations, refresh
//! rotations and reuse. Relaxed atomic adds on the request path (a few nanoseconds, no lock, no
//! allocation); everything is read at once by `snapshot`, off the request path, by whoever
//! exports it (contract/metrics.json names the exported metrics).

use crate::contract::metric::LATENCY_BOUNDS_MICROS;
use crate::error::ErrorCode;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// Buckets of the latency histogram: one per bound, then everything slower.
pub const LATENCY_BUCKETS: usize = LATENCY_BOUNDS_MICROS.len() + 1;

/// Revocations, by what they name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevocationKind {
  Token = 0,
  User = 1,
  Family = 2,
}

/// How a request's rate-limit policy is counted: the default limits, a plan (by its index in
/// `rateLimitPlans`), or any route limit (routes have ids, not names, so they share one count).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyCount {
  Default,
  Plan(usize),
  Route,
}

#[derive(Default)]
struct Pair {
  allowed: AtomicU64,
  limited: AtomicU64,
}

pub struct Metrics {
  /// Index 0: successes; 1 + a code's index: refusals with that code.
  outcomes: [AtomicU64; ErrorCode::ALL.len() + 1],
  /// The default limits, each plan in order, then every route limit together.
  policies: Box<[Pair]>,
  cache_hits: AtomicU64,
  cache_misses: AtomicU64,
  latency: [AtomicU64; LATENCY_BUCKETS],
  latency_sum_nanos: AtomicU64,
  revocations: [AtomicU64; 3],
  rotations: AtomicU64,
  reuse_detected: AtomicU64,
}

/// Everything counted so far, as one reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
  /// Index 0: successes; 1 + a code's index: refusals with that code.
  pub outcomes: Vec<u64>,
  /// `(allowed, limited)` for the default limits, each plan in order, then the route limits.
  pub policies: Vec<(u64, u64)>,
  pub cache_hits: u64,
  pub cache_misses: u64,
  /// Calls per latency bucket (not cumulative), the last one past every bound.
  pub latency: Vec<u64>,
  pub latency_sum_nanos: u64,
  /// Token, user, family.
  pub revocations: [u64; 3],
  pub rotations: u64,
  pub reuse_detected: u64,
}

impl Metrics {
  pub fn new(plans: usize) -> Metrics {
    Metrics {
      outcomes: std::array::from_fn(|_| AtomicU64::new(0)),
      policies: (0..plans + 2).map(|_| Pair::default()).collect(),
      cache_hits: AtomicU64::new(0),
      cache_misses: AtomicU64::new(0),
      latency: std::array::from_fn(|_| AtomicU64::new(0)),
      latency_sum_nanos: AtomicU64::new(0),
      revocations: std::array::from_fn(|_| AtomicU64::new(0)),
      rotations: AtomicU64::new(0),
      reuse_detected: AtomicU64::new(0),
    }
  }

  /// One request's outcome (`None`: a success) and the fused call's own time.
  pub fn request(&self, refused: Option<ErrorCode>, nanos: u64) {
    let at = refused.map_or(0, |c| 1 + c as usize);
    self.outcomes[at].fetch_add(1, Relaxed);
    self.latency[bucket_of(nanos)].fetch_add(1, Relaxed);
    self.latency_sum_nanos.fetch_add(nanos, Relaxed);
  }

  /// A rate-limit decision under `policy`.
  pub fn limited(&self, policy: PolicyCount, allowed: bool) {
    let at = match policy {
      PolicyCount::Default => 0,
      PolicyCount::Plan(i) => 1 + i,
      PolicyCount::Route => self.policies.len() - 1,
    };
    let Some(pair) = self.policies.get(at) else {
      return;
    };
    if allowed {
      pair.allowed.fetch_add(1, Relaxed);
    } else {
      pair.limited.fetch_add(1, Relaxed);
    }
  }

  pub fn cache(&self, hit: bool) {
    if hit {
      self.cache_hits.fetch_add(1, Relaxed);
    } else {
      self.cache_misses.fetch_add(1, Relaxed);
    }
  }

  pub fn revoked(&self, kind: RevocationKind) {
    self.revocations[kind as usize].fetch_add(1, Relaxed);
  }

  /// A refresh token rotated into a new pair.
  pub fn rotated(&self) {
    self.rotations.fetch_add(1, Relaxed);
  }

  /// A spent refresh token presented again (its family is then revoked).
  pub fn reuse(&self) {
    self.reuse_detected.fetch_add(1, Relaxed);
  }

  pub fn snapshot(&self) -> Snapshot {
    let read = |a: &AtomicU64| a.load(Relaxed);
    Snapshot {
      outcomes: self.outcomes.iter().map(read).collect(),
      policies: self
        .policies
        .iter()
        .map(|p| (read(&p.allowed), read(&p.limited)))
        .collect(),
      cache_hits: read(&self.cache_hits),
      cache_misses: read(&self.cache_misses),
      latency: self.latency.iter().map(read).collect(),
      latency_sum_nanos: read(&self.latency_sum_nanos),
      revocations: [
        read(&self.revocations[0]),
        read(&self.revocations[1]),
        read(&self.revocations[2]),
      ],
      rotations: read(&self.rotations),
      reuse_detected: read(&self.reuse_detected),
    }
  }
}

/// The histogram bucket of a call that took `nanos`: the first bound it does not exceed.
fn bucket_of(nanos: u64) -> usize {
  LATENCY_BOUNDS_MICROS
    .iter()
    .position(|&b| nanos <= b * 1000)
    .unwrap_or(LATENCY_BOUNDS_MICROS.len())
}

#[cfg(test)]
#[path = "metrics_tests.rs"]
mod tests;
