//! Refresh-token rotation state: for each refresh-token family (one login), the id of the one
//! refresh token that may be used next. Bounded; when full the oldest families are forgotten,
//! which only means their next refresh is taken at first sight, as after a restart.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
  pub family: String,
  /// The refresh token that may be used next; empty once the family was caught reusing one.
  pub current: String,
  pub expires_at: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rotation {
  /// `presented` was the current token (or the family was unknown here): `next` is current now.
  Rotated,
  /// `presented` was rotated away before: someone is replaying it.
  Reused,
}

#[derive(Default)]
struct State {
  by_family: HashMap<String, (String, u64, u64)>,
  order: VecDeque<(String, u64)>,
  seq: u64,
}

pub struct Sessions {
  max: usize,
  state: Mutex<State>,
}

impl Sessions {
  pub fn new(max: usize) -> Sessions {
    Sessions {
      max,
      state: Mutex::default(),
    }
  }

  fn lock(&self) -> MutexGuard<'_, State> {
    self.state.lock().unwrap_or_else(|p| p.into_inner())
  }

  fn put(state: &mut State, max: usize, family: &str, current: &str, expires_at: u64) {
    state.seq += 1;
    let seq = state.seq;
    state
      .by_family
      .insert(family.to_owned(), (current.to_owned(), expires_at, seq));
    state.order.push_back((family.to_owned(), seq));
    // The queue holds every family in the order it was last written; entries a later write
    // superseded are stale and skipped.
    while state.by_family.len() > max {
      let Some((f, s)) = state.order.pop_front() else {
        break;
      };
      if state.by_family.get(&f).is_some_and(|(_, _, q)| *q == s) {
        state.by_family.remove(&f);
      }
    }
    if state.order.len() > 2 * max + 16 {
      let State {
        by_family, order, ..
      } = state;
      order.retain(|(f, s)| by_family.get(f).is_some_and(|(_, _, q)| q == s));
    }
  }

  /// Records a new family whose first refresh token is `current`.
  pub fn start(&self, family: &str, current: &str, expires_at: u64) {
    let mut state = self.lock();
    Self::put(&mut state, self.max, family, current, expires_at);
  }

  /// Moves `family` from `presented` to `next`, atomically, or reports a replay. A family caught
  /// replaying stays dead: every later presentation is `Reused` too.
  pub fn rotate(
    &self,
    family: &str,
    presented: &str,
    next: &str,
    expires_at: u64,
    now: u64,
  ) -> Rotation {
    let mut state = self.lock();
    let known = state
      .by_family
      .get(family)
      .filter(|(_, e, _)| *e > now)
      .map(|(current, _, _)| current.clone());
    match known {
      Some(current) if current != presented => {
        let (cur, _, _) = state.by_family.get_mut(family).expect("just read");
        cur.clear();
        Rotation::Reused
      }
      _ => {
        Self::put(&mut state, self.max, family, next, expires_at);
        Rotation::Rotated
      }
    }
  }

  pub fn export(&self, now: u64) -> Vec<Session> {
    let state = self.lock();
    state
      .by_family
      .iter()
      .filter(|(_, (_, e, _))| *e > now)
      .map(|(f, (c, e, _))| Session {
        family: f.clone(),
        current: c.clone(),
        expires_at: *e,
      })
      .collect()
  }

  /// Takes an exported session unless this process already knows the family.
  pub fn import(&self, s: &Session, now: u64) -> bool {
    if s.expires_at <= now {
      return false;
    }
    let mut state = self.lock();
    if state.by_family.contains_key(&s.family) {
      return false;
    }
    Self::put(&mut state, self.max, &s.family, &s.current, s.expires_at);
    true
  }

  pub fn len(&self) -> usize {
    self.lock().by_family.len()
  }

  pub fn is_empty(&self) -> bool {
    self.len() == 0
  }
}

#[cfg(test)]
#[path = "sessions_tests.rs"]
mod tests;
