//! A concurrent map bounded in size whose eviction costs a bounded amount of work per insert.
//!
//! Keys are often the client's to choose (a tenant header, an API key id, an IPv6 address), so a
//! client can fill the map at will, and whatever eviction costs, it can make a request pay. A scan
//! or a sort of every entry at the bound is milliseconds at a million keys, on the request path.
//! Here an insert into a full shard looks at a fixed number of entries picked at random and drops
//! the best candidates among them: an approximate LRU, as Redis evicts (`maxmemory-samples`). Each
//! shard is an `IndexMap`, so an entry can be picked by position in O(1).

use indexmap::IndexMap;
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

/// Entries looked at per eviction. Redis's default is 5; more finds an evictable entry more often
/// (and a truly old one) for a few more cache lines.
pub const SAMPLES: usize = 16;

/// What an entry is worth keeping, for eviction: `Free` costs nothing to drop (a bucket that has
/// refilled to capacity is the same as a new one); else the older `Since`, the sooner it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Keep {
  Free,
  Since(u64),
}

struct Shard<V> {
  entries: IndexMap<Box<[u8]>, V, RandomState>,
  /// xorshift state for picking samples; seeded at random, never the client's.
  rng: u64,
}

impl<V> Shard<V> {
  fn next(&mut self) -> u64 {
    let mut x = self.rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    self.rng = x;
    x
  }

  /// Drops what a sample says can go: every free entry in it, else its oldest. Returns how many.
  fn evict(&mut self, keep: &impl Fn(&V) -> Keep) -> usize {
    let len = self.entries.len();
    if len == 0 {
      return 0;
    }
    let mut picked: [usize; SAMPLES] = [0; SAMPLES];
    let n = SAMPLES.min(len);
    for slot in picked.iter_mut().take(n) {
      *slot = (self.next() % len as u64) as usize;
    }
    let picked = &mut picked[..n];
    // Highest positions first, so a swap_remove never moves an entry still to be removed.
    picked.sort_unstable_by(|a, b| b.cmp(a));
    let mut dropped = 0;
    let mut oldest: Option<(Keep, usize)> = None;
    let mut last = usize::MAX;
    for &at in picked.iter() {
      if at == last {
        continue;
      }
      last = at;
      let (_, value) = self
        .entries
        .get_index(at)
        .expect("sampled within the shard");
      match keep(value) {
        Keep::Free => {
          self.entries.swap_remove_index(at);
          dropped += 1;
        }
        worth => {
          if oldest.is_none_or(|(w, _)| worth < w) {
            oldest = Some((worth, at));
          }
        }
      }
    }
    if dropped == 0 {
      if let Some((_, at)) = oldest {
        self.entries.swap_remove_index(at);
        dropped = 1;
      }
    }
    dropped
  }
}

pub struct BoundedMap<V> {
  shards: Box<[Mutex<Shard<V>>]>,
  /// Which shard holds a key, keyed at random so a client cannot aim its keys at one.
  route: RandomState,
  /// Each shard's bound: together, at most the map's.
  per_shard: usize,
  len: AtomicUsize,
  /// Entries dropped to stay within the bound, ever.
  evicted: AtomicU64,
}

impl<V> BoundedMap<V> {
  /// A map of at most `max` entries.
  pub fn new(max: usize) -> BoundedMap<V> {
    // Shards let threads (`shareAcrossThreads`) work side by side; each keeps a bound of its
    // own, which stays close to even with thousands of entries per shard.
    // Each shard small, too: the hash table compacts its tombstones in one O(shard) step.
    let count = (max / 4096).clamp(1, 256).next_power_of_two().min(256);
    let per_shard = (max / count).max(1);
    let seed = rand::random::<u64>() | 1;
    BoundedMap {
      shards: (0..count)
        .map(|i| {
          Mutex::new(Shard {
            entries: IndexMap::with_hasher(RandomState::new()),
            rng: seed.wrapping_mul(i as u64 * 2 + 1) | 1,
          })
        })
        .collect(),
      route: RandomState::new(),
      per_shard,
      len: AtomicUsize::new(0),
      evicted: AtomicU64::new(0),
    }
  }

  fn shard(&self, key: &[u8]) -> MutexGuard<'_, Shard<V>> {
    let at = if self.shards.len() == 1 {
      0
    } else {
      (self.route.hash_one(key) >> 32) as usize & (self.shards.len() - 1)
    };
    self.shards[at].lock().unwrap_or_else(|p| p.into_inner())
  }

  pub fn len(&self) -> usize {
    self.len.load(Ordering::Relaxed)
  }

  /// Entries dropped to stay within the bound since the map was made.
  pub fn evicted(&self) -> u64 {
    self.evicted.load(Ordering::Relaxed)
  }

  pub fn is_empty(&self) -> bool {
    self.len() == 0
  }

  /// `f` on `key`'s entry, if there is one.
  pub fn with<R>(&self, key: &[u8], f: impl FnOnce(&mut V) -> R) -> Option<R> {
    self.shard(key).entries.get_mut(key).map(f)
  }

  /// `f` on `key`'s entry, made by `make` if there is none; a full shard first drops what a
  /// sample says can go (`keep`), so the map never holds more than its bound.
  pub fn upsert<R>(
    &self,
    key: &[u8],
    make: impl FnOnce() -> V,
    keep: impl Fn(&V) -> Keep,
    f: impl FnOnce(&mut V) -> R,
  ) -> R {
    let mut shard = self.shard(key);
    if let Some(value) = shard.entries.get_mut(key) {
      return f(value);
    }
    if shard.entries.len() >= self.per_shard {
      let dropped = shard.evict(&keep);
      self.len.fetch_sub(dropped, Ordering::Relaxed);
      self.evicted.fetch_add(dropped as u64, Ordering::Relaxed);
    }
    let (at, _) = shard.entries.insert_full(key.into(), make());
    self.len.fetch_add(1, Ordering::Relaxed);
    let (_, value) = shard.entries.get_index_mut(at).expect("just inserted");
    f(value)
  }

  /// Whether `key` has an entry.
  #[cfg(test)]
  pub fn contains(&self, key: &[u8]) -> bool {
    self.shard(key).entries.contains_key(key)
  }
}

#[cfg(test)]
#[path = "bounded_map_tests.rs"]
mod tests;
