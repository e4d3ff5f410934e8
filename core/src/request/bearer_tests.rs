//! Unit tests of `bearer.rs`.

use super::*;

#[test]
fn bearer_token_is_extracted() {
  assert_eq!(extract(b"Bearer abc.def.ghi"), Ok(&b"abc.def.ghi"[..]));
}

#[test]
fn scheme_is_case_insensitive_and_spaces_may_repeat() {
  assert_eq!(extract(b"bearer abc"), Ok(&b"abc"[..]));
  assert_eq!(extract(b"BEARER   abc"), Ok(&b"abc"[..]));
  assert_eq!(extract(b"  Bearer abc\t"), Ok(&b"abc"[..]));
}

#[test]
fn empty_header_is_missing() {
  assert_eq!(extract(b""), Err(ErrorCode::MissingAuthorization));
  assert_eq!(extract(b" \t "), Err(ErrorCode::MissingAuthorization));
}

#[test]
fn other_schemes_and_bare_scheme_are_format_errors() {
  for h in [
    &b"Basic dXNlcjpwYXNz"[..],
    b"Bearer",
    b"Bearer ",
    b"Bearerabc",
    b"Token abc",
    b"abc.def.ghi",
  ] {
    assert_eq!(
      extract(h),
      Err(ErrorCode::InvalidAuthorizationFormat),
      "{:?}",
      h
    );
  }
}

#[test]
fn credential_with_inner_space_or_control_is_a_format_error() {
  assert_eq!(
    extract(b"Bearer a b"),
    Err(ErrorCode::InvalidAuthorizationFormat)
  );
  assert_eq!(
    extract(b"Bearer a\0b"),
    Err(ErrorCode::InvalidAuthorizationFormat)
  );
  assert_eq!(
    extract(b"Bearer a\tb"),
    Err(ErrorCode::InvalidAuthorizationFormat)
  );
  assert_eq!(
    extract(b"Bearer\tabc"),
    Err(ErrorCode::InvalidAuthorizationFormat)
  );
}

#[test]
fn non_ascii_bytes_pass_through_for_the_token_parser_to_refuse() {
  assert_eq!(extract(b"Bearer a\xffb"), Ok(&b"a\xffb"[..]));
}
