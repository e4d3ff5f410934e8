//! Which `iss` values a token may carry (RFC 7519 §4.1.1): exact names, and names with the
//! token's own tenant in them. A multi-tenant Entra ID app (the `common` endpoint) takes tokens
//! whose issuer is `https://login.microsoftonline.com/<tid>/v2.0` for the `tid` in the same
//! token; the configuration writes it with Microsoft's own placeholder, `{tenantid}`.

use crate::error::Error;

/// The placeholder for the token's tenant (its `claims.tenantId` claim: `tid` for Entra ID).
pub const TENANT_PLACEHOLDER: &str = "{tenantid}";

/// The accepted issuers, split once when the authenticator is built.
#[derive(Debug, Clone, Default)]
pub struct Issuers {
  exact: Vec<String>,
  /// What comes before and after the placeholder.
  templates: Vec<(String, String)>,
}

impl Issuers {
  pub fn new(names: &[String]) -> Result<Issuers, Error> {
    let mut issuers = Issuers::default();
    for name in names {
      match name.split_once(TENANT_PLACEHOLDER) {
        None => issuers.exact.push(name.clone()),
        Some((before, after)) if !after.contains(TENANT_PLACEHOLDER) => issuers
          .templates
          .push((before.to_owned(), after.to_owned())),
        Some(_) => {
          return Err(Error::config(format!(
            "`issuer` {name:?} names {TENANT_PLACEHOLDER} more than once"
          )))
        }
      }
    }
    Ok(issuers)
  }

  /// Whether `iss` is checked at all.
  pub fn is_empty(&self) -> bool {
    self.exact.is_empty() && self.templates.is_empty()
  }

  /// Whether a token with `iss` and the tenant `tenant` comes from an accepted issuer.
  pub fn accepts(&self, iss: &str, tenant: Option<&str>) -> bool {
    if self.exact.iter().any(|i| i == iss) {
      return true;
    }
    let Some(tenant) = tenant.filter(|t| is_tenant_id(t)) else {
      return false;
    };
    self.templates.iter().any(|(before, after)| {
      iss.len() == before.len() + tenant.len() + after.len()
        && iss.starts_with(before.as_str())
        && iss.ends_with(after.as_str())
        && &iss[before.len()..before.len() + tenant.len()] == tenant
    })
  }
}

/// A tenant that can stand in an issuer: Entra's are GUIDs; nothing that could change the URL's
/// shape (`/`, `?`, `#`, `@`) is taken.
fn is_tenant_id(t: &str) -> bool {
  !t.is_empty()
    && t.len() <= 128
    && t
      .bytes()
      .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_')
}

#[cfg(test)]
#[path = "issuer_tests.rs"]
mod tests;
