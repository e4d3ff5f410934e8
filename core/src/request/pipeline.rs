//! The fused call: Bearer → JWT → claims → tenant → rate limit, with a request id on every outcome,
//! in the order and with the codes of the error table (docs/errors.md).

pub use crate::authenticator::Authenticator;
use crate::clock::Now;
use crate::config::Value;
use crate::error::{Error, ErrorCode};
use crate::jwt::Claims;
use crate::metrics::{PolicyCount, ShardClaim};
use crate::request::bearer;
use crate::request::cache::Entry;
use crate::request::ratelimit::{bucket_key, Owner, PolicyId, Rate, RateInfo};
use crate::request::request_id;
use crate::request::tenant::{Field, Tenant};
use std::sync::Arc;

/// One request's inputs, as the binding could read them.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
  pub authorization: Field<'a>,
  pub tenant_header: Field<'a>,
  pub host: Field<'a>,
  pub limit: Limit,
}

/// Which bucket a request spends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Limit {
  /// The token's plan's, else the default limits, under the configured key.
  #[default]
  Default,
  /// A route's own limits (a policy `define_route_limit` returned), under the configured key.
  Route(PolicyId),
  /// None here: the caller limits the request itself (`take_rate_limit`), or not at all.
  Deferred,
}

/// The claims of a success: just verified (borrowing the decoded payload) or from the cache.
/// Lives on the stack for one request; boxing the fresh claims would cost an allocation each.
#[allow(clippy::large_enum_variant)]
pub enum ClaimsRef<'a> {
  Fresh(Claims<'a>),
  Cached(&'a Claims<'static>),
}

impl<'a> std::ops::Deref for ClaimsRef<'a> {
  type Target = Claims<'a>;
  fn deref(&self) -> &Claims<'a> {
    match self {
      ClaimsRef::Fresh(c) => c,
      ClaimsRef::Cached(c) => c,
    }
  }
}

/// Per-caller buffers the claims of a success borrow from: the decoded payload, or the cache
/// entry a hit holds on to. Reused across calls, so the request path allocates nothing.
#[derive(Default)]
pub struct Scratch {
  pub payload: Vec<u8>,
  cached: Option<Arc<Entry>>,
  /// The verified token's `sub` of a refusal made after its signature verified, copied out of
  /// the claims (which a refusal drops) into a buffer reused across calls.
  subject: String,
  /// The metrics shard this caller writes.
  shard: ShardClaim,
}

pub struct Success<'a> {
  pub claims: ClaimsRef<'a>,
  tenant: Option<Tenant<'a>>,
  /// The bucket it spent; `None` with the limiter off or deferred.
  pub rate: Option<RateInfo>,
  /// Whether the token's plan is in `rateLimitPlans` (so its limits apply).
  planned: bool,
  /// The cache entry holding these claims, when the cache is on.
  pub cache_id: Option<u64>,
}

impl Success<'_> {
  pub fn tenant(&self) -> Option<&str> {
    let claim = self.claims.tenant_id.as_ref().map(|t| t.as_str());
    self.tenant.as_ref().map(|t| t.as_str(claim))
  }

  /// The plan whose limits apply to the token, when it has one in the table.
  pub fn plan(&self) -> Option<&str> {
    self
      .claims
      .plan
      .as_ref()
      .filter(|_| self.planned)
      .map(|p| p.as_str())
  }

  pub fn user_id(&self) -> &str {
    self.claims.sub.as_ref().map_or("", |s| s.as_str())
  }

  /// Whether `tenant()` is the token's own claim rather than a tenant the request named.
  pub fn tenant_from_token(&self) -> bool {
    matches!(self.tenant, Some(Tenant::Claim))
  }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failure {
  pub code: ErrorCode,
  /// Present when the rate limiter refused the request.
  pub rate: Option<RateInfo>,
}

/// What `finish` decided for a request it let through: its tenant, its bucket's figures, and
/// whether the token's plan applied.
type Decided<'s> = (Option<Tenant<'s>>, Option<RateInfo>, bool);

pub struct Outcome<'a> {
  pub request_id: [u8; request_id::LEN],
  pub result: Result<Success<'a>, Failure>,
  /// On a refusal made after the token's signature verified (revoked, tenant, rate limit): the
  /// token's user, for logs and audit events. Never a sign that the request is authenticated.
  pub subject: Option<&'a str>,
}

impl Authenticator {
  /// The tenant a request is for when `claim` is what its credential is bound to (an API key's
  /// tenant, say), by the same rule as `authenticate`: `None` for no tenant, or the code.
  pub fn resolve_tenant(
    &self,
    claim: Option<&str>,
    header: Field<'_>,
    host: Field<'_>,
  ) -> Result<Option<String>, ErrorCode> {
    let tenant = self.tenants.resolve(claim, header, host)?;
    Ok(tenant.map(|t| t.as_str(claim).to_owned()))
  }

