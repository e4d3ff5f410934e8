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
mod tests {
  use super::*;

  fn open() -> TenantPolicy {
    TenantPolicy {
      base_domains: Vec::new(),
      enforce: false,
    }
  }

  fn resolved(p: &TenantPolicy, claim: Option<&str>, header: Field, host: Field) -> Option<String> {
    let t = p.resolve(claim, header, host).unwrap();
    t.map(|t| t.as_str(claim).to_owned())
  }

  fn sub(policy: &TenantPolicy, host: &str) -> Option<String> {
    policy
      .subdomain(host.as_bytes())
      .map(|l| l.as_str().to_owned())
  }

  fn under(base: &str) -> TenantPolicy {
    TenantPolicy {
      base_domains: vec![base.into()],
      enforce: false,
    }
  }

  #[test]
  fn without_a_base_domain_no_host_names_a_tenant() {
    let p = open();
    for host in [
      "api.example.com",
      "acme.example.com",
      "api.eu.example.co.uk",
      "auth.default.svc.cluster.local",
      "acme.localhost:3000",
      "localhost:3000",
      "10.0.0.7:8080",
    ] {
      assert_eq!(sub(&p, host), None, "{host}");
    }
  }

  #[test]
  fn subdomain_under_the_base_with_or_without_port() {
    let p = under("example.com");
    assert_eq!(sub(&p, "acme.example.com"), Some("acme".into()));
    assert_eq!(sub(&p, "ACME.Example.com:8080"), Some("acme".into()));
    assert_eq!(sub(&p, "acme.example.com."), Some("acme".into()));
    assert_eq!(
      sub(&under("localhost"), "acme.localhost:3000"),
      Some("acme".into())
    );
  }

  #[test]
  fn no_tenant_for_bare_domains_www_ips_and_junk() {
    let p = under("example.com");
    for host in [
      "example.com",
      "localhost",
      "localhost:3000",
      "www.example.com",
      "127.0.0.1",
      "127.0.0.1:80",
      "[::1]:3000",
      "[2001:db8::1]",
      "a_b.example.com",
      "-a.example.com",
      "acme.example.com:",
      "acme.example.com:99999x",
      "",
      ".example.com",
      "acme.example.com:80:80",
    ] {
      assert_eq!(sub(&p, host), None, "{host}");
    }
    let long = format!("{}.example.com", "a".repeat(64));
    assert_eq!(sub(&p, &long), None);
  }

  #[test]
  fn where_hosts_name_tenants_an_unreadable_host_is_refused_not_skipped() {
    let p = TenantPolicy {
      base_domains: vec!["example.com".into()],
      enforce: true,
    };
    let long = format!("evil.{}", "a".repeat(523));
    let long_label = format!("{}.example.com", "a".repeat(64));
    for host in [
      "evil.example.com:abc",
      "evil.example.com:",
      "evil.example.com:80:80",
      "evil.example.com:123456",
      long.as_str(),
      long_label.as_str(),
      "-evil.example.com",
      ".example.com",
      "ev!l.example.com",
      "evil.example.com/x",
      "evil example.com",
      "[::1",
      "[]",
      "[::1]x",
      "[::1]:",
    ] {
      assert_eq!(
        p.resolve(Some("acme"), Field::Absent, Field::Present(host.as_bytes()))
          .err(),
        Some(ErrorCode::InvalidHost),
        "{host}"
      );
    }
    for host in [Field::Unusable, Field::TooLong(b"evil.exam")] {
      assert_eq!(
        p.resolve(Some("acme"), Field::Absent, host).err(),
        Some(ErrorCode::InvalidHost)
      );
    }
    // Readable hosts that name no tenant still pass; so does any host after a tenant header.
    for host in [
      "localhost:3000",
      "10.0.0.1:8080",
      "[::1]:3000",
      "api.other.org",
      "example.com",
      "",
    ] {
      assert!(
        p.resolve(Some("acme"), Field::Absent, Field::Present(host.as_bytes()))
          .is_ok(),
        "{host}"
      );
    }
    assert!(p
      .resolve(
        Some("acme"),
        Field::Present(b"acme"),
        Field::Present(b"evil.example.com:abc")
      )
      .is_ok());
    // Without a base domain no host names a tenant, so none is refused for its shape.
    assert!(open()
      .resolve(
        Some("acme"),
        Field::Absent,
        Field::Present(b"evil.example.com:abc")
      )
      .is_ok());
  }

