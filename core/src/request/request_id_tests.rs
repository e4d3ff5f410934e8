//! Unit tests of `request_id.rs`.

use super::*;
use std::collections::HashSet;

#[test]
fn format_places_dashes_version_and_variant() {
  let id = format_v4([0xff; 16]);
  assert_eq!(&id, b"ffffffff-ffff-4fff-bfff-ffffffffffff");
  let id = format_v4([0; 16]);
  assert_eq!(&id, b"00000000-0000-4000-8000-000000000000");
  let id = format_v4(*b"\x01\x23\x45\x67\x89\xab\xcd\xef\xfe\xdc\xba\x98\x76\x54\x32\x10");
  assert_eq!(&id, b"01234567-89ab-4def-bedc-ba9876543210");
}

#[test]
fn ids_are_v4_and_distinct() {
  let mut seen = HashSet::new();
  for _ in 0..10_000 {
    let id = new_v4();
    assert_eq!(id[14], b'4');
    assert!(matches!(id[19], b'8' | b'9' | b'a' | b'b'));
    assert!(seen.insert(id));
  }
}
