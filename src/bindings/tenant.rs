//! The tenant rule of the request path, for credentials the JS layer checks itself (API keys):
//! the same code decides, and the header and Host are read as the request path reads them, so a
//! key and a token asking for a tenant get the same answer.

use super::errors::guard;
use super::registry::Registered;
use super::result_format::HEADER_FIELD_BUFFER_BYTES;
use super::strings::read_field;
use napi::bindgen_prelude::External;
use napi::{Env, JsValue, Unknown};
use napi_derive::napi;

#[napi(object)]
pub struct TenantAnswer {
  /// The tenant, or null for none.
  pub tenant: Option<String>,
  /// The refusal's code (`INVALID_TENANT`, `INVALID_HOST`, `TENANT_MISMATCH`), or null.
  pub code: Option<String>,
}

/// Which tenant a request is for when its credential is bound to `claim`, or why it is refused.
#[napi]
pub fn resolve_tenant(
  env: Env,
  authenticator: &External<Registered>,
  claim: Option<String>,
  header: Unknown,
  host: Unknown,
) -> napi::Result<TenantAnswer> {
  guard(&env, || {
    let (mut header_buf, mut host_buf) = (
      [0u8; HEADER_FIELD_BUFFER_BYTES],
      [0u8; HEADER_FIELD_BUFFER_BYTES],
    );
    // SAFETY: both handles are this call's own arguments, live for its duration, and each buffer
    // is as large as `read_field` is told.
    let (header, host) = unsafe {
      (
        read_field(env.raw(), header.raw(), &mut header_buf),
        read_field(env.raw(), host.raw(), &mut host_buf),
      )
    };
    Ok(
      match authenticator.resolve_tenant(claim.as_deref(), header, host) {
        Ok(tenant) => TenantAnswer { tenant, code: None },
        Err(code) => TenantAnswer {
          tenant: None,
          code: Some(code.as_str().to_owned()),
        },
      },
    )
  })
}
