//! Sanitisers for JS: policies are validated once into handles; each call only cleans.

use super::args;
use super::config::read_options;
use super::errors::{contain, guard, rejection};
use auth_shield_core::error::Error;
use auth_shield_helpers::sanitize::filename::FilenamePolicy;
use auth_shield_helpers::sanitize::html::HtmlPolicy;
use auth_shield_helpers::sanitize::interval::is_valid_interval;
use napi::bindgen_prelude::{AsyncTask, External};
use napi::{Env, Task, Unknown};
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

/// `sanitizeHtml` on the libuv thread pool, for input large enough that cleaning it would hold
/// the event loop: the policy is copied into the task, the input moved.
pub struct SanitizeTask {
  policy: HtmlPolicy,
  html: String,
}

/// A task's answer; an error stays a core error until it reaches JS in `resolve`.
pub struct Cleaned(Result<String, Error>);

impl Task for SanitizeTask {
  type Output = Cleaned;
  type JsValue = String;

  fn compute(&mut self) -> napi::Result<Cleaned> {
    let html = std::mem::take(&mut self.html);
    Ok(Cleaned(contain(|| Ok(self.policy.clean(&html)))))
  }

  fn resolve(&mut self, env: Env, output: Cleaned) -> napi::Result<String> {
    output.0.map_err(|e| rejection(&env, &e))
  }
}

#[napi]
pub fn sanitize_html_async(
  env: Env,
  policy: &External<HtmlPolicy>,
  html: Unknown,
) -> napi::Result<AsyncTask<SanitizeTask>> {
  guard(&env, || {
    Ok(SanitizeTask {
      policy: (**policy).clone(),
      html: args::required_string(&html, "html")?,
    })
  })
  .map(AsyncTask::new)
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