  #[test]
  fn base_domain_limits_tenants_to_one_label_under_it() {
    let p = TenantPolicy {
      base_domains: vec!["api.example.com".into()],
      enforce: false,
    };
    assert_eq!(sub(&p, "acme.api.example.com"), Some("acme".into()));
    assert_eq!(sub(&p, "acme.API.example.com:443"), Some("acme".into()));
    assert_eq!(sub(&p, "x.acme.api.example.com"), None);
    assert_eq!(sub(&p, "acme.other.com"), None);
    assert_eq!(sub(&p, "api.example.com"), None);
    assert_eq!(sub(&p, "www.api.example.com"), None);
  }

  #[test]
  fn claim_wins_then_header_then_subdomain() {
    let p = under("example.com");
    let host = Field::Present(b"sub.example.com");
    let hdr = Field::Present(b"hdr");
    assert_eq!(resolved(&p, Some("claim"), hdr, host).unwrap(), "claim");
    assert_eq!(resolved(&p, None, hdr, host).unwrap(), "hdr");
    assert_eq!(resolved(&p, None, Field::Absent, host).unwrap(), "sub");
    assert_eq!(
      resolved(&p, None, Field::Present(b"  "), host).unwrap(),
      "sub"
    );
    assert_eq!(resolved(&p, None, Field::Absent, Field::Absent), None);
  }

  #[test]
  fn enforcement_refuses_a_different_or_unbound_tenant() {
    let p = TenantPolicy {
      base_domains: vec!["example.com".into()],
      enforce: true,
    };
    let host = Field::Present(b"other.example.com");
    assert!(p
      .resolve(Some("acme"), Field::Present(b"acme"), Field::Absent)
      .is_ok());
    assert!(matches!(
      p.resolve(Some("acme"), Field::Present(b"evil"), Field::Absent),
      Err(ErrorCode::TenantMismatch)
    ));
    assert!(matches!(
      p.resolve(Some("acme"), Field::Absent, host),
      Err(ErrorCode::TenantMismatch)
    ));
    assert!(matches!(
      p.resolve(None, Field::Present(b"acme"), Field::Absent),
      Err(ErrorCode::TenantMismatch)
    ));
    assert_eq!(
      resolved(&p, Some("acme"), Field::Absent, Field::Absent).unwrap(),
      "acme"
    );
    assert!(p
      .resolve(None, Field::Absent, Field::Absent)
      .unwrap()
      .is_none());
  }

  #[test]
  fn several_base_domains_each_name_tenants_one_label_under_them() {
    let p = TenantPolicy {
      base_domains: vec!["api.example.com".into(), "example.eu".into()],
      enforce: false,
    };
    assert_eq!(sub(&p, "acme.api.example.com"), Some("acme".into()));
    assert_eq!(sub(&p, "globex.example.eu:443"), Some("globex".into()));
    assert_eq!(sub(&p, "acme.example.com"), None);
    assert_eq!(sub(&p, "x.acme.example.eu"), None);
  }

  #[test]
  fn enforced_without_a_base_domain_the_host_never_refuses() {
    let p = TenantPolicy {
      base_domains: Vec::new(),
      enforce: true,
    };
    for host in [
      "api.example.com",
      "other.example.com:443",
      "a.b.svc.cluster.local",
    ] {
      let host = Field::Present(host.as_bytes());
      assert_eq!(
        resolved(&p, Some("acme"), Field::Absent, host).unwrap(),
        "acme"
      );
      assert_eq!(resolved(&p, None, Field::Absent, host), None);
    }
  }

  #[test]
  fn unenforced_mismatch_keeps_the_claim() {
    let p = open();
    assert_eq!(
      resolved(&p, Some("acme"), Field::Present(b"evil"), Field::Absent).unwrap(),
      "acme"
    );
  }

  #[test]
  fn bad_tenant_headers_are_invalid() {
    let p = open();
    let long = "a".repeat(MAX_HEADER_TENANT + 1);
    for bad in [
      &b"a, b"[..],
      b"a b",
      b"a/b",
      b"a\0b",
      b"\xc3\xa9",
      long.as_bytes(),
    ] {
      assert!(
        matches!(
          p.resolve(None, Field::Present(bad), Field::Absent),
          Err(ErrorCode::InvalidTenant)
        ),
        "{bad:?}"
      );
    }
    assert!(matches!(
      p.resolve(None, Field::Unusable, Field::Absent),
      Err(ErrorCode::InvalidTenant)
    ));
    assert!(matches!(
      p.resolve(None, Field::TooLong(b"a"), Field::Absent),
      Err(ErrorCode::InvalidTenant)
    ));
    assert_eq!(
      resolved(&p, None, Field::Absent, Field::TooLong(b"a.example.com")),
      None
    );
    assert_eq!(
      resolved(&p, None, Field::Present(b" t-1_x.y "), Field::Absent).unwrap(),
      "t-1_x.y"
    );
  }
}
