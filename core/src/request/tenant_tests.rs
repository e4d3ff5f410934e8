//! Unit tests of `tenant.rs`, beside it as every module's are.

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
