//! Verification in a fixed order (RFC 7515 §5.2, RFC 8725 §3.1): split → header → algorithm
//! allow-list → signature → payload → claims. Nothing in the payload is looked at before the
//! signature holds.

use super::algorithm::{Algorithm, AlgorithmSet, HmacKey};
use super::base64url;
use super::claim_map::ClaimMap;
use super::claims::{self, Claims};
use super::header;
use super::keys::KeySet;
use crate::error::{Error, ErrorCode};
use std::sync::{Arc, RwLock};
use subtle::ConstantTimeEq;

/// How access tokens are marked (`accessTokenMark`). Whatever the mark, a token that says it
/// is something else — `type` other than `access`, `token_use` other than `access` — is refused,
/// and so, unless a claim marks access tokens, is one with the `nonce`/`at_hash` of an ID token
/// (RFC 8725 §3.11: one kind of token must never pass for another).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccessMark {
  /// RFC 9068 §2.1: the header's `typ` is `at+jwt` (or `application/at+jwt`).
  AtJwt,
  /// A claim and the value it must have, e.g. Cognito's `token_use: access`.
  Claim { name: String, value: String },
  /// Unmarked: the provider does not mark its access tokens.
  Unmarked,
}

impl AccessMark {
  /// The claim whose value `parse_with` must capture, when it is not one it reads anyway.
  pub fn marker_claim(&self) -> Option<&str> {
    match self {
      AccessMark::Claim { name, .. } if name != "type" && name != "token_use" => Some(name),
      _ => None,
    }
  }
}

/// Claim rules, validated once when the verifier is built.
#[derive(Debug, Clone, Default)]
pub struct Validation {
  /// Accepted `iss` values; empty means `iss` is not checked.
  pub issuers: super::Issuers,
  /// Accepted `aud` values (any one must appear in the token); empty means not checked.
  pub audiences: Vec<String>,
  /// Seconds of clock skew tolerated on `exp`, `nbf` and `iat`.
  pub leeway: u64,
  /// Whether a token without `exp` is refused.
  pub require_exp: bool,
  /// Whether a token without `sub` is refused (the pipeline needs a user to rate-limit).
  pub require_sub: bool,
  /// The `type` claim a token must carry (`access` for requests, `refresh` for refreshing), when
  /// `mark` does not say otherwise.
  pub token_type: Option<&'static str>,
  /// How an access token is told from other tokens; `None` means by `token_type`.
  pub mark: Option<AccessMark>,
  /// Seconds after `iat` from which a token is refused as expired; `iat` is then required.
  pub max_age: Option<u64>,
  /// Where the user, tenant, roles and permissions are read from.
  pub claim_map: ClaimMap,
}

/// Where signatures are checked: one shared secret with an algorithm allow-list, or named keys
/// (each bound to its algorithm) that `set_keys` can replace while requests run.
// One per authenticator: keeping the HMAC states inline spares the request path an indirection.
#[allow(clippy::large_enum_variant)]
pub enum KeySource {
  Secret(HmacKey),
  Keys(RwLock<Arc<KeySet>>),
}

pub struct Verifier {
  key: KeySource,
  algorithms: AlgorithmSet,
  known_headers: Vec<(Vec<u8>, Algorithm)>,
  max_token_len: usize,
  validation: Validation,
}

/// Header segments longer than this are refused before decoding; real headers are under 200.
const MAX_HEADER_SEGMENT: usize = crate::contract::limit::MAX_HEADER_SEGMENT_BYTES;

