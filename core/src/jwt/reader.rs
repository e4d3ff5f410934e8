//! A strict JSON reader for the two small objects of a JWT (RFC 8259). JWT headers and payloads are
//! flat objects of strings, numbers and short string arrays; reading them directly, without a
//! general deserialiser, is what makes the per-request parse cheap. The input must be UTF-8 as a
//! whole (RFC 8259 §8.1). Values nobody reads are skipped iteratively, so no nesting depth can
//! exhaust the stack. `serde_json` is the reference this reader is tested against.

use super::json::Str;
use smallvec::SmallVec;
use std::borrow::Cow;

pub struct Reader<'a> {
  src: &'a str,
  pos: usize,
}

impl<'a> Reader<'a> {
  pub fn new(json: &'a [u8]) -> Option<Reader<'a>> {
    Some(Reader {
      src: std::str::from_utf8(json).ok()?,
      pos: 0,
    })
  }

  /// A reader over text already known to be UTF-8 (a value `raw_value` returned).
  pub fn over(src: &'a str) -> Reader<'a> {
    Reader { src, pos: 0 }
  }

  /// Skips the next value, checking its grammar, and returns its text.
  pub fn raw_value(&mut self) -> Option<&'a str> {
    self.skip_ws();
    let start = self.pos;
    self.skip()?;
    Some(&self.src[start..self.pos])
  }

  fn bytes(&self) -> &'a [u8] {
    self.src.as_bytes()
  }

  fn skip_ws(&mut self) {
    let b = self.bytes();
    while self.pos < b.len() && matches!(b[self.pos], b' ' | b'\t' | b'\n' | b'\r') {
      self.pos += 1;
    }
  }

  /// The next significant byte, without consuming it.
  pub fn peek(&mut self) -> Option<u8> {
    self.skip_ws();
    self.bytes().get(self.pos).copied()
  }

  fn eat(&mut self, byte: u8) -> Option<()> {
    (self.peek()? == byte).then(|| self.pos += 1)
  }

  fn eat_literal(&mut self, lit: &str) -> Option<()> {
    self.skip_ws();
    self.src[self.pos..]
      .starts_with(lit)
      .then(|| self.pos += lit.len())
  }

  /// Only whitespace may follow the document.
  pub fn end(&mut self) -> Option<()> {
    (self.peek().is_none()).then_some(())
  }

  /// Reads an object, calling `member` with each name; `member` must read or skip the value.
  pub fn object(&mut self, mut member: impl FnMut(&mut Self, Str<'a>) -> Option<()>) -> Option<()> {
    self.eat(b'{')?;
    if self.eat(b'}').is_some() {
      return Some(());
    }
    loop {
      if self.peek()? != b'"' {
        return None;
      }
      let name = self.string()?;
      self.eat(b':')?;
      member(self, name)?;
      match self.peek()? {
        b',' => self.pos += 1,
        b'}' => {
          self.pos += 1;
          return Some(());
        }
        _ => return None,
      }
    }
  }

  /// A string, borrowed from the input when it has no escapes.
  pub fn string(&mut self) -> Option<Str<'a>> {
    self.eat(b'"')?;
    let b = self.bytes();
    let start = self.pos;
    // Find the closing quote or first escape, refusing raw control characters on the way (RFC
    // 8259 §7). Claim names and values are mostly short, and a byte loop ends before a SIMD search
    // is set up; past SHORT bytes, memchr's search and a min-reduction the compiler vectorises.
    const SHORT: usize = 24;
    let mut i = start;
    let short_end = (start + SHORT).min(b.len());
    while i < short_end && b[i] != b'"' && b[i] != b'\\' {
      if b[i] < 0x20 {
        return None;
      }
      i += 1;
    }
    if i == short_end {
      i += memchr::memchr2(b'"', b'\\', &b[i..])?;
      if b[short_end..i]
        .iter()
        .copied()
        .min()
        .is_some_and(|c| c < 0x20)
      {
        return None;
      }
    }
    match b[i] {
      b'"' => {
        self.pos = i + 1;
        Some(Str(Cow::Borrowed(&self.src[start..i])))
      }
      b'\\' => {
        self.pos = i;
        let mut owned = String::from(&self.src[start..i]);
        self.escaped_tail(&mut owned)?;
        Some(Str(Cow::Owned(owned)))
      }
      _ => None,
    }
  }

