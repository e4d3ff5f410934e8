//! `Authorization: Bearer <token>` parsing (RFC 6750 §2.1, RFC 9110 §11.4).

use crate::error::ErrorCode;

const SCHEME: &[u8] = b"bearer";

/// Returns the credential of a Bearer header. An empty or whitespace-only header counts as absent,
/// as `req.headers.authorization || null` would make it. The scheme is matched case-insensitively
/// (RFC 9110 §11.1) and may be followed by more than one space (`1*SP`, RFC 9110 §11.4). Anything
/// that is not one printable credential after the scheme is a format error; whether that
/// credential is a JWT is the token parser's question.
///
/// The input is the header as bytes; a character beyond ASCII must arrive as a byte ≥ 0x80, which
/// never matches the scheme and which the token parser refuses.
pub fn extract(header: &[u8]) -> Result<&[u8], ErrorCode> {
  let header = trim_ows(header);
  if header.is_empty() {
    return Err(ErrorCode::MissingAuthorization);
  }
  if header.len() <= SCHEME.len()
    || !header[..SCHEME.len()].eq_ignore_ascii_case(SCHEME)
    || header[SCHEME.len()] != b' '
  {
    return Err(ErrorCode::InvalidAuthorizationFormat);
  }
  let mut rest = &header[SCHEME.len()..];
  while let [b' ', tail @ ..] = rest {
    rest = tail;
  }
  // Folded without an early exit so the compiler vectorises the scan of the whole credential.
  let has_control = rest
    .iter()
    .fold(false, |seen, &b| seen | (b <= b' ') | (b == 0x7f));
  if rest.is_empty() || has_control {
    return Err(ErrorCode::InvalidAuthorizationFormat);
  }
  Ok(rest)
}

/// Optional whitespace around a field value (RFC 9110 §5.6.3): space and horizontal tab.
pub fn trim_ows(value: &[u8]) -> &[u8] {
  let is_ows = |b: &u8| *b == b' ' || *b == b'\t';
  let start = value.iter().position(|b| !is_ows(b)).unwrap_or(value.len());
  let end = value
    .iter()
    .rposition(|b| !is_ows(b))
    .map_or(start, |i| i + 1);
  &value[start..end]
}

#[cfg(test)]
#[path = "bearer_tests.rs"]
mod tests;
