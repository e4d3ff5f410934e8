//! Unit tests of `error.rs`.

use super::*;

#[test]
fn all_lists_every_code_at_its_own_index() {
  for (i, code) in ErrorCode::ALL.iter().enumerate() {
    assert_eq!(code.index() as usize, i, "{}", code.as_str());
  }
}

#[test]
fn codes_are_unique_screaming_snake_case() {
  let mut seen = std::collections::HashSet::new();
  for code in ErrorCode::ALL {
    let s = code.as_str();
    assert!(seen.insert(s), "duplicate {s}");
    assert!(
      s.bytes().all(|b| b.is_ascii_uppercase() || b == b'_'),
      "{s}"
    );
  }
}

#[test]
fn request_failures_have_http_statuses_and_thrown_errors_do_not() {
  assert_eq!(ErrorCode::TenantMismatch.status(), 403);
  assert_eq!(ErrorCode::RateLimited.status(), 429);
  assert_eq!(ErrorCode::InvalidTenant.status(), 400);
  assert_eq!(ErrorCode::InvalidConfig.status(), 0);
  assert_eq!(ErrorCode::TokenRevoked.status(), 401);
}
