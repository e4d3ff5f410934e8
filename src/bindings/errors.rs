//! Thrown errors carry our stable code as `error.code`, and a Rust panic becomes a coded JS error
//! instead of unwinding into Node.

use auth_shield_core::error::{Error, ErrorCode};
use napi::bindgen_prelude::JsObjectValue;
use napi::{Env, JsValue, Status};
use napi_derive::napi;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// One row of the error table, for `index.js` to build `ErrorCodes` and decode results.
#[napi(object)]
pub struct ErrorInfo {
  pub code: String,
  /// HTTP status of a request failure; 0 for errors that are thrown.
  pub status: u32,
  pub message: String,
}

/// Every error code in wire order (a result's code number is its index here).
#[napi]
pub fn error_table() -> Vec<ErrorInfo> {
  ErrorCode::ALL
    .iter()
    .map(|c| ErrorInfo {
      code: c.as_str().to_owned(),
      status: c.status() as u32,
      message: c.message().to_owned(),
    })
    .collect()
}

/// What a caught panic is reported as.
fn internal() -> Error {
  Error::new(
    ErrorCode::Internal,
    "auth-shield failed internally; please report this with the call that caused it",
  )
}

fn throw(env: &Env, e: &Error) -> napi::Error {
  // If a JS exception is already pending (a getter on the config threw), it propagates instead.
  let _ = env.throw_error(&e.detail, Some(e.code.as_str()));
  napi::Error::new(Status::PendingException, e.detail.clone())
}

/// Runs `f`, throwing its error with its code, and turning a panic into `INTERNAL_ERROR`.
pub(crate) fn guard<T>(env: &Env, f: impl FnOnce() -> Result<T, Error>) -> napi::Result<T> {
  match catch_unwind(AssertUnwindSafe(f)) {
    Ok(Ok(v)) => Ok(v),
    Ok(Err(e)) => Err(throw(env, &e)),
    Err(_) => Err(throw(env, &internal())),
  }
}

/// The error a promise rejects with: a JS `Error` carrying our code, handed back as is.
pub(crate) fn rejection(env: &Env, e: &Error) -> napi::Error {
  let built = (|| -> napi::Result<napi::Error> {
    let mut error = env.create_error(napi::Error::new(Status::GenericFailure, e.detail.clone()))?;
    error.set_named_property("code", e.code.as_str())?;
    Ok(napi::Error::from(error.to_unknown()))
  })();
  built.unwrap_or_else(|fallback| fallback)
}

/// Runs `f` on a worker thread's behalf: the same panic guard as `guard`, without a JS env.
pub(crate) fn contain<T>(f: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
  catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| Err(internal()))
}
