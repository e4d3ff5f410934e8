//! Turning a user-supplied name into one safe to create on Linux, macOS and Windows: no path,
//! no device name, no control or direction-override characters, bounded in bytes.

use auth_shield_core::error::{Error, ErrorCode};
use auth_shield_core::options::{wrong, Options, RawConfig, Value};

use auth_shield_core::contract::helper_option::sanitize_filename_options as opt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilenamePolicy {
  replacement: String,
  max_bytes: usize,
  fallback: Option<String>,
}

impl Default for FilenamePolicy {
  fn default() -> Self {
    FilenamePolicy {
      replacement: "_".into(),
      max_bytes: 255,
      fallback: None,
    }
  }
}

/// Names Windows reserves for devices, with or without an extension (`con.txt` too).
const RESERVED: &[&str] = &[
  "CON", "PRN", "AUX", "NUL", "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7",
  "COM8", "COM9", "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
  "CONIN$", "CONOUT$",
];

/// An extension longer than this is treated as part of the name when truncating.
const MAX_KEPT_EXTENSION: usize = 16;

fn unsafe_char(c: char) -> bool {
  matches!(c, '/' | '\\' | '<' | '>' | ':' | '"' | '|' | '?' | '*')
    || c.is_control()
    // Zero-width and bidirectional controls: they hide or reorder what a name shows
    // ("invoice\u{202E}fdp.exe" displays as "invoiceexe.pdf").
    || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

impl FilenamePolicy {
  pub fn from_raw(raw: RawConfig) -> Result<FilenamePolicy, Error> {
    let mut opts = Options(raw);
    opts.refuse_unknown(opt::NAMES)?;
    let replacement = match opts.take(opt::REPLACEMENT) {
      None => opt::REPLACEMENT_DEFAULT.to_string(),
      Some(Value::String(s)) => s,
      Some(v) => return Err(wrong("replacement", "a string", &v)),
    };
    if replacement.len() > 16 || replacement.chars().any(unsafe_char) || replacement.contains('.') {
      return Err(Error::config(
        "`replacement` must be at most 16 bytes with no path separator, dot, reserved or control character",
      ));
    }
    let max_bytes = opts.whole(&opt::MAX_BYTES)? as usize;
    let mut policy = FilenamePolicy {
      replacement,
      max_bytes,
      fallback: None,
    };
    policy.fallback = match opts.take(opt::FALLBACK) {
      None => None,
      Some(Value::String(s)) => {
        // The fallback must itself come through unchanged, or it would not be a safe answer.
        if policy.clean(&s).as_deref() != Some(s.as_str()) {
          return Err(Error::config("`fallback` must itself be a safe file name"));
        }
        Some(s)
      }
      Some(v) => return Err(wrong("fallback", "a string", &v)),
    };
    Ok(policy)
  }

  /// The safe name, or `INVALID_FILENAME` when nothing usable remains and there is no fallback.
  pub fn sanitize(&self, name: &str) -> Result<String, Error> {
    match (self.clean(name), &self.fallback) {
      (Some(n), _) => Ok(n),
      (None, Some(f)) => Ok(f.clone()),
      (None, None) => Err(Error::new(
        ErrorCode::InvalidFilename,
        "Nothing usable remains of the file name; pass `fallback` to get a default name instead",
      )),
    }
  }

  fn clean(&self, name: &str) -> Option<String> {
    let mut out = String::with_capacity(name.len().min(self.max_bytes * 2));
    for c in name.chars() {
      if unsafe_char(c) {
        // Runs of unsafe characters become one replacement, so "a//b" does not grow.
        if !out.ends_with(self.replacement.as_str()) || self.replacement.is_empty() {
          out.push_str(&self.replacement);
        }
      } else {
        out.push(c);
      }
      // Work on a bounded prefix: the rest would be cut anyway.
      if out.len() > self.max_bytes * 4 + 64 {
        break;
      }
    }
    // Windows drops trailing dots and spaces, so "evil.exe. " would become "evil.exe".
    let trimmed_len = out.trim_end_matches(['.', ' ']).len();
    out.truncate(trimmed_len);
    let trimmed_start = out.len() - out.trim_start_matches(' ').len();
    out.drain(..trimmed_start);
    if out.is_empty() || out.chars().all(|c| c == '.') || out == self.replacement {
      return None;
    }
    let stem = out.split('.').next().unwrap_or("").trim_end_matches(' ');
    if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(stem)) {
      out.insert_str(
        0,
        if self.replacement.is_empty() {
          "_"
        } else {
          &self.replacement
        },
      );
    }
    if out.len() > self.max_bytes {
      out = self.truncate(&out);
      let trimmed_len = out.trim_end_matches(['.', ' ']).len();
      out.truncate(trimmed_len);
      if out.is_empty() {
        return None;
      }
    }
    Some(out)
  }

  /// Cuts to `max_bytes` on a character boundary, keeping a short extension.
  fn truncate(&self, name: &str) -> String {
    let ext = name
      .rfind('.')
      .filter(|&i| i > 0 && name.len() - i <= MAX_KEPT_EXTENSION && name.len() - i < self.max_bytes)
      .map_or("", |i| &name[i..]);
    let budget = self.max_bytes - ext.len();
    let stem = &name[..name.len() - ext.len()];
    let mut end = budget.min(stem.len());
    while !stem.is_char_boundary(end) {
      end -= 1;
    }
    format!("{}{ext}", &stem[..end])
  }
}

#[cfg(test)]
#[path = "filename_tests.rs"]
mod tests;
