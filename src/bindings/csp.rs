//! The CSP policy as a JS class the fluent `CspBuilder` in `lib/helpers/csp.js` drives.

use super::errors::guard;
use auth_shield_helpers::csp::{self, Policy};
use napi::Env;
use napi_derive::napi;

#[napi]
pub struct CspPolicy {
  inner: Policy,
}

#[napi]
impl CspPolicy {
  /// `strict` starts from the strict default policy, otherwise from nothing.
  #[napi(constructor)]
  pub fn new(strict: bool) -> Self {
    CspPolicy {
      inner: if strict {
        Policy::default()
      } else {
        Policy::empty()
      },
    }
  }

  #[napi]
  pub fn set(&mut self, env: Env, name: String, sources: Vec<String>) -> napi::Result<()> {
    guard(&env, || self.inner.set(&name, &sources))
  }

  #[napi]
  pub fn add(&mut self, env: Env, name: String, sources: Vec<String>) -> napi::Result<()> {
    guard(&env, || self.inner.add(&name, &sources))
  }

  #[napi]
  pub fn remove(&mut self, env: Env, name: String) -> napi::Result<()> {
    guard(&env, || self.inner.remove(&name))
  }

  #[napi]
  pub fn add_hash(
    &mut self,
    env: Env,
    name: String,
    algorithm: String,
    content: String,
  ) -> napi::Result<()> {
    guard(&env, || {
      self.inner.add_hash(&name, &algorithm, content.as_bytes())
    })
  }

  #[napi]
  pub fn use_nonce(&mut self, env: Env, names: Vec<String>) -> napi::Result<()> {
    guard(&env, || self.inner.use_nonce(&names))
  }

  #[napi]
  pub fn set_report_only(&mut self, on: bool) {
    self.inner.set_report_only(on)
  }

  #[napi]
  pub fn set_upgrade_insecure_requests(&mut self, on: bool) {
    self.inner.set_upgrade_insecure_requests(on)
  }

  #[napi]
  pub fn set_report_to(
    &mut self,
    env: Env,
    group: String,
    endpoint: Option<String>,
  ) -> napi::Result<()> {
    guard(&env, || {
      self.inner.set_report_to(&group, endpoint.as_deref())
    })
  }

  #[napi(getter)]
  pub fn header_name(&self) -> &'static str {
    self.inner.header_name()
  }

  #[napi(getter)]
  pub fn uses_nonce(&self) -> bool {
    self.inner.uses_nonce()
  }

  #[napi(getter)]
  pub fn reporting_endpoints(&self) -> Option<String> {
    self.inner.reporting_endpoints()
  }

  /// The header value cut at each nonce slot.
  #[napi]
  pub fn template(&self) -> Vec<String> {
    self.inner.template()
  }
}

/// 128 random bits, base64.
#[napi]
pub fn csp_nonce() -> String {
  csp::nonce()
}
