//! Token buckets per key, in a concurrent map bounded in size. A bucket that has refilled to
//! capacity is indistinguishable from a new one, so dropping it loses nothing; only when the map
//! is full of partly drained buckets is one of the least recently used evicted (approximately:
//! bounded_map.rs samples, so no request ever pays for a scan of every bucket).

use super::bounded_map::{BoundedMap, Keep};
use crate::error::Error;
use smallvec::SmallVec;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, RwLock};

const NANOS_PER_SEC: f64 = 1_000_000_000.0;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
  /// Bucket capacity, and the burst a new key gets.
  pub capacity: u32,
  /// Tokens added per second.
  pub refill_per_sec: f64,
  /// Most keys held at once.
  pub max_keys: usize,
}

/// A bucket's size and refill: the default limits, a plan's (`rateLimitPlans`) or a route's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
  pub capacity: u32,
  pub refill_per_sec: f64,
}

/// Which limits a request's bucket follows. Policy 0 is the default limits, then each plan in the
/// order configured, then each route limit in the order defined; buckets of two policies never
/// share state, because the policy is part of the bucket's key.
pub type PolicyId = u32;

const MAX_ROUTES: usize = crate::contract::limit::MAX_ROUTE_LIMITS;

/// Whose bucket a request spends (`rateLimitKey`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitKey {
  UserAndTenant,
  User,
  /// A tenant's users share one; a request with no tenant spends its user's.
  Tenant,
}

impl LimitKey {
  pub fn from_name(name: &str) -> Option<LimitKey> {
    match name {
      "user+tenant" => Some(LimitKey::UserAndTenant),
      "user" => Some(LimitKey::User),
      "tenant" => Some(LimitKey::Tenant),
      _ => None,
    }
  }
}

/// What a request saw of its bucket. Times are whole seconds, rounded up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateInfo {
  pub limit: u32,
  pub remaining: u32,
  /// Seconds until the bucket is full again.
  pub reset: u32,
  /// Seconds until the next request would be allowed; 0 when this one was.
  pub retry_after: u32,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
  /// May be below zero after a correction from a shared store: a debt the bucket refills first.
  tokens: f64,
  updated_nanos: u64,
  policy: PolicyId,
  /// Tokens taken since the last `drain_usage` (only counted while usage is tracked).
  pending: u32,
}

/// A bucket's use since the last drain, for a store shared by instances.
#[derive(Debug, Clone, PartialEq)]
pub struct Usage {
  pub key: Box<[u8]>,
  pub used: u32,
  pub rate: Rate,
}

/// `x.ceil()` clamped to `u32`. Without SSE4.1 in the baseline x86-64 target, `f64::ceil` is a
/// libm call; this is the same number for every value the limiter produces.
fn ceil_u32(x: f64) -> u32 {
  if x.is_nan() || x <= 0.0 {
    return 0;
  }
  if x >= u32::MAX as f64 {
    return u32::MAX;
  }
  let whole = x as u32;
  whole + u32::from((whole as f64) < x)
}

pub struct RateLimiter {
  limits: Limits,
  /// Every policy's rate, by id (the default's is `limits`' too, read without the lock).
  policies: RwLock<Vec<Rate>>,
  /// How many policies came with the configuration (the default and the plans).
  configured: usize,
  /// Whether taken tokens are counted for `drain_usage` (a shared store is synced).
  tracking: AtomicBool,
  /// Keys with uncounted use since the last drain; a key is listed once per drain.
  dirty: Mutex<Vec<Box<[u8]>>>,
  // The tenant part of a key can come from a request header, so the map keeps randomly keyed
  // hashers (no collision flooding); the size bound protects memory.
  buckets: BoundedMap<Bucket>,
}

impl RateLimiter {
  pub fn new(limits: Limits) -> RateLimiter {
    Self::with_plans(limits, &[])
  }

  /// A limiter whose policies 1..=n are `plans`, in order.
  pub fn with_plans(limits: Limits, plans: &[Rate]) -> RateLimiter {
    let default = Rate {
      capacity: limits.capacity,
      refill_per_sec: limits.refill_per_sec,
    };
    RateLimiter {
      limits,
      policies: RwLock::new(
        std::iter::once(default)
          .chain(plans.iter().copied())
          .collect(),
      ),
      configured: 1 + plans.len(),
      tracking: AtomicBool::new(false),
      dirty: Mutex::new(Vec::new()),
      buckets: BoundedMap::new(limits.max_keys),
    }
  }

  /// Adds a policy (a route's limits) and returns its id.
  pub fn add_policy(&self, rate: Rate) -> Result<PolicyId, Error> {
    let mut policies = self.policies.write().unwrap_or_else(|p| p.into_inner());
    if policies.len() - self.configured >= MAX_ROUTES {
      return Err(Error::config(format!(
        "at most {MAX_ROUTES} route limits per authenticator: define each once, when its route is set up"
      )));
    }
    policies.push(rate);
    Ok((policies.len() - 1) as PolicyId)
  }

