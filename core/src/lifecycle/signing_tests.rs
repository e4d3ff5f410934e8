//! Unit tests of `signing.rs`.

use super::*;
use config::Value;

#[test]
fn lifetimes_in_seconds_or_with_units() {
  let ok = |v: Value| lifetime(&v, "expiresIn").unwrap();
  assert_eq!(ok(Value::Number(90.0)), 90);
  assert_eq!(ok(Value::String("15m".into())), 900);
  assert_eq!(ok(Value::String("12h".into())), 43_200);
  assert_eq!(ok(Value::String("7d".into())), 604_800);
  assert_eq!(ok(Value::String("30".into())), 30);
  for bad in [
    Value::Number(1.5),
    Value::Number(-1.0),
    Value::Number(1e12),
    Value::String("soon".into()),
    Value::String("5 weeks".into()),
    Value::String("".into()),
    Value::String("99999999999999999999d".into()),
    Value::Bool(true),
  ] {
    assert!(lifetime(&bad, "expiresIn").is_err(), "{bad:?}");
  }
}
