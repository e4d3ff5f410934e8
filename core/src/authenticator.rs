//! The authenticator: one prepared configuration — keys, rules, limiter, revocations, sessions,
//! cache — made once and shared by every request. Its methods live by capability: the request path
//! in `request/pipeline.rs`, the token lifecycle in `lifecycle/` (signing, rotation, revoking, key
//! rotation, revocation state), each file one job.

use crate::clock::{Clock, SystemClock};
use crate::config::{RawConfig, Settings};
use crate::error::Error;
use crate::jwt::verify::KeySource;
use crate::jwt::{ClaimMap, HmacKey, Validation, Verifier};
use crate::lifecycle::revocation::Revocations;
use crate::lifecycle::sessions::Sessions;
use crate::metrics::Metrics;
use crate::request::cache::VerifiedCache;
use crate::request::ratelimit::{PolicyId, Rate, RateLimiter};
use crate::request::tenant::TenantPolicy;
use std::sync::{Arc, RwLock};

pub struct Authenticator {
  pub(crate) settings: Settings,
  pub(crate) access: Verifier,
  pub(crate) refresh: Option<Verifier>,
  pub(crate) tenants: TenantPolicy,
  pub(crate) limiter: RateLimiter,
  pub(crate) revocations: Revocations,
  pub(crate) sessions: Sessions,
  pub(crate) cache: Option<VerifiedCache>,
  pub(crate) clock: Arc<dyn Clock>,
  /// Route limits defined so far, by their rates: the same limits defined again (by another
  /// worker sharing this authenticator, or another middleware) name the same buckets.
  pub(crate) route_limits: std::sync::Mutex<Vec<(Rate, PolicyId)>>,
  pub(crate) metrics: Metrics,
}

impl Authenticator {
  pub fn from_config(raw: RawConfig) -> Result<Authenticator, Error> {
    Self::with_clock(Settings::from_raw(raw)?, Arc::new(SystemClock))
  }

  pub fn with_clock(settings: Settings, clock: Arc<dyn Clock>) -> Result<Authenticator, Error> {
    let issuers = crate::jwt::Issuers::new(&settings.issuers)?;
    let rules = |token_type| Validation {
      issuers: issuers.clone(),
      audiences: settings.audiences.clone(),
      leeway: settings.leeway,
      require_exp: settings.require_exp,
      require_sub: true,
      token_type: Some(token_type),
      mark: if token_type == "access" {
        settings.access_mark.clone()
      } else {
        None
      },
      // An age bound is for the tokens a request presents; a refresh token lives its own length.
      max_age: if token_type == "access" {
        settings.max_token_age
      } else {
        None
      },
      // Refresh tokens are only ever ours, under the default names.
      claim_map: if token_type == "access" {
        settings.claim_map.clone()
      } else {
        ClaimMap::default()
      },
    };
    let verifier = |key: KeySource, token_type| {
      Verifier::new(
        key,
        settings.algorithms,
        settings.max_token_length,
        rules(token_type),
      )
    };
    let access_key = match (&settings.access_secret, &settings.keys) {
      (Some(secret), _) => KeySource::Secret(HmacKey::new(secret)),
      (None, Some(keys)) => KeySource::Keys(RwLock::new(keys.clone())),
      (None, None) => return Err(Error::config("`accessSecret` is required")),
    };
    let access = verifier(access_key, "access");
    let refresh = match (&settings.refresh_secret, &settings.refresh_keys) {
      (Some(secret), _) => Some(KeySource::Secret(HmacKey::new(secret))),
      (None, Some(keys)) => Some(KeySource::Keys(RwLock::new(keys.clone()))),
      (None, None) => None,
    }
    .map(|key| verifier(key, "refresh"));
    let settings_plans = settings.plans.as_ref().map_or(0, |p| p.rates.len());
    let settings_metrics = settings.metrics;
    let settings_tenants = settings.metrics_tenants;
    Ok(Authenticator {
      tenants: TenantPolicy {
        base_domains: settings.base_domains.clone(),
        enforce: settings.enforce_tenant_match,
      },
      limiter: RateLimiter::with_plans(
        settings.limits,
        settings.plans.as_ref().map_or(&[], |p| &p.rates),
      ),
      // A user cutoff must outlive every token it could match: the longest lifetime signed here.
      revocations: Revocations::new(
        settings.revocation_max_entries,
        settings.longest_token_lifetime(),
      ),
      sessions: Sessions::new(settings.max_sessions),
      cache: settings.cache.map(VerifiedCache::new),
      access,
      refresh,
      settings,
      clock,
      route_limits: std::sync::Mutex::default(),
      metrics: Metrics::with_tenants(settings_plans, settings_metrics, settings_tenants),
    })
  }

  /// What it has done so far (counted on the request path and in the lifecycle).
  pub fn metrics(&self) -> &Metrics {
    &self.metrics
  }

  pub fn settings(&self) -> &Settings {
    &self.settings
  }

  pub fn clock(&self) -> &dyn Clock {
    &*self.clock
  }

  pub fn access_verifier(&self) -> &Verifier {
    &self.access
  }

  pub fn refresh_verifier(&self) -> Option<&Verifier> {
    self.refresh.as_ref()
  }

  pub fn rate_limiter(&self) -> &RateLimiter {
    &self.limiter
  }

  pub fn revocations(&self) -> &Revocations {
    &self.revocations
  }

  pub fn sessions(&self) -> &Sessions {
    &self.sessions
  }

  pub fn cache(&self) -> Option<&VerifiedCache> {
    self.cache.as_ref()
  }
}
