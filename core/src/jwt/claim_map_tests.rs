//! Unit tests of `claim_map.rs`.

use super::*;

fn map(json: &[(&str, Value)]) -> Result<ClaimMap, Error> {
  ClaimMap::from_value(
    Some(Value::Map(
      json
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect(),
    )),
    &["exp", "type"],
  )
}

fn s(v: &str) -> Value {
  Value::String(v.into())
}

#[test]
fn names_and_paths_are_read_and_bad_ones_refused() {
  let m = map(&[
    ("userId", s("oid")),
    ("roles", Value::List(vec![s("realm_access"), s("roles")])),
  ])
  .unwrap();
  assert_eq!(m.paths[0], ClaimPath::top("oid"));
  assert_eq!(m.paths[1], ClaimPath::top("tenant_id"));
  assert_eq!(m.paths[2].name, "realm_access");
  assert_eq!(m.paths[2].rest, vec!["roles".to_string()]);
  for bad in [
    vec![("userId", s(""))],
    vec![("userId", Value::List(vec![]))],
    vec![("userId", Value::List(vec![s("a"), Value::Number(1.0)]))],
    vec![("userId", Value::Number(1.0))],
    vec![("user", s("sub"))],
    vec![("tenantId", s("exp"))],
    vec![("roles", Value::List(vec![s("type"), s("x")]))],
  ] {
    let e = map(&bad).unwrap_err();
    assert!(e.detail.contains("claims"), "{}", e.detail);
  }
  assert!(ClaimMap::from_value(Some(s("sub")), &[]).is_err());
}

fn read_one(raw: &str, rest: &[&str], field: Field) -> Option<(Option<String>, Vec<String>)> {
  let rest: Vec<String> = rest.iter().map(|s| s.to_string()).collect();
  read(raw, &rest, field).map(|r| {
    (
      r.id.map(|s| s.as_str().to_owned()),
      r.one
        .iter()
        .chain(&r.list)
        .map(|s| s.as_str().to_owned())
        .collect(),
    )
  })
}

#[test]
fn values_are_read_by_what_the_field_means() {
  let id = |raw| read_one(raw, &[], Field::UserId);
  assert_eq!(id(r#""u1""#), Some((Some("u1".into()), vec![])));
  assert_eq!(id("42"), Some((Some("42".into()), vec![])));
  assert_eq!(id("-7"), Some((Some("-7".into()), vec![])));
  assert_eq!(id("1e3"), Some((Some("1000".into()), vec![])));
  assert_eq!(id("-0"), Some((Some("0".into()), vec![])));
  assert_eq!(
    id("9007199254740991"),
    Some((Some("9007199254740991".into()), vec![]))
  );
  assert_eq!(id("null"), Some((None, vec![])));
  for bad in ["1.5", "9007199254740992", "true", "[]", "{}", r#"["a"]"#] {
    assert_eq!(id(bad), None, "{bad}");
  }
  let roles = |raw| read_one(raw, &[], Field::Roles);
  assert_eq!(roles(r#""admin""#), Some((None, vec!["admin".into()])));
  assert_eq!(
    roles(r#"["a","b"]"#),
    Some((None, vec!["a".into(), "b".into()]))
  );
  assert_eq!(roles("1"), None);
  let perms = |raw| read_one(raw, &[], Field::Permissions);
  assert_eq!(
    perms(r#"" read:a  write:b ""#),
    Some((None, vec!["read:a".into(), "write:b".into()]))
  );
  assert_eq!(perms(r#""r\u0065ad""#), Some((None, vec!["read".into()])));
  assert_eq!(perms(r#"["x y"]"#), Some((None, vec!["x y".into()])));
  assert_eq!(perms("{}"), None);
  assert_eq!(read_one("1", &[], Field::Email), None);
}

#[test]
fn paths_descend_objects_and_stop_at_absence() {
  let doc = r#"{"roles":["a"],"x":{"roles":"b"},"roles":["c","d"]}"#;
  assert_eq!(
    read_one(doc, &["roles"], Field::Roles),
    Some((None, vec!["c".into(), "d".into()]))
  );
  assert_eq!(
    read_one(doc, &["x", "roles"], Field::Roles),
    Some((None, vec!["b".into()]))
  );
  assert_eq!(
    read_one(doc, &["y", "roles"], Field::Roles),
    Some((None, vec![]))
  );
  assert_eq!(
    read_one("null", &["roles"], Field::Roles),
    Some((None, vec![]))
  );
  assert_eq!(read_one(r#"["roles"]"#, &["roles"], Field::Roles), None);
  assert_eq!(read_one(r#""s""#, &["roles"], Field::Roles), None);
}
