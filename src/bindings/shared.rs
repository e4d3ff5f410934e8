//! Authenticators shared by every thread of the process (`shareAcrossThreads`): the addon is
//! loaded once per process, so worker threads that build an authenticator from the same
//! configuration find the one already made here, and spend the same buckets, see the same
//! revocations, sessions and cache. Held weakly: when the last thread lets go, it is freed.

use auth_shield_core::request::pipeline::Authenticator;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, Weak};

static SHARED: LazyLock<Mutex<HashMap<[u8; 32], Weak<Authenticator>>>> =
  LazyLock::new(Mutex::default);

/// The live authenticator made from the configuration `fingerprint` names, else `made`, which
/// is kept for the threads that come later.
pub fn adopt(fingerprint: [u8; 32], made: Authenticator) -> Arc<Authenticator> {
  let mut table = SHARED.lock().unwrap_or_else(|p| p.into_inner());
  if let Some(live) = table.get(&fingerprint).and_then(Weak::upgrade) {
    return live;
  }
  table.retain(|_, w| w.strong_count() > 0);
  let made = Arc::new(made);
  table.insert(fingerprint, Arc::downgrade(&made));
  made
}
