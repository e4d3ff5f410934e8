//! Minting tokens with the configured secrets, so users and tests can issue what the
//! authenticator accepts. The signer owns `type`, `iat`, `exp` and `nbf`; callers choose lifetimes
//! through options, never by writing those claims.

use crate::config;
use crate::error::Error;
use crate::request::pipeline::Authenticator;
use crate::request::request_id;
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

/// A signed token and when it expires.
pub struct Signed {
  pub token: String,
  pub expires_at: u64,
}

impl Authenticator {
  pub fn sign(
    &self,
    kind: Kind,
    claims: Map<String, Value>,
    options: &SignOptions,
  ) -> Result<String, Error> {
    self
      .sign_in_family(kind, claims, options, None)
      .map(|s| s.token)
  }

  /// Signs with `fam` set to `family` (token pairs and their refreshes only).
  pub(crate) fn sign_in_family(
    &self,
    kind: Kind,
    claims: Map<String, Value>,
    options: &SignOptions,
    family: Option<&str>,
  ) -> Result<Signed, Error> {
    let settings = self.settings();
    let verifier = match kind {
      Kind::Access => self.access_verifier(),
      Kind::Refresh => self.refresh_verifier().ok_or_else(|| {
        Error::config(
          "Signing a refresh token needs `refreshSecret` (or `refreshKeys`) in the configuration",
        )
      })?,
    };
    if claims.contains_key("fam") {
      return Err(Error::argument(
        "claim `fam` (the refresh-token family) is set by issueTokens and refresh",
      ));
    }
    let mut payload = self.payload(kind, claims, options)?;
    if let Some(f) = family {
      payload.insert("fam".into(), f.into());
    }
    let json = serde_json::to_vec(&payload)
      .map_err(|e| Error::argument(format!("claims cannot be serialised: {e}")))?;
    let token = verifier.sign(settings.signing_algorithm, &json)?;
    // A token authenticate would refuse is never handed out.
    if token.len() > settings.max_token_length {
      return Err(Error::argument(format!(
        "the signed token would be {} bytes, over `maxTokenLength` ({}), so it would be refused: carry less in its claims",
        token.len(),
        settings.max_token_length
      )));
    }
    let number = |name: &str| payload.get(name).and_then(Value::as_u64).unwrap_or(0);
    let text = |name: &str| payload.get(name).and_then(Value::as_str);
    let (iat, expires_at) = (number("iat"), number("exp"));
    if let (Some(sub), Some(jti)) = (text("sub"), text("jti")) {
      self.revocations().note_signed(
        sub,
        text("tenant_id"),
        jti,
        iat,
        self.clock().unix_seconds(),
      );
    }
    Ok(Signed { token, expires_at })
  }

  fn payload(
    &self,
    kind: Kind,
    mut claims: Map<String, Value>,
    options: &SignOptions,
  ) -> Result<Map<String, Value>, Error> {
    let settings = self.settings();
    if let Some(name) = RESERVED.iter().find(|n| claims.contains_key(**n)) {
      return Err(Error::argument(format!(
        "claim `{name}` is set by the signer; use the `expiresIn`/`notBefore` options instead"
      )));
    }
    match claims.get("sub") {
      Some(Value::String(s)) if !s.is_empty() => {}
      _ => {
        return Err(Error::argument(
          "claim `sub` (the user id) must be a non-empty string",
        ))
      }
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
      return Err(Error::argument(
        "claim `permissions` must be an array of strings",
      ));
    }
    if !matches!(claims.get("aud"), None | Some(Value::String(_)))
      && !claims.get("aud").is_some_and(string_list)
    {
      return Err(Error::argument(
        "claim `aud` must be a string or an array of strings",
      ));
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
    // A tenant template names no one issuer; tokens signed here take the first exact one.
    let own_issuer = settings
      .issuers
      .iter()
      .find(|i| !i.contains(crate::jwt::issuer::TENANT_PLACEHOLDER));
    if let (false, Some(iss)) = (claims.contains_key("iss"), own_issuer) {
      claims.insert("iss".into(), iss.clone().into());
    }
    if let (false, Some(aud)) = (claims.contains_key("aud"), settings.audiences.first()) {
      claims.insert("aud".into(), aud.clone().into());
    }
    if !claims.contains_key("jti") {
      let id = request_id::new_v4();
      claims.insert(
        "jti".into(),
        String::from_utf8_lossy(&id).into_owned().into(),
      );
    }
    Ok(claims)
  }
}

/// A lifetime as jsonwebtoken users write it: whole seconds, or a string of a whole number and a
/// unit (`s`, `m`, `h`, `d`), e.g. `"15m"`. Anything else is refused, never guessed at.
pub fn lifetime(value: &config::Value, name: &str) -> Result<u64, Error> {
  const MAX: u64 = 10 * 365 * 86_400;
  let refuse = || {
    Error::argument(format!("`{name}` must be whole seconds or a string like \"15m\", \"12h\" or \"7d\", at most 10 years"))
  };
  let seconds = match value {
    config::Value::Number(n) if n.fract() == 0.0 && *n >= 0.0 && *n <= MAX as f64 => *n as u64,
    config::Value::String(s) => {
      let s = s.trim();
      let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
      let (digits, unit) = s.split_at(split);
      let n: u64 = digits.parse().map_err(|_| refuse())?;
      let scale = match unit.trim() {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(refuse()),
      };
      n.checked_mul(scale)
        .filter(|s| *s <= MAX)
        .ok_or_else(refuse)?
    }
    _ => return Err(refuse()),
  };
  Ok(seconds)
}

#[cfg(test)]
#[path = "signing_tests.rs"]
mod tests;
