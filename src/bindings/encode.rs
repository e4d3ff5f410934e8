//! The outcome of one request as one compact JS string, from which `index.js` builds the result
//! object: setting a dozen properties from Rust costs more than the whole verification (DESIGN).
//!
//! Layout, in UTF-16 code units, each "byte" below being one unit below 256:
//!   [0]      0 for success, else 1 + the error's index in `ErrorCode::ALL`
//!   [1..37]  request id
//!   success: the cache entry id as two 4-byte numbers (high, low; 0 without the cache); tenantId
//!            as a string; limit, remaining, reset as 4-byte numbers; then userId, email, role as
//!            strings and permissions as a 2-byte count then strings. A caller that already holds
//!            the user fields of that cache entry stops before them.
//!   429:     limit, remaining, reset, retryAfter as 4-byte numbers
//! A string is a 2-byte length in code units (0xFFFF for null) then its units, so no claim value
//! can be mistaken for a separator. When every unit is below 256 (nearly always) the encoding is
//! written as bytes and the string created as Latin-1, which V8 stores compactly; otherwise it is
//! written again as UTF-16.

use crate::core::pipeline::Outcome;
use crate::core::ratelimit::RateInfo;

const NULL: u16 = 0xFFFF;

/// The encoding of the last outcome, borrowed from the encoder's buffers.
pub(crate) enum Encoded<'a> {
  Latin1(&'a [u8]),
  Utf16(&'a [u16]),
}

#[derive(Default)]
pub(crate) struct Encoder {
  latin1: Vec<u8>,
  utf16: Vec<u16>,
}

impl Encoder {
  pub fn encode(&mut self, outcome: &Outcome<'_>) -> Encoded<'_> {
    self.latin1.clear();
    if write(&mut self.latin1, outcome).is_ok() {
      return Encoded::Latin1(&self.latin1);
    }
    self.utf16.clear();
    let fits = write(&mut self.utf16, outcome);
    debug_assert!(fits.is_ok());
    Encoded::Utf16(&self.utf16)
  }
}

/// A unit above 255 reached a Latin-1 buffer.
struct Wide;

trait Sink {
  fn push(&mut self, unit: u16) -> Result<(), Wide>;
  fn push_ascii(&mut self, bytes: &[u8]);
  fn len(&self) -> usize;
  fn set(&mut self, at: usize, unit: u8);
}

impl Sink for Vec<u8> {
  fn push(&mut self, unit: u16) -> Result<(), Wide> {
    let byte = u8::try_from(unit).map_err(|_| Wide)?;
    Vec::push(self, byte);
    Ok(())
  }
  fn push_ascii(&mut self, bytes: &[u8]) {
    self.extend_from_slice(bytes);
  }
  fn len(&self) -> usize {
    Vec::len(self)
  }
  fn set(&mut self, at: usize, unit: u8) {
    self[at] = unit;
  }
}

impl Sink for Vec<u16> {
  fn push(&mut self, unit: u16) -> Result<(), Wide> {
    Vec::push(self, unit);
    Ok(())
  }
  fn push_ascii(&mut self, bytes: &[u8]) {
    self.extend(bytes.iter().map(|&b| b as u16));
  }
  fn len(&self) -> usize {
    Vec::len(self)
  }
  fn set(&mut self, at: usize, unit: u8) {
    self[at] = unit as u16;
  }
}

fn write(out: &mut impl Sink, outcome: &Outcome<'_>) -> Result<(), Wide> {
  match &outcome.result {
    Ok(s) => {
      out.push(0)?;
      out.push_ascii(&outcome.request_id);
      let entry = s.cache_id.unwrap_or(0);
      push_u32(out, (entry >> 32) as u32);
      push_u32(out, entry as u32);
      push_str(out, s.tenant())?;
      push_rate(out, &s.rate, false);
      let c = &s.claims;
      push_str(out, Some(s.user_id()))?;
      push_str(out, c.email.as_ref().map(|v| v.as_str()))?;
      push_str(out, c.role.as_ref().map(|v| v.as_str()))?;
      push_len(out, c.permissions.len());
      for p in &c.permissions {
        push_str(out, Some(p.as_str()))?;
      }
    }
    Err(f) => {
      out.push(1 + f.code.index() as u16)?;
      out.push_ascii(&outcome.request_id);
      if let Some(rate) = &f.rate {
        push_rate(out, rate, true);
      }
    }
  }
  Ok(())
}

/// Lengths are bounded well below 0xFFFF: tokens are at most 64 KiB, so no claim string or list
/// can reach it.
fn push_len(out: &mut impl Sink, len: usize) {
  let len = len.min(NULL as usize - 1) as u16;
  out.push_ascii(&len.to_be_bytes());
}

fn push_str(out: &mut impl Sink, s: Option<&str>) -> Result<(), Wide> {
  let Some(s) = s else {
    out.push_ascii(&NULL.to_be_bytes());
    return Ok(());
  };
  if s.is_ascii() {
    push_len(out, s.len());
    out.push_ascii(s.as_bytes());
    return Ok(());
  }
  let at = out.len();
  out.push_ascii(&[0, 0]);
  for u in s.encode_utf16() {
    out.push(u)?;
  }
  let [high, low] = ((out.len() - at - 2) as u16).to_be_bytes();
  out.set(at, high);
  out.set(at + 1, low);
  Ok(())
}

fn push_u32(out: &mut impl Sink, v: u32) {
  out.push_ascii(&v.to_be_bytes());
}

fn push_rate(out: &mut impl Sink, rate: &RateInfo, refused: bool) {
  push_u32(out, rate.limit);
  push_u32(out, rate.remaining);
  push_u32(out, rate.reset);
  if refused {
    push_u32(out, rate.retry_after);
  }
}
