//! Unit tests of `sign.rs`.

use super::*;

#[test]
fn jwt_io_example_token_is_reproduced() {
  // The HS256 example popularised by jwt.io, secret "your-256-bit-secret".
  let key = HmacKey::new(b"your-256-bit-secret");
  let token = sign(
    &key,
    Algorithm::HS256,
    br#"{"sub":"1234567890","name":"John Doe","iat":1516239022}"#,
  );
  assert_eq!(
    token,
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
  );
}
