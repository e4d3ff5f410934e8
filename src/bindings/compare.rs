//! `timingSafeEqual` for strings and byte arrays.

use super::args;
use super::errors::guard;
use crate::core::compare::timing_safe_equal;
use napi::{Env, Unknown};
use napi_derive::napi;

#[napi]
pub fn timing_safe_equal_values(env: Env, a: Unknown, b: Unknown) -> napi::Result<bool> {
  guard(&env, || {
    let a = args::bytes(&a, "a")?;
    let b = args::bytes(&b, "b")?;
    Ok(timing_safe_equal(&a, &b))
  })
}
