//! Replacing named keys without a restart (`setKeys`).

use crate::error::Error;
use crate::request::pipeline::Authenticator;

impl Authenticator {
  /// Replaces the named keys without a restart. All or nothing: a bad key leaves the old set in
  /// force. Returns why each key of a JWK Set that was left out was skipped.
  pub fn set_keys(&self, raw: crate::config::RawConfig) -> Result<Vec<String>, Error> {
    let new = crate::config::key_sets_from_raw(raw, self.settings().allow_weak_secrets)?;
    // Both checked for applicability before either is swapped in.
    let refresh = match (&new.refresh, self.refresh_verifier()) {
      (Some(_), Some(v)) if v.key_set().is_none() => {
        return Err(Error::config(
          "`refreshKeys` in setKeys needs an authenticator configured with `refreshKeys`, not `refreshSecret`",
        ))
      }
      (Some(_), None) => return Err(Error::config("`refreshKeys` in setKeys needs `refreshKeys` in the configuration")),
      (_, v) => v,
    };
    if new.access.is_some() && self.access_verifier().key_set().is_none() {
      return Err(Error::config(
        "setKeys needs an authenticator configured with `keys` or `jwks`, not `accessSecret`",
      ));
    }
    let mut skipped = Vec::new();
    if let Some(keys) = new.access {
      skipped.extend_from_slice(keys.skipped());
      self.access_verifier().set_keys(keys)?;
    }
    if let (Some(keys), Some(v)) = (new.refresh, refresh) {
      skipped.extend(keys.skipped().iter().map(|s| format!("refreshKeys: {s}")));
      v.set_keys(keys)?;
    }
    // Tokens verified under the old keys must be verified again under the new ones.
    if let Some(cache) = self.cache() {
      cache.clear();
    }
    Ok(skipped)
  }
}
