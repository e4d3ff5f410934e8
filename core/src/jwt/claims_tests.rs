//! Unit tests of `claims.rs`.

use super::*;
use crate::options::Value;

#[test]
fn reads_every_claim() {
  let c = parse(
    br#"{"sub":"u1","email":"a@b.c","role":"admin","permissions":["r","w"],"tenant_id":"acme",
        "type":"access","iss":"me","aud":["x","y"],"jti":"j","exp":20,"nbf":10.5,"iat":10,
        "custom":{"deep":[1,2,3]}}"#,
  )
  .unwrap();
  assert_eq!(c.sub.unwrap().as_str(), "u1");
  assert_eq!(c.email.unwrap().as_str(), "a@b.c");
  assert_eq!(c.role.unwrap().as_str(), "admin");
  assert_eq!(c.permissions.len(), 2);
  assert_eq!(c.tenant_id.unwrap().as_str(), "acme");
  assert_eq!(c.token_type.unwrap().as_str(), "access");
  assert_eq!(c.iss.unwrap().as_str(), "me");
  assert_eq!(c.aud.len(), 2);
  assert_eq!(c.jti.unwrap().as_str(), "j");
  assert_eq!((c.exp, c.nbf, c.iat), (Some(20.0), Some(10.5), Some(10.0)));
}