impl Verifier {
  pub fn new(
    key: KeySource,
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

  /// The shared secret, when verification uses one.
  pub fn secret_key(&self) -> Option<&HmacKey> {
    match &self.key {
      KeySource::Secret(k) => Some(k),
      KeySource::Keys(_) => None,
    }
  }

  /// The named keys in force now, when verification uses them.
  pub fn key_set(&self) -> Option<Arc<KeySet>> {
    match &self.key {
      KeySource::Keys(set) => Some(set.read().unwrap_or_else(|p| p.into_inner()).clone()),
      KeySource::Secret(_) => None,
    }
  }

  /// A compact token for `payload_json`: with the shared secret and `alg`, or with the signing
  /// key of the named keys (its own algorithm, and its `kid` in the header).
  pub fn sign(&self, alg: Algorithm, payload_json: &[u8]) -> Result<String, Error> {
    match &self.key {
      KeySource::Secret(key) => Ok(super::sign::sign(key, alg, payload_json)),
      KeySource::Keys(_) => {
        let set = self.key_set().expect("named keys");
        let key = set.signing_key().ok_or_else(|| {
          Error::config(
            "None of the `keys` can sign: give a `secret` or a `privateKey` (and `signingKid`)",
          )
        })?;
        super::sign::sign_with_key(key, payload_json)
      }
    }
  }

  /// Replaces the named keys at once: a request sees the old set or the new one, never a mix.
  pub fn set_keys(&self, keys: KeySet) -> Result<(), Error> {
    match &self.key {
      KeySource::Keys(set) => {
        *set.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(keys);
        Ok(())
      }
      KeySource::Secret(_) => Err(Error::config(
        "setKeys needs an authenticator configured with `keys` or `jwks`, not `accessSecret`",
      )),
    }
  }

  /// Verifies `token` at `now` (Unix seconds). The payload is decoded into `scratch`, which the
  /// returned claims borrow.
  pub fn verify<'s>(
    &self,
    token: &[u8],
    now: u64,
    scratch: &'s mut Vec<u8>,
  ) -> Result<Claims<'s>, ErrorCode> {
    let payload_seg = self.verify_signature(token)?;
    base64url::decode_into(payload_seg, scratch).ok_or(ErrorCode::TokenMalformed)?;
    let marker = self
      .validation
      .mark
      .as_ref()
      .and_then(AccessMark::marker_claim);
    let claims = claims::parse_with(scratch, &self.validation.claim_map, marker)
      .ok_or(ErrorCode::TokenMalformed)?;
    self.check_claims(&claims, now)?;
    if matches!(self.validation.mark, Some(AccessMark::AtJwt)) && !typ_is_at_jwt(token) {
      return Err(ErrorCode::InvalidTokenType);
    }
    Ok(claims)
  }

  /// Everything up to and including the signature: size, the three segments, the header, the
  /// key and algorithm, the signature. Returns the payload segment, still encoded.
  pub fn verify_signature<'t>(&self, token: &'t [u8]) -> Result<&'t [u8], ErrorCode> {
    if token.len() > self.max_token_len {
      return Err(ErrorCode::TokenMalformed);
    }
    let (header_seg, payload_seg, signature_seg) = split(token).ok_or(ErrorCode::TokenMalformed)?;
    let signing_input = &token[..header_seg.len() + 1 + payload_seg.len()];
    match &self.key {
      KeySource::Secret(key) => {
        let alg = self.algorithm_of(header_seg)?;
        if !signature_matches(key, alg, signing_input, signature_seg) {
          return Err(ErrorCode::InvalidSignature);
        }
      }
      KeySource::Keys(set) => {
        let set = set.read().unwrap_or_else(|p| p.into_inner()).clone();
        let (alg, kid) = parse_header(header_seg)?;
        // The key comes from configuration by exact `kid`; the token's `alg` must be one that
        // key is bound to (RFC 8725 §3.1). No other key is ever tried.
        let key = set.lookup(kid.as_deref()).ok_or(ErrorCode::UnknownKey)?;
        let alg = Algorithm::from_name(alg.as_str())
          .filter(|a| key.accepts(*a))
          .ok_or(ErrorCode::AlgorithmNotAllowed)?;
        if !key.verify(alg, signing_input, signature_seg) {
          return Err(ErrorCode::InvalidSignature);
        }
      }
    }
    Ok(payload_seg)
  }

  fn algorithm_of(&self, header_seg: &[u8]) -> Result<Algorithm, ErrorCode> {
    if let Some((_, alg)) = self.known_headers.iter().find(|(h, _)| h == header_seg) {
      return Ok(*alg);
    }
    let (alg, _) = parse_header(header_seg)?;
    // `none`, an asymmetric name or anything unknown all land here: only the configured list
    // is ever trusted, never the token's choice (RFC 8725 §3.1).
    match Algorithm::from_name(alg.as_str()) {
      Some(alg) if self.algorithms.contains(alg) => Ok(alg),
      _ => Err(ErrorCode::AlgorithmNotAllowed),
    }
  }

  /// The checks that depend on the time, for a token whose other checks already held (a cache
  /// hit). They come in the same order as in `check_claims`, so the code is the same either way.
  pub fn check_times(&self, claims: &Claims, now: u64) -> Result<(), ErrorCode> {
    let (now, leeway) = (now as f64, self.validation.leeway as f64);
    // RFC 7519 §4.1.4: the current time must be before `exp`.
    if matches!(claims.exp, Some(exp) if now >= exp + leeway) {
      return Err(ErrorCode::TokenExpired);
    }
    // jsonwebtoken's `maxAge`: expired once `iat + maxAge` has passed, leeway included.
    if let (Some(max_age), Some(iat)) = (self.validation.max_age, claims.iat) {
      if now >= iat + max_age as f64 + leeway {
        return Err(ErrorCode::TokenExpired);
      }
    }
    // RFC 7519 §4.1.5: not before `nbf`; a token issued in the future is not valid yet either.
    if matches!(claims.nbf, Some(nbf) if nbf > now + leeway)
      || matches!(claims.iat, Some(iat) if iat > now + leeway)
    {
      return Err(ErrorCode::TokenNotActive);
    }
    Ok(())
  }

  fn check_claims(&self, claims: &Claims, now: u64) -> Result<(), ErrorCode> {
    let v = &self.validation;
    if (v.require_exp && claims.exp.is_none())
      || (v.require_sub && claims.sub.is_none())
      || (v.max_age.is_some() && claims.iat.is_none())
    {
      return Err(ErrorCode::MissingClaim);
    }
    self.check_times(claims, now)?;
    if !v.issuers.is_empty()
      && !matches!(&claims.iss, Some(iss) if v.issuers.accepts(iss.as_str(), claims.tenant_id.as_ref().map(|t| t.as_str())))
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
    let is = |v: &Option<crate::jwt::Str>, want: &str| matches!(v, Some(s) if s.as_str() == want);
    let says_other =
      |v: &Option<crate::jwt::Str>| v.as_ref().is_some_and(|s| s.as_str() != "access");
    let marked = match &v.mark {
      None => v
        .token_type
        .is_none_or(|expected| is(&claims.token_type, expected)),
      Some(mark) => {
        let other = says_other(&claims.token_type) || says_other(&claims.token_use);
        !other
          && match mark {
            // Where the provider does not mark its tokens, an ID token is told by what only ID
            // tokens carry. The header is read after the claims, in `verify`.
            AccessMark::AtJwt | AccessMark::Unmarked => !claims.id_token_claims,
            // Where it does, its mark decides: Keycloak (to 24) and keycloak-js put the sign-in's
            // `nonce` in access tokens too, and mark ID tokens `typ: ID`.
            AccessMark::Claim { name, value } => match name.as_str() {
              "type" => is(&claims.token_type, value),
              "token_use" => is(&claims.token_use, value),
              _ => is(&claims.marker, value),
            },
          }
      }
    };
    if !marked {
      return Err(ErrorCode::InvalidTokenType);
    }
    Ok(())
  }
}

