//! Which tenant a request is for: the token's `tenant_id` claim, else the tenant header, else the
//! subdomain of the Host under the configured base domain. With enforcement on, a token may only be
//! used for its own tenant.

use crate::error::ErrorCode;
use crate::request::bearer::trim_ows;

/// Longest tenant id accepted from a header.
pub const MAX_HEADER_TENANT: usize = crate::contract::limit::MAX_HEADER_TENANT_BYTES;
/// A DNS label is at most 63 octets (RFC 1035 §2.3.4).
const MAX_LABEL: usize = 63;
/// A host name is at most 253 characters in text form (RFC 1035 §2.3.4, less the root's dot).
const MAX_HOST: usize = 253;

#[derive(Debug, Clone)]
pub struct TenantPolicy {
  /// Lowercase, without a leading dot. Only `<tenant>.<base>` hosts name a tenant; without any no
  /// host does: `api.example.com` is the usual name of an API, not a tenant, and guessing made
  /// every request to it a 403.
  pub base_domains: Vec<String>,
  /// Refuse a request whose requested tenant differs from the token's, or which requests a tenant
  /// with a token bound to none.
  pub enforce: bool,
}

/// A tenant header or Host as the binding could read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field<'a> {
  Absent,
  Present(&'a [u8]),
  /// Not a string.
  Unusable,
  /// A string longer than anything we would accept, of which only this prefix was read.
  TooLong(&'a [u8]),
}

/// A subdomain label, lowercased into a small inline buffer.
#[derive(Debug, Clone, Copy)]
pub struct Label {
  bytes: [u8; MAX_LABEL],
  len: u8,
}

impl Label {
  pub fn as_str(&self) -> &str {
    // Only [a-z0-9-] are ever stored.
    std::str::from_utf8(&self.bytes[..self.len as usize]).unwrap_or("")
  }
}

/// The resolved tenant. A claim's tenant is not copied here: the caller holds the claims.
#[derive(Debug, Clone, Copy)]
pub enum Tenant<'r> {
  Claim,
  Header(&'r str),
  Subdomain(Label),
}

impl<'r> Tenant<'r> {
  /// The tenant id, given the claim it was resolved with.
  pub fn as_str<'x>(&'x self, claim: Option<&'x str>) -> &'x str {
    match self {
      Tenant::Claim => claim.unwrap_or(""),
      Tenant::Header(s) => s,
      Tenant::Subdomain(label) => label.as_str(),
    }
  }
}

impl TenantPolicy {
  pub fn resolve<'r>(
    &self,
    claim: Option<&str>,
    header: Field<'r>,
    host: Field<'r>,
  ) -> Result<Option<Tenant<'r>>, ErrorCode> {
    let requested = match header_tenant(header)? {
      Some(h) => Some(Tenant::Header(h)),
      None => self.host_tenant(host)?.map(Tenant::Subdomain),
    };
    let claim = claim.filter(|c| !c.is_empty());
    if self.enforce {
      if let Some(req) = &requested {
        if claim != Some(req.as_str(None)) {
          return Err(ErrorCode::TenantMismatch);
        }
      }
    }
    Ok(if claim.is_some() {
      Some(Tenant::Claim)
    } else {
      requested
    })
  }

  /// The tenant label of a Host value (RFC 9110 §7.2: `uri-host [ ":" port ]`). IP literals,
  /// `www`, bare domains and anything outside the base domain name no tenant; an unreadable host
  /// names none either (`host_tenant` refuses it where hosts name tenants).
  pub fn subdomain(&self, host: &[u8]) -> Option<Label> {
    self.read_host(host).ok().flatten()
  }

  /// The tenant a Host names. Where hosts name tenants (a base domain is set), a host that cannot
  /// be read is `InvalidHost`: were it skipped, `evil.example.com:abc` would pass enforcement
  /// that `evil.example.com` does not.
  fn host_tenant(&self, host: Field<'_>) -> Result<Option<Label>, ErrorCode> {
    if self.base_domains.is_empty() {
      return Ok(None);
    }
    match host {
      Field::Absent => Ok(None),
      Field::Unusable | Field::TooLong(_) => Err(ErrorCode::InvalidHost),
      Field::Present(host) => self.read_host(host),
    }
  }

  fn read_host(&self, host: &[u8]) -> Result<Option<Label>, ErrorCode> {
    if self.base_domains.is_empty() {
      return Ok(None);
    }
    let host = trim_ows(host);
    if host.is_empty() {
      return Ok(None);
    }
    let unreadable = Err(ErrorCode::InvalidHost);
    if host[0] == b'[' {
      // An IPv6 literal names no tenant, but it must be one.
      let Some(end) = host.iter().position(|&b| b == b']') else {
        return unreadable;
      };
      let literal = &host[1..end];
      let ok = !literal.is_empty()
        && literal
          .iter()
          .all(|b| b.is_ascii_hexdigit() || matches!(b, b':' | b'.'))
        && port_suffix(&host[end + 1..]);
      return if ok { Ok(None) } else { unreadable };
    }
    let name = match host.iter().position(|&b| b == b':') {
      None => host,
      Some(i) if port_suffix(&host[i..]) => &host[..i],
      Some(_) => return unreadable,
    };
    let name = name.strip_suffix(b".").unwrap_or(name);
    let readable = !name.is_empty()
      && name.len() <= MAX_HOST
      && name
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if !readable {
      return unreadable;
    }
    if name.iter().all(|b| b.is_ascii_digit() || *b == b'.') {
      return Ok(None);
    }
    let Some(first_dot) = name.iter().position(|&b| b == b'.') else {
      return Ok(None);
    };
    let (first, rest) = (&name[..first_dot], &name[first_dot + 1..]);
    let under_a_base = self
      .base_domains
      .iter()
      .any(|base| rest.eq_ignore_ascii_case(base.as_bytes()));
    if !under_a_base || first.eq_ignore_ascii_case(b"www") {
      return Ok(None);
    }
    label(first).map(Some).ok_or(ErrorCode::InvalidHost)
  }
}

