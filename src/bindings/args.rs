//! Plain arguments of the helper functions, refused with `INVALID_ARGUMENT` (naming the argument)
//! when they have the wrong type rather than coerced.

use auth_shield_core::error::Error;
use napi::bindgen_prelude::{FromNapiValue, Uint8Array};
use napi::{JsValue, Unknown, ValueType};
use zeroize::Zeroizing;

/// A string, or `None` for any other type.
pub(crate) fn string(value: &Unknown) -> Option<String> {
  match value.get_type() {
    Ok(ValueType::String) => String::from_unknown(*value).ok(),
    _ => None,
  }
}

pub(crate) fn required_string(value: &Unknown, name: &str) -> Result<String, Error> {
  string(value).ok_or_else(|| Error::argument(format!("`{name}` must be a string")))
}

/// The bytes of a string (UTF-8; a lone surrogate becomes U+FFFD) or of a Buffer/Uint8Array,
/// wiped when dropped.
pub(crate) fn bytes(value: &Unknown, name: &str) -> Result<Zeroizing<Vec<u8>>, Error> {
  if let Some(s) = string(value) {
    return Ok(Zeroizing::new(s.into_bytes()));
  }
  let is_bytes = value.get_type().ok() == Some(ValueType::Object)
    && (value.is_buffer().unwrap_or(false) || value.is_typedarray().unwrap_or(false));
  if is_bytes {
    if let Ok(array) = Uint8Array::from_unknown(*value) {
      return Ok(Zeroizing::new(array.to_vec()));
    }
  }
  Err(Error::argument(format!(
    "`{name}` must be a string, a Buffer or a Uint8Array"
  )))
}

fn absent(value: &Unknown) -> bool {
  matches!(value.get_type(), Ok(ValueType::Undefined | ValueType::Null))
}

/// A whole number from 0 to 2^53 − 1 (what JS can hold exactly), or `None` for anything else.
pub(crate) fn whole_number(value: &Unknown) -> Option<u64> {
  if value.get_type().ok() != Some(ValueType::Number) {
    return None;
  }
  let n = f64::from_unknown(*value).ok()?;
  (n.fract() == 0.0 && (0.0..=9_007_199_254_740_991.0).contains(&n)).then_some(n as u64)
}

/// `undefined`/`null`, or a whole number (refused with `want` in the message otherwise).
pub(crate) fn optional_whole_number(
  value: &Unknown,
  name: &str,
  want: &str,
) -> Result<Option<u64>, Error> {
  if absent(value) {
    return Ok(None);
  }
  whole_number(value)
    .map(Some)
    .ok_or_else(|| Error::argument(format!("`{name}` must be {want}")))
}

/// `undefined`/`null`, or whole non-negative seconds since the epoch.
pub(crate) fn optional_seconds(value: &Unknown, name: &str) -> Result<Option<u64>, Error> {
  optional_whole_number(value, name, "whole seconds since the epoch")
}

/// `undefined`/`null`, or a string.
pub(crate) fn optional_string(value: &Unknown, name: &str) -> Result<Option<String>, Error> {
  if absent(value) {
    return Ok(None);
  }
  required_string(value, name).map(Some)
}
