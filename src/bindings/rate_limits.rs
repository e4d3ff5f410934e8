//! Route limits and caller-keyed buckets: the parts of the limiter an integration drives itself.

use super::config::{describe, Depth};
use super::errors::guard;
use super::registry::Registered;
use auth_shield_core::config::Value;
use auth_shield_core::error::Error;
use auth_shield_core::request::pipeline::Authenticator;
use auth_shield_core::request::ratelimit::PolicyId;
use napi::bindgen_prelude::External;
use napi::{Env, Unknown};
use napi_derive::napi;

/// What the request path's `limit` argument means by this number: the caller limits the request
/// itself, or not at all. 0 is the default limits; any other number a route limit.
pub const DEFERRED: u32 = u32::MAX;

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
    Ok(TakenRate {
      allowed,
      limit: info.limit,
      remaining: info.remaining,
      reset: info.reset,
      retry_after: info.retry_after,
    })
  })
}
