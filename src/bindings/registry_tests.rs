//! Unit tests of `registry.rs`.

use super::*;
use auth_shield_core::config::Value;

fn authenticator() -> Authenticator {
  Authenticator::from_config(vec![(
    "accessSecret".into(),
    Value::String("registry-test-secret-0123456789abcdef".into()),
  )])
  .unwrap()
}

#[test]
fn ids_name_their_authenticator_until_it_is_dropped() {
  let a = register(authenticator()).unwrap();
  let b = register(authenticator()).unwrap();
  assert_ne!(a.id(), b.id());
  assert!(std::ptr::eq(&*lookup(a.id()).unwrap(), &*a));
  let stale = a.id();
  drop(a);
  assert!(lookup(stale).is_none());
  // The slot is reused under a new generation; the old id still names nothing.
  let c = register(authenticator()).unwrap();
  assert_eq!(c.id() & SLOT_MASK, stale & SLOT_MASK);
  assert!(lookup(stale).is_none());
  assert!(lookup(c.id()).is_some());
  assert!(lookup(u32::MAX).is_none());
  assert!(std::ptr::eq(&*lookup(b.id()).unwrap(), &*b));
}
