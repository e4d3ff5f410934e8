//! The outcome of one request as one compact JS string, from which `lib/engines/native.js` builds the
//! result object: setting a dozen properties from Rust costs more than the whole verification
//! (DESIGN). The fields and their order are declared in contract/result.json; the writers of
//! each section are generated from it (result_format.rs), and this file supplies the units.
//!
//! When every unit is below 256 (nearly always) the encoding is written as bytes and the string
//! created as Latin-1, which V8 stores compactly; otherwise it is written again as UTF-16.

use super::result_format::{RateLimited, Refusal, Success, User};
use auth_shield_core::request::pipeline::Outcome;

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
pub(crate) struct Wide;

/// Where an encoding is written: Latin-1 bytes or UTF-16 units. The typed writers are the
/// format's units (contract/result.json).
pub(crate) trait Sink {
  fn push(&mut self, unit: u16) -> Result<(), Wide>;
  fn push_ascii(&mut self, bytes: &[u8]);
  fn len(&self) -> usize;
  fn set(&mut self, at: usize, unit: u8);

  fn u32(&mut self, v: u32) -> Result<(), Wide> {
    self.push_ascii(&v.to_be_bytes());
    Ok(())
  }

  /// A u32 that may be null: 0xFFFFFFFF stands for null (no limit or count comes near it).
  fn opt_u32(&mut self, v: Option<u32>) -> Result<(), Wide> {
    self.u32(v.unwrap_or(u32::MAX))
  }

  fn u64(&mut self, v: u64) -> Result<(), Wide> {
    self.u32((v >> 32) as u32)?;
    self.u32(v as u32)
  }

  /// A 2-unit length in code units (0xFFFF for null), then the units.
  fn string(&mut self, s: Option<&str>) -> Result<(), Wide> {
    let Some(s) = s else {
      self.push_ascii(&NULL.to_be_bytes());
      return Ok(());
    };
    if s.is_ascii() {
      push_len(self, s.len());
      self.push_ascii(s.as_bytes());
      return Ok(());
    }
    let at = self.len();
    self.push_ascii(&[0, 0]);
    for u in s.encode_utf16() {
      self.push(u)?;
    }
    let [high, low] = ((self.len() - at - 2) as u16).to_be_bytes();
    self.set(at, high);
    self.set(at + 1, low);
    Ok(())
  }

  /// A 2-unit count, then each string.
  fn strings<P: AsRef<str>>(&mut self, items: &[P]) -> Result<(), Wide> {
    push_len(self, items.len());
    items.iter().try_for_each(|p| self.string(Some(p.as_ref())))
  }
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

// The frame contract/result.json declares: one unit of kind, then the request id.
const _: () = assert!(super::result_format::KIND_UNITS == 1);
const _: () =
  assert!(super::result_format::REQUEST_ID_UNITS == auth_shield_core::request::request_id::LEN);

fn write(out: &mut impl Sink, outcome: &Outcome<'_>) -> Result<(), Wide> {
  match &outcome.result {
    Ok(s) => {
      out.push(0)?;
      out.push_ascii(&outcome.request_id);
      let c = &s.claims;
      Success {
        cache_entry: s.cache_id.unwrap_or(0),
        tenant_id: s.tenant(),
        rate_limit_limit: s.rate.map(|r| r.limit),
        rate_limit_remaining: s.rate.map(|r| r.remaining),
        rate_limit_reset: s.rate.map(|r| r.reset),
        rate_limit_plan: s.plan(),
        tenant_from_token: u32::from(s.tenant_from_token()),
      }
      .write(out)?;
      User {
        user_id: Some(s.user_id()),
        email: c.email.as_ref().map(|v| v.as_str()),
        role: c.role.as_ref().map(|v| v.as_str()),
        roles: c.roles(),
        permissions: &c.permissions,
      }
      .write(out)?;
    }
    Err(f) => {
      out.push(1 + f.code.index() as u16)?;
      out.push_ascii(&outcome.request_id);
      if let Some(rate) = &f.rate {
        RateLimited {
          rate_limit_limit: rate.limit,
          rate_limit_remaining: rate.remaining,
          rate_limit_reset: rate.reset,
          retry_after: rate.retry_after,
        }
        .write(out)?;
      }
      Refusal {
        subject: outcome.subject,
      }
      .write(out)?;
    }
  }
  Ok(())
}

/// Lengths are bounded well below 0xFFFF: tokens are at most 64 KiB, so no claim string or list
/// can reach it.
fn push_len(out: &mut (impl Sink + ?Sized), len: usize) {
  let len = len.min(NULL as usize - 1) as u16;
  out.push_ascii(&len.to_be_bytes());
}
