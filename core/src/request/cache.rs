//! The verified-token cache (fast-jwt's lesson): a token whose signature and static claims were
//! checked once is not checked again until it expires. Keyed by the whole token, so two different
//! tokens can never share an entry; time claims, revocation, tenant and rate limit are still
//! decided on every request; only successes are stored.

use crate::contract::option::cache as opt;
use crate::error::Error;
use crate::jwt::Claims;
use crate::options::{wrong, Options, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheSettings {
  pub max: usize,
  pub ttl_secs: u64,
}

impl CacheSettings {
  /// `cache: true | false | { max, ttl }`.
  pub fn from_value(value: Option<Value>) -> Result<Option<CacheSettings>, Error> {
    let defaults = CacheSettings {
      max: opt::MAX.default as usize,
      ttl_secs: opt::TTL.default as u64,
    };
    match value {
      None | Some(Value::Bool(false)) => Ok(None),
      Some(Value::Bool(true)) => Ok(Some(defaults)),
      Some(Value::Map(m)) => {
        let mut opts = Options(m);
        opts
          .refuse_unknown(opt::NAMES)
          .map_err(|e| Error::config(format!("cache: {}", e.detail)))?;
        Ok(Some(CacheSettings {
          max: opts.whole(&opt::MAX)? as usize,
          ttl_secs: opts.whole(&opt::TTL)? as u64,
        }))
      }
      Some(v) => Err(wrong("cache", "true, false or { max, ttl }", &v)),
    }
  }
}

/// A verified token's claims, owned, and until when the entry may be used. `id` names the entry
/// for callers that keep what they decoded from it (the JS layer keeps the user fields, so a hit
/// does not build those strings again); ids are never reused.
pub struct Entry {
  pub claims: Claims<'static>,
  pub id: u64,
  token: Box<[u8]>,
  until: u64,
}

/// One generation, by token.
#[derive(Default)]
struct Generation {
  by_token: HashMap<Box<[u8]>, Arc<Entry>, foldhash::fast::RandomState>,
}

impl Generation {
  fn len(&self) -> usize {
    self.by_token.len()
  }

  fn insert(&mut self, entry: Arc<Entry>) {
    self.by_token.insert(entry.token.clone(), entry);
  }

  fn remove(&mut self, entry: &Entry) {
    self.by_token.remove(&entry.token);
  }
}

/// Two generations: new entries go into `young`; when it is full it becomes `old` and the old
/// `old` is dropped. A hit in `old` moves up. Every operation is O(1) and at most `max` entries
/// are held, least recently used going first (approximately).
#[derive(Default)]
struct Generations {
  young: Generation,
  old: Generation,
}

pub struct VerifiedCache {
  settings: CacheSettings,
  state: Mutex<Generations>,
  next_id: std::sync::atomic::AtomicU64,
}

impl VerifiedCache {
  pub fn new(settings: CacheSettings) -> VerifiedCache {
    VerifiedCache {
      settings,
      state: Mutex::default(),
      next_id: std::sync::atomic::AtomicU64::new(1),
    }
  }

  fn lock(&self) -> MutexGuard<'_, Generations> {
    self.state.lock().unwrap_or_else(|p| p.into_inner())
  }

  pub fn get(&self, token: &[u8], now: u64) -> Option<Arc<Entry>> {
    let mut g = self.lock();
    if let Some(e) = g.young.by_token.get(token) {
      return (e.until > now).then(|| e.clone());
    }
    let e = g.old.by_token.get(token)?.clone();
    self.promote(&mut g, &e, now)
  }

  fn promote(&self, g: &mut Generations, e: &Arc<Entry>, now: u64) -> Option<Arc<Entry>> {
    g.old.remove(e);
    if e.until <= now {
      return None;
    }
    self.insert_locked(g, e.clone());
    Some(e.clone())
  }

  /// Stores verified claims for `token`, for at most `ttl` and never past `exp`; the entry, unless
  /// it would already be stale.
  pub fn put(&self, token: &[u8], claims: &Claims<'_>, now: u64) -> Option<Arc<Entry>> {
    let mut until = now.saturating_add(self.settings.ttl_secs);
    if let Some(exp) = claims.exp {
      until = until.min(exp.max(0.0) as u64);
    }
    if until <= now {
      return None;
    }
    let entry = Arc::new(Entry {
      claims: owned(claims),
      id: self
        .next_id
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed),
      token: token.into(),
      until,
    });
    let mut g = self.lock();
    if let Some(previous) = g.young.by_token.get(token).cloned() {
      g.young.remove(&previous);
    }
    self.insert_locked(&mut g, entry.clone());
    Some(entry)
  }

  fn insert_locked(&self, g: &mut Generations, entry: Arc<Entry>) {
    if g.young.len() >= self.settings.max / 2 {
      g.old = std::mem::take(&mut g.young);
    }
    g.young.insert(entry);
  }

  pub fn clear(&self) {
    *self.lock() = Generations::default();
  }

  pub fn len(&self) -> usize {
    let g = self.lock();
    g.young.len() + g.old.len()
  }

  pub fn is_empty(&self) -> bool {
    self.len() == 0
  }
}

fn own(s: &Option<crate::jwt::Str<'_>>) -> Option<crate::jwt::Str<'static>> {
  s.as_ref()
    .map(|s| crate::jwt::Str(s.as_str().to_owned().into()))
}

fn owned(c: &Claims<'_>) -> Claims<'static> {
  let list = |v: &[crate::jwt::Str<'_>]| {
    v.iter()
      .map(|s| crate::jwt::Str(s.as_str().to_owned().into()))
      .collect()
  };
  Claims {
    sub: own(&c.sub),
    email: own(&c.email),
    role: own(&c.role),
    roles: list(&c.roles),
    permissions: list(&c.permissions),
    tenant_id: own(&c.tenant_id),
    token_type: own(&c.token_type),
    iss: own(&c.iss),
    aud: list(&c.aud),
    jti: own(&c.jti),
    fam: own(&c.fam),
    exp: c.exp,
    nbf: c.nbf,
    iat: c.iat,
    token_use: own(&c.token_use),
    id_token_claims: c.id_token_claims,
    marker: own(&c.marker),
    plan: own(&c.plan),
  }
}

#[cfg(test)]
#[path = "cache_tests.rs"]
mod tests;
