//! Request ids: UUID v4 (RFC 9562 §5.4) from the thread's CSPRNG, formatted without allocating.

use rand::RngCore;

pub const LEN: usize = 36;

pub fn new_v4() -> [u8; LEN] {
  let mut bytes = [0u8; 16];
  rand::rng().fill_bytes(&mut bytes);
  format_v4(bytes)
}

/// Sets the version and variant bits on 16 random bytes and renders the canonical lowercase form.
pub fn format_v4(mut bytes: [u8; 16]) -> [u8; LEN] {
  const HEX: &[u8; 16] = b"0123456789abcdef";
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  let mut out = [b'-'; LEN];
  let mut at = 0;
  for (i, b) in bytes.iter().enumerate() {
    if matches!(i, 4 | 6 | 8 | 10) {
      at += 1;
    }
    out[at] = HEX[(b >> 4) as usize];
    out[at + 1] = HEX[(b & 0x0f) as usize];
    at += 2;
  }
  out
}

#[cfg(test)]
mod tests {
  use super::*;
  use std::collections::HashSet;

  #[test]
  fn format_places_dashes_version_and_variant() {
    let id = format_v4([0xff; 16]);
    assert_eq!(&id, b"ffffffff-ffff-4fff-bfff-ffffffffffff");
    let id = format_v4([0; 16]);
    assert_eq!(&id, b"00000000-0000-4000-8000-000000000000");
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
}