#[test]
fn single_string_audience_and_null_optionals() {
  let c = parse(br#"{"aud":"x","email":null,"permissions":null}"#).unwrap();
  assert_eq!(c.aud, vec![Str("x".into())]);
  assert_eq!(c.email, None);
  assert!(c.permissions.is_empty());
}

#[test]
fn escaped_strings_are_unescaped() {
  let c = parse(br#"{"sub":"a\"b\u00e9\ud83d\ude00"}"#).unwrap();
  assert_eq!(c.sub.unwrap().as_str(), "a\"b\u{e9}\u{1f600}");
}

#[test]
fn mistyped_registered_claims_are_refused() {
  for bad in [
    &br#"{"exp":"20"}"#[..],
    br#"{"exp":null}"#,
    br#"{"exp":true}"#,
    br#"{"sub":1.5}"#,
    br#"{"sub":true}"#,
    br#"{"tenant_id":9007199254740992}"#,
    br#"{"role":1}"#,
    br#"{"role":["a",1]}"#,
    br#"{"permissions":1}"#,
    br#"{"permissions":[1]}"#,
    br#"{"aud":1}"#,
    br#"{"aud":[1]}"#,
    br#"{"type":{}}"#,
  ] {
    assert!(parse(bad).is_none(), "{}", String::from_utf8_lossy(bad));
  }
}

#[test]
fn integer_ids_role_arrays_and_scope_strings_are_read() {
  let c = parse(
    br#"{"sub":42,"tenant_id":-7,"role":["editor","viewer"],"permissions":"read:a write:b"}"#,
  )
  .unwrap();
  assert_eq!(c.sub.as_ref().unwrap().as_str(), "42");
  assert_eq!(c.tenant_id.as_ref().unwrap().as_str(), "-7");
  assert_eq!(c.role.as_ref().unwrap().as_str(), "editor");
  assert_eq!(c.roles().len(), 2);
  assert_eq!(c.permissions.len(), 2);
  let c = parse(br#"{"role":"admin"}"#).unwrap();
  assert_eq!(c.roles(), &[Str("admin".into())]);
}

fn mapped(pairs: &[(&str, Value)]) -> ClaimMap {
  let members = pairs
    .iter()
    .map(|(k, v)| (k.to_string(), v.clone()))
    .collect();
  ClaimMap::from_value(Some(Value::Map(members)), &[]).unwrap()
}

#[test]
fn a_claim_map_reads_other_names_paths_and_shared_claims() {
  let path = |p: &[&str]| Value::List(p.iter().map(|s| Value::String(s.to_string())).collect());
  let map = mapped(&[
    ("userId", Value::String("oid".into())),
    (
      "tenantId",
      Value::String("https://example.com/tenant_id".into()),
    ),
    ("roles", path(&["realm_access", "roles"])),
    ("permissions", path(&["realm_access", "scopes"])),
  ]);
  let doc = br#"{"sub":"ignored","oid":"u-1","https://example.com/tenant_id":12,
    "realm_access":{"roles":["admin"],"scopes":"a b"},"role":5}"#;
  let c = parse_with(doc, &map, None).unwrap();
  assert_eq!(c.sub.unwrap().as_str(), "u-1");
  assert_eq!(c.tenant_id.unwrap().as_str(), "12");
  assert_eq!(c.role.unwrap().as_str(), "admin");
  assert_eq!(c.permissions, vec![Str("a".into()), Str("b".into())]);
  // A mapped claim appearing twice is refused, as any duplicate is.
  assert!(parse_with(br#"{"oid":"a","oid":"b"}"#, &map, None).is_none());
  assert!(parse_with(br#"{"realm_access":{},"realm_access":{}}"#, &map, None).is_none());
  // A mapped claim of the wrong shape is malformed; a missing one is absent.
  assert!(parse_with(br#"{"realm_access":[]}"#, &map, None).is_none());
  assert!(parse_with(br#"{"oid":{}}"#, &map, None).is_none());
  let c = parse_with(br#"{"realm_access":{"other":1}}"#, &map, None).unwrap();
  assert!(c.roles.is_empty() && c.sub.is_none());
}

#[test]
fn duplicates_are_refused_known_or_not() {
  assert!(parse(br#"{"sub":"a","sub":"b"}"#).is_none());
  assert!(parse(br#"{"role":"user","role":"admin"}"#).is_none());
  assert!(parse(br#"{"x":1,"y":2,"x":3}"#).is_none());
  assert!(parse(br#"{"x":1,"y":2}"#).is_some());
  // Past the names a short list holds, duplicates are still found, escaped or not.
  let many: String = (0..40).map(|i| format!(r#""c{i}":{i},"#)).collect();
  for dup in [r#""c2":0"#, r#""c39":0"#, r#""c\u0032":0"#] {
    let doc = format!("{{{many}{dup}}}");
    assert!(parse(doc.as_bytes()).is_none(), "{dup}");
  }
  assert!(parse(format!("{{{many}\"c40\":0}}").as_bytes()).is_some());
}

#[test]
fn many_claims_cost_linear_time() {
  // Quadratic duplicate detection made 4x the claims cost 16x the time; linear costs ~4x.
  let doc = |n: usize| -> Vec<u8> {
    let body: Vec<String> = (0..n).map(|i| format!(r#""claim{i}":{i}"#)).collect();
    format!("{{{}}}", body.join(",")).into_bytes()
  };
  let (small, large) = (doc(1_500), doc(6_000));
  let fastest = |f: &dyn Fn()| crate::fuzzing::fastest_nanos(5, f);
  let t_small = fastest(&|| assert!(parse(&small).is_some()));
  let t_large = fastest(&|| assert!(parse(&large).is_some()));
  assert!(
    t_large < t_small * 9,
    "4x the claims took {:.1}x the time",
    t_large as f64 / t_small as f64
  );
}

#[test]
fn non_objects_bad_unicode_and_trailing_data_are_refused() {
  for bad in [
    &b"[]"[..],
    b"1",
    b"\"s\"",
    b"null",
    b"{} {}",
    br#"{"sub":"\ud800"}"#,
    b"{\"sub\":\"\xff\"}",
    br#"{"exp":1e400}"#,
  ] {
    assert!(parse(bad).is_none(), "{}", String::from_utf8_lossy(bad));
  }
}

#[test]
fn agrees_with_the_serde_json_reference() {
  let docs: &[&[u8]] = &[
    br#"{"sub":"u1","permissions":["r","w"],"aud":["x"],"exp":20,"nbf":10.5,"x":{"y":[1,2]}}"#,
    br#"{"sub":"a\"b\u00e9\ud83d\ude00","email":null}"#,
    br#"  {"sub" : "u" }  "#,
    br#"{"exp":1e400}"#,
    br#"{"exp":-0}"#,
    br#"{"exp":1E3}"#,
    br#"{"exp":01}"#,
    br#"{"exp":1.}"#,
    br#"{"sub":"\ud800"}"#,
    br#"{"sub":"\udc00\ud800"}"#,
    b"{\"sub\":\"\xff\"}",
    b"{\"sub\":\"a\tb\"}",
    br#"{"sub":"\x"}"#,
    br#"{"a":1,}"#,
    br#"{"a":1 "b":2}"#,
    br#"{"a":tru}"#,
    br#"{"a":[1,]}"#,
    br#"{"x":1,"x":2}"#,
    br#"{} x"#,
    b"{}\x00",
    br#"{"sub":"u","aud":"x"}"#,
    br#"{"sub":"u","aud":[]}"#,
    br#"{"permissions":[null]}"#,
    br#"{"iat":1.7976931348623157e308}"#,
  ];
  for doc in docs {
    assert_eq!(
      parse(doc),
      super::super::claims_reference::parse(doc),
      "{}",
      String::from_utf8_lossy(doc)
    );
  }
}

#[test]
fn random_mutations_agree_with_the_reference() {
  let seeds: [&[u8]; 3] = [
    br#"{"sub":"u1","email":"a@b.c","role":"admin","permissions":["r","w\n"],"tenant_id":"acme","type":"access","iss":"me","aud":["x","y"],"jti":"j","exp":1700000000,"nbf":10.5,"iat":-1e3,"x":{"y":[1,true,null,"\ud83d\ude00"]}}"#,
    br#"{"aud":"x","email":null,"permissions":null,"sub":"\u00e9"}"#,
    br#" { "a" : [ { } , [ ] , "" ] , "b" : false } "#,
  ];
  const ALPHABET: &[u8] = b"{}[]\",:\\/ ubnrtfe0123456789.-+EaxyzD8\n";
  let mut state = 0x2545_f491_4f6c_dd1du64;
  let mut next = move || {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    state
  };
  let mut accepted = 0;
  for i in 0..30_000 {
    let mut doc = seeds[i % seeds.len()].to_vec();
    for _ in 0..1 + next() % 3 {
      let at = (next() as usize) % (doc.len() + 1);
      let byte = ALPHABET[(next() as usize) % ALPHABET.len()];
      match next() % 3 {
        0 if at < doc.len() => doc[at] = byte,
        1 if at < doc.len() => {
          doc.remove(at);
        }
        _ => doc.insert(at, byte),
      }
    }
    let ours = parse(&doc);
    accepted += usize::from(ours.is_some());
    assert_eq!(
      ours,
      super::super::claims_reference::parse(&doc),
      "{}",
      String::from_utf8_lossy(&doc)
    );
  }
  // The corpus must exercise both answers, not only rejections.
  assert!(accepted > 1000, "{accepted}");
}

#[test]
fn deep_nesting_in_an_unread_claim_is_skipped_without_overflowing_the_stack() {
  let mut s = String::from(r#"{"x":"#);
  s.push_str(&"[".repeat(10_000));
  s.push_str(&"]".repeat(10_000));
  s.push('}');
  assert!(parse(s.as_bytes()).is_some());
  // Unbalanced nesting is still malformed.
  assert!(parse(&s.as_bytes()[..s.len() - 2]).is_none());
}
