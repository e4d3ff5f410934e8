//! Plain arguments of the helper functions, refused with `INVALID_ARGUMENT` (naming the argument)
//! when they have the wrong type rather than coerced.

use crate::core::error::Error;
use napi::bindgen_prelude::Uint8Array;
use napi::{JsValue, Unknown, ValueType};
use zeroize::Zeroizing;

/// A string, or `None` for any other type.
pub(crate) fn string(value: &Unknown) -> Option<String> {
  match value.get_type() {
    Ok(ValueType::String) => unsafe { value.cast::<String>() }.ok(),
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
    if let Ok(array) = unsafe { value.cast::<Uint8Array>() } {
      return Ok(Zeroizing::new(array.to_vec()));
    }
  }
  Err(Error::argument(format!(
    "`{name}` must be a string, a Buffer or a Uint8Array"
  )))
}

/// `undefined`/`null`, or whole non-negative seconds since the epoch.
pub(crate) fn optional_seconds(value: &Unknown, name: &str) -> Result<Option<u64>, Error> {
  let refuse = || Error::argument(format!("`{name}` must be whole seconds since the epoch"));
  match value.get_type() {
    Ok(ValueType::Undefined | ValueType::Null) => Ok(None),
    Ok(ValueType::Number) => {
      let n = unsafe { value.cast::<f64>() }.map_err(|_| refuse())?;
      if n.fract() != 0.0 || !(0.0..=9_007_199_254_740_991.0).contains(&n) {
        return Err(refuse());
      }
      Ok(Some(n as u64))
    }
    _ => Err(refuse()),
  }
}

/// `undefined`/`null`, or a string.
pub(crate) fn optional_string(value: &Unknown, name: &str) -> Result<Option<String>, Error> {
  match value.get_type() {
    Ok(ValueType::Undefined | ValueType::Null) => Ok(None),
    _ => required_string(value, name).map(Some),
  }
}
