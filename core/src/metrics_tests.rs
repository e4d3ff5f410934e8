//! Unit tests of `metrics.rs`.

use super::*;

// The tests that claim shards run one at a time: the shards are the process's.
static CLAIMING: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[test]
fn each_request_lands_in_its_outcome_and_its_latency_bucket() {
  let m = Metrics::new(2, true);
  m.request(None, None, Some(800));
  m.request(None, Some(ErrorCode::TokenExpired), Some(1_000));
  m.request(None, Some(ErrorCode::TokenExpired), Some(1_001));
  m.request(None, Some(ErrorCode::RateLimited), Some(20_000_000));
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
  let m = Metrics::new(2, true);
  m.limited(None, PolicyCount::Default, true);
  m.limited(None, PolicyCount::Plan(1), false);
  m.limited(None, PolicyCount::Route, true);
  m.limited(None, PolicyCount::Route, false);
  // A plan index past the configured ones is never counted, rather than panicking.
  m.limited(None, PolicyCount::Plan(7), true);
  assert_eq!(m.snapshot().policies, vec![(1, 0), (0, 0), (0, 1), (1, 1)]);
}

#[test]
fn lifecycle_counts() {
  let m = Metrics::new(0, true);
  m.revoked(RevocationKind::User);
  m.revoked(RevocationKind::Family);
  m.rotated();
  m.reuse();
  m.cache(None, true);
  m.cache(None, false);
  m.cache(None, false);
  let s = m.snapshot();
  assert_eq!(s.revocations, [0, 1, 1]);
  assert_eq!((s.rotations, s.reuse_detected), (1, 1));
  assert_eq!((s.cache_hits, s.cache_misses), (1, 2));
}

#[test]
fn every_thread_is_counted_exactly_whether_it_owns_a_shard_or_shares_one() {
  let _one = CLAIMING.lock().unwrap_or_else(|p| p.into_inner());
  // More threads at once than there are owned shards: the rest count in the shared one.
  let m = std::sync::Arc::new(Metrics::new(1, true));
  let threads: Vec<_> = (0..super::OWNED_SHARDS + 8)
    .map(|_| {
      let m = m.clone();
      std::thread::spawn(move || {
        let mut claim = ShardClaim::default();
        for _ in 0..1_000 {
          m.request(claim.shard(), None, Some(3_000));
          m.limited(claim.shard(), PolicyCount::Plan(0), true);
        }
      })
    })
    .collect();
  for t in threads {
    t.join().unwrap();
  }
  let n = (super::OWNED_SHARDS as u64 + 8) * 1_000;
  let s = m.snapshot();
  assert_eq!(s.outcomes[0], n);
  assert_eq!(s.latency.iter().sum::<u64>(), n);
  assert_eq!(s.latency_sum_nanos, n * 3_000);
  assert_eq!(s.policies[1], (n, 0));
}

#[test]
fn shards_of_ended_threads_are_claimed_again_and_keep_their_counts() {
  let _one = CLAIMING.lock().unwrap_or_else(|p| p.into_inner());
  let m = std::sync::Arc::new(Metrics::new(0, true));
  // Many more threads over time than shards, one after another (a recycled worker pool).
  for _ in 0..4 * super::OWNED_SHARDS {
    let m = m.clone();
    std::thread::spawn(move || {
      let mut claim = ShardClaim::default();
      assert!(
        claim.shard().is_some(),
        "a shard given back is claimed again"
      );
      m.request(claim.shard(), Some(ErrorCode::TokenExpired), Some(10))
    })
    .join()
    .unwrap();
  }
  let s = m.snapshot();
  assert_eq!(
    s.outcomes[1 + ErrorCode::TokenExpired as usize],
    4 * super::OWNED_SHARDS as u64
  );
}

#[test]
fn off_counts_nothing_and_an_untimed_call_counts_only_its_outcome() {
  let off = Metrics::new(0, false);
  off.request(None, None, Some(5));
  off.cache(None, true);
  off.revoked(RevocationKind::User);
  let s = off.snapshot();
  assert!(s.outcomes.iter().all(|&n| n == 0) && s.cache_hits == 0 && s.revocations == [0, 0, 0]);
  let on = Metrics::new(0, true);
  on.request(None, None, None);
  let s = on.snapshot();
  assert_eq!((s.outcomes[0], s.latency.iter().sum::<u64>()), (1, 0));
}

#[test]
fn tenants_are_counted_by_name_up_to_the_bound_and_the_rest_as_other() {
  let m = Metrics::with_tenants(0, true, 2);
  for t in ["acme", "globex", "acme", "initech", "umbrella"] {
    m.tenant(Some(t));
  }
  m.tenant(None);
  let s = m.snapshot();
  assert_eq!(s.tenants, vec![("acme".into(), 2), ("globex".into(), 1)]);
  assert_eq!(s.other_tenants, 2);
  assert!(Metrics::new(0, true).snapshot().tenants.is_empty());
}
