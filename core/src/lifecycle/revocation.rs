//! Revoked tokens, users and refresh-token families, checked inside the fused call: in memory,
//! O(1), bounded, and expiring once every token a revocation could match would have expired
//! anyway. State can be exported and imported as plain data, and this process's own revocations
//! listed as events since a cursor, for a later cross-process sync to publish and apply.

use super::user_cutoff::Cutoff;
use crate::error::{Error, ErrorCode};
use crate::jwt::Claims;
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

/// Ids (jti, user, tenant, family) longer than this are refused: no real id is that long.
pub const MAX_ID_BYTES: usize = crate::contract::limit::MAX_REVOCATION_ID_BYTES;
/// Own revocations kept for `changes_since`; older cursors must take a full export.
const LOG_CAPACITY: usize = crate::contract::limit::REVOCATION_LOG_CAPACITY;
const MAX_REISSUED: usize = crate::contract::limit::MAX_REISSUED_IDS;

/// One revocation, as it is exported, listed and applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
  /// The token with this `jti`.
  Token { jti: String, expires_at: u64 },
  /// Tokens of `user` (with `tenant_id` = `tenant`, when given) issued at or before the second
  /// `before`, except those listed in `reissued` (signed here after the revocation, in that same
  /// second).
  User {
    user: String,
    tenant: Option<String>,
    before: u64,
    reissued: Vec<String>,
    expires_at: u64,
  },
  /// Every token carrying this refresh-token family id (`fam`).
  Family { family: String, expires_at: u64 },
}

impl Event {
  fn expires_at(&self) -> u64 {
    match self {
      Event::Token { expires_at, .. }
      | Event::User { expires_at, .. }
      | Event::Family { expires_at, .. } => *expires_at,
    }
  }
}

#[derive(Default)]
struct UserCutoffs {
  all: Option<Cutoff>,
  tenants: HashMap<String, Cutoff>,
}

#[derive(Default)]
struct State {
  tokens: HashMap<String, u64>,
  users: HashMap<String, UserCutoffs>,
  families: HashMap<String, u64>,
  entries: usize,
  /// No entry expires before this second (0: not known; the next purge finds it). At the bound a
  /// purge can free nothing before then, so a refusal costs no scan of every entry.
  next_expiry: u64,
  log: VecDeque<(u64, Event)>,
  next_seq: u64,
}

impl State {
  /// Whether recording `event` would take a new entry (rather than merge into one).
  fn adds(&self, event: &Event) -> bool {
    match event {
      Event::Token { jti, .. } => !self.tokens.contains_key(jti),
      Event::Family { family, .. } => !self.families.contains_key(family),
      Event::User { user, tenant, .. } => self.users.get(user).is_none_or(|u| match tenant {
        None => u.all.is_none(),
        Some(t) => !u.tenants.contains_key(t),
      }),
    }
  }

  fn purge(&mut self, now: u64) {
    self.tokens.retain(|_, e| *e > now);
    self.families.retain(|_, e| *e > now);
    self.users.retain(|_, u| {
      if u.all.as_ref().is_some_and(|c| c.expires_at <= now) {
        u.all = None;
      }
      u.tenants.retain(|_, c| c.expires_at > now);
      u.all.is_some() || !u.tenants.is_empty()
    });
    self.entries = self.tokens.len()
      + self.families.len()
      + self
        .users
        .values()
        .map(|u| usize::from(u.all.is_some()) + u.tenants.len())
        .sum::<usize>();
    let users = self
      .users
      .values()
      .flat_map(|u| u.all.iter().chain(u.tenants.values()).map(|c| c.expires_at));
    self.next_expiry = self
      .tokens
      .values()
      .chain(self.families.values())
      .copied()
      .chain(users)
      .min()
      .unwrap_or(u64::MAX);
  }

  /// Whether `event` cannot be taken at the bound: it would add an entry, and nothing held
  /// expires by `now` to make room (so a purge would be wasted).
  fn full_for(&self, event: &Event, max_entries: usize, now: u64) -> bool {
    self.entries >= max_entries && self.adds(event) && now < self.next_expiry
  }
}

pub struct Revocations {
  /// Live entries; when 0 the per-request check takes no lock at all.
  active: AtomicUsize,
  max_entries: usize,
  /// How long a user cutoff must last: the longest lifetime a token this service signs can have.
  cutoff_ttl: u64,
  state: RwLock<State>,
}

pub fn check_id(id: &str, what: &str) -> Result<(), Error> {
  if id.is_empty() || id.len() > MAX_ID_BYTES || id.chars().any(char::is_control) {
    return Err(Error::argument(format!(
      "`{what}` must be 1 to {MAX_ID_BYTES} bytes with no control characters"
    )));
  }
  Ok(())
}

impl Revocations {
  pub fn new(max_entries: usize, cutoff_ttl: u64) -> Revocations {
    Revocations {
      active: AtomicUsize::new(0),
      max_entries,
      cutoff_ttl,
      state: RwLock::default(),
    }
  }

