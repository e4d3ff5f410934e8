//! Unit tests of `compare.rs`.

use super::*;

#[test]
fn equal_unequal_and_different_lengths() {
  assert!(timing_safe_equal(b"", b""));
  assert!(timing_safe_equal(b"secret", b"secret"));
  assert!(!timing_safe_equal(b"secret", b"secreT"));
  assert!(!timing_safe_equal(b"secret", b"secret!"));
  assert!(!timing_safe_equal(b"", b"x"));
  assert!(!timing_safe_equal(&[0u8; 32], &[0u8; 31]));
}
