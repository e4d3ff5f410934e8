//! Token pairs, refresh and revocation on a prepared authenticator.

use super::args;
use super::config;
use super::errors::guard;
use super::registry::Registered;
use auth_shield_core::error::Error;
use auth_shield_core::lifecycle::rotation::{Pair, PairOptions, Spend};
use napi::bindgen_prelude::External;
use napi::{Env, Unknown};
use napi_derive::napi;
use serde_json::{Map, Value};

#[napi(object)]
pub struct TokenPair {
  pub access_token: String,
  pub refresh_token: String,
  pub access_expires_at: i64,
  pub refresh_expires_at: i64,
  pub family: String,
  pub user_id: String,
}

impl From<Pair> for TokenPair {
  fn from(p: Pair) -> Self {
    TokenPair {
      access_token: p.access_token,
      refresh_token: p.refresh_token,
      access_expires_at: p.access_expires_at as i64,
      refresh_expires_at: p.refresh_expires_at as i64,
      family: p.family,
      user_id: p.user_id,
    }
  }
}

#[napi(object)]
pub struct RefreshOutcome {
  /// The error code of a refused refresh; absent on success.
  pub code: Option<String>,
  /// The family a `TOKEN_REUSED` refusal revoked.
  pub family: Option<String>,
  pub pair: Option<TokenPair>,
}

fn claims_object(json: &str) -> Result<Map<String, Value>, Error> {
  match serde_json::from_str::<Value>(json) {
    Ok(Value::Object(map)) => Ok(map),
    _ => Err(Error::argument("claims must be a plain object")),
  }
}

fn pair_options(access: &Unknown, refresh: &Unknown) -> Result<PairOptions, Error> {
  Ok(PairOptions {
    access_expires_in: config::duration(access, "accessExpiresIn")?,
    refresh_expires_in: config::duration(refresh, "refreshExpiresIn")?,
  })
}

/// `claims` is JSON text, serialised by the JS layer as for signing.
#[napi]
pub fn issue_tokens(
  env: Env,
  authenticator: &External<Registered>,
  claims: String,
  access_expires_in: Unknown,
  refresh_expires_in: Unknown,
) -> napi::Result<TokenPair> {
  guard(&env, || {
    let options = pair_options(&access_expires_in, &refresh_expires_in)?;
    authenticator
      .issue_pair(claims_object(&claims)?, &options)
      .map(TokenPair::from)
  })
}

fn malformed() -> Option<String> {
  Some(
    auth_shield_core::error::ErrorCode::TokenMalformed
      .as_str()
      .to_owned(),
  )
}

#[napi(object)]
pub struct RefreshTokenState {
  /// The error code of a token that would be refused; absent when it verifies.
  pub code: Option<String>,
  pub family: Option<String>,
  pub jti: Option<String>,
  pub expires_at: Option<i64>,
}

/// What a refresh token is (family, id, expiry) when it verifies and is not revoked; changes
/// nothing. For a store shared by instances to spend it by.
#[napi]
pub fn refresh_token_state(
  env: Env,
  authenticator: &External<Registered>,
  token: Unknown,
) -> napi::Result<RefreshTokenState> {
  guard(&env, || {
    let refused = |code| RefreshTokenState {
      code,
      family: None,
      jti: None,
      expires_at: None,
    };
    let Some(token) = args::string(&token) else {
      return Ok(refused(malformed()));
    };
    Ok(match authenticator.refresh_state(&token)? {
      Ok(s) => RefreshTokenState {
        code: None,
        family: Some(s.family),
        jti: Some(s.jti),
        expires_at: Some(s.expires_at as i64),
      },
      Err(r) => refused(Some(r.code.as_str().to_owned())),
    })
  })
}

