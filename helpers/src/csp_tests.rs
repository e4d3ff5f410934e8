//! Tests of csp.rs, kept beside it as a child module so they see its private items.

use super::*;

fn v(items: &[&str]) -> Vec<String> {
  items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn strict_default() {
  let p = Policy::default();
  assert_eq!(p.header_name(), "Content-Security-Policy");
  assert_eq!(
    p.template(),
    vec!["default-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'; upgrade-insecure-requests"]
  );
}

#[test]
fn nonces_go_into_their_directives() {
  let mut p = Policy::default();
  p.add("script-src", &v(&["'strict-dynamic'"])).unwrap();
  p.use_nonce(&v(&["script-src", "style-src"])).unwrap();
  let n = nonce();
  assert_eq!(STANDARD.decode_to_vec(&n).unwrap().len(), 16);
  assert_ne!(n, nonce());
  let value = p.render(&n);
  assert!(
    value.contains(&format!("script-src 'self' 'strict-dynamic' 'nonce-{n}'")),
    "{value}"
  );
  assert!(
    value.contains(&format!("style-src 'self' 'nonce-{n}'")),
    "{value}"
  );
  assert_eq!(p.template().len(), 3);
}

#[test]
fn hashes_report_only_and_reporting() {
  let mut p = Policy::default();
  p.add_hash("script-src", "sha256", b"alert('hi')").unwrap();
  p.set_report_only(true);
  p.set_report_to("csp", Some("https://example.com/csp"))
    .unwrap();
  p.set("report-uri", &v(&["/csp-report"])).unwrap();
  let value = p.render("");
  assert!(value.contains("script-src 'self' 'sha256-"), "{value}");
  assert!(value.contains("report-uri /csp-report"));
  assert!(value.ends_with("report-to csp"), "{value}");
  assert_eq!(p.header_name(), "Content-Security-Policy-Report-Only");
  assert_eq!(
    p.reporting_endpoints().unwrap(),
    "csp=\"https://example.com/csp\""
  );
}

#[test]
fn hash_matches_the_csp_spec_example() {
  // CSP3 §8.3's example: sha256 of `alert('Hello, world.');`.
  let mut p = Policy::empty();
  p.add_hash("script-src", "sha256", b"alert('Hello, world.');")
    .unwrap();
  assert_eq!(
    p.render(""),
    "script-src 'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='"
  );
}

#[test]
fn injection_and_mistakes_are_refused_and_change_nothing() {
  let mut p = Policy::default();
  let before = p.clone();
  for (name, sources) in [
    ("script-src", v(&["'self'; script-src *"])),
    ("script-src", v(&["https://a.com,https://b.com"])),
    ("script-src", v(&["https://a.com\r\nSet-Cookie: x=y"])),
    ("script-src", v(&["self"])),
    ("script-src", v(&["none"])),
    ("script-src", v(&["unsafe-inline"])),
    ("script-src", v(&["'unsafe-everything'"])),
    ("script-src", v(&["'nonce-abc'"])),
    ("script-src", v(&["'none'", "'self'"])),
    ("script-src", v(&["\"self\""])),
    ("script-src", v(&["https://exa mple.com"])),
    ("script-src", v(&["https://é.com"])),
    ("script-src", v(&[])),
    ("script-srcx", v(&["'self'"])),
    ("frame-ancestors", v(&["'unsafe-inline'"])),
    ("sandbox", v(&["allow-everything"])),
    ("report-uri", v(&["javascript:alert(1)"])),
  ] {
    let e = p.set(name, &sources).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidCsp, "{name} {sources:?}");
    assert_eq!(p, before);
  }
  assert!(p.set_report_to("a;b", None).is_err());
  assert!(p.set_report_to("csp", Some("https://x.com/\"; a")).is_err());
  assert!(p.use_nonce(&v(&["frame-ancestors"])).is_err());
}

#[test]
fn accepted_sources() {
  let mut p = Policy::empty();
  p.set(
    "img-src",
    &v(&[
      "*",
      "data:",
      "blob:",
      "https:",
      "https://cdn.example.com",
      "*.example.com:443",
      "https://a.b.c/path/x.js",
      "example.com:*",
    ]),
  )
  .unwrap();
  p.set("sandbox", &[]).unwrap();
  p.set("sandbox", &v(&["allow-scripts", "allow-forms"]))
    .unwrap();
  p.set("require-trusted-types-for", &v(&["'script'"]))
    .unwrap();
  p.add("img-src", &v(&["data:"])).unwrap();
  assert!(p
    .render("")
    .starts_with("img-src * data: blob: https: https://cdn.example.com"));
}
