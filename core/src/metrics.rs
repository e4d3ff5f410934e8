//! What an authenticator has done, counted where it is done: each request's outcome by code, its
//! rate-limit policy, the verified-token cache, the fused call's own time, revocations, refresh
//! rotations and reuse. Everything is read at once by `snapshot`, off the request path, by
//! whoever exports it (contract/metrics.json names the exported metrics).
//!
//! The request path's counts are kept per caller: each `Scratch` (one per thread in the binding)
//! holds a claim on a shard (`ShardClaim`), which only it writes, so a count is a plain load and
//! store rather than a locked read-modify-write (a `lock xadd` costs about as much as the rest of
//! a cache hit's counting put together; a thread-local lookup in a loaded library, as much
//! again). Callers past the shard count, and calls without a scratch, share one shard written
//! with atomic adds. A snapshot sums the shards; each shard's counts only grow.

use crate::contract::metric::LATENCY_BOUNDS_MICROS;
use crate::error::ErrorCode;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};
use std::sync::Mutex;

/// Buckets of the latency histogram: one per bound, then everything slower.
pub const LATENCY_BUCKETS: usize = LATENCY_BOUNDS_MICROS.len() + 1;

/// Callers with a shard of their own; more than a Node process runs threads (its main thread and
/// a worker pool).
const OWNED_SHARDS: usize = 32;

const OUTCOMES: usize = ErrorCode::ALL.len() + 1;

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

/// The request path's counts of one thread (or of every thread without a shard of its own).
struct Shard {
  /// Index 0: successes; 1 + a code's index: refusals with that code.
  outcomes: [AtomicU64; OUTCOMES],
  latency: [AtomicU64; LATENCY_BUCKETS],
  latency_sum_nanos: AtomicU64,
  cache_hits: AtomicU64,
  cache_misses: AtomicU64,
  /// `allowed, limited` pairs: the default limits, each plan in order, then every route limit.
  policies: Box<[AtomicU64]>,
}

impl Shard {
  fn new(plans: usize) -> Shard {
    Shard {
      outcomes: std::array::from_fn(|_| AtomicU64::new(0)),
      latency: std::array::from_fn(|_| AtomicU64::new(0)),
      latency_sum_nanos: AtomicU64::new(0),
      cache_hits: AtomicU64::new(0),
      cache_misses: AtomicU64::new(0),
      policies: (0..2 * (plans + 2)).map(|_| AtomicU64::new(0)).collect(),
    }
  }
}

/// Adds `n` to a count of a shard: a plain load and store where this thread is the shard's only
/// writer, an atomic add where it shares it.
#[inline]
fn add(counter: &AtomicU64, n: u64, owned: bool) {
  if owned {
    counter.store(counter.load(Relaxed).wrapping_add(n), Relaxed);
  } else {
    counter.fetch_add(n, Relaxed);
  }
}

pub struct Metrics {
  /// `metrics: false` in the configuration: nothing is counted.
  on: bool,
  owned: Box<[Shard]>,
  shared: Shard,
  revocations: [AtomicU64; 3],
  rotations: AtomicU64,
  reuse_detected: AtomicU64,
  tenants: Option<Tenants>,
}

/// Authenticated requests by tenant, for at most `bound` tenants; the rest count as `other`.
struct Tenants {
  bound: usize,
  counts: Mutex<HashMap<Box<str>, u64>>,
  other: AtomicU64,
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
  /// Authenticated requests by tenant (with `metricsTenants`), and those of tenants past the bound.
  pub tenants: Vec<(String, u64)>,
  pub other_tenants: u64,
}

impl Metrics {
  /// Counts for an authenticator with `plans` rate-limit plans; `on: false` counts nothing.
  pub fn new(plans: usize, on: bool) -> Metrics {
    Self::with_tenants(plans, on, 0)
  }

  /// As `new`, counting authenticated requests by tenant for up to `tenants` tenants.
  pub fn with_tenants(plans: usize, on: bool, tenants: usize) -> Metrics {
    let shards = if on { OWNED_SHARDS } else { 0 };
    Metrics {
      on,
      owned: (0..shards).map(|_| Shard::new(plans)).collect(),
      shared: Shard::new(plans),
      revocations: std::array::from_fn(|_| AtomicU64::new(0)),
      rotations: AtomicU64::new(0),
      reuse_detected: AtomicU64::new(0),
      tenants: (on && tenants > 0).then(|| Tenants {
        bound: tenants,
        counts: Mutex::new(HashMap::new()),
        other: AtomicU64::new(0),
      }),
    }
  }

  /// An authenticated request for `tenant` (none: not counted by tenant).
  pub fn tenant(&self, tenant: Option<&str>) {
    let (Some(t), Some(name)) = (&self.tenants, tenant) else {
      return;
    };
    let mut counts = t.counts.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(n) = counts.get_mut(name) {
      *n += 1;
    } else if counts.len() < t.bound {
      counts.insert(name.into(), 1);
    } else {
      drop(counts);
      t.other.fetch_add(1, Relaxed);
    }
  }

  /// The shard of `claim` (a `ShardClaim`'s), and whether its holder writes it alone.
  #[inline]
  fn shard(&self, claim: Option<usize>) -> (&Shard, bool) {
    match claim.and_then(|i| self.owned.get(i)) {
      Some(s) => (s, true),
      None => (&self.shared, false),
    }
  }

