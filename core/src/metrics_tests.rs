//! Unit tests of `metrics.rs`.

use super::*;

#[test]
fn each_request_lands_in_its_outcome_and_its_latency_bucket() {
  let m = Metrics::new(2);
  m.request(None, 800);
  m.request(Some(ErrorCode::TokenExpired), 1_000);
  m.request(Some(ErrorCode::TokenExpired), 1_001);
  m.request(Some(ErrorCode::RateLimited), 20_000_000);
  let s = m.snapshot();
  assert_eq!(s.outcomes[0], 1);
  assert_eq!(s.outcomes[1 + ErrorCode::TokenExpired as usize], 2);
  assert_eq!(s.outcomes[1 + ErrorCode::RateLimited as usize], 1);
  assert_eq!(s.outcomes.iter().sum::<u64>(), 4);
  // 0.8 µs and exactly 1 µs in the first bucket, 1.001 µs in the second, 20 ms past every bound.
  assert_eq!(s.latency[0], 2);
  assert_eq!(s.latency[1], 1);
  assert_eq!(s.latency[LATENCY_BUCKETS - 1], 1);
  assert_eq!(s.latency_sum_nanos, 800 + 1_000 + 1_001 + 20_000_000);
}

#[test]
fn policies_count_the_default_each_plan_and_every_route_together() {
  let m = Metrics::new(2);
  m.limited(PolicyCount::Default, true);
  m.limited(PolicyCount::Plan(1), false);
  m.limited(PolicyCount::Route, true);
  m.limited(PolicyCount::Route, false);
  // A plan index past the configured ones is never counted, rather than panicking.
  m.limited(PolicyCount::Plan(7), true);
  assert_eq!(m.snapshot().policies, vec![(1, 0), (0, 0), (0, 1), (1, 1)]);
}

#[test]
fn lifecycle_counts() {
  let m = Metrics::new(0);
  m.revoked(RevocationKind::User);
  m.revoked(RevocationKind::Family);
  m.rotated();
  m.reuse();
  m.cache(true);
  m.cache(false);
  m.cache(false);
  let s = m.snapshot();
  assert_eq!(s.revocations, [0, 1, 1]);
  assert_eq!((s.rotations, s.reuse_detected), (1, 1));
  assert_eq!((s.cache_hits, s.cache_misses), (1, 2));
}
