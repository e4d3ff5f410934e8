//! An identity provider's keys kept current, as the Node refresher keeps them
//! (lib/helpers/jwks.js): fetched at start and every `interval`, and early for a token whose
//! `kid` is not known yet, at most once per `cooldown`, one fetch shared by the requests waiting
//! on it. A failed fetch keeps the keys in force. `from_uri` fetches with the crate's HTTPS client
//! (the default `fetch` feature); `start` takes any fetch of the caller's.

use crate::config::describe;
use auth_shield_core::error::Error;
use auth_shield_core::request::pipeline::Authenticator;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

/// A fetch of the JWK Set document: its JSON text, or why not.
pub type JwksFetch = Pin<Box<dyn Future<Output = Result<String, String>> + Send>>;

/// How the set is fetched; the defaults are the Node refresher's.
#[derive(Debug, Clone, Copy)]
pub struct JwksOptions {
  pub interval: Duration,
  pub timeout: Duration,
  pub cooldown: Duration,
}

impl Default for JwksOptions {
  fn default() -> Self {
    JwksOptions {
      interval: Duration::from_secs(600),
      timeout: Duration::from_secs(5),
      cooldown: Duration::from_secs(30),
    }
  }
}

/// What the refresher has done so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct JwksCounts {
  pub ok: u64,
  pub failed: u64,
}

type Fetcher = Box<dyn Fn() -> JwksFetch + Send + Sync>;
type OnError = Box<dyn Fn(&str) + Send + Sync>;

struct Inner {
  auth: Arc<Authenticator>,
  fetch: Fetcher,
  options: JwksOptions,
  /// Held for the length of a fetch, so concurrent unknown kids share one; the time of the last.
  gate: tokio::sync::Mutex<Option<Instant>>,
  /// Bumped by each fetch that brought keys: a request that waited on another's fetch retries.
  generation: AtomicU64,
  ok: AtomicU64,
  failed: AtomicU64,
  on_error: OnError,
  /// Messages already reported, so an outage is told once, not every interval.
  told: Mutex<Vec<String>>,
  ready: tokio::sync::watch::Sender<bool>,
}

/// Cheap to clone; the periodic fetch stops when the last clone is dropped (or on `stop`).
#[derive(Clone)]
pub struct JwksRefresher {
  inner: Arc<Inner>,
  task: Arc<tokio::task::AbortHandle>,
}

impl JwksRefresher {
  /// Starts fetching for `auth` (made with `jwks` or `keys`; an empty `{ "keys": [] }` waits for
  /// the first fetch), inside a Tokio runtime (outside one it is `INVALID_CONFIG`). A failure is told to `on_error` once per
  /// message (default: standard error).
  pub fn start<F, Fut>(
    auth: Arc<Authenticator>,
    options: JwksOptions,
    fetch: F,
  ) -> Result<JwksRefresher, Error>
  where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<String, String>> + Send + 'static,
  {
    Self::start_with(auth, options, fetch, |message| {
      report_to_stderr(&format!("JWKS: {message}"))
    })
  }

