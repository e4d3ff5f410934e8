//! Sanitisers for JS: policies are validated once into handles; each call only cleans.

use super::args;
use super::config::read_options;
use super::errors::guard;
use auth_shield_helpers::sanitize::filename::FilenamePolicy;
use auth_shield_helpers::sanitize::html::HtmlPolicy;
use auth_shield_helpers::sanitize::interval::is_valid_interval;
use napi::bindgen_prelude::External;
use napi::{Env, Unknown};
use napi_derive::napi;

#[napi]
pub fn create_html_policy(env: Env, options: Unknown) -> napi::Result<External<HtmlPolicy>> {
  guard(&env, || {
    Ok(External::new(HtmlPolicy::from_raw(read_options(
      &options,
      "sanitizeHtml",
    )?)?))
  })
}

#[napi]
pub fn sanitize_html_with(
  env: Env,
  policy: &External<HtmlPolicy>,
  html: Unknown,
) -> napi::Result<String> {
  guard(&env, || {
    Ok(policy.clean(&args::required_string(&html, "html")?))
  })
}

#[napi]
pub fn create_filename_policy(
  env: Env,
  options: Unknown,
) -> napi::Result<External<FilenamePolicy>> {
  guard(&env, || {
    Ok(External::new(FilenamePolicy::from_raw(read_options(
      &options,
      "sanitizeFilename",
    )?)?))
  })
}

#[napi]
pub fn sanitize_filename_with(
  env: Env,
  policy: &External<FilenamePolicy>,
  name: Unknown,
) -> napi::Result<String> {
  guard(&env, || {
    policy.sanitize(&args::required_string(&name, "name")?)
  })
}

/// Anything but a string is not an interval.
#[napi]
pub fn validate_sql_interval(value: Unknown) -> bool {
  args::string(&value).is_some_and(|s| is_valid_interval(&s))
}