  /// The rest of a string from its first escape, appended to `out`.
  fn escaped_tail(&mut self, out: &mut String) -> Option<()> {
    let b = self.bytes();
    loop {
      let run = self.pos;
      while self.pos < b.len() && b[self.pos] != b'"' && b[self.pos] != b'\\' && b[self.pos] >= 0x20
      {
        self.pos += 1;
      }
      out.push_str(&self.src[run..self.pos]);
      match b.get(self.pos)? {
        b'"' => {
          self.pos += 1;
          return Some(());
        }
        b'\\' => {
          self.pos += 1;
          let c = match *b.get(self.pos)? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
              self.pos += 1;
              let unit = self.hex4()?;
              self.pos -= 1;
              self.unicode_escape(unit)?
            }
            _ => return None,
          };
          self.pos += 1;
          out.push(c);
        }
        _ => return None,
      }
    }
  }

  fn hex4(&mut self) -> Option<u16> {
    let digits = self.bytes().get(self.pos..self.pos + 4)?;
    let mut v = 0u16;
    for &d in digits {
      v = v << 4 | (d as char).to_digit(16)? as u16;
    }
    self.pos += 4;
    Some(v)
  }

  /// `\uXXXX`, pairing surrogates; a lone surrogate is refused, as serde_json refuses it.
  /// Leaves `pos` on the last hex digit.
  fn unicode_escape(&mut self, unit: u16) -> Option<char> {
    match unit {
      0xD800..=0xDBFF => {
        let b = self.bytes();
        if b.get(self.pos + 1..self.pos + 3)? != b"\\u" {
          return None;
        }
        self.pos += 3;
        let low = self.hex4()?;
        self.pos -= 1;
        if !(0xDC00..=0xDFFF).contains(&low) {
          return None;
        }
        char::from_u32(0x10000 + ((unit as u32 - 0xD800) << 10) + (low as u32 - 0xDC00))
      }
      0xDC00..=0xDFFF => None,
      _ => char::from_u32(unit as u32),
    }
  }

  /// A string or `null`.
  pub fn opt_string(&mut self) -> Option<Option<Str<'a>>> {
    if self.peek()? == b'n' {
      self.eat_literal("null")?;
      return Some(None);
    }
    self.string().map(Some)
  }

  /// A number (RFC 8259 §6) as `f64`; one too large for `f64` is refused.
  pub fn number(&mut self) -> Option<f64> {
    self.skip_ws();
    let start = self.pos;
    self.scan_number()?;
    let n: f64 = self.src[start..self.pos].parse().ok()?;
    n.is_finite().then_some(n)
  }

  fn scan_number(&mut self) -> Option<()> {
    let b = self.bytes();
    let digits = |pos: &mut usize| {
      let s = *pos;
      while *pos < b.len() && b[*pos].is_ascii_digit() {
        *pos += 1;
      }
      *pos > s
    };
    let mut p = self.pos;
    if b.get(p) == Some(&b'-') {
      p += 1;
    }
    match b.get(p)? {
      b'0' => p += 1,
      b'1'..=b'9' => {
        digits(&mut p);
      }
      _ => return None,
    }
    if b.get(p) == Some(&b'.') {
      p += 1;
      if !digits(&mut p) {
        return None;
      }
    }
    if matches!(b.get(p), Some(b'e' | b'E')) {
      p += 1;
      if matches!(b.get(p), Some(b'+' | b'-')) {
        p += 1;
      }
      if !digits(&mut p) {
        return None;
      }
    }
    self.pos = p;
    Some(())
  }

  /// An array of strings.
  pub fn string_array(&mut self) -> Option<Vec<Str<'a>>> {
    self.eat(b'[')?;
    let mut items = Vec::new();
    if self.eat(b']').is_some() {
      return Some(items);
    }
    loop {
      items.push(self.string()?);
      match self.peek()? {
        b',' => self.pos += 1,
        b']' => {
          self.pos += 1;
          return Some(items);
        }
        _ => return None,
      }
    }
  }

  /// Skips any value, checking its grammar, without recursion.
  pub fn skip(&mut self) -> Option<()> {
    // The closers of the open containers; `true` for an object.
    let mut open: SmallVec<[bool; 32]> = SmallVec::new();
    loop {
      // A value.
      match self.peek()? {
        b'{' => {
          self.pos += 1;
          if self.eat(b'}').is_none() {
            open.push(true);
            self.member_name()?;
            continue;
          }
        }
        b'[' => {
          self.pos += 1;
          if self.eat(b']').is_none() {
            open.push(false);
            continue;
          }
        }
        b'"' => self.skip_string()?,
        b't' => self.eat_literal("true")?,
        b'f' => self.eat_literal("false")?,
        b'n' => self.eat_literal("null")?,
        _ => self.scan_number()?,
      }
      // After a value: close containers or move to the next element.
      loop {
        let Some(&is_object) = open.last() else {
          return Some(());
        };
        match self.peek()? {
          b',' => {
            self.pos += 1;
            if is_object {
              self.member_name()?;
            }
            break;
          }
          b'}' if is_object => {
            self.pos += 1;
            open.pop();
          }
          b']' if !is_object => {
            self.pos += 1;
            open.pop();
          }
          _ => return None,
        }
      }
    }
  }

  fn member_name(&mut self) -> Option<()> {
    if self.peek()? != b'"' {
      return None;
    }
    self.skip_string()?;
    self.eat(b':')
  }

  /// Skips a string, checking escapes are well formed. Surrogate pairing is not checked in
  /// values nobody reads, as serde_json does not check it when ignoring a value.
  fn skip_string(&mut self) -> Option<()> {
    self.eat(b'"')?;
    let b = self.bytes();
    loop {
      match *b.get(self.pos)? {
        b'"' => {
          self.pos += 1;
          return Some(());
        }
        b'\\' => {
          self.pos += 1;
          match *b.get(self.pos)? {
            b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => self.pos += 1,
            b'u' => {
              self.pos += 1;
              self.hex4()?;
            }
            _ => return None,
          }
        }
        c if c < 0x20 => return None,
        _ => self.pos += 1,
      }
    }
  }
}

#[cfg(test)]
#[path = "reader_tests.rs"]
mod tests;
