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
#[path = "error_tests.rs"]
mod tests;