  pub fn start_with<F, Fut>(
    auth: Arc<Authenticator>,
    options: JwksOptions,
    fetch: F,
    on_error: impl Fn(&str) + Send + Sync + 'static,
  ) -> Result<JwksRefresher, Error>
  where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<String, String>> + Send + 'static,
  {
    for (name, d) in [
      ("interval", options.interval),
      ("timeout", options.timeout),
      ("cooldown", options.cooldown),
    ] {
      if d.is_zero() {
        return Err(Error::config(format!(
          "`jwksOptions.{name}` must be above 0"
        )));
      }
    }
    if auth.access_verifier().key_set().is_none() {
      return Err(Error::config(
        "a JWKS refresher needs an authenticator configured with `jwks` or `keys`, not `accessSecret`",
      ));
    }
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
      return Err(Error::config(
        "a JWKS refresher starts inside a Tokio runtime (its periodic fetch is a task)",
      ));
    };
    let inner = Arc::new(Inner {
      auth,
      fetch: Box::new(move || Box::pin(fetch()) as JwksFetch),
      options,
      gate: tokio::sync::Mutex::new(None),
      generation: AtomicU64::new(0),
      ok: AtomicU64::new(0),
      failed: AtomicU64::new(0),
      on_error: Box::new(on_error),
      told: Mutex::new(Vec::new()),
      ready: tokio::sync::watch::channel(false).0,
    });
    let weak = Arc::downgrade(&inner);
    let task = runtime
      .spawn(periodic(weak, options.interval))
      .abort_handle();
    Ok(JwksRefresher {
      inner,
      task: Arc::new(task),
    })
  }

  /// Settles after the first fetch (whether or not it brought keys).
  pub async fn ready(&self) {
    let mut seen = self.inner.ready.subscribe();
    let _ = seen.wait_for(|done| *done).await;
  }

  /// Fetches now, cool-down or not: whether new keys are in force.
  pub async fn refresh(&self) -> bool {
    refresh(&self.inner, true).await
  }

  /// For a token with an unknown kid: whether there are new keys to try it with, fetching them
  /// unless a fetch ran within the cool-down.
  pub(crate) async fn refresh_for_unknown_kid(&self) -> bool {
    refresh(&self.inner, false).await
  }

  pub fn counts(&self) -> JwksCounts {
    JwksCounts {
      ok: self.inner.ok.load(Ordering::Relaxed),
      failed: self.inner.failed.load(Ordering::Relaxed),
    }
  }

  /// Stops the periodic fetch (an unknown kid still fetches).
  pub fn stop(&self) {
    self.task.abort();
  }
}

impl Drop for JwksRefresher {
  fn drop(&mut self) {
    // The last handle: nothing can use the keys it would fetch.
    if Arc::strong_count(&self.task) == 1 {
      self.task.abort();
    }
  }
}

/// The default report: standard error (a failed fetch keeps the keys in force).
pub(crate) fn report_to_stderr(message: &str) {
  eprintln!("auth-shield: {message}");
}

async fn periodic(inner: Weak<Inner>, interval: Duration) {
  loop {
    let Some(strong) = inner.upgrade() else {
      return;
    };
    refresh(&strong, true).await;
    strong.ready.send_replace(true);
    drop(strong);
    tokio::time::sleep(interval).await;
  }
}

async fn refresh(inner: &Inner, force: bool) -> bool {
  let seen = inner.generation.load(Ordering::Acquire);
  let mut last = inner.gate.lock().await;
  if inner.generation.load(Ordering::Acquire) != seen {
    return true;
  }
  if !force && last.is_some_and(|t| t.elapsed() < inner.options.cooldown) {
    return false;
  }
  *last = Some(Instant::now());
  let fetched = match tokio::time::timeout(inner.options.timeout, (inner.fetch)()).await {
    Ok(result) => result,
    Err(_) => Err(format!(
      "no answer within {} ms",
      inner.options.timeout.as_millis()
    )),
  };
  match fetched.and_then(|text| install(&inner.auth, &text)) {
    Ok(skipped) => {
      inner.ok.fetch_add(1, Ordering::Relaxed);
      inner.generation.fetch_add(1, Ordering::Release);
      // The keys it could use are in force; the rest are the operator's to know of.
      for why in skipped {
        tell(inner, format!("{why}; the key was skipped"));
      }
      true
    }
    Err(message) => {
      inner.failed.fetch_add(1, Ordering::Relaxed);
      tell(inner, message);
      false
    }
  }
}

fn tell(inner: &Inner, message: String) {
  let mut told = inner.told.lock().unwrap_or_else(|p| p.into_inner());
  if !told.contains(&message) {
    (inner.on_error)(&message);
    told.push(message);
  }
}

/// The document's keys in force, all or nothing, by the configuration's rules; why each key it
/// could not use was skipped.
fn install(auth: &Authenticator, text: &str) -> Result<Vec<String>, String> {
  let json: serde_json::Value =
    serde_json::from_str(text).map_err(|_| "the JWKS document is not JSON".to_owned())?;
  let set = describe(&json, 0).ok_or_else(|| "the JWKS document is null".to_owned())?;
  auth
    .set_keys(vec![("jwks".into(), set)])
    .map_err(|e| e.detail)
}
