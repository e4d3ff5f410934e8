//! A user's revocation cutoff (`revokeUser`): tokens issued up to a second are refused, except
//! those signed here after the revocation within that same second.

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Cutoff {
  pub(super) before: u64,
  pub(super) reissued: Vec<String>,
  pub(super) expires_at: u64,
}

impl Cutoff {
  /// Whether a token of this user issued at `iat` (with id `jti`) is refused.
  pub(super) fn refuses(&self, iat: Option<f64>, jti: Option<&str>, now: u64) -> bool {
    if self.expires_at <= now {
      return false;
    }
    match iat {
      // A token that does not say when it was issued cannot be shown to be newer.
      None => true,
      Some(t) if t < self.before as f64 => true,
      Some(t) if t < self.before as f64 + 1.0 => {
        !jti.is_some_and(|j| self.reissued.iter().any(|r| r == j))
      }
      Some(_) => false,
    }
  }

  pub(super) fn merge(&mut self, before: u64, reissued: &[String], expires_at: u64) {
    if before > self.before {
      self.before = before;
      self.reissued.clear();
    }
    if before == self.before {
      for r in reissued {
        if !self.reissued.contains(r) {
          self.reissued.push(r.clone());
        }
      }
    }
    self.expires_at = self.expires_at.max(expires_at);
  }
}
