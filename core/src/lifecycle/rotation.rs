//! Token pairs: issuing an access + refresh token for a login, and refreshing with rotation and
//! reuse detection (OAuth 2.0 Security BCP §4.14.2): each refresh token works once; presenting
//! a rotated one again revokes its whole family, the thief's tokens and the user's alike.

use crate::error::{Error, ErrorCode};
use crate::lifecycle::revocation::Event;
use crate::lifecycle::sessions::Rotation;
use crate::lifecycle::signing::{Kind, SignOptions};
use crate::request::pipeline::Authenticator;
use crate::request::request_id;
use serde_json::{Map, Value};

#[derive(Debug, Clone, Default)]
pub struct PairOptions {
  pub access_expires_in: Option<u64>,
  pub refresh_expires_in: Option<u64>,
}

/// A refused refresh: its code, and the family when the refusal revoked it (`TOKEN_REUSED`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
  pub code: ErrorCode,
  pub family: Option<String>,
}

impl From<ErrorCode> for Refused {
  fn from(code: ErrorCode) -> Self {
    Refused { code, family: None }
  }
}

/// Who says whether a refresh token was spent before: this process's sessions, or a store shared
/// by every instance (Redis), which spent it atomically and told the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spend {
  Local,
  /// Spent for the first time, by the shared store's word.
  Fresh,
  /// Spent before, by the shared store's word: a replay.
  Reused,
}

/// What a verified, unrevoked refresh token is, for a shared store to spend it by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshState {
  pub family: String,
  pub jti: String,
  pub expires_at: u64,
}

#[derive(Debug, Clone)]
pub struct Pair {
  pub access_token: String,
  pub refresh_token: String,
  pub access_expires_at: u64,
  pub refresh_expires_at: u64,
  /// The family id (`fam` claim): one per login, kept across refreshes.
  pub family: String,
  pub user_id: String,
}

/// Claims the signer sets on each token; not carried from one refresh token to the next pair.
const PER_TOKEN: [&str; 6] = ["type", "iat", "exp", "nbf", "jti", "fam"];

fn uuid() -> String {
  String::from_utf8_lossy(&request_id::new_v4()).into_owned()
}

impl Authenticator {
  fn sign_pair(
    &self,
    claims: Map<String, Value>,
    family: &str,
    refresh_jti: &str,
    o: &PairOptions,
  ) -> Result<Pair, Error> {
    let user_id = claims
      .get("sub")
      .and_then(Value::as_str)
      .unwrap_or_default()
      .to_owned();
    let access = self.sign_in_family(
      Kind::Access,
      claims.clone(),
      &SignOptions {
        expires_in: o.access_expires_in,
        not_before: None,
      },
      Some(family),
    )?;
    let mut refresh_claims = claims;
    refresh_claims.insert("jti".into(), refresh_jti.into());
    let refresh = self.sign_in_family(
      Kind::Refresh,
      refresh_claims,
      &SignOptions {
        expires_in: o.refresh_expires_in,
        not_before: None,
      },
      Some(family),
    )?;
    Ok(Pair {
      access_token: access.token,
      refresh_token: refresh.token,
      access_expires_at: access.expires_at,
      refresh_expires_at: refresh.expires_at,
      family: family.to_owned(),
      user_id,
    })
  }

  fn require_refresh(&self) -> Result<(), Error> {
    if self.refresh_verifier().is_none() {
      return Err(Error::config(
        "Token pairs need `refreshSecret` (or `refreshKeys`) in the configuration",
      ));
    }
    Ok(())
  }

  /// A new login: an access token and a refresh token in a new family. The refresh token carries
  /// the same claims, so `refresh` can issue the next pair without a lookup.
  pub fn issue_pair(&self, claims: Map<String, Value>, o: &PairOptions) -> Result<Pair, Error> {
    self.require_refresh()?;
    if claims.contains_key("jti") {
      return Err(Error::argument(
        "claim `jti` is set per token by issueTokens",
      ));
    }
    let family = uuid();
    let refresh_jti = uuid();
    let pair = self.sign_pair(claims, &family, &refresh_jti, o)?;
    self
      .sessions()
      .start(&family, &refresh_jti, pair.refresh_expires_at);
    Ok(pair)
  }

