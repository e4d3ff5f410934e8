//! Compact JWS serialisation (RFC 7515 §7.1) of a payload with an HMAC key.

use super::algorithm::{Algorithm, HmacKey};
use super::base64url;
use super::keys::Key;
use crate::error::Error;

/// Signs `payload_json` (already a serialised JSON object) and returns the compact token. The
/// header is the one jsonwebtoken emits, so tokens look the same whichever library made them.
pub fn sign(key: &HmacKey, alg: Algorithm, payload_json: &[u8]) -> String {
  let header = format!(r#"{{"alg":"{}","typ":"JWT"}}"#, alg.name());
  let mut token = base64url::encode(header.as_bytes());
  token.push('.');
  base64url::encode_into(payload_json, &mut token);
  let mut mac = [0u8; 64];
  let len = key.sign_into(alg, token.as_bytes(), &mut mac);
  token.push('.');
  base64url::encode_into(&mac[..len], &mut token);
  token
}

/// Signs with a named key: its algorithm, and its `kid` in the header.
pub fn sign_with_key(key: &Key, payload_json: &[u8]) -> Result<String, Error> {
  let header =
    serde_json::json!({ "alg": key.alg.name(), "typ": "JWT", "kid": key.kid }).to_string();
  let mut token = base64url::encode(header.as_bytes());
  token.push('.');
  base64url::encode_into(payload_json, &mut token);
  let signature = key.sign(token.as_bytes())?;
  token.push('.');
  base64url::encode_into(&signature, &mut token);
  Ok(token)
}

#[cfg(test)]
mod tests {
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
}
