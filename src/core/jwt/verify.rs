//! Verification in a fixed order (RFC 7515 §5.2, RFC 8725 §3.1): split → header → algorithm
//! allow-list → signature → payload → claims. Nothing in the payload is looked at before the
//! signature holds.

use super::algorithm::{Algorithm, AlgorithmSet, HmacKey};
use super::base64url;
use super::claims::{self, Claims};
use super::header;
use crate::core::error::ErrorCode;
use subtle::ConstantTimeEq;

/// Claim rules, validated once when the verifier is built.
#[derive(Debug, Clone, Default)]
pub struct Validation {
  /// Accepted `iss` values; empty means `iss` is not checked.
  pub issuers: Vec<String>,
  /// Accepted `aud` values (any one must appear in the token); empty means not checked.
  pub audiences: Vec<String>,
  /// Seconds of clock skew tolerated on `exp`, `nbf` and `iat`.
  pub leeway: u64,
  /// Whether a token without `exp` is refused.
  pub require_exp: bool,
  /// Whether a token without `sub` is refused (the pipeline needs a user to rate-limit).
  pub require_sub: bool,
  /// The `type` claim a token must carry (`access` for requests, `refresh` for refreshing).
  pub token_type: Option<&'static str>,
}

pub struct Verifier {
  key: HmacKey,
  algorithms: AlgorithmSet,
  known_headers: Vec<(Vec<u8>, Algorithm)>,
  max_token_len: usize,
  validation: Validation,
}

/// Header segments longer than this are refused before decoding; real headers are under 200.
const MAX_HEADER_SEGMENT: usize = 1024;

