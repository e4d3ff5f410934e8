//! The tenant rule of the request path, for credentials the JS layer checks itself (API keys):
//! the same code decides, so a key and a token asking for a tenant get the same answer.

use super::args;
use super::registry::Registered;
use super::result_format::HEADER_FIELD_BUFFER_BYTES;
use auth_shield_core::request::tenant::Field;
use napi::bindgen_prelude::External;
use napi::{Unknown, ValueType};
use napi_derive::napi;

#[napi(object)]
pub struct TenantAnswer {
  /// The tenant, or null for none.
  pub tenant: Option<String>,
  /// The refusal's code (`INVALID_TENANT`, `INVALID_HOST`, `TENANT_MISMATCH`), or null.
  pub code: Option<String>,
}

/// A tenant header or Host as the request path reads it: absent, unusable, too long, or present.
fn field<'b>(value: &Unknown, text: &'b Option<String>) -> Field<'b> {
  match (value.get_type(), text) {
    (Ok(ValueType::Undefined | ValueType::Null), _) => Field::Absent,
    (_, Some(s)) if s.len() >= HEADER_FIELD_BUFFER_BYTES => {
      Field::TooLong(&s.as_bytes()[..HEADER_FIELD_BUFFER_BYTES - 1])
    }
    (_, Some(s)) => Field::Present(s.as_bytes()),
    _ => Field::Unusable,
  }
}

/// Which tenant a request is for when its credential is bound to `claim`, or why it is refused.
#[napi]
pub fn resolve_tenant(
  authenticator: &External<Registered>,
  claim: Option<String>,
  header: Unknown,
  host: Unknown,
) -> TenantAnswer {
  let (header_text, host_text) = (args::string(&header), args::string(&host));
  match authenticator.resolve_tenant(
    claim.as_deref(),
    field(&header, &header_text),
    field(&host, &host_text),
  ) {
    Ok(tenant) => TenantAnswer { tenant, code: None },
    Err(code) => TenantAnswer {
      tenant: None,
      code: Some(code.as_str().to_owned()),
    },
  }
}