  /// The rate of `policy`, if it exists.
  pub fn rate(&self, policy: PolicyId) -> Option<Rate> {
    self
      .policies
      .read()
      .unwrap_or_else(|p| p.into_inner())
      .get(policy as usize)
      .copied()
  }

  pub fn len(&self) -> usize {
    self.buckets.len()
  }

  /// Buckets dropped to stay within `max_keys` so far.
  pub fn evicted(&self) -> u64 {
    self.buckets.evicted()
  }

  pub fn is_empty(&self) -> bool {
    self.buckets.is_empty()
  }

  /// Takes one token from `key`'s bucket under the default limits, at monotonic time `now_nanos`.
  pub fn take(&self, key: &[u8], now_nanos: u64) -> (bool, RateInfo) {
    let rate = Rate {
      capacity: self.limits.capacity,
      refill_per_sec: self.limits.refill_per_sec,
    };
    self.take_at(0, rate, key, now_nanos)
  }

  /// Whether the default-policy bucket `key` is empty, without taking from it: its figures as a
  /// refused `take` would give them, or `None` when it has a token left (or is not held). For a
  /// budget checked before the work it guards and spent only when that work fails (the
  /// integrations' `failedAuthLimit`).
  pub fn peek(&self, key: &[u8], now_nanos: u64) -> Option<RateInfo> {
    let rate = Rate {
      capacity: self.limits.capacity,
      refill_per_sec: self.limits.refill_per_sec,
    };
    let tokens = self.buckets.with(key, |b| refilled(rate, b, now_nanos))?;
    (tokens < 1.0).then(|| info(rate, tokens, false))
  }

  /// Takes one token from the bucket `key` (built by `bucket_key` for `policy`) under `policy`'s
  /// limits; `None` for a policy that does not exist.
  pub fn take_in(&self, policy: PolicyId, key: &[u8], now_nanos: u64) -> Option<(bool, RateInfo)> {
    let rate = if policy == 0 {
      Rate {
        capacity: self.limits.capacity,
        refill_per_sec: self.limits.refill_per_sec,
      }
    } else {
      self.rate(policy)?
    };
    Some(self.take_at(policy, rate, key, now_nanos))
  }

  fn take_at(&self, policy: PolicyId, rate: Rate, key: &[u8], now_nanos: u64) -> (bool, RateInfo) {
    let fresh = || Bucket {
      tokens: rate.capacity as f64,
      updated_nanos: now_nanos,
      policy,
      pending: 0,
    };
    let (out, first_use) = self.buckets.upsert(
      key,
      fresh,
      |b| self.worth(b, now_nanos),
      |bucket| {
        let out = take_from(rate, bucket, now_nanos);
        (out, self.counted(bucket, out.0))
      },
    );
    if first_use {
      self.mark_dirty(key);
    }
    out
  }

  /// What keeping `bucket` is worth: nothing once it has refilled (it equals a new one).
  fn worth(&self, bucket: &Bucket, now_nanos: u64) -> Keep {
    // A bucket whose policy is gone, or that is full, can go; a route's policies are read under
    // a lock, so only for buckets that are not the default's.
    let full = if bucket.policy == 0 {
      is_full(
        Rate {
          capacity: self.limits.capacity,
          refill_per_sec: self.limits.refill_per_sec,
        },
        bucket,
        now_nanos,
      )
    } else {
      self
        .rate(bucket.policy)
        .is_none_or(|rate| is_full(rate, bucket, now_nanos))
    };
    if full {
      Keep::Free
    } else {
      Keep::Since(bucket.updated_nanos)
    }
  }

  /// Counts a taken token for the next drain; true on the bucket's first use since one, when its
  /// key must be listed (after the bucket's lock is let go).
  fn counted(&self, bucket: &mut Bucket, taken: bool) -> bool {
    if !taken || !self.tracking.load(Ordering::Relaxed) {
      return false;
    }
    bucket.pending = bucket.pending.saturating_add(1);
    bucket.pending == 1
  }

  fn mark_dirty(&self, key: &[u8]) {
    self
      .dirty
      .lock()
      .unwrap_or_else(|p| p.into_inner())
      .push(key.into());
  }

  /// Takes one token from the bucket `key` (as `bucket_key` made it: its policy is its first
  /// four bytes); `None` for a key no policy makes.
  pub fn take_key(&self, key: &[u8], now_nanos: u64) -> Option<(bool, RateInfo)> {
    let policy = PolicyId::from_le_bytes(key.get(..4)?.try_into().ok()?);
    self.take_in(policy, key, now_nanos)
  }

  /// Starts counting taken tokens for `drain_usage`.
  pub fn track_usage(&self) {
    self.tracking.store(true, Ordering::Relaxed);
  }

  /// Every bucket's use since the last drain (and resets the counts).
  pub fn drain_usage(&self) -> Vec<Usage> {
    let keys = std::mem::take(&mut *self.dirty.lock().unwrap_or_else(|p| p.into_inner()));
    let policies = self
      .policies
      .read()
      .unwrap_or_else(|p| p.into_inner())
      .clone();
    let mut out = Vec::with_capacity(keys.len());
    for key in keys {
      let Some((used, policy)) = self
        .buckets
        .with(&key, |b| (std::mem::take(&mut b.pending), b.policy))
      else {
        continue;
      };
      let Some(rate) = policies.get(policy as usize).copied() else {
        continue;
      };
      if used > 0 {
        out.push(Usage { key, used, rate });
      }
    }
    out
  }