  /// Runs every step for one request. The decoded payload lives in `scratch`, which the claims of
  /// a success borrow; reusing one buffer keeps the hot path free of allocation.
  pub fn authenticate<'s>(&self, req: &Request<'s>, scratch: &'s mut Scratch) -> Outcome<'s> {
    // One clock reading starts the call and judges its claims; one more ends it, for the
    // latency histogram.
    let clock = self.clock.now();
    let Scratch {
      payload,
      cached,
      subject,
      shard,
    } = scratch;
    subject.clear();
    let mut verified = false;
    let shard = if self.metrics.on() {
      shard.shard()
    } else {
      None
    };
    let result = self.run(req, payload, cached, (subject, &mut verified), shard, clock);
    let request_id = request_id::new_v4();
    if self.metrics.on() {
      // One call in 16 is timed, chosen by its id's last (random) hex digit: a clock reading
      // costs as much as all the rest of the counting.
      let took = (request_id[request_id::LEN - 1] == b'0').then(|| {
        self
          .clock
          .monotonic_nanos()
          .saturating_sub(clock.monotonic_nanos)
      });
      self
        .metrics
        .request(shard, result.as_ref().err().map(|f| f.code), took);
      if let Ok(s) = &result {
        self.metrics.tenant(s.tenant());
      }
    }
    let subject: &'s String = subject;
    Outcome {
      request_id,
      subject: (verified && result.is_err()).then_some(subject.as_str()),
      result,
    }
  }

