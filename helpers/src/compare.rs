//! Timing-safe equality for secrets of any length.

use subtle::ConstantTimeEq;

/// `true` when `a` and `b` hold the same bytes. The time taken depends only on the lengths, never
/// on where the first difference is. Unequal lengths answer `false` (a length is not a secret;
/// padding both to a common length would only hide that from the caller, not from a timer).
pub fn timing_safe_equal(a: &[u8], b: &[u8]) -> bool {
  if a.len() != b.len() {
    // Same work as a comparison of `a` with itself, so a mismatch in length is not a shortcut.
    let _ = a.ct_eq(a);
    return false;
  }
  a.ct_eq(b).into()
}

#[cfg(test)]
#[path = "compare_tests.rs"]
mod tests;
