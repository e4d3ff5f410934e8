//! `timingSafeEqual` for strings and byte arrays. Bytes are read where they lie (typed-array
//! memory, or a reused per-thread buffer for string contents) so a comparison allocates nothing:
//! it is often called once per request.

use super::errors::guard;
use auth_shield_core::error::Error;
use auth_shield_helpers::compare::timing_safe_equal;
use napi::{sys, Env, JsValue, Unknown};
use napi_derive::napi;
use std::cell::RefCell;
use std::ptr;
use zeroize::Zeroize;

thread_local! {
  static STRINGS: RefCell<[Vec<u8>; 2]> = const { RefCell::new([Vec::new(), Vec::new()]) };
}

/// The bytes of `value`: a string's UTF-8 (copied into `scratch`) or a Uint8Array's (borrowed).
///
/// # Safety
/// `env` and `value` must be live handles of the current call; the returned slice must not outlive
/// the call or the next use of `scratch`.
unsafe fn bytes_of<'a>(
  env: sys::napi_env,
  value: sys::napi_value,
  scratch: &'a mut Vec<u8>,
  name: &str,
) -> Result<&'a [u8], Error> {
  let wrong = || {
    Error::argument(format!(
      "`{name}` must be a string, a Buffer or a Uint8Array"
    ))
  };
  // Typed arrays first: one call answers both "is it one?" and "where are its bytes?".
  let mut array_type = 0;
  let mut len = 0usize;
  let mut data = ptr::null_mut();
  // SAFETY: live handles (the caller's contract); the out-parameters are plain locals, and a
  // non-typed-array answers an error status without writing them.
  let status = unsafe {
    sys::napi_get_typedarray_info(
      env,
      value,
      &mut array_type,
      &mut len,
      &mut data,
      ptr::null_mut(),
      ptr::null_mut(),
    )
  };
  if status == sys::Status::napi_ok {
    let byte_array = array_type == sys::TypedarrayType::uint8_array
      || array_type == sys::TypedarrayType::uint8_clamped_array;
    if !byte_array {
      return Err(wrong());
    }
    if len == 0 || data.is_null() {
      return Ok(&[]);
    }
    // SAFETY: V8 reports `len` bytes at `data` for this live typed array.
    return Ok(unsafe { std::slice::from_raw_parts(data.cast::<u8>(), len) });
  }
  // A string: one read into the scratch buffer, a second only when it did not fit.
  if scratch.len() < 256 {
    scratch.resize(256, 0);
  }
  let mut written = 0usize;
  // SAFETY: V8 writes at most `scratch.len()` bytes into `scratch`.
  let status = unsafe {
    sys::napi_get_value_string_utf8(
      env,
      value,
      scratch.as_mut_ptr().cast(),
      scratch.len(),
      &mut written,
    )
  };
  if status != sys::Status::napi_ok {
    return Err(wrong());
  }
  if written + 4 >= scratch.len() {
    let mut full = 0usize;
    // SAFETY: a null buffer asks only for the length, written to `full`.
    unsafe { sys::napi_get_value_string_utf8(env, value, ptr::null_mut(), 0, &mut full) };
    if full > written {
      scratch.resize(full + 1, 0);
      // SAFETY: `scratch` now holds `full + 1` bytes, the most V8 writes.
      unsafe {
        sys::napi_get_value_string_utf8(
          env,
          value,
          scratch.as_mut_ptr().cast(),
          full + 1,
          &mut written,
        )
      };
    }
  }
  Ok(&scratch[..written])
}

#[napi]
pub fn timing_safe_equal_values(env: Env, a: Unknown, b: Unknown) -> napi::Result<bool> {
  let raw_env = env.raw();
  let (a, b) = (a.raw(), b.raw());
  guard(&env, || {
    STRINGS.with(|cell| {
      let [sa, sb] = &mut *cell.borrow_mut();
      let equal = (|| {
        // SAFETY: both handles belong to this call, and the slices die before it returns.
        let x = unsafe { bytes_of(raw_env, a, sa, "a")? };
        // SAFETY: as above.
        let y = unsafe { bytes_of(raw_env, b, sb, "b")? };
        Ok(timing_safe_equal(x, y))
      })();
      // The strings compared are often secrets: wipe the copies, and do not keep a huge buffer.
      for buf in [sa, sb] {
        if buf.len() > 1 << 16 {
          buf.zeroize();
          *buf = Vec::new();
        } else {
          buf.as_mut_slice().zeroize();
        }
      }
      equal
    })
  })
}
