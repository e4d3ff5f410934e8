//! Revoking: one token by `jti`, every token of a user, or a whole refresh-token family. The
//! state these write is in `revocation.rs`; the request path checks it on every call.

use crate::error::Error;
use crate::lifecycle::revocation::Event;
use crate::metrics::RevocationKind;
use crate::request::pipeline::Authenticator;

impl Authenticator {
  /// Refuses the token with this `jti` until `expires_at` (its `exp`; by default the longest
  /// lifetime a token signed here can have). `false` when it had expired already.
  pub fn revoke_token(&self, jti: &str, expires_at: Option<u64>) -> Result<bool, Error> {
    let now = self.clock().unix_seconds();
    let until =
      expires_at.unwrap_or_else(|| now.saturating_add(self.settings().longest_token_lifetime()));
    let until = until.saturating_add(self.settings().leeway);
    self.metrics().revoked(RevocationKind::Token);
    self.revocations().record(
      Event::Token {
        jti: jti.to_owned(),
        expires_at: until,
      },
      now,
      true,
    )
  }

  /// Refuses every token of `user` (in `tenant`, when given) issued at or before `before`
  /// (default: now). Tokens signed here afterwards are accepted, even within the same second.
  pub fn revoke_user(
    &self,
    user: &str,
    tenant: Option<&str>,
    before: Option<u64>,
  ) -> Result<bool, Error> {
    let now = self.clock().unix_seconds();
    self.metrics().revoked(RevocationKind::User);
    self.revocations().revoke_user(user, tenant, before, now)
  }

  /// Ends a login: every token of the refresh-token family (`fam`).
  pub fn revoke_family(&self, family: &str, expires_at: Option<u64>) -> Result<bool, Error> {
    let now = self.clock().unix_seconds();
    let until =
      expires_at.unwrap_or_else(|| now.saturating_add(self.settings().longest_token_lifetime()));
    self.metrics().revoked(RevocationKind::Family);
    self.revocations().record(
      Event::Family {
        family: family.to_owned(),
        expires_at: until.saturating_add(self.settings().leeway),
      },
      now,
      true,
    )
  }
}