impl Verifier {
  pub fn new(
    key: HmacKey,
    algorithms: AlgorithmSet,
    max_token_len: usize,
    validation: Validation,
  ) -> Verifier {
    // The encoded headers that jsonwebtoken, jose and fast-jwt emit, recognised by comparison so
    // the common case skips a JSON parse. Anything else takes the full parse.
    let mut known_headers = Vec::new();
    for alg in algorithms.iter() {
      for json in [
        format!(r#"{{"alg":"{}","typ":"JWT"}}"#, alg.name()),
        format!(r#"{{"typ":"JWT","alg":"{}"}}"#, alg.name()),
        format!(r#"{{"alg":"{}"}}"#, alg.name()),
      ] {
        known_headers.push((base64url::encode(json.as_bytes()).into_bytes(), alg));
      }
    }
    Verifier {
      key,
      algorithms,
      known_headers,
      max_token_len,
      validation,
    }
  }

  pub fn key(&self) -> &HmacKey {
    &self.key
  }

  /// Verifies `token` at `now` (Unix seconds). The payload is decoded into `scratch`, which the
  /// returned claims borrow.
  pub fn verify<'s>(
    &self,
    token: &[u8],
    now: u64,
    scratch: &'s mut Vec<u8>,
  ) -> Result<Claims<'s>, ErrorCode> {
    if token.len() > self.max_token_len {
      return Err(ErrorCode::TokenMalformed);
    }
    let (header_seg, payload_seg, signature_seg) = split(token).ok_or(ErrorCode::TokenMalformed)?;
    let alg = self.algorithm_of(header_seg)?;
    let signing_input = &token[..header_seg.len() + 1 + payload_seg.len()];
    if !self.signature_matches(alg, signing_input, signature_seg) {
      return Err(ErrorCode::InvalidSignature);
    }
    base64url::decode_into(payload_seg, scratch).ok_or(ErrorCode::TokenMalformed)?;
    let claims = claims::parse(scratch).ok_or(ErrorCode::TokenMalformed)?;
    self.check_claims(&claims, now)?;
    Ok(claims)
  }

  fn algorithm_of(&self, header_seg: &[u8]) -> Result<Algorithm, ErrorCode> {
    if let Some((_, alg)) = self.known_headers.iter().find(|(h, _)| h == header_seg) {
      return Ok(*alg);
    }
    if header_seg.len() > MAX_HEADER_SEGMENT {
      return Err(ErrorCode::TokenMalformed);
    }
    let mut buf = [0u8; MAX_HEADER_SEGMENT];
    let n = base64url::decode_to_slice(header_seg, &mut buf).ok_or(ErrorCode::TokenMalformed)?;
    let header = header::parse(&buf[..n]).ok_or(ErrorCode::TokenMalformed)?;
    // `none`, an asymmetric name or anything unknown all land here: only the configured list
    // is ever trusted, never the token's choice (RFC 8725 §3.1).
    match Algorithm::from_name(header.alg.as_str()) {
      Some(alg) if self.algorithms.contains(alg) => Ok(alg),
      _ => Err(ErrorCode::AlgorithmNotAllowed),
    }
  }

  /// Compares the encoded signature with the encoding of the expected one, in constant time.
  /// base64url here is canonical, so equal encodings mean equal bytes and no variant of a valid
  /// signature segment is accepted.
  fn signature_matches(&self, alg: Algorithm, signing_input: &[u8], signature_seg: &[u8]) -> bool {
    let mut mac = [0u8; 64];
    let len = self.key.sign_into(alg, signing_input, &mut mac);
    let mut encoded = [0u8; 88];
    let n = base64url::encode_to_slice(&mac[..len], &mut encoded);
    signature_seg.len() == n && bool::from(signature_seg.ct_eq(&encoded[..n]))
  }

  fn check_claims(&self, claims: &Claims, now: u64) -> Result<(), ErrorCode> {
    let v = &self.validation;
    let (now, leeway) = (now as f64, v.leeway as f64);
    if (v.require_exp && claims.exp.is_none()) || (v.require_sub && claims.sub.is_none()) {
      return Err(ErrorCode::MissingClaim);
    }
    // RFC 7519 §4.1.4: the current time must be before `exp`.
    if matches!(claims.exp, Some(exp) if now >= exp + leeway) {
      return Err(ErrorCode::TokenExpired);
    }
    // RFC 7519 §4.1.5: not before `nbf`; a token issued in the future is not valid yet either.
    if matches!(claims.nbf, Some(nbf) if nbf > now + leeway)
      || matches!(claims.iat, Some(iat) if iat > now + leeway)
    {
      return Err(ErrorCode::TokenNotActive);
    }
    if !v.issuers.is_empty()
      && !matches!(&claims.iss, Some(iss) if v.issuers.iter().any(|i| i == iss.as_str()))
    {
      return Err(ErrorCode::InvalidIssuer);
    }
    if !v.audiences.is_empty()
      && !claims
        .aud
        .iter()
        .any(|a| v.audiences.iter().any(|e| e == a.as_str()))
    {
      return Err(ErrorCode::InvalidAudience);
    }
    // RFC 8725 §3.11–3.12: a refresh token must never pass as an access token.
    if let Some(expected) = v.token_type {
      if !matches!(&claims.token_type, Some(t) if t.as_str() == expected) {
        return Err(ErrorCode::InvalidTokenType);
      }
    }
    Ok(())
  }
}

/// Splits a compact JWS into its three segments (RFC 7515 §7.1); header and signature must be
/// non-empty (an unsecured JWT has an empty signature and is never accepted).
fn split(token: &[u8]) -> Option<(&[u8], &[u8], &[u8])> {
  let first = memchr::memchr(b'.', token)?;
  let second = first + 1 + memchr::memchr(b'.', &token[first + 1..])?;
  let (header, payload, signature) = (
    &token[..first],
    &token[first + 1..second],
    &token[second + 1..],
  );
  if header.is_empty()
    || payload.is_empty()
    || signature.is_empty()
    || memchr::memchr(b'.', signature).is_some()
  {
    return None;
  }
  Some((header, payload, signature))
}