/// A refused refresh is an outcome with a code, not a throw; a token that is not a string is
/// malformed, as it would be in a header. `spend`: `"fresh"` or `"reused"` when a store shared by
/// instances decided whether the token was spent before; absent, this process decides.
#[napi]
pub fn refresh_tokens(
  env: Env,
  authenticator: &External<Registered>,
  token: Unknown,
  claims: Option<String>,
  access_expires_in: Unknown,
  refresh_expires_in: Unknown,
  spend: Option<String>,
) -> napi::Result<RefreshOutcome> {
  guard(&env, || {
    let spend = match spend.as_deref() {
      None => Spend::Local,
      Some("fresh") => Spend::Fresh,
      Some("reused") => Spend::Reused,
      Some(_) => return Err(Error::argument("spend must be \"fresh\" or \"reused\"")),
    };
    let options = pair_options(&access_expires_in, &refresh_expires_in)?;
    let claims = claims.as_deref().map(claims_object).transpose()?;
    let Some(token) = args::string(&token) else {
      return Ok(RefreshOutcome {
        code: malformed(),
        family: None,
        pair: None,
      });
    };
    Ok(
      match authenticator.refresh_spent(&token, claims, &options, spend)? {
        Ok(pair) => RefreshOutcome {
          code: None,
          family: None,
          pair: Some(pair.into()),
        },
        Err(refused) => RefreshOutcome {
          code: Some(refused.code.as_str().to_owned()),
          family: refused.family,
          pair: None,
        },
      },
    )
  })
}

#[napi]
pub fn revoke_token(
  env: Env,
  authenticator: &External<Registered>,
  jti: Unknown,
  expires_at: Unknown,
) -> napi::Result<bool> {
  guard(&env, || {
    let jti = args::required_string(&jti, "jti")?;
    authenticator.revoke_token(&jti, args::optional_seconds(&expires_at, "expiresAt")?)
  })
}

#[napi]
pub fn revoke_user(
  env: Env,
  authenticator: &External<Registered>,
  user: Unknown,
  tenant: Unknown,
  before: Unknown,
) -> napi::Result<bool> {
  guard(&env, || {
    let user = args::required_string(&user, "userId")?;
    let tenant = args::optional_string(&tenant, "tenantId")?;
    authenticator.revoke_user(
      &user,
      tenant.as_deref(),
      args::optional_seconds(&before, "before")?,
    )
  })
}

#[napi]
pub fn revoke_family(
  env: Env,
  authenticator: &External<Registered>,
  family: Unknown,
  expires_at: Unknown,
) -> napi::Result<bool> {
  guard(&env, || {
    let family = args::required_string(&family, "family")?;
    authenticator.revoke_family(&family, args::optional_seconds(&expires_at, "expiresAt")?)
  })
}

#[napi]
pub fn export_revocations(authenticator: &External<Registered>) -> String {
  authenticator.export_revocations()
}

#[napi]
pub fn import_revocations(
  env: Env,
  authenticator: &External<Registered>,
  json: String,
) -> napi::Result<u32> {
  guard(&env, || {
    authenticator.import_revocations(&json).map(|n| n as u32)
  })
}

#[napi]
pub fn revocation_changes(
  env: Env,
  authenticator: &External<Registered>,
  cursor: Unknown,
) -> napi::Result<String> {
  guard(&env, || {
    let cursor = args::optional_seconds(&cursor, "cursor")
      .map_err(|_| Error::argument("`cursor` must be a cursor returned by revocationChanges"))?;
    Ok(authenticator.revocation_changes(cursor.unwrap_or(0)))
  })
}

#[napi]
pub fn apply_revocation(
  env: Env,
  authenticator: &External<Registered>,
  json: String,
) -> napi::Result<bool> {
  guard(&env, || authenticator.apply_revocation(&json))
}

/// Replaces the named keys (`{ keys, jwks, signingKid }`); a bad key leaves the old ones in force.
/// Returns why each JWK Set key left out was skipped.
#[napi]
pub fn set_keys(
  env: Env,
  authenticator: &External<Registered>,
  options: Unknown,
) -> napi::Result<Vec<String>> {
  guard(&env, || {
    let raw = super::config::read_options(&options, "setKeys")?;
    authenticator.set_keys(raw)
  })
}

/// The full claims (JSON text) of a Bearer header that verifies, or null.
#[napi]
pub fn verified_claims(
  authenticator: &External<Registered>,
  authorization: Unknown,
) -> Option<String> {
  args::string(&authorization).and_then(|a| authenticator.verified_claims(a.as_bytes()))
}

#[napi(object)]
pub struct LifecycleStats {
  pub revocations: u32,
  pub sessions: u32,
  pub cached_tokens: u32,
}

#[napi]
pub fn lifecycle_stats(authenticator: &External<Registered>) -> LifecycleStats {
  LifecycleStats {
    revocations: authenticator.revocations().len() as u32,
    sessions: authenticator.sessions().len() as u32,
    cached_tokens: authenticator.cache().map_or(0, |c| c.len() as u32),
  }
}
