//! Request ids: UUID v4 (RFC 9562 §5.4) from the thread's CSPRNG, formatted without allocating.

use rand::RngCore;

pub const LEN: usize = 36;

pub fn new_v4() -> [u8; LEN] {
  let mut rng = rand::rng();
  let (high, low) = (rng.next_u64(), rng.next_u64());
  format_v4((((high as u128) << 64) | low as u128).to_be_bytes())
}

/// Where each of the 16 bytes goes in the canonical `8-4-4-4-12` form.
const POSITIONS: [usize; 16] = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];

/// Every byte as two lowercase hex digits: one lookup per byte instead of two per nibble and a
/// branch per dash (this halved the cost of an id, which every request pays).
const HEX_PAIRS: [[u8; 2]; 256] = {
  const HEX: &[u8; 16] = b"0123456789abcdef";
  let mut table = [[0u8; 2]; 256];
  let mut i = 0;
  while i < 256 {
    table[i] = [HEX[i >> 4], HEX[i & 0x0f]];
    i += 1;
  }
  table
};

/// Sets the version and variant bits on 16 random bytes and renders the canonical lowercase form.
pub fn format_v4(mut bytes: [u8; 16]) -> [u8; LEN] {
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  let mut out = [b'-'; LEN];
  for (byte, at) in bytes.iter().zip(POSITIONS) {
    let [high, low] = HEX_PAIRS[*byte as usize];
    out[at] = high;
    out[at + 1] = low;
  }
  out
}

#[cfg(test)]
#[path = "request_id_tests.rs"]
mod tests;