  fn run<'s>(
    &self,
    req: &Request<'s>,
    payload: &'s mut Vec<u8>,
    cached: &'s mut Option<Arc<Entry>>,
    subject: (&mut String, &mut bool),
    shard: Option<usize>,
    clock: Now,
  ) -> Result<Success<'s>, Failure> {
    let fail = |code| Failure { code, rate: None };
    let token = match req.authorization {
      Field::Absent => return Err(fail(ErrorCode::MissingAuthorization)),
      Field::Unusable => return Err(fail(ErrorCode::InvalidAuthorizationFormat)),
      Field::Present(header) => bearer::extract(header).map_err(fail)?,
      // Only a prefix was read: still say whether it was a Bearer header, but a token that long
      // is over any size bound.
      Field::TooLong(prefix) => {
        bearer::extract(prefix).map_err(fail)?;
        return Err(fail(ErrorCode::TokenMalformed));
      }
    };
    let now = clock.unix_seconds;
    let hit = self.cache.as_ref().and_then(|c| c.get(token, now));
    if self.cache.is_some() {
      self.metrics.cache(shard, hit.is_some());
    }
    let (claims, cache_id) = match hit {
      Some(entry) => {
        let entry: &'s Arc<Entry> = cached.insert(entry);
        // Signature and the fixed claims held when it was stored; time moves on.
        self.access.check_times(&entry.claims, now).map_err(fail)?;
        (ClaimsRef::Cached(&entry.claims), Some(entry.id))
      }
      None => {
        let claims = self.access.verify(token, now, payload).map_err(fail)?;
        let id = self
          .cache
          .as_ref()
          .and_then(|c| c.put(token, &claims, now))
          .map(|e| e.id);
        (ClaimsRef::Fresh(claims), id)
      }
    };
    let refused = self.finish(&claims, req, shard, clock);
    match refused {
      Ok((tenant, rate, planned)) => Ok(Success {
        claims,
        tenant,
        rate,
        planned,
        cache_id,
      }),
      Err(f) => {
        let (text, set) = subject;
        text.push_str(claims.sub.as_ref().map_or("", |s| s.as_str()));
        *set = true;
        Err(f)
      }
    }
  }

  /// Revocation, tenant and rate limit: what every request decides afresh, cached or not.
  /// The tenant, the bucket's figures and whether the token's plan applied, or the refusal.
  fn finish<'s>(
    &self,
    claims: &ClaimsRef<'s>,
    req: &Request<'s>,
    shard: Option<usize>,
    now: Now,
  ) -> Result<Decided<'s>, Failure> {
    let fail = |code| Failure { code, rate: None };
    if self.revocations.is_revoked(claims, now.unix_seconds) {
      return Err(fail(ErrorCode::TokenRevoked));
    }
    let claim_tenant = claims.tenant_id.as_ref().map(|t| t.as_str());
    let tenant = self
      .tenants
      .resolve(claim_tenant, req.tenant_header, req.host)
      .map_err(fail)?;
    let plan_policy = self.plan_policy(claims.plan.as_ref().map(|p| p.as_str()));
    let route = match req.limit {
      Limit::Route(id) => Some(id),
      Limit::Default | Limit::Deferred => None,
    };
    let policy = match (self.settings.limit_key, req.limit) {
      (None, _) | (_, Limit::Deferred) => None,
      (Some(mode), _) => Some((mode, chosen_policy(route, plan_policy))),
    };
    let rate = match policy {
      None => None,
      Some((mode, id)) => {
        let user = claims.sub.as_ref().map_or("", |s| s.as_str());
        // Only the tenant the token itself names keys a bucket: one a header or the Host names
        // is the client's choice, and would give a token without a tenant a new budget per value.
        let bound = matches!(tenant, Some(Tenant::Claim))
          .then_some(claim_tenant)
          .flatten();
        let owner = Owner::of(mode, user, bound);
        let (allowed, rate) = self
          .limiter
          .take_in(id, &bucket_key(id, owner), now.monotonic_nanos)
          .ok_or(fail(ErrorCode::Internal))?;
        self.metrics.limited(shard, self.policy_count(id), allowed);
        if !allowed {
          return Err(Failure {
            code: ErrorCode::RateLimited,
            rate: Some(rate),
          });
        }
        Some(rate)
      }
    };
    Ok((tenant, rate, plan_policy.is_some()))
  }

  /// Defines a route's own limits; the returned policy goes in `Request::limit`.
  pub fn define_route_limit(&self, limits: Value) -> Result<PolicyId, Error> {
    if self.settings.limit_key.is_none() {
      return Err(Error::config(
        "a route limit has no use with `rateLimit: false`",
      ));
    }
    let defaults = Rate {
      capacity: self.settings.limits.capacity,
      refill_per_sec: self.settings.limits.refill_per_sec,
    };
    let rate = crate::request::rate_policy::rate_from_value(limits, "rateLimit", defaults)?;
    let mut defined = self.route_limits.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((_, id)) = defined.iter().find(|(r, _)| *r == rate) {
      return Ok(*id);
    }
    let id = self.limiter.add_policy(rate)?;
    defined.push((rate, id));
    Ok(id)
  }

  /// How decisions under `policy` are counted: policy 0 is the default, then the plans, then
  /// the route limits.
  fn policy_count(&self, policy: PolicyId) -> PolicyCount {
    let plans = self.settings.plans.as_ref().map_or(0, |p| p.rates.len());
    match policy as usize {
      0 => PolicyCount::Default,
      p if p <= plans => PolicyCount::Plan(p - 1),
      _ => PolicyCount::Route,
    }
  }

  /// The policy of a plan the configuration lists (`rateLimitPlans`), if any.
  fn plan_policy(&self, plan: Option<&str>) -> Option<PolicyId> {
    self.settings.plans.as_ref()?.policy(plan?)
  }

  /// The bucket a request by `user` in `tenant` spends under the configured key, with its rate:
  /// a route's limits, else the plan's, else the default's. For a shared store that keeps the
  /// buckets itself (the `exact` mode of the Redis link); `None` with the limiter off.
  pub fn bucket_for(
    &self,
    user: &str,
    tenant: Option<&str>,
    route: Option<PolicyId>,
    plan: Option<&str>,
  ) -> Option<(Vec<u8>, Rate)> {
    let mode = self.settings.limit_key?;
    let policy = chosen_policy(route, self.plan_policy(plan));
    let rate = self.limiter.rate(policy)?;
    Some((
      bucket_key(policy, Owner::of(mode, user, tenant)).to_vec(),
      rate,
    ))
  }

  /// Takes one token from the bucket the caller keys (`key`, its own namespace: it never meets a
  /// user's or a tenant's bucket), under a route's limits, a plan's, or the default's. For the
  /// integrations' `rateLimitKey` function, after a `Limit::Deferred` call.
  pub fn take_rate_limit(
    &self,
    key: &str,
    route: Option<PolicyId>,
    plan: Option<&str>,
  ) -> Result<(bool, RateInfo), Error> {
    if self.settings.limit_key.is_none() {
      return Err(Error::argument(
        "the rate limiter is off (`rateLimit: false`)",
      ));
    }
    let policy = chosen_policy(route, self.plan_policy(plan));
    let taken = self
      .limiter
      .take_in(
        policy,
        &bucket_key(policy, Owner::Custom(key)),
        self.clock.now().monotonic_nanos,
      )
      .ok_or_else(|| Error::argument("unknown route limit"))?;
    self
      .metrics
      .limited(None, self.policy_count(policy), taken.0);
    Ok(taken)
  }
}

/// Which limits a request spends under: its route's, else its plan's, else the default's (0).
/// The one place that order is decided; the JS engine's `chosenPolicy` is its twin.
fn chosen_policy(route: Option<PolicyId>, plan: Option<PolicyId>) -> PolicyId {
  route.or(plan).unwrap_or(0)
}

impl Authenticator {
  /// Every claim of the token in `authorization` (custom ones included) as its JSON text, when
  /// the token verifies and is not revoked; `None` otherwise. Costs a verification, so only the
  /// callers who need more than the result's fields pay for it; uses no rate-limit token.
  pub fn verified_claims(&self, authorization: &[u8]) -> Option<String> {
    let token = crate::request::bearer::extract(authorization).ok()?;
    let now = self.clock().unix_seconds();
    let mut payload = Vec::new();
    let claims = self
      .access_verifier()
      .verify(token, now, &mut payload)
      .ok()?;
    if self.revocations().is_revoked(&claims, now) {
      return None;
    }
    drop(claims);
    String::from_utf8(payload).ok()
  }
}

#[cfg(test)]
#[path = "pipeline_tests.rs"]
pub(crate) mod tests;
