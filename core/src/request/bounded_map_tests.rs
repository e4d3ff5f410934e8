//! Unit tests of `bounded_map.rs`.

use super::*;

fn fill(map: &BoundedMap<u64>, keys: std::ops::Range<u64>, keep: impl Fn(&u64) -> Keep + Copy) {
  for k in keys {
    map.upsert(&k.to_le_bytes(), || k, keep, |_| ());
  }
}

#[test]
fn the_bound_holds_whatever_is_inserted() {
  for max in [1, 10, 1000, 50_000] {
    let map = BoundedMap::new(max);
    fill(&map, 0..3 * max as u64 + 100, |v| Keep::Since(*v));
    assert!(map.len() <= max, "{} > {max}", map.len());
    let held: usize = map
      .shards
      .iter()
      .map(|s| s.lock().unwrap().entries.len())
      .sum();
    assert_eq!(held, map.len());
  }
}

#[test]
fn free_entries_go_before_any_other() {
  let map = BoundedMap::new(100);
  // Odd entries are free to drop; the even ones hold state.
  fill(&map, 0..100, |_| Keep::Since(0));
  let keep = |v: &u64| {
    if v % 2 == 1 {
      Keep::Free
    } else {
      Keep::Since(*v)
    }
  };
  fill(&map, 1000..1040, keep);
  let evens_kept = (0..100u64)
    .step_by(2)
    .filter(|k| map.contains(&k.to_le_bytes()))
    .count();
  assert!(
    evens_kept >= 40,
    "only {evens_kept} of 50 held entries kept while free ones were there"
  );
}

#[test]
fn eviction_keeps_recent_entries_far_more_often_than_old_ones() {
  let map = BoundedMap::new(10_000);
  fill(&map, 0..10_000, |v| Keep::Since(*v));
  fill(&map, 10_000..12_000, |v| Keep::Since(*v));
  let kept = |r: std::ops::Range<u64>| r.filter(|k| map.contains(&k.to_le_bytes())).count();
  let (old, recent) = (kept(0..2000), kept(8000..10_000));
  // Sixteen samples make the oldest fifth far likelier to go than the newest (LRU would keep
  // all of the newest and none of the oldest).
  assert!(recent > 1900 && old < 1000, "old {old}, recent {recent}");
}

#[test]
fn an_insert_at_the_bound_looks_at_a_fixed_number_of_entries_whatever_the_size() {
  use std::cell::Cell;
  for max in [10_000usize, 200_000] {
    let map = BoundedMap::new(max);
    fill(&map, 0..max as u64, |v| Keep::Since(*v));
    let looked = Cell::new(0usize);
    let mut most = 0;
    for k in 0..5000u64 {
      looked.set(0);
      let keep = |v: &u64| {
        looked.set(looked.get() + 1);
        Keep::Since(*v)
      };
      map.upsert(&((k + 1) << 40).to_le_bytes(), || k, keep, |_| ());
      most = most.max(looked.get());
    }
    assert!(
      most <= SAMPLES,
      "{most} entries looked at for one insert at {max} keys"
    );
    assert!(map.len() <= max);
  }
}
