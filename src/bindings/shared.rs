//! Authenticators shared by every thread of the process (`shareAcrossThreads`): the addon is
//! loaded once per process, so worker threads that build an authenticator from the same
//! configuration find the one already made here, and spend the same buckets, see the same
//! revocations, sessions and cache. Held for the life of the process, not only while some thread
//! holds one: a pool that recycles its workers must not start empty and accept a token it was
//! told to revoke. Each state keeps its own bounds; the number of configurations is bounded too.

use auth_shield_core::error::Error;
use auth_shield_core::request::pipeline::Authenticator;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

/// Distinct shared configurations one process may hold. A pool shares one or a few; more is a
/// configuration built per request or per tenant, which would otherwise grow without end.
pub const MAX_SHARED_CONFIGURATIONS: usize = 256;

static SHARED: LazyLock<Mutex<HashMap<[u8; 32], Arc<Authenticator>>>> =
  LazyLock::new(Mutex::default);

/// The authenticator made from the configuration `fingerprint` names, else `made`, which is kept
/// for the threads that come later.
pub fn adopt(fingerprint: [u8; 32], made: Authenticator) -> Result<Arc<Authenticator>, Error> {
  let mut table = SHARED.lock().unwrap_or_else(|p| p.into_inner());
  if let Some(live) = table.get(&fingerprint) {
    return Ok(live.clone());
  }
  if table.len() >= MAX_SHARED_CONFIGURATIONS {
    return Err(Error::config(format!(
      "`shareAcrossThreads`: this process already shares {MAX_SHARED_CONFIGURATIONS} configurations, \
       and each lives as long as the process; share one authenticator per configuration rather than one per request or tenant"
    )));
  }
  let made = Arc::new(made);
  table.insert(fingerprint, made.clone());
  Ok(made)
}
