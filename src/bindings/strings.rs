//! Reading string arguments straight into reusable byte buffers, with no `String` allocation per
//! call. A non-ASCII character arrives as UTF-8 bytes (≥ 0x80) and a lone surrogate as U+FFFD;
//! neither is ever valid in a token, a tenant id or a host label, so nothing is lost for any
//! decision the core makes.

use auth_shield_core::request::tenant::Field;
use napi::sys;
use std::ptr;

/// Reads `value` into `buf`. `undefined` and `null` are absent; other non-strings are unusable.
///
/// # Safety
/// `env` and `value` must be live handles of the current call.
pub(crate) unsafe fn read_field<'b>(
  env: sys::napi_env,
  value: sys::napi_value,
  buf: &'b mut [u8],
) -> Field<'b> {
  let mut len = 0usize;
  // SAFETY: live handles (the caller's contract); V8 writes at most `buf.len()` bytes into `buf`.
  let status = unsafe {
    sys::napi_get_value_string_utf8(env, value, buf.as_mut_ptr().cast(), buf.len(), &mut len)
  };
  if status != sys::Status::napi_ok {
    let mut kind = 0;
    // SAFETY: the same live handles; `kind` is a plain out-parameter.
    unsafe { sys::napi_typeof(env, value, &mut kind) };
    return match kind {
      sys::ValueType::napi_undefined | sys::ValueType::napi_null => Field::Absent,
      _ => Field::Unusable,
    };
  }
  // V8 writes at most `buf.len() - 1` bytes and never half a character, so a full buffer (less
  // up to three bytes) may mean more was left behind: ask for the whole length to be sure.
  if len + 4 >= buf.len() {
    let mut full = 0usize;
    // SAFETY: a null buffer asks only for the length, written to `full`.
    unsafe { sys::napi_get_value_string_utf8(env, value, ptr::null_mut(), 0, &mut full) };
    if full > len {
      return Field::TooLong(&buf[..len]);
    }
  }
  Field::Present(&buf[..len])
}
