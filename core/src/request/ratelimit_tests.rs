//! Unit tests of `ratelimit.rs`, beside it as every module's are.

use super::*;

const SEC: u64 = 1_000_000_000;

fn limiter(capacity: u32, refill: f64, max_keys: usize) -> RateLimiter {
  RateLimiter::new(Limits {
    capacity,
    refill_per_sec: refill,
    max_keys,
  })
}

#[test]
fn ceil_u32_is_the_clamped_ceiling() {
  let cases = [
    0.0,
    -0.0,
    -1.5,
    1e-300,
    0.5,
    1.0,
    1.0000001,
    2.5,
    59.999,
    4294967294.5,
    4294967295.0,
    1e12,
  ];
  for x in cases {
    assert_eq!(
      ceil_u32(x),
      x.ceil().clamp(0.0, u32::MAX as f64) as u32,
      "{x}"
    );
  }
  assert_eq!(ceil_u32(f64::NAN), 0);
  assert_eq!(ceil_u32(f64::INFINITY), u32::MAX);
}

#[test]
fn burst_then_refusal_then_refill() {
  let l = limiter(3, 1.0, 100);
  for remaining in [2, 1, 0] {
    let (ok, info) = l.take(b"k", 0);
    assert!(ok);
    assert_eq!(info.remaining, remaining);
    assert_eq!(info.limit, 3);
    assert_eq!(info.retry_after, 0);
  }
  let (ok, info) = l.take(b"k", 0);
  assert!(!ok);
  assert_eq!((info.remaining, info.retry_after, info.reset), (0, 1, 3));
  let (ok, info) = l.take(b"k", SEC / 2);
  assert!(!ok);
  assert_eq!(info.retry_after, 1);
  let (ok, info) = l.take(b"k", SEC);
  assert!(ok);
  assert_eq!(info.remaining, 0);
}

#[test]
fn refill_never_exceeds_capacity() {
  let l = limiter(2, 100.0, 100);
  l.take(b"k", 0);
  let (_, info) = l.take(b"k", 3600 * SEC);
  assert_eq!(info.remaining, 1);
  assert_eq!(info.reset, 1);
}

