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
#[path = "sign_tests.rs"]
mod tests;
