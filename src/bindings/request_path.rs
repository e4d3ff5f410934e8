//! The call a request makes, as a plain N-API callback rather than `#[napi]` functions. The
//! macro's per-call wrapper (an argument borrow scope, the `External` check through a global
//! mutex) cost about 200 ns, two thirds of a cache hit's work in the core; here a call reads its
//! arguments straight from the callback info and names the authenticator by its registry id.
//!
//! `authenticate(id, authorization, tenantHeader, host, limit)` returns the compact encoding that
//! `lib/engines/native.js` decodes (contract/result.json; see `encode.rs`). Request failures are part of the result; it only
//! throws on a bad argument from the wrapper or an internal error.

use super::encode::{Encoded, Encoder};
use super::errors::guard;
use super::registry;
use super::result_format::{
  AUTHORIZATION_SLACK_BYTES, HEADER_FIELD_BUFFER_BYTES, LIMIT_DEFAULT, LIMIT_DEFERRED,
};
use super::strings::read_field;
use auth_shield_core::error::Error;
use auth_shield_core::request::pipeline::{self, Limit, Request};
use napi::bindgen_prelude::Object;
use napi::{sys, Env, JsValue};
use napi_derive::napi;
use std::cell::RefCell;
use std::ffi::c_char;
use std::ptr;

/// Buffers reused by every call on this thread, so the request path allocates nothing once warm.
#[derive(Default)]
struct Scratch {
  authorization: Vec<u8>,
  tenant: Vec<u8>,
  host: Vec<u8>,
  claims: pipeline::Scratch,
  encoder: Encoder,
}

thread_local! {
  static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch {
    tenant: vec![0; HEADER_FIELD_BUFFER_BYTES],
    host: vec![0; HEADER_FIELD_BUFFER_BYTES],
    ..Scratch::default()
  });
}

/// Adds the callback to the module's exports, beside the `#[napi]` functions.
#[napi(module_exports)]
pub fn install_request_path(exports: Object, env: Env) -> napi::Result<()> {
  const NAME: &std::ffi::CStr = c"authenticate";
  let mut function = ptr::null_mut();
  // SAFETY: `env` and `exports` are the live handles of module initialisation.
  unsafe {
    check(sys::napi_create_function(
      env.raw(),
      NAME.as_ptr(),
      NAME.count_bytes() as isize,
      Some(authenticate),
      ptr::null_mut(),
      &mut function,
    ))?;
    check(sys::napi_set_named_property(
      env.raw(),
      exports.raw(),
      NAME.as_ptr(),
      function,
    ))
  }
}

fn check(status: sys::napi_status) -> napi::Result<()> {
  if status == sys::Status::napi_ok {
    Ok(())
  } else {
    Err(napi::Error::from_status(napi::Status::from(status)))
  }
}

/// The callback's arguments (missing ones read as `undefined`) and how many were passed.
///
/// # Safety
/// `env` and `info` must be those of the current callback.
unsafe fn arguments<const N: usize>(
  env: sys::napi_env,
  info: sys::napi_callback_info,
) -> ([sys::napi_value; N], usize) {
  let mut argv = [ptr::null_mut(); N];
  let mut argc = N;
  // SAFETY: the caller passes this callback's env and info; `argv` has room for `argc` values.
  unsafe {
    sys::napi_get_cb_info(
      env,
      info,
      &mut argc,
      argv.as_mut_ptr(),
      ptr::null_mut(),
      ptr::null_mut(),
    )
  };
  (argv, argc)
}

/// A whole number in `0..=u32::MAX`; N-API's own uint32 read would wrap -1, 2^40 and NaN into range.
///
/// # Safety
/// `env` and `value` must be live handles of the current callback.
unsafe fn read_u32(env: sys::napi_env, value: sys::napi_value, what: &str) -> Result<u32, Error> {
  let mut out = f64::NAN;
  // SAFETY: live handles (the caller's contract); a non-number leaves `out` NaN, refused below.
  unsafe { sys::napi_get_value_double(env, value, &mut out) };
  if out >= 0.0 && out <= u32::MAX as f64 && out.fract() == 0.0 {
    Ok(out as u32)
  } else {
    Err(Error::argument(format!("{what} must be a whole number")))
  }
}