#[test]
fn a_key_as_text_reads_back_as_itself_and_nothing_else_does() {
  let key = bucket_key(
    7,
    Owner::User {
      user: "ann",
      tenant: Some("acme"),
    },
  );
  let text = bucket_key_text(&key);
  assert!(text
    .bytes()
    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
  assert_eq!(bucket_key_from_text(&text).as_deref(), Some(&key[..]));
  for junk in ["a", "AAAA=", "+/+/", "AAA\n"] {
    assert_eq!(bucket_key_from_text(junk), None, "{junk}");
  }
}

#[test]
fn keys_are_independent() {
  let l = limiter(1, 0.001, 100);
  assert!(l.take(b"a", 0).0);
  assert!(!l.take(b"a", 0).0);
  assert!(l.take(b"b", 0).0);
}

#[test]
fn a_clock_going_back_neither_refills_nor_panics() {
  let l = limiter(1, 1.0, 100);
  assert!(l.take(b"k", 10 * SEC).0);
  assert!(!l.take(b"k", 5 * SEC).0);
}

#[test]
fn a_flood_of_keys_stays_within_the_bound() {
  let l = limiter(10, 0.01, 1000);
  for i in 0..50_000u32 {
    l.take(&i.to_le_bytes(), i as u64);
    assert!(l.len() <= 1000);
  }
}

#[test]
fn eviction_drops_full_buckets_before_partly_drained_ones() {
  let l = limiter(2, 1.0, 10);
  // Nine keys drain a token and refill long before the tenth drained key arrives.
  for i in 0..9u8 {
    l.take(&[i], 0);
  }
  l.take(b"hot", 100 * SEC);
  l.take(b"hot", 100 * SEC);
  assert_eq!(l.len(), 10);
  l.take(b"new", 100 * SEC);
  assert!(l.len() < 10, "a full bucket made room");
  // The drained key kept its state.
  assert!(!l.take(b"hot", 100 * SEC).0);
}

#[test]
fn when_everything_is_drained_the_most_recent_stay() {
  let l = limiter(5, 0.0001, 10);
  for i in 0..10u8 {
    l.take(&[i], i as u64 * SEC);
  }
  l.take(b"new", 20 * SEC);
  assert!(l.len() <= 10);
  assert!(l.buckets.contains(&[9u8][..]));
  assert!(l.buckets.contains(b"new"));
}

#[test]
fn a_request_at_the_bound_costs_the_same_at_a_million_partly_drained_buckets() {
  // The costliest of the takes that push a full limiter past its bound, at two sizes fifty
  // times apart. Sorting or scanning every bucket at the bound (the eviction this replaced)
  // made one of them cost fifty times as much at the larger size. Both sizes take as many keys
  // per round (more than a tenth of the larger, so that eviction every tenth of the bound, as
  // before, would run in every round), so both meet as many of a busy machine's preemptions.
  const FLOOD: u64 = 110_000;
  let worst_take = |max: usize| {
    let l = limiter(60, 1.0, max);
    for i in 0..max as u64 {
      l.take(&i.to_le_bytes(), i);
    }
    (0..3u64)
      .map(|round| {
        let mut worst = 0;
        for i in 0..FLOOD {
          let key = (u64::MAX - i - round * FLOOD).to_le_bytes();
          let t = std::time::Instant::now();
          l.take(&key, max as u64);
          worst = worst.max(t.elapsed().as_nanos());
        }
        worst
      })
      .min()
      .unwrap()
  };
  let (small, large) = (worst_take(20_000), worst_take(1_000_000));
  assert!(
    large < small * 10,
    "worst take past the bound: {small} ns at 20k buckets, {large} ns at 1M"
  );
}

#[test]
fn usage_is_counted_drained_once_and_corrected_from_a_shared_level() {
  let l = limiter(10, 1.0, 100);
  l.take(b"a", 0);
  assert!(
    l.drain_usage().is_empty(),
    "nothing is counted before tracking starts"
  );
  l.track_usage();
  for _ in 0..3 {
    l.take(b"a", 0);
  }
  l.take(b"b", 0);
  let mut used: Vec<(Vec<u8>, u32)> = l
    .drain_usage()
    .into_iter()
    .map(|u| (u.key.to_vec(), u.used))
    .collect();
  used.sort();
  assert_eq!(used, vec![(b"a".to_vec(), 3), (b"b".to_vec(), 1)]);
  assert!(l.drain_usage().is_empty());
  // Another instance spent the rest and more: a debt this bucket refills first.
  l.take(b"a", 0);
  l.correct(b"a", -2.0, 0);
  let (ok, info) = l.take(b"a", 0);
  assert!(!ok);
  assert_eq!((info.remaining, info.retry_after), (0, 4));
  assert!(l.take(b"a", 4 * SEC).0);
  // A level above capacity is capped.
  l.correct(b"b", 1e9, 4 * SEC);
  assert_eq!(l.take(b"b", 4 * SEC).1.remaining, 9);
}

#[test]
fn peek_tells_of_an_empty_bucket_without_taking_from_it() {
  let l = limiter(2, 0.5, 16);
  assert_eq!(l.peek(b"k", 0), None, "a bucket not held is not empty");
  assert!(l.take(b"k", 0).0);
  assert_eq!(l.peek(b"k", 0), None, "one token left");
  assert!(l.take(b"k", 0).0);
  let empty = l.peek(b"k", 0).expect("empty");
  let (allowed, refused) = l.take(b"k", 0);
  assert!(!allowed);
  assert_eq!(empty, refused, "peek says what a refused take says");
  // Peeking never spends: two seconds refill one token, still there after many peeks.
  for _ in 0..5 {
    assert_eq!(l.peek(b"k", 2 * SEC), None);
  }
  assert!(l.take(b"k", 2 * SEC).0);
}