  /// Sets `key`'s level to what the shared store says is left (`tokens`, which may be a debt
  /// below zero), less what this instance took since it drained the use it sent.
  pub fn correct(&self, key: &[u8], tokens: f64, now_nanos: u64) {
    let Some(policy) = self.buckets.with(key, |b| b.policy) else {
      return;
    };
    // The policy table's lock is not taken under the bucket's.
    let capacity = self.rate(policy).map_or(f64::MAX, |r| r.capacity as f64);
    self.buckets.with(key, |bucket| {
      bucket.tokens = (tokens - bucket.pending as f64).min(capacity);
      bucket.updated_nanos = now_nanos.max(bucket.updated_nanos);
    });
  }
}

fn take_from(rate: Rate, bucket: &mut Bucket, now_nanos: u64) -> (bool, RateInfo) {
  let tokens = refilled(rate, bucket, now_nanos);
  bucket.updated_nanos = now_nanos.max(bucket.updated_nanos);
  let allowed = tokens >= 1.0;
  bucket.tokens = if allowed { tokens - 1.0 } else { tokens };
  (allowed, info(rate, bucket.tokens, allowed))
}

/// The tokens `bucket` holds at `now_nanos`, refilled up to capacity.
fn refilled(rate: Rate, bucket: &Bucket, now_nanos: u64) -> f64 {
  let elapsed = now_nanos.saturating_sub(bucket.updated_nanos) as f64 / NANOS_PER_SEC;
  (bucket.tokens + elapsed * rate.refill_per_sec).min(rate.capacity as f64)
}

/// What a bucket left with `tokens` tells a client, after a request it `allowed` or not.
fn info(rate: Rate, tokens: f64, allowed: bool) -> RateInfo {
  let seconds = |deficit: f64| ceil_u32(deficit / rate.refill_per_sec);
  RateInfo {
    limit: rate.capacity,
    // Never negative, so truncation is the floor.
    remaining: tokens as u32,
    reset: seconds(rate.capacity as f64 - tokens),
    retry_after: if allowed {
      0
    } else {
      seconds(1.0 - tokens).max(1)
    },
  }
}

fn is_full(rate: Rate, bucket: &Bucket, now_nanos: u64) -> bool {
  let elapsed = now_nanos.saturating_sub(bucket.updated_nanos) as f64 / NANOS_PER_SEC;
  bucket.tokens + elapsed * rate.refill_per_sec >= rate.capacity as f64
}

/// The key of a bucket: the policy, then whose it is, built so that no two different owners
/// share one: a user is length-prefixed, "no tenant" differs from every tenant (the empty one
/// included), a tenant's own bucket starts with a byte no user key does, and a key the
/// integration chose (`custom`) with another.
pub fn bucket_key(policy: PolicyId, owner: Owner<'_>) -> SmallVec<[u8; 128]> {
  let mut key = SmallVec::new();
  key.extend_from_slice(&policy.to_le_bytes());
  match owner {
    Owner::Tenant(t) => {
      key.push(b't');
      key.extend_from_slice(t.as_bytes());
    }
    Owner::User { user, tenant } => {
      key.push(b'u');
      key.extend_from_slice(&(user.len() as u32).to_le_bytes());
      key.extend_from_slice(user.as_bytes());
      if let Some(t) = tenant {
        key.push(b'/');
        key.extend_from_slice(t.as_bytes());
      }
    }
    Owner::Custom(k) => {
      key.push(b'k');
      key.extend_from_slice(k.as_bytes());
    }
  }
  key
}

/// A bucket key as text (base64url), the form a store outside the process names buckets by.
pub fn bucket_key_text(key: &[u8]) -> String {
  crate::jwt::base64url::encode(key)
}

/// The key `bucket_key_text` wrote; `None` for any other text.
pub fn bucket_key_from_text(text: &str) -> Option<Vec<u8>> {
  let mut key = Vec::new();
  crate::jwt::base64url::decode_into(text.as_bytes(), &mut key).map(|_| key)
}

/// Whose bucket: what `bucket_key` keys.
#[derive(Debug, Clone, Copy)]
pub enum Owner<'a> {
  Tenant(&'a str),
  User {
    user: &'a str,
    tenant: Option<&'a str>,
  },
  Custom(&'a str),
}

impl<'a> Owner<'a> {
  /// The owner `mode` names for a request by `user` in `tenant`.
  pub fn of(mode: LimitKey, user: &'a str, tenant: Option<&'a str>) -> Owner<'a> {
    match (mode, tenant) {
      (LimitKey::Tenant, Some(t)) => Owner::Tenant(t),
      (LimitKey::UserAndTenant, tenant) => Owner::User { user, tenant },
      _ => Owner::User { user, tenant: None },
    }
  }
}

#[cfg(test)]
#[path = "ratelimit_tests.rs"]
mod tests;
