//! Unit tests of `store.rs`.

use super::*;
use auth_shield_core::clock::ManualClock;
use auth_shield_core::options::Value;

fn store(extra: &[(&str, f64)]) -> (OtpStore, Arc<ManualClock>) {
  let raw = extra
    .iter()
    .map(|(n, v)| (n.to_string(), Value::Number(*v)))
    .collect();
  let clock = Arc::new(ManualClock::at(1_700_000_000));
  (
    OtpStore::new(StoreSettings::from_raw(raw).unwrap(), clock.clone()),
    clock,
  )
}

fn wrong(code: &str) -> String {
  let d = (code.as_bytes()[0] - b'0' + 1) % 10;
  format!("{d}{}", &code[1..])
}

#[test]
fn codes_are_numeric_fixed_width_and_single_use() {
  let (s, _) = store(&[]);
  let code = s.generate("alice").unwrap();
  assert_eq!(code.len(), 6);
  assert!(code.bytes().all(|b| b.is_ascii_digit()));
  let ok = s.verify("alice", Some(&code)).unwrap();
  assert_eq!(ok, verdict(None, 5));
  let again = s.verify("alice", Some(&code)).unwrap();
  assert_eq!(again.code, Some(ErrorCode::OtpNotFound));
}

#[test]
fn codes_cover_the_whole_range_including_leading_zeros() {
  let (s, _) = store(&[("digits", 4.0)]);
  let mut leading_zero = false;
  for i in 0..2000 {
    let c = s.generate(&format!("k{i}")).unwrap();
    assert_eq!(c.len(), 4);
    leading_zero |= c.starts_with('0');
  }
  assert!(leading_zero);
}

#[test]
fn wrong_codes_count_down_then_lock_until_expiry() {
  let (s, clock) = store(&[("maxAttempts", 3.0), ("ttl", 60.0)]);
  let code = s.generate("bob").unwrap();
  let bad = wrong(&code);
  assert_eq!(
    s.verify("bob", Some(&bad)).unwrap(),
    verdict(Some(ErrorCode::OtpInvalid), 2)
  );
  assert_eq!(
    s.verify("bob", None).unwrap(),
    verdict(Some(ErrorCode::OtpInvalid), 1)
  );
  assert_eq!(
    s.verify("bob", Some("12")).unwrap(),
    verdict(Some(ErrorCode::OtpInvalid), 0)
  );
  assert_eq!(
    s.verify("bob", Some(&code)).unwrap(),
    verdict(Some(ErrorCode::OtpLocked), 0)
  );
  clock.advance_nanos(61_000_000_000);
  assert_eq!(
    s.verify("bob", Some(&code)).unwrap().code,
    Some(ErrorCode::OtpExpired)
  );
  assert_eq!(
    s.verify("bob", Some(&code)).unwrap().code,
    Some(ErrorCode::OtpNotFound)
  );
}

#[test]
fn codes_expire_and_a_new_code_replaces_the_old() {
  let (s, clock) = store(&[("ttl", 10.0)]);
  let first = s.generate("c").unwrap();
  let second = s.generate("c").unwrap();
  if first != second {
    assert_eq!(
      s.verify("c", Some(&first)).unwrap().code,
      Some(ErrorCode::OtpInvalid)
    );
  }
  clock.advance_nanos(9_999_999_999);
  assert_eq!(s.verify("c", Some(&second)).unwrap().code, None);
  let third = s.generate("c").unwrap();
  clock.advance_nanos(10_000_000_000);
  assert_eq!(
    s.verify("c", Some(&third)).unwrap().code,
    Some(ErrorCode::OtpExpired)
  );
}

#[test]
fn memory_is_bounded_by_evicting_the_oldest() {
  let (s, _) = store(&[("maxEntries", 100.0)]);
  let first = s.generate("k0").unwrap();
  for i in 1..5000 {
    s.generate(&format!("k{i}")).unwrap();
  }
  assert_eq!(s.len(), 100);
  assert_eq!(
    s.verify("k0", Some(&first)).unwrap().code,
    Some(ErrorCode::OtpNotFound)
  );
  let state = s.lock();
  assert_eq!(state.by_expiry.len(), state.entries.len());
}

#[test]
fn keys_are_isolated_and_bounded() {
  let (s, _) = store(&[]);
  let a = s.generate("a").unwrap();
  s.generate("b").unwrap();
  assert_eq!(s.verify("a", Some(&a)).unwrap().code, None);
  assert_eq!(s.generate("").unwrap_err().code, ErrorCode::InvalidArgument);
  let long = "x".repeat(MAX_KEY_BYTES + 1);
  assert_eq!(
    s.verify(&long, Some("1")).unwrap_err().code,
    ErrorCode::InvalidArgument
  );
  assert!(s.delete("b").unwrap());
  assert!(!s.delete("b").unwrap());
}

#[test]
fn options_are_validated() {
  for (name, v) in [
    ("digits", Value::Number(3.0)),
    ("digits", Value::Number(11.0)),
    ("maxAttempts", Value::Number(0.0)),
    ("maxEntries", Value::Number(0.0)),
    ("ttl", Value::Number(0.0)),
    ("ttl", Value::String("2d".into())),
    ("ttl", Value::String("soon".into())),
    ("length", Value::Number(6.0)),
  ] {
    let e = StoreSettings::from_raw(vec![(name.into(), v.clone())]).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidConfig, "{name} {v:?}");
  }
  let s = StoreSettings::from_raw(vec![("ttl".into(), Value::String("10m".into()))]).unwrap();
  assert_eq!(s.ttl_secs, 600);
}
