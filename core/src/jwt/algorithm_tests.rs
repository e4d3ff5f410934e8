//! Unit tests of `algorithm.rs`.

use super::*;

#[test]
fn names_round_trip_and_none_is_unknown() {
  for a in Algorithm::ALL {
    assert_eq!(Algorithm::from_name(a.name()), Some(a));
  }
  assert_eq!(Algorithm::from_name("none"), None);
  assert_eq!(Algorithm::from_name("hs256"), None);
  assert_eq!(Algorithm::from_name("ES512"), None);
  assert!(Algorithm::HMAC.iter().all(|a| a.is_hmac()));
  assert!(!Algorithm::RS256.is_hmac());
}

#[test]
fn set_contains_only_what_was_inserted() {
  let mut set = AlgorithmSet::default();
  assert!(set.is_empty());
  set.insert(Algorithm::HS384);
  assert!(set.contains(Algorithm::HS384));
  assert!(!set.contains(Algorithm::HS256));
  assert_eq!(set.iter().collect::<Vec<_>>(), vec![Algorithm::HS384]);
}

#[test]
fn mac_lengths_match_the_algorithm_and_depend_on_the_key() {
  let (a, b) = (HmacKey::new(&[7u8; 64]), HmacKey::new(&[8u8; 64]));
  for (alg, len) in Algorithm::ALL.into_iter().zip([32, 48, 64]) {
    let (mut x, mut y) = ([0u8; 64], [0u8; 64]);
    assert_eq!(a.sign_into(alg, b"input", &mut x), len);
    b.sign_into(alg, b"input", &mut y);
    assert_ne!(x, y);
  }
}

// RFC 4231 §4.2, test case 1.
#[test]
fn rfc4231_case_1() {
  let key = HmacKey::new(&[0x0b; 20]);
  let mut out = [0u8; 64];
  let n = key.sign_into(Algorithm::HS256, b"Hi There", &mut out);
  let hex: String = out[..n].iter().map(|b| format!("{b:02x}")).collect();
  assert_eq!(
    hex,
    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
  );
}
