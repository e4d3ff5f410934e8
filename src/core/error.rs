//! The one error enum. Every failure the library can report has a stable string code here; the
//! JS layer, `index.d.ts` and the README table are kept in step with `ErrorCode::ALL` by a test.

use std::fmt;

/// A stable error code. Request failures carry an HTTP status; the others are thrown to the caller
/// as programmer errors (status 0). `EngineUnavailable` is thrown by the JS layer when the native
/// engine is asked for but its binary did not load; it is listed here so the set stays one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum ErrorCode {
  MissingAuthorization,
  InvalidAuthorizationFormat,
  TokenMalformed,
  AlgorithmNotAllowed,
  UnknownKey,
  InvalidSignature,
  TokenExpired,
  TokenNotActive,
  InvalidIssuer,
  InvalidAudience,
  MissingClaim,
  InvalidTokenType,
  TokenRevoked,
  TokenReused,
  InvalidTenant,
  TenantMismatch,
  RateLimited,
  OtpNotFound,
  OtpExpired,
  OtpInvalid,
  OtpReplayed,
  OtpLocked,
  InvalidConfig,
  WeakSecret,
  InvalidArgument,
  InvalidHash,
  InvalidApiKey,
  InvalidFilename,
  InvalidCsp,
  RevocationLimit,
  EngineUnavailable,
  Internal,
}

impl ErrorCode {
  /// Every code, in the order of the checks. The index of a code in this list is its wire number
  /// between the native and the JS layer.
  pub const ALL: [ErrorCode; 32] = [
    ErrorCode::MissingAuthorization,
    ErrorCode::InvalidAuthorizationFormat,
    ErrorCode::TokenMalformed,
    ErrorCode::AlgorithmNotAllowed,
    ErrorCode::UnknownKey,
    ErrorCode::InvalidSignature,
    ErrorCode::TokenExpired,
    ErrorCode::TokenNotActive,
    ErrorCode::InvalidIssuer,
    ErrorCode::InvalidAudience,
    ErrorCode::MissingClaim,
    ErrorCode::InvalidTokenType,
    ErrorCode::TokenRevoked,
    ErrorCode::TokenReused,
    ErrorCode::InvalidTenant,
    ErrorCode::TenantMismatch,
    ErrorCode::RateLimited,
    ErrorCode::OtpNotFound,
    ErrorCode::OtpExpired,
    ErrorCode::OtpInvalid,
    ErrorCode::OtpReplayed,
    ErrorCode::OtpLocked,
    ErrorCode::InvalidConfig,
    ErrorCode::WeakSecret,
    ErrorCode::InvalidArgument,
    ErrorCode::InvalidHash,
    ErrorCode::InvalidApiKey,
    ErrorCode::InvalidFilename,
    ErrorCode::InvalidCsp,
    ErrorCode::RevocationLimit,
    ErrorCode::EngineUnavailable,
    ErrorCode::Internal,
  ];

