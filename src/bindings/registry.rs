//! Authenticators by number, for the request path. napi-rs checks every `External` argument
//! against a process-wide table behind a mutex (about 100 ns a call on the machines we measure
//! on, a third of a cache hit); a request instead names its authenticator by a slot number looked
//! up in this thread's table. The `External` the JS wrapper holds still owns the authenticator:
//! when it is collected, its slot is emptied.

use auth_shield_core::error::{Error, ErrorCode};
use auth_shield_core::request::pipeline::Authenticator;
use std::cell::RefCell;
use std::ops::Deref;
use std::sync::Arc;

/// Low bits of an id: the slot. High bits: how many times the slot was reused, so that an id kept
/// past its authenticator's life names nothing rather than a newer authenticator.
const SLOT_BITS: u32 = 24;
const SLOT_MASK: u32 = (1 << SLOT_BITS) - 1;

/// What `createAuthenticator` gives JS, inside an `External`.
pub struct Registered {
  id: u32,
  authenticator: Arc<Authenticator>,
}

impl Registered {
  pub fn id(&self) -> u32 {
    self.id
  }
}

impl Deref for Registered {
  type Target = Authenticator;

  fn deref(&self) -> &Authenticator {
    &self.authenticator
  }
}

impl Drop for Registered {
  fn drop(&mut self) {
    // At thread exit the table may already be gone, and with it every slot.
    let _ = SLOTS.try_with(|slots| slots.borrow_mut().release(self.id));
  }
}

#[derive(Default)]
struct Slots {
  /// Per slot: its current generation and the authenticator in it.
  entries: Vec<(u32, Option<Arc<Authenticator>>)>,
  free: Vec<u32>,
}

impl Slots {
  fn release(&mut self, id: u32) {
    let slot = id & SLOT_MASK;
    if let Some(entry) = self.entries.get_mut(slot as usize) {
      if entry.0 == id >> SLOT_BITS && entry.1.take().is_some() {
        entry.0 = (entry.0 + 1) & (u32::MAX >> SLOT_BITS);
        self.free.push(slot);
      }
    }
  }
}

thread_local! {
  static SLOTS: RefCell<Slots> = RefCell::default();
}

/// Gives `authenticator` a slot on this thread (JS values, and so ids, never leave their thread).
pub fn register(authenticator: Authenticator) -> Result<Registered, Error> {
  register_arc(Arc::new(authenticator))
}

/// As `register`, for an authenticator other threads may hold too (`shareAcrossThreads`).
pub fn register_arc(authenticator: Arc<Authenticator>) -> Result<Registered, Error> {
  SLOTS.with(|cell| {
    let slots = &mut *cell.borrow_mut();
    let slot = match slots.free.pop() {
      Some(slot) => slot,
      None if slots.entries.len() <= SLOT_MASK as usize => {
        slots.entries.push((0, None));
        (slots.entries.len() - 1) as u32
      }
      None => {
        return Err(Error::new(
          ErrorCode::Internal,
          "too many live authenticators on this thread (16,777,216)",
        ))
      }
    };
    let entry = &mut slots.entries[slot as usize];
    entry.1 = Some(authenticator.clone());
    Ok(Registered {
      id: (entry.0 << SLOT_BITS) | slot,
      authenticator,
    })
  })
}

/// The authenticator `id` names, if it is still alive.
pub fn lookup(id: u32) -> Option<Arc<Authenticator>> {
  SLOTS.with(|cell| {
    let slots = cell.borrow();
    let (generation, authenticator) = slots.entries.get((id & SLOT_MASK) as usize)?;
    if *generation != id >> SLOT_BITS {
      return None;
    }
    authenticator.clone()
  })
}

#[cfg(test)]
#[path = "registry_tests.rs"]
mod tests;