/// `read_u32`, with `undefined` read as 0.
///
/// # Safety
/// `env` and `value` must be live handles of the current callback.
unsafe fn read_optional_u32(
  env: sys::napi_env,
  value: sys::napi_value,
  what: &str,
) -> Result<u32, Error> {
  let mut kind = sys::ValueType::napi_undefined;
  // SAFETY: live handles (the caller's contract); `kind` is written or left `undefined`.
  unsafe { sys::napi_typeof(env, value, &mut kind) };
  if value.is_null() || kind == sys::ValueType::napi_undefined {
    return Ok(0);
  }
  // SAFETY: the same handles, passed on under the same contract.
  unsafe { read_u32(env, value, what) }
}

/// Runs one request with this thread's buffers, under the same guard as every `#[napi]`
/// function: an error or a panic becomes a thrown coded error, never an unwind into Node.
///
/// # Safety
/// `env` must be the current callback's.
unsafe fn respond(
  env: sys::napi_env,
  f: impl FnOnce(&mut Scratch) -> Result<sys::napi_value, Error>,
) -> sys::napi_value {
  guard(&Env::from_raw(env), || {
    SCRATCH.with(|cell| f(&mut cell.borrow_mut()))
  })
  .unwrap_or(ptr::null_mut())
}

/// The encoding as a JS string: Latin-1 (compact in V8) when it could be written so.
///
/// # Safety
/// `env` must be the current callback's.
unsafe fn js_string(env: sys::napi_env, encoded: Encoded<'_>) -> sys::napi_value {
  let mut value = ptr::null_mut();
  match encoded {
    Encoded::Latin1(bytes) => {
      let bytes_ptr: *const c_char = bytes.as_ptr().cast();
      // SAFETY: `bytes` outlives the call, which copies `len` bytes into a new JS string.
      unsafe { sys::napi_create_string_latin1(env, bytes_ptr, bytes.len() as isize, &mut value) };
    }
    Encoded::Utf16(units) => {
      // SAFETY: `units` outlives the call, which copies `len` code units into a new JS string.
      unsafe {
        sys::napi_create_string_utf16(env, units.as_ptr(), units.len() as isize, &mut value)
      };
    }
  }
  value
}

fn authenticator(id: u32) -> Result<std::sync::Arc<pipeline::Authenticator>, Error> {
  registry::lookup(id).ok_or_else(|| Error::argument("unknown authenticator"))
}

unsafe extern "C" fn authenticate(
  env: sys::napi_env,
  info: sys::napi_callback_info,
) -> sys::napi_value {
  // SAFETY: N-API calls this callback with its own env and info.
  let ([id, authorization, tenant, host, limit], argc) = unsafe { arguments::<5>(env, info) };
  // SAFETY: every handle read below is one of this callback's arguments, live for its duration;
  // `read_field` writes at most each scratch buffer's length.
  unsafe {
    respond(env, |s| {
      let auth = authenticator(read_u32(env, id, "the authenticator id")?)?;
      let need = auth.settings().max_token_length + AUTHORIZATION_SLACK_BYTES;
      if s.authorization.len() < need {
        s.authorization.resize(need, 0);
      }
      let request = Request {
        authorization: read_field(env, authorization, &mut s.authorization),
        tenant_header: read_field(env, tenant, &mut s.tenant),
        host: read_field(env, host, &mut s.host),
        // The wrapper leaves the argument out for the default, sparing the read.
        limit: match if argc < 5 {
          LIMIT_DEFAULT
        } else {
          read_optional_u32(env, limit, "the rate limit")?
        } {
          LIMIT_DEFAULT => Limit::Default,
          LIMIT_DEFERRED => Limit::Deferred,
          route => Limit::Route(route),
        },
      };
      let outcome = auth.authenticate(&request, &mut s.claims);
      Ok(js_string(env, s.encoder.encode(&outcome)))
    })
  }
}