  fn read(&self) -> RwLockReadGuard<'_, State> {
    self.state.read().unwrap_or_else(|p| p.into_inner())
  }

  fn write(&self) -> RwLockWriteGuard<'_, State> {
    self.state.write().unwrap_or_else(|p| p.into_inner())
  }

  /// Whether verified `claims` are revoked at `now`.
  pub fn is_revoked(&self, claims: &Claims<'_>, now: u64) -> bool {
    if self.active.load(Ordering::Acquire) == 0 {
      return false;
    }
    let state = self.read();
    let jti = claims.jti.as_ref().map(|s| s.as_str());
    if jti.is_some_and(|j| state.tokens.get(j).is_some_and(|e| *e > now)) {
      return true;
    }
    let fam = claims.fam.as_ref().map(|s| s.as_str());
    if fam.is_some_and(|f| state.families.get(f).is_some_and(|e| *e > now)) {
      return true;
    }
    let Some(user) = claims
      .sub
      .as_ref()
      .and_then(|s| state.users.get(s.as_str()))
    else {
      return false;
    };
    if user
      .all
      .as_ref()
      .is_some_and(|c| c.refuses(claims.iat, jti, now))
    {
      return true;
    }
    let tenant = claims.tenant_id.as_ref().map(|s| s.as_str());
    tenant.is_some_and(|t| {
      user
        .tenants
        .get(t)
        .is_some_and(|c| c.refuses(claims.iat, jti, now))
    })
  }

  /// Records `event` (validated), logging it as this process's own when `local`. All or nothing:
  /// a refused event changes nothing.
  pub fn record(&self, event: Event, now: u64, local: bool) -> Result<bool, Error> {
    match &event {
      Event::Token { jti, .. } => check_id(jti, "jti")?,
      Event::Family { family, .. } => check_id(family, "family")?,
      Event::User {
        user,
        tenant,
        reissued,
        ..
      } => {
        check_id(user, "userId")?;
        if let Some(t) = tenant {
          check_id(t, "tenantId")?;
        }
        if reissued.len() > MAX_REISSUED {
          return Err(Error::argument(format!(
            "`reissued` lists at most {MAX_REISSUED} token ids"
          )));
        }
        for r in reissued {
          check_id(r, "reissued")?;
        }
      }
    }
    if event.expires_at() <= now {
      // Every token it could match has expired already.
      return Ok(false);
    }
    let limit = |entries: usize| {
      Error::new(
        ErrorCode::RevocationLimit,
        format!(
          "{entries} live revocations already (`revocationMaxEntries`); none is dropped, since that would accept a revoked token"
        ),
      )
    };
    // At the bound with nothing due to expire, refuse under the read lock: requests reading the
    // set are not held up, and the refusal costs no scan.
    {
      let state = self.read();
      if state.full_for(&event, self.max_entries, now) {
        return Err(limit(state.entries));
      }
    }
    let mut state = self.write();
    if state.entries >= self.max_entries && state.adds(&event) {
      if now >= state.next_expiry {
        state.purge(now);
        self.active.store(state.entries, Ordering::Release);
      }
      if state.entries >= self.max_entries && state.adds(&event) {
        return Err(limit(state.entries));
      }
    }
    let expires_at = event.expires_at();
    if state.next_expiry != 0 {
      state.next_expiry = state.next_expiry.min(expires_at);
    }
    let added = match &event {
      Event::Token { jti, expires_at } => insert_max(&mut state.tokens, jti, *expires_at),
      Event::Family { family, expires_at } => insert_max(&mut state.families, family, *expires_at),
      Event::User {
        user,
        tenant,
        before,
        reissued,
        expires_at,
      } => {
        let u = state.users.entry(user.clone()).or_default();
        let slot = match tenant {
          None => &mut u.all,
          Some(t) => {
            let fresh = !u.tenants.contains_key(t);
            let c = u.tenants.entry(t.clone()).or_insert(Cutoff {
              before: *before,
              reissued: reissued.clone(),
              expires_at: *expires_at,
            });
            if !fresh {
              c.merge(*before, reissued, *expires_at);
            }
            if fresh {
              state.entries += 1;
              self.active.store(state.entries, Ordering::Release);
            }
            return Ok(self.log(&mut state, event, local));
          }
        };
        match slot {
          Some(c) => {
            c.merge(*before, reissued, *expires_at);
            false
          }
          None => {
            *slot = Some(Cutoff {
              before: *before,
              reissued: reissued.clone(),
              expires_at: *expires_at,
            });
            true
          }
        }
      }
    };
    if added {
      state.entries += 1;
    }
    self.active.store(state.entries, Ordering::Release);
    Ok(self.log(&mut state, event, local))
  }

  fn log(&self, state: &mut State, event: Event, local: bool) -> bool {
    if local {
      let seq = state.next_seq;
      state.next_seq += 1;
      state.log.push_back((seq, event));
      if state.log.len() > LOG_CAPACITY {
        state.log.pop_front();
      }
    }
    true
  }

  /// Revokes every token of `user` (in `tenant`, when given) issued up to now.
  pub fn revoke_user(
    &self,
    user: &str,
    tenant: Option<&str>,
    before: Option<u64>,
    now: u64,
  ) -> Result<bool, Error> {
    let before = before.unwrap_or(now);
    self.record(
      Event::User {
        user: user.to_owned(),
        tenant: tenant.map(str::to_owned),
        before,
        reissued: Vec::new(),
        expires_at: before.max(now).saturating_add(self.cutoff_ttl),
      },
      now,
      true,
    )
  }

  /// Called when a token is signed here: if its user was revoked in this very second, the new
  /// token is not one the revocation meant, so it is let through.
  pub fn note_signed(&self, user: &str, tenant: Option<&str>, jti: &str, iat: u64, now: u64) {
    if self.active.load(Ordering::Acquire) == 0 {
      return;
    }
    let affected = {
      let state = self.read();
      state.users.get(user).is_some_and(|u| {
        u.all
          .as_ref()
          .is_some_and(|c| c.before == iat && c.expires_at > now)
          || tenant
            .and_then(|t| u.tenants.get(t))
            .is_some_and(|c| c.before == iat && c.expires_at > now)
      })
    };
    if !affected {
      return;
    }
    let mut state = self.write();
    let mut updated = Vec::new();
    if let Some(u) = state.users.get_mut(user) {
      let all = u.all.iter_mut().map(|c| (None, c));
      let tenant_cutoff = tenant.and_then(|t| u.tenants.get_mut(t).map(|c| (Some(t), c)));
      for (t, c) in all.chain(tenant_cutoff) {
        if c.before == iat
          && c.expires_at > now
          && c.reissued.len() < MAX_REISSUED
          && !c.reissued.iter().any(|r| r == jti)
        {
          c.reissued.push(jti.to_owned());
          updated.push(Event::User {
            user: user.to_owned(),
            tenant: t.map(str::to_owned),
            before: c.before,
            reissued: c.reissued.clone(),
            expires_at: c.expires_at,
          });
        }
      }
    }
    // Other processes (and shadow mode's second engine) must let this token through too.
    for e in updated {
      self.log(&mut state, e, true);
    }
  }

  /// This process's own revocations after `cursor` (0 for all still kept), and the cursor to ask
  /// from next time; `None` when `cursor` is older than what is kept (take an export instead).
  pub fn changes_since(&self, cursor: u64) -> (u64, Option<Vec<Event>>) {
    let state = self.read();
    let next = state.next_seq;
    let oldest = state.log.front().map_or(next, |(s, _)| *s);
    if cursor < oldest {
      return (next, None);
    }
    let events = state
      .log
      .iter()
      .filter(|(s, _)| *s >= cursor)
      .map(|(_, e)| e.clone())
      .collect();
    (next, Some(events))
  }

  /// Every live revocation.
  pub fn export(&self, now: u64) -> Vec<Event> {
    let state = self.read();
    let mut out: Vec<Event> = state
      .tokens
      .iter()
      .filter(|(_, e)| **e > now)
      .map(|(jti, e)| Event::Token {
        jti: jti.clone(),
        expires_at: *e,
      })
      .collect();
    out.extend(
      state
        .families
        .iter()
        .filter(|(_, e)| **e > now)
        .map(|(f, e)| Event::Family {
          family: f.clone(),
          expires_at: *e,
        }),
    );
    for (user, u) in &state.users {
      let all = u.all.iter().map(|c| (None, c));
      let tenants = u.tenants.iter().map(|(t, c)| (Some(t.clone()), c));
      for (tenant, c) in all.chain(tenants).filter(|(_, c)| c.expires_at > now) {
        out.push(Event::User {
          user: user.clone(),
          tenant,
          before: c.before,
          reissued: c.reissued.clone(),
          expires_at: c.expires_at,
        });
      }
    }
    out
  }

  /// Whether `n` more entries fit, after dropping expired ones.
  pub fn has_room(&self, n: usize, now: u64) -> bool {
    let mut state = self.write();
    if state.entries + n > self.max_entries && now >= state.next_expiry {
      state.purge(now);
      self.active.store(state.entries, Ordering::Release);
    }
    state.entries + n <= self.max_entries
  }

  pub fn len(&self) -> usize {
    self.active.load(Ordering::Acquire)
  }

  pub fn is_empty(&self) -> bool {
    self.len() == 0
  }
}

fn insert_max(map: &mut HashMap<String, u64>, key: &str, expires_at: u64) -> bool {
  match map.get_mut(key) {
    Some(e) => {
      *e = (*e).max(expires_at);
      false
    }
    None => {
      map.insert(key.to_owned(), expires_at);
      true
    }
  }
}