  pub fn on(&self) -> bool {
    self.on
  }

  /// One request's outcome (`None`: a success) and, for a call that was timed, its own time.
  pub fn request(&self, claim: Option<usize>, refused: Option<ErrorCode>, nanos: Option<u64>) {
    if !self.on {
      return;
    }
    let (s, owned) = self.shard(claim);
    let at = refused.map_or(0, |c| 1 + c as usize);
    add(&s.outcomes[at], 1, owned);
    if let Some(nanos) = nanos {
      add(&s.latency[bucket_of(nanos)], 1, owned);
      add(&s.latency_sum_nanos, nanos, owned);
    }
  }

  /// A rate-limit decision under `policy`.
  pub fn limited(&self, claim: Option<usize>, policy: PolicyCount, allowed: bool) {
    if !self.on {
      return;
    }
    let (s, owned) = self.shard(claim);
    let pairs = s.policies.len() / 2;
    let at = match policy {
      PolicyCount::Default => 0,
      PolicyCount::Plan(i) if 1 + i < pairs - 1 => 1 + i,
      PolicyCount::Plan(_) => return,
      PolicyCount::Route => pairs - 1,
    };
    add(&s.policies[2 * at + usize::from(!allowed)], 1, owned);
  }

  pub fn cache(&self, claim: Option<usize>, hit: bool) {
    if !self.on {
      return;
    }
    let (s, owned) = self.shard(claim);
    add(if hit { &s.cache_hits } else { &s.cache_misses }, 1, owned);
  }

  pub fn revoked(&self, kind: RevocationKind) {
    if !self.on {
      return;
    }
    self.revocations[kind as usize].fetch_add(1, Relaxed);
  }

  /// A refresh token rotated into a new pair.
  pub fn rotated(&self) {
    if !self.on {
      return;
    }
    self.rotations.fetch_add(1, Relaxed);
  }

  /// A spent refresh token presented again (its family is then revoked).
  pub fn reuse(&self) {
    if !self.on {
      return;
    }
    self.reuse_detected.fetch_add(1, Relaxed);
  }

  pub fn snapshot(&self) -> Snapshot {
    let shards = || self.owned.iter().chain(std::iter::once(&self.shared));
    let sum =
      |pick: &dyn Fn(&Shard) -> &AtomicU64| shards().map(|s| pick(s).load(Relaxed)).sum::<u64>();
    let policies = self.shared.policies.len() / 2;
    Snapshot {
      outcomes: (0..OUTCOMES).map(|i| sum(&|s| &s.outcomes[i])).collect(),
      policies: (0..policies)
        .map(|i| {
          (
            sum(&|s| &s.policies[2 * i]),
            sum(&|s| &s.policies[2 * i + 1]),
          )
        })
        .collect(),
      cache_hits: sum(&|s| &s.cache_hits),
      cache_misses: sum(&|s| &s.cache_misses),
      latency: (0..LATENCY_BUCKETS)
        .map(|i| sum(&|s| &s.latency[i]))
        .collect(),
      latency_sum_nanos: sum(&|s| &s.latency_sum_nanos),
      revocations: std::array::from_fn(|i| self.revocations[i].load(Relaxed)),
      rotations: self.rotations.load(Relaxed),
      reuse_detected: self.reuse_detected.load(Relaxed),
      tenants: self.tenants.as_ref().map_or_else(Vec::new, |t| {
        let counts = t.counts.lock().unwrap_or_else(|p| p.into_inner());
        let mut all: Vec<(String, u64)> = counts.iter().map(|(k, &n)| (k.to_string(), n)).collect();
        all.sort();
        all
      }),
      other_tenants: self.tenants.as_ref().map_or(0, |t| t.other.load(Relaxed)),
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

/// A claim on an owned shard, held by whoever writes it (the request path's per-caller
/// `Scratch`, one per thread in the binding), and given back when dropped, so a recycled worker
/// pool keeps finding shards. Claimed on first use; `None` when every shard is taken.
#[derive(Default)]
pub struct ShardClaim(Option<Option<usize>>);

static NEXT_SHARD: AtomicUsize = AtomicUsize::new(0);
static FREED_SHARDS: Mutex<Vec<usize>> = Mutex::new(Vec::new());

impl ShardClaim {
  /// The shard this claim writes, claiming one the first time.
  #[inline]
  pub fn shard(&mut self) -> Option<usize> {
    *self.0.get_or_insert_with(claim)
  }
}

impl Drop for ShardClaim {
  fn drop(&mut self) {
    if let Some(Some(i)) = self.0 {
      FREED_SHARDS
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(i);
    }
  }
}

fn claim() -> Option<usize> {
  if let Some(i) = FREED_SHARDS.lock().unwrap_or_else(|p| p.into_inner()).pop() {
    return Some(i);
  }
  let i = NEXT_SHARD.fetch_add(1, Relaxed);
  if i < OWNED_SHARDS {
    return Some(i);
  }
  // Past the bound: stop counting up so the counter cannot wrap.
  NEXT_SHARD.store(OWNED_SHARDS, Relaxed);
  None
}

#[cfg(test)]
#[path = "metrics_tests.rs"]
mod tests;
