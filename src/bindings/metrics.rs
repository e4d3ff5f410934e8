//! An authenticator's metrics as one reading, for `metrics()` (lib/shared/metrics.js shapes it,
//! for both engines alike). Read off the request path, whenever an exporter asks.

use super::registry::Registered;
use napi::bindgen_prelude::External;
use napi_derive::napi;

/// Counts as JS numbers (exact to 2^53, which no counter of a process reaches).
#[napi(object)]
pub struct RawMetrics {
  /// Index 0: successes; 1 + a code's index: refusals with that code.
  pub outcomes: Vec<f64>,
  /// Calls per latency bucket, not cumulative; the last is past every bound.
  pub latency: Vec<f64>,
  pub latency_sum_nanos: f64,
  /// `allowed, limited` pairs: the default limits, each plan in order, then the route limits.
  pub policies: Vec<f64>,
  pub cache_hits: f64,
  pub cache_misses: f64,
  /// Token, user, family.
  pub revocations: Vec<f64>,
  pub rotations: f64,
  pub reuse_detected: f64,
  pub evictions: f64,
  /// With `metricsTenants`: tenant names, and their counts in the same order.
  pub tenants: Vec<String>,
  pub tenant_counts: Vec<f64>,
  pub other_tenants: f64,
}

#[napi]
pub fn authenticator_metrics(authenticator: &External<Registered>) -> RawMetrics {
  let s = authenticator.metrics().snapshot();
  let all = |v: &[u64]| v.iter().map(|&n| n as f64).collect();
  RawMetrics {
    outcomes: all(&s.outcomes),
    latency: all(&s.latency),
    latency_sum_nanos: s.latency_sum_nanos as f64,
    policies: s
      .policies
      .iter()
      .flat_map(|&(a, l)| [a as f64, l as f64])
      .collect(),
    cache_hits: s.cache_hits as f64,
    cache_misses: s.cache_misses as f64,
    revocations: all(&s.revocations),
    rotations: s.rotations as f64,
    reuse_detected: s.reuse_detected as f64,
    evictions: authenticator.rate_limiter().evicted() as f64,
    tenants: s.tenants.iter().map(|(t, _)| t.clone()).collect(),
    tenant_counts: s.tenants.iter().map(|&(_, n)| n as f64).collect(),
    other_tenants: s.other_tenants as f64,
  }
}