  pub const fn as_str(self) -> &'static str {
    match self {
      ErrorCode::MissingAuthorization => "MISSING_AUTHORIZATION",
      ErrorCode::InvalidAuthorizationFormat => "INVALID_AUTHORIZATION_FORMAT",
      ErrorCode::TokenMalformed => "TOKEN_MALFORMED",
      ErrorCode::AlgorithmNotAllowed => "ALGORITHM_NOT_ALLOWED",
      ErrorCode::UnknownKey => "UNKNOWN_KEY",
      ErrorCode::InvalidSignature => "INVALID_SIGNATURE",
      ErrorCode::TokenExpired => "TOKEN_EXPIRED",
      ErrorCode::TokenNotActive => "TOKEN_NOT_ACTIVE",
      ErrorCode::InvalidIssuer => "INVALID_ISSUER",
      ErrorCode::InvalidAudience => "INVALID_AUDIENCE",
      ErrorCode::MissingClaim => "MISSING_CLAIM",
      ErrorCode::InvalidTokenType => "INVALID_TOKEN_TYPE",
      ErrorCode::TokenRevoked => "TOKEN_REVOKED",
      ErrorCode::TokenReused => "TOKEN_REUSED",
      ErrorCode::InvalidTenant => "INVALID_TENANT",
      ErrorCode::TenantMismatch => "TENANT_MISMATCH",
      ErrorCode::RateLimited => "RATE_LIMITED",
      ErrorCode::OtpNotFound => "OTP_NOT_FOUND",
      ErrorCode::OtpExpired => "OTP_EXPIRED",
      ErrorCode::OtpInvalid => "OTP_INVALID",
      ErrorCode::OtpReplayed => "OTP_REPLAYED",
      ErrorCode::OtpLocked => "OTP_LOCKED",
      ErrorCode::InvalidConfig => "INVALID_CONFIG",
      ErrorCode::WeakSecret => "WEAK_SECRET",
      ErrorCode::InvalidArgument => "INVALID_ARGUMENT",
      ErrorCode::InvalidHash => "INVALID_HASH",
      ErrorCode::InvalidApiKey => "INVALID_API_KEY",
      ErrorCode::InvalidFilename => "INVALID_FILENAME",
      ErrorCode::InvalidCsp => "INVALID_CSP",
      ErrorCode::RevocationLimit => "REVOCATION_LIMIT",
      ErrorCode::EngineUnavailable => "ENGINE_UNAVAILABLE",
      ErrorCode::Internal => "INTERNAL_ERROR",
    }
  }

  /// HTTP status of a request failure; 0 for errors that are thrown, not returned.
  pub const fn status(self) -> u16 {
    match self {
      ErrorCode::MissingAuthorization
      | ErrorCode::InvalidAuthorizationFormat
      | ErrorCode::TokenMalformed
      | ErrorCode::AlgorithmNotAllowed
      | ErrorCode::UnknownKey
      | ErrorCode::InvalidSignature
      | ErrorCode::TokenExpired
      | ErrorCode::TokenNotActive
      | ErrorCode::InvalidIssuer
      | ErrorCode::InvalidAudience
      | ErrorCode::MissingClaim
      | ErrorCode::InvalidTokenType
      | ErrorCode::TokenRevoked
      | ErrorCode::TokenReused
      | ErrorCode::OtpNotFound
      | ErrorCode::OtpExpired
      | ErrorCode::OtpInvalid
      | ErrorCode::OtpReplayed => 401,
      ErrorCode::InvalidTenant => 400,
      ErrorCode::TenantMismatch => 403,
      ErrorCode::RateLimited | ErrorCode::OtpLocked => 429,
      ErrorCode::InvalidConfig
      | ErrorCode::WeakSecret
      | ErrorCode::InvalidArgument
      | ErrorCode::InvalidHash
      | ErrorCode::InvalidApiKey
      | ErrorCode::InvalidFilename
      | ErrorCode::InvalidCsp
      | ErrorCode::RevocationLimit
      | ErrorCode::EngineUnavailable
      | ErrorCode::Internal => 0,
    }
  }

  /// The message a client may see. Deliberately vague where detail would help an attacker probe
  /// keys or claims (every signature and claim failure reads "Invalid token").
  pub const fn message(self) -> &'static str {
    match self {
      ErrorCode::MissingAuthorization => "No Authorization header provided",
      ErrorCode::InvalidAuthorizationFormat => "Invalid Authorization header format",
      ErrorCode::TokenMalformed
      | ErrorCode::AlgorithmNotAllowed
      | ErrorCode::UnknownKey
      | ErrorCode::InvalidSignature
      | ErrorCode::InvalidIssuer
      | ErrorCode::InvalidAudience
      | ErrorCode::MissingClaim => "Invalid token",
      ErrorCode::TokenExpired => "Token expired",
      ErrorCode::TokenNotActive => "Token not yet valid",
      ErrorCode::InvalidTokenType => "Invalid token type",
      ErrorCode::TokenRevoked => "Token revoked",
      ErrorCode::TokenReused => "Token revoked",
      ErrorCode::InvalidTenant => "Invalid tenant",
      ErrorCode::TenantMismatch => "Tenant mismatch",
      ErrorCode::RateLimited => "Rate limit exceeded",
      ErrorCode::OtpNotFound => "No code pending",
      ErrorCode::OtpExpired => "Code expired",
      ErrorCode::OtpInvalid => "Invalid code",
      ErrorCode::OtpReplayed => "Code already used",
      ErrorCode::OtpLocked => "Too many attempts",
      ErrorCode::InvalidConfig => "Invalid configuration",
      ErrorCode::WeakSecret => "Secret is too short",
      ErrorCode::InvalidArgument => "Invalid argument",
      ErrorCode::InvalidHash => "Invalid hash",
      ErrorCode::InvalidApiKey => "Invalid API key",
      ErrorCode::InvalidFilename => "Invalid filename",
      ErrorCode::InvalidCsp => "Invalid Content-Security-Policy",
      ErrorCode::RevocationLimit => "Too many revocations",
      ErrorCode::EngineUnavailable => "Engine unavailable",
      ErrorCode::Internal => "Internal error",
    }
  }

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
