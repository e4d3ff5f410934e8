//! The outcome of one request as one compact JS string, from which `index.js` builds the result
//! object: setting a dozen properties from Rust costs more than the whole verification (DESIGN).
//!
//! Layout, in UTF-16 code units, each "byte" below being one unit below 256:
//!   [0]      0 for success, else 1 + the error's index in `ErrorCode::ALL`
//!   [1..37]  request id
//!   success: userId, email, role, tenantId as strings; permissions as a 2-byte count then
//!            strings; limit, remaining, reset as 4-byte numbers; with the cache on, the entry
//!            id as two 4-byte numbers (high, low)
//!   success of a by-id call (`encode_cached`): tenantId, then the three numbers: the caller
//!            already holds the user fields
//!   429:     limit, remaining, reset, retryAfter as 4-byte numbers
//! A string is a 2-byte length in code units (0xFFFF for null) then its units, so no claim value
//! can be mistaken for a separator. When every unit is below 256 the string is created as Latin-1,
//! which V8 stores compactly; otherwise as UTF-16.

use crate::core::pipeline::Outcome;
use crate::core::ratelimit::RateInfo;

const NULL: u16 = 0xFFFF;

#[derive(Default)]
pub(crate) struct Encoder {
  pub units: Vec<u16>,
  pub wide: bool,
}

impl Encoder {
  pub fn encode(&mut self, outcome: &Outcome<'_>) {
    self.units.clear();
    self.wide = false;
    match &outcome.result {
      Ok(s) => {
        self.units.push(0);
        self.push_ascii(&outcome.request_id);
        let c = &s.claims;
        self.push_str(Some(s.user_id()));
        self.push_str(c.email.as_ref().map(|v| v.as_str()));
        self.push_str(c.role.as_ref().map(|v| v.as_str()));
        self.push_str(s.tenant());
        self.push_len(c.permissions.len());
        for p in &c.permissions {
          self.push_str(Some(p.as_str()));
        }
        self.push_rate(&s.rate, false);
        if let Some(id) = s.cache_id {
          self.push_u32((id >> 32) as u32);
          self.push_u32(id as u32);
        }
      }
      Err(f) => {
        self.units.push(1 + f.code.index() as u16);
        self.push_ascii(&outcome.request_id);
        if let Some(rate) = &f.rate {
          self.push_rate(rate, true);
        }
      }
    }
  }

  /// The outcome of `authenticate_cached`: like `encode`, without the fields the caller holds.
  pub fn encode_cached(&mut self, outcome: &Outcome<'_>) {
    let Ok(s) = &outcome.result else {
      return self.encode(outcome);
    };
    self.units.clear();
    self.wide = false;
    self.units.push(0);
    self.push_ascii(&outcome.request_id);
    self.push_str(s.tenant());
    self.push_rate(&s.rate, false);
  }

  fn push_ascii(&mut self, bytes: &[u8]) {
    self.units.extend(bytes.iter().map(|&b| b as u16));
  }

  /// Lengths are bounded well below 0xFFFF: tokens are at most 64 KiB, so no claim string or
  /// list can reach it.
  fn push_len(&mut self, len: usize) {
    let len = len.min(NULL as usize - 1) as u16;
    self.units.push(len >> 8);
    self.units.push(len & 0xFF);
  }

  fn push_str(&mut self, s: Option<&str>) {
    let Some(s) = s else {
      self.units.push(NULL >> 8);
      self.units.push(NULL & 0xFF);
      return;
    };
    let at = self.units.len();
    self.units.extend_from_slice(&[0, 0]);
    if s.is_ascii() {
      self.push_ascii(s.as_bytes());
    } else {
      for u in s.encode_utf16() {
        self.wide |= u > 0xFF;
        self.units.push(u);
      }
    }
    let len = (self.units.len() - at - 2) as u16;
    self.units[at] = len >> 8;
    self.units[at + 1] = len & 0xFF;
  }

  fn push_u32(&mut self, v: u32) {
    self.units.extend(v.to_be_bytes().iter().map(|&b| b as u16));
  }

  fn push_rate(&mut self, rate: &RateInfo, refused: bool) {
    self.push_u32(rate.limit);
    self.push_u32(rate.remaining);
    self.push_u32(rate.reset);
    if refused {
      self.push_u32(rate.retry_after);
    }
  }
}
