//! Errors. The codes, their statuses and messages are declared once, in contract/errors.json, and
//! generated into `ErrorCode` (core/src/contract.rs), the JS table, `index.d.ts` and docs/errors.md.

use std::fmt;

pub use crate::contract::ErrorCode;

impl ErrorCode {
  pub fn index(self) -> u8 {
    self as u8
  }
}

/// A thrown error: a code plus a sentence for the developer. The sentence names the option or
/// argument at fault and never contains a secret, a token or a payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
  pub code: ErrorCode,
  pub detail: String,
}

impl Error {
  pub fn new(code: ErrorCode, detail: impl Into<String>) -> Self {
    Error {
      code,
      detail: detail.into(),
    }
  }

  pub fn config(detail: impl Into<String>) -> Self {
    Error::new(ErrorCode::InvalidConfig, detail)
  }

  pub fn argument(detail: impl Into<String>) -> Self {
    Error::new(ErrorCode::InvalidArgument, detail)
  }
}

impl fmt::Display for Error {
  fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    f.write_str(&self.detail)
  }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
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
}
