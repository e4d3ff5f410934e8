//! Password hashing for JS: the async forms run on the libuv thread pool (Argon2 takes tens of
//! milliseconds by design and must not hold the event loop), the sync forms share the same code.

use super::args;
use super::config::read_options;
use super::errors::{contain, guard, rejection};
use auth_shield_core::error::Error;
use auth_shield_helpers::password::{self, Settings, HASH_OPTIONS, REHASH_OPTIONS, VERIFY_OPTIONS};
use napi::bindgen_prelude::AsyncTask;
use napi::{Env, Task, Unknown};
use napi_derive::napi;
use zeroize::Zeroizing;

enum Job {
  Hash,
  Verify(String),
}

pub struct PasswordTask {
  job: Job,
  password: Zeroizing<Vec<u8>>,
  settings: Settings,
}

pub enum Done {
  Hashed(String),
  Verified(bool),
}

impl PasswordTask {
  fn run(&self) -> Result<Done, Error> {
    contain(|| match &self.job {
      Job::Hash => password::hash(&self.password, &self.settings).map(Done::Hashed),
      Job::Verify(stored) => {
        password::verify(stored, &self.password, &self.settings).map(Done::Verified)
      }
    })
  }
}

/// The result crosses as a `Result` so a coded error can be built on the JS thread.
pub struct Outcome(Result<Done, Error>);

impl Task for PasswordTask {
  type Output = Outcome;
  type JsValue = napi::Either<String, bool>;

  fn compute(&mut self) -> napi::Result<Outcome> {
    Ok(Outcome(self.run()))
  }

  fn resolve(&mut self, env: Env, output: Outcome) -> napi::Result<Self::JsValue> {
    match output.0 {
      Ok(Done::Hashed(h)) => Ok(napi::Either::A(h)),
      Ok(Done::Verified(v)) => Ok(napi::Either::B(v)),
      Err(e) => Err(rejection(&env, &e)),
    }
  }
}

fn prepare_hash(password: &Unknown, options: &Unknown) -> Result<PasswordTask, Error> {
  Ok(PasswordTask {
    job: Job::Hash,
    password: args::bytes(password, "password")?,
    settings: Settings::from_raw(read_options(options, "password")?, HASH_OPTIONS)?,
  })
}

fn prepare_verify(
  hash: &Unknown,
  password: &Unknown,
  options: &Unknown,
) -> Result<PasswordTask, Error> {
  Ok(PasswordTask {
    job: Job::Verify(args::required_string(hash, "hash")?),
    password: args::bytes(password, "password")?,
    settings: Settings::from_raw(read_options(options, "password")?, VERIFY_OPTIONS)?,
  })
}

/// Argument errors throw here; `index.js` turns them into rejections.
#[napi(ts_return_type = "Promise<string>")]
pub fn hash_password(
  env: Env,
  password: Unknown,
  options: Unknown,
) -> napi::Result<AsyncTask<PasswordTask>> {
  guard(&env, || prepare_hash(&password, &options)).map(AsyncTask::new)
}

#[napi]
pub fn hash_password_sync(env: Env, password: Unknown, options: Unknown) -> napi::Result<String> {
  guard(&env, || match prepare_hash(&password, &options)?.run()? {
    Done::Hashed(h) => Ok(h),
    Done::Verified(_) => unreachable!("a hash job hashes"),
  })
}

#[napi(ts_return_type = "Promise<boolean>")]
pub fn verify_password(
  env: Env,
  hash: Unknown,
  password: Unknown,
  options: Unknown,
) -> napi::Result<AsyncTask<PasswordTask>> {
  guard(&env, || prepare_verify(&hash, &password, &options)).map(AsyncTask::new)
}

#[napi]
pub fn verify_password_sync(
  env: Env,
  hash: Unknown,
  password: Unknown,
  options: Unknown,
) -> napi::Result<bool> {
  guard(&env, || {
    match prepare_verify(&hash, &password, &options)?.run()? {
      Done::Verified(v) => Ok(v),
      Done::Hashed(_) => unreachable!("a verify job verifies"),
    }
  })
}

#[napi]
pub fn needs_rehash(env: Env, hash: Unknown, options: Unknown) -> napi::Result<bool> {
  guard(&env, || {
    let stored = args::required_string(&hash, "hash")?;
    let settings = Settings::from_raw(read_options(&options, "password")?, REHASH_OPTIONS)?;
    password::needs_rehash(&stored, settings.cost)
  })
}