/// Empty, or `:` and a port of 1 to 5 digits.
fn port_suffix(rest: &[u8]) -> bool {
  match rest.split_first() {
    None => true,
    Some((b':', port)) => {
      !port.is_empty() && port.len() <= 5 && port.iter().all(u8::is_ascii_digit)
    }
    Some(_) => false,
  }
}

fn header_tenant(header: Field<'_>) -> Result<Option<&str>, ErrorCode> {
  let value = match header {
    Field::Absent => return Ok(None),
    Field::Unusable | Field::TooLong(_) => return Err(ErrorCode::InvalidTenant),
    Field::Present(v) => trim_ows(v),
  };
  if value.is_empty() {
    return Ok(None);
  }
  let valid = value.len() <= MAX_HEADER_TENANT
    && value
      .iter()
      .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
  if !valid {
    return Err(ErrorCode::InvalidTenant);
  }
  std::str::from_utf8(value)
    .map(Some)
    .map_err(|_| ErrorCode::InvalidTenant)
}

/// A DNS label (RFC 1123 §2.1): letters, digits and inner hyphens, lowercased.
fn label(raw: &[u8]) -> Option<Label> {
  let ok = !raw.is_empty()
    && raw.len() <= MAX_LABEL
    && raw.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-')
    && raw[0] != b'-'
    && raw[raw.len() - 1] != b'-';
  if !ok {
    return None;
  }
  let mut bytes = [0u8; MAX_LABEL];
  for (dst, src) in bytes.iter_mut().zip(raw) {
    *dst = src.to_ascii_lowercase();
  }
  Some(Label {
    bytes,
    len: raw.len() as u8,
  })
}

#[cfg(test)]
#[path = "tenant_tests.rs"]
mod tests;
