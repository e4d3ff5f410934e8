//! Minting tokens with the configured secrets, so users and tests can issue what the
//! authenticator accepts. The signer owns `type`, `iat`, `exp` and `nbf`; callers choose lifetimes
//! through options, never by writing those claims.

use super::error::Error;
use super::jwt::sign;
use super::pipeline::Authenticator;
use super::request_id;
use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
  Access,
  Refresh,
}

impl Kind {
  fn claim(self) -> &'static str {
    match self {
      Kind::Access => "access",
      Kind::Refresh => "refresh",
    }
  }
}

#[derive(Debug, Clone, Default)]
pub struct SignOptions {
  /// Lifetime in seconds; the configured TTL for the kind when absent.
  pub expires_in: Option<u64>,
  /// Seconds from now before which the token is not valid.
  pub not_before: Option<u64>,
}

const RESERVED: [&str; 4] = ["type", "iat", "exp", "nbf"];

impl Authenticator {
  pub fn sign(&self, kind: Kind, claims: Map<String, Value>, options: &SignOptions) -> Result<String, Error> {
    let settings = self.settings();
    let verifier = match kind {
      Kind::Access => self.access_verifier(),
      Kind::Refresh => self
        .refresh_verifier()
        .ok_or_else(|| Error::config("Signing a refresh token needs `refreshSecret` in the configuration"))?,
    };
    let payload = self.payload(kind, claims, options)?;
    let json = serde_json::to_vec(&payload).map_err(|e| Error::argument(format!("claims cannot be serialised: {e}")))?;
    Ok(sign::sign(verifier.key(), settings.signing_algorithm, &json))
  }

  fn payload(&self, kind: Kind, mut claims: Map<String, Value>, options: &SignOptions) -> Result<Map<String, Value>, Error> {
    let settings = self.settings();
    if let Some(name) = RESERVED.iter().find(|n| claims.contains_key(**n)) {
      return Err(Error::argument(format!(
        "claim `{name}` is set by the signer; use the `expiresIn`/`notBefore` options instead"
      )));
    }
    match claims.get("sub") {
      Some(Value::String(s)) if !s.is_empty() => {}
      _ => return Err(Error::argument("claim `sub` (the user id) must be a non-empty string")),
    }
    for name in ["email", "role", "tenant_id", "iss", "jti"] {
      if !matches!(claims.get(name), None | Some(Value::String(_))) {
        return Err(Error::argument(format!("claim `{name}` must be a string")));
      }
    }
    let string_list = |v: &Value| matches!(v, Value::Array(a) if a.iter().all(Value::is_string));
    if !matches!(claims.get("permissions"), None | Some(Value::Array(_)))
      || claims.get("permissions").is_some_and(|v| !string_list(v))
    {
      return Err(Error::argument("claim `permissions` must be an array of strings"));
    }
    if !matches!(claims.get("aud"), None | Some(Value::String(_))) && !claims.get("aud").is_some_and(string_list) {
      return Err(Error::argument("claim `aud` must be a string or an array of strings"));
    }
    let now = self.clock().unix_seconds();
    let ttl = options.expires_in.unwrap_or(match kind {
      Kind::Access => settings.access_token_ttl,
      Kind::Refresh => settings.refresh_token_ttl,
    });
    if ttl == 0 {
      return Err(Error::argument("`expiresIn` must be at least 1 second"));
    }
    claims.insert("type".into(), kind.claim().into());
    claims.insert("iat".into(), now.into());
    claims.insert("exp".into(), now.saturating_add(ttl).into());
    if let Some(nbf) = options.not_before {
      claims.insert("nbf".into(), now.saturating_add(nbf).into());
    }
    if let (false, Some(iss)) = (claims.contains_key("iss"), settings.issuers.first()) {
      claims.insert("iss".into(), iss.clone().into());
    }
    if let (false, Some(aud)) = (claims.contains_key("aud"), settings.audiences.first()) {
      claims.insert("aud".into(), aud.clone().into());
    }
    if !claims.contains_key("jti") {
      let id = request_id::new_v4();
      claims.insert("jti".into(), String::from_utf8_lossy(&id).into_owned().into());
    }
    Ok(claims)
  }
}
