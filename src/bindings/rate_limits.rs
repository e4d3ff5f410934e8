//! Route limits and caller-keyed buckets: the parts of the limiter an integration drives itself.

use super::config::{describe, Depth};
use super::errors::guard;
use super::registry::Registered;
use auth_shield_core::config::Value;
use auth_shield_core::error::Error;
use auth_shield_core::request::pipeline::Authenticator;
use auth_shield_core::request::ratelimit::{
  bucket_key_from_text, bucket_key_text, PolicyId, RateInfo,
};
use napi::bindgen_prelude::External;
use napi::{Env, Unknown};
use napi_derive::napi;

/// Defines a route's own limits (`{ max, refill }`) and returns the policy id requests pass.
#[napi]
pub fn define_route_limit(
  env: Env,
  authenticator: &External<Registered>,
  limits: Unknown,
) -> napi::Result<u32> {
  let auth: &Authenticator = authenticator;
  guard(&env, || {
    let value = describe(&limits, Depth::OPTION)
      .map_err(|_| Error::config("`rateLimit` could not be read"))?
      .unwrap_or(Value::Other("null or undefined"));
    auth.define_route_limit(value)
  })
}

#[napi(object)]
pub struct TakenRate {
  pub allowed: bool,
  pub limit: u32,
  pub remaining: u32,
  pub reset: u32,
  pub retry_after: u32,
}

impl From<(bool, RateInfo)> for TakenRate {
  fn from((allowed, info): (bool, RateInfo)) -> Self {
    TakenRate {
      allowed,
      limit: info.limit,
      remaining: info.remaining,
      reset: info.reset,
      retry_after: info.retry_after,
    }
  }
}

/// Takes one token from the bucket `key` under a route's limits (`route` ≠ 0), else the plan's,
/// else the default's.
#[napi]
pub fn take_rate_limit(
  env: Env,
  authenticator: &External<Registered>,
  key: String,
  route: u32,
  plan: Option<String>,
) -> napi::Result<TakenRate> {
  let auth: &Authenticator = authenticator;
  guard(&env, || {
    let route: Option<PolicyId> = (route != 0).then_some(route);
    let (allowed, info) = auth.take_rate_limit(&key, route, plan.as_deref())?;
    Ok(TakenRate::from((allowed, info)))
  })
}

/// A bucket's use since the last drain, for a store shared by instances.
#[napi(object)]
pub struct BucketUsage {
  /// The bucket's key as text (`bucket_key_text`).
  pub key: String,
  pub used: u32,
  pub capacity: u32,
  pub refill: f64,
}

/// Starts counting the tokens taken, for `drain_rate_limit_usage`.
#[napi]
pub fn track_rate_limit_usage(authenticator: &External<Registered>) {
  authenticator.rate_limiter().track_usage();
}

/// Every bucket's use since the last drain.
#[napi]
pub fn drain_rate_limit_usage(authenticator: &External<Registered>) -> Vec<BucketUsage> {
  authenticator
    .rate_limiter()
    .drain_usage()
    .into_iter()
    .map(|u| BucketUsage {
      key: bucket_key_text(&u.key),
      used: u.used,
      capacity: u.rate.capacity,
      refill: u.rate.refill_per_sec,
    })
    .collect()
}

/// Sets a bucket to the level a shared store reports (less what was taken here since).
#[napi]
pub fn correct_rate_limit(authenticator: &External<Registered>, key: String, tokens: f64) {
  let Some(key) = bucket_key_from_text(&key) else {
    return;
  };
  if tokens.is_finite() {
    let now = authenticator.clock().now().monotonic_nanos;
    authenticator.rate_limiter().correct(&key, tokens, now);
  }
}

#[napi(object)]
pub struct BucketOf {
  /// The bucket's key as text (`bucket_key_text`).
  pub key: String,
  pub capacity: u32,
  pub refill: f64,
}

/// The bucket a request by `user` in `tenant` spends, under a route's limits (`route` ≠ 0), else
/// the plan's, else the default's; null with the limiter off.
#[napi]
pub fn rate_limit_bucket(
  authenticator: &External<Registered>,
  user: String,
  tenant: Option<String>,
  route: u32,
  plan: Option<String>,
) -> Option<BucketOf> {
  let route: Option<PolicyId> = (route != 0).then_some(route);
  authenticator
    .bucket_for(&user, tenant.as_deref(), route, plan.as_deref())
    .map(|(key, rate)| BucketOf {
      key: bucket_key_text(&key),
      capacity: rate.capacity,
      refill: rate.refill_per_sec,
    })
}

/// Takes one token from a bucket named by its key (`rate_limit_bucket`'s), in this process: what
/// the `exact` mode falls back to when the shared store does not answer.
#[napi]
pub fn take_rate_limit_bucket(
  env: Env,
  authenticator: &External<Registered>,
  key: String,
) -> napi::Result<TakenRate> {
  guard(&env, || {
    let now = authenticator.clock().now().monotonic_nanos;
    let (allowed, info) = bucket_key_from_text(&key)
      .and_then(|key| authenticator.rate_limiter().take_key(&key, now))
      .ok_or_else(|| Error::argument("not a rate-limit bucket key"))?;
    Ok(TakenRate::from((allowed, info)))
  })
}