  /// Verifies a refresh token and rotates it into a new pair. `claims` replaces what the new
  /// tokens carry (say, after a role change); by default the refresh token's claims carry over.
  /// `Ok(Err(code))` is a refused request; `Err` a programmer error (bad claims or options).
  pub fn refresh(
    &self,
    token: &str,
    claims: Option<Map<String, Value>>,
    o: &PairOptions,
  ) -> Result<Result<Pair, Refused>, Error> {
    self.refresh_spent(token, claims, o, Spend::Local)
  }

  /// The family, id and expiry of a refresh token that verifies and is not revoked, changing
  /// nothing: what a shared store spends it by before `refresh_spent`.
  pub fn refresh_state(&self, token: &str) -> Result<Result<RefreshState, Refused>, Error> {
    self.require_refresh()?;
    let now = self.clock().unix_seconds();
    let mut scratch = Vec::new();
    Ok(
      self
        .verified_refresh(token, now, &mut scratch)
        .map(|(family, jti, exp)| RefreshState {
          family,
          jti,
          expires_at: exp.map_or(0, |e| e.max(0.0) as u64),
        }),
    )
  }

  fn verified_refresh(
    &self,
    token: &str,
    now: u64,
    scratch: &mut Vec<u8>,
  ) -> Result<(String, String, Option<f64>), Refused> {
    let verifier = self.refresh_verifier().expect("checked");
    let c = verifier.verify(token.as_bytes(), now, scratch)?;
    if self.revocations().is_revoked(&c, now) {
      return Err(ErrorCode::TokenRevoked.into());
    }
    // A refresh token signed by hand (not by issueTokens) has no family to rotate in.
    let (Some(f), Some(j)) = (c.fam.as_ref(), c.jti.as_ref()) else {
      return Err(ErrorCode::MissingClaim.into());
    };
    Ok((f.as_str().to_owned(), j.as_str().to_owned(), c.exp))
  }

  /// `refresh`, with `spend` saying who decides whether the token was used before.
  pub fn refresh_spent(
    &self,
    token: &str,
    claims: Option<Map<String, Value>>,
    o: &PairOptions,
    spend: Spend,
  ) -> Result<Result<Pair, Refused>, Error> {
    self.require_refresh()?;
    let now = self.clock().unix_seconds();
    let mut scratch = Vec::new();
    let (family, presented, presented_exp) = match self.verified_refresh(token, now, &mut scratch) {
      Ok(v) => v,
      Err(refused) => return Ok(Err(refused)),
    };
    let carried = match claims {
      Some(m) => {
        if m.contains_key("jti") {
          return Err(Error::argument("claim `jti` is set per token by refresh"));
        }
        m
      }
      None => {
        let mut m: Map<String, Value> = serde_json::from_slice(&scratch)
          .map_err(|_| Error::new(ErrorCode::Internal, "a verified payload did not parse"))?;
        for name in PER_TOKEN {
          m.remove(name);
        }
        m
      }
    };
    let next = uuid();
    // Signed before the rotation, so bad claims leave the family as it was.
    let pair = self.sign_pair(carried, &family, &next, o)?;
    let rotation = match spend {
      Spend::Local => {
        self
          .sessions()
          .rotate(&family, &presented, &next, pair.refresh_expires_at, now)
      }
      Spend::Fresh => {
        // The shared store is the judge; this process only follows the family along.
        self
          .sessions()
          .start(&family, &next, pair.refresh_expires_at);
        Rotation::Rotated
      }
      Spend::Reused => Rotation::Reused,
    };
    match rotation {
      Rotation::Rotated => {
        self.metrics().rotated();
        Ok(Ok(pair))
      }
      Rotation::Reused => {
        self.metrics().reuse();
        self
          .metrics()
          .revoked(crate::metrics::RevocationKind::Family);
        let settings = self.settings();
        // Long enough to outlive every token the family could still hold.
        let until = presented_exp
          .map_or(0, |e| e.max(0.0) as u64)
          .max(now.saturating_add(settings.refresh_token_ttl))
          .saturating_add(settings.leeway);
        // At the revocation bound the family still dies in `sessions`; its access tokens then
        // live out their (short) lifetime.
        let _ = self.revocations().record(
          Event::Family {
            family: family.clone(),
            expires_at: until,
          },
          now,
          true,
        );
        Ok(Err(Refused {
          code: ErrorCode::TokenReused,
          family: Some(family),
        }))
      }
    }
  }
}
