//! Unit tests of `base64url.rs`.

use super::*;

fn decode(s: &str) -> Option<Vec<u8>> {
  let mut out = Vec::new();
  decode_into(s.as_bytes(), &mut out).map(|_| out)
}

#[test]
fn round_trips() {
  for n in 0..40 {
    let bytes: Vec<u8> = (0..n).map(|i| (i * 37 + 11) as u8).collect();
    assert_eq!(decode(&encode(&bytes)).unwrap(), bytes);
  }
}

#[test]
fn padding_and_standard_alphabet_are_refused() {
  assert!(decode("YQ==").is_none());
  assert!(decode("YQ").is_some());
  assert!(decode("+/8").is_none());
  assert!(decode("-_8").is_some());
}

#[test]
fn non_canonical_trailing_bits_are_refused() {
  // "YR" decodes to "a" only if the low bits of 'R' are ignored.
  assert!(decode("YR").is_none());
}

#[test]
fn impossible_lengths_and_stray_bytes_are_refused() {
  assert!(decode("Y").is_none());
  assert!(decode("YQ.").is_none());
  assert!(decode("Y Q").is_none());
  assert!(decode("Y\u{ff}Q").is_none());
}

#[test]
fn slice_decode_refuses_what_does_not_fit() {
  let mut buf = [0u8; 2];
  assert_eq!(decode_to_slice(b"YWJj", &mut buf), None);
  let mut buf = [0u8; 3];
  assert_eq!(decode_to_slice(b"YWJj", &mut buf), Some(3));
  assert_eq!(&buf, b"abc");
}
