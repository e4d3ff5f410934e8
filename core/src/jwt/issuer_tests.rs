//! Unit tests of `issuer.rs`.

use super::*;

fn issuers(names: &[&str]) -> Issuers {
  Issuers::new(&names.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
}

#[test]
fn a_tenant_template_accepts_only_the_tokens_own_tenant() {
  let i = issuers(&["https://login.microsoftonline.com/{tenantid}/v2.0"]);
  let t = "9188040d-6c67-4c5b-b112-36a304b66dad";
  let iss = format!("https://login.microsoftonline.com/{t}/v2.0");
  assert!(i.accepts(&iss, Some(t)));
  assert!(!i.accepts(&iss, Some("72f988bf-86f1-41af-91ab-2d7cd011db47")));
  assert!(!i.accepts(&iss, None));
  assert!(!i.accepts("https://evil.example.com/9188040d/v2.0", Some("9188040d")));
  let sneaky = "https://login.microsoftonline.com/a/b/v2.0";
  assert!(!i.accepts(sneaky, Some("a/b")));
  assert!(!i.accepts("https://login.microsoftonline.com//v2.0", Some("")));
}

#[test]
fn exact_issuers_still_match_exactly() {
  let i = issuers(&["https://a/", "https://b/{tenantid}"]);
  assert!(i.accepts("https://a/", None));
  assert!(!i.accepts("https://a", None));
  assert!(i.accepts("https://b/t1", Some("t1")));
  assert!(Issuers::new(&["x{tenantid}{tenantid}".into()]).is_err());
  assert!(issuers(&[]).is_empty());
}