/// Compares the encoded signature with the encoding of the expected one, in constant time.
/// base64url here is canonical, so equal encodings mean equal bytes and no variant of a valid
/// signature segment is accepted.
fn signature_matches(
  key: &HmacKey,
  alg: Algorithm,
  signing_input: &[u8],
  signature_seg: &[u8],
) -> bool {
  let mut mac = [0u8; 64];
  let len = key.sign_into(alg, signing_input, &mut mac);
  let mut encoded = [0u8; 88];
  let n = base64url::encode_to_slice(&mac[..len], &mut encoded);
  signature_seg.len() == n && bool::from(signature_seg.ct_eq(&encoded[..n]))
}

/// Whether the token's header says `typ: at+jwt` (RFC 9068 §2.1; the `application/` prefix may
/// be given or left out, and media types compare case-insensitively, RFC 7515 §4.1.9).
fn typ_is_at_jwt(token: &[u8]) -> bool {
  let Some((header_seg, _, _)) = split(token) else {
    return false;
  };
  if header_seg.len() > MAX_HEADER_SEGMENT {
    return false;
  }
  let mut buf = [0u8; MAX_HEADER_SEGMENT];
  let Some(n) = base64url::decode_to_slice(header_seg, &mut buf) else {
    return false;
  };
  let typ = header::parse(&buf[..n]).and_then(|h| h.typ);
  typ.is_some_and(|t| {
    let t = t.as_str();
    t.eq_ignore_ascii_case("at+jwt") || t.eq_ignore_ascii_case("application/at+jwt")
  })
}

/// `alg` and `kid` of a header segment, owned (the header is decoded into a stack buffer).
fn parse_header(header_seg: &[u8]) -> Result<(String, Option<String>), ErrorCode> {
  if header_seg.len() > MAX_HEADER_SEGMENT {
    return Err(ErrorCode::TokenMalformed);
  }
  let mut buf = [0u8; MAX_HEADER_SEGMENT];
  let n = base64url::decode_to_slice(header_seg, &mut buf).ok_or(ErrorCode::TokenMalformed)?;
  let header = header::parse(&buf[..n]).ok_or(ErrorCode::TokenMalformed)?;
  Ok((
    header.alg.as_str().to_owned(),
    header.kid.map(|k| k.as_str().to_owned()),
  ))
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
