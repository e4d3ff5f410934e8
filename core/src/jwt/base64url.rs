//! Strict base64url without padding (RFC 7515 §2, RFC 4648 §5): only the URL-safe alphabet, no
//! `=`, and the unused low bits of the last character must be zero (RFC 4648 §3.5), so every byte
//! string has exactly one accepted encoding and a token cannot be varied without breaking it.
//! base64-simd's non-forgiving mode enforces all three, with SIMD where the CPU has it.

use base64_simd::{Out, URL_SAFE_NO_PAD as STRICT};

/// Decodes into `out` (cleared first). `None` for anything but the one canonical encoding.
pub fn decode_into(input: &[u8], out: &mut Vec<u8>) -> Option<()> {
  out.clear();
  STRICT.decode_append(input, out).ok()
}

/// Decodes into a caller's fixed buffer; `None` if malformed or if it would not fit.
pub fn decode_to_slice(input: &[u8], out: &mut [u8]) -> Option<usize> {
  let n = STRICT.decoded_length(input).ok()?;
  let out = out.get_mut(..n)?;
  STRICT
    .decode(input, Out::from_slice(out))
    .ok()
    .map(|d| d.len())
}

pub fn encode(input: &[u8]) -> String {
  STRICT.encode_to_string(input)
}

pub fn encode_into(input: &[u8], out: &mut String) {
  STRICT.encode_append(input, out)
}

/// Encodes into a caller's buffer, which must hold `ceil(4n/3)` bytes; returns the length.
pub fn encode_to_slice(input: &[u8], out: &mut [u8]) -> usize {
  STRICT.encode(input, Out::from_slice(out)).len()
}

#[cfg(test)]
#[path = "base64url_tests.rs"]
mod tests;
