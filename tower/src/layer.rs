//! `AuthShieldLayer`: the fused check on every request, then the request on with its user, or
//! answered. The flow is the Node integrations' (lib/integrations/request-flow.js): a skipped
//! request passes with an id, a request without credentials passes when none are required, a
//! refusal is answered, and a verified request goes on with its user and tenant.

use crate::answer::{write_headers, OnRefusal, Refusal, X_REQUEST_ID};
use crate::config::{describe, AuthConfig};
use crate::jwks::JwksRefresher;
use crate::options::{Checked, LayerOptions};
use crate::user::{AuthUser, RequestId};
use crate::BoxFuture;
use auth_shield_core::error::{Error, ErrorCode};
use auth_shield_core::request::pipeline::{Authenticator, Limit, Request as Check, Scratch};
use auth_shield_core::request::ratelimit::{RateInfo, RateLimiter};
use auth_shield_core::request::tenant::Field;
use axum::extract::ConnectInfo;
use axum_core::response::{IntoResponse, Response};
use http::header::{AUTHORIZATION, HOST};
use http::request::Parts;
use http::{HeaderMap, HeaderValue, Request};
use std::cell::RefCell;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::task::{Context, Poll};
use tower_layer::Layer;
use tower_service::Service;

/// How a layer answers, left in the extensions of every request it handled, so the guards and
/// extractors after it refuse the same way (and know a layer ran at all).
pub struct Answering {
  pub(crate) options: Checked,
  pub(crate) on_refusal: Option<OnRefusal>,
}

/// The functions a layer may be given, as the Node integrations take them (`getToken`, `skip`,
/// `tenantFromHost`), over the request's head.
#[derive(Default, Clone)]
struct Callbacks {
  get_token: Option<ReadToken>,
  skip: Option<Skip>,
  tenant_from_host: Option<NameTenant>,
  rate_limit_key: Option<KeyFor>,
  client_ip: Option<ClientIp>,
}

type ReadToken = Arc<dyn Fn(&Parts) -> Option<String> + Send + Sync>;
type Skip = Arc<dyn Fn(&Parts) -> bool + Send + Sync>;
type NameTenant = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;
type KeyFor = Arc<dyn Fn(&Parts, &AuthUser) -> String + Send + Sync>;
type ClientIp = Arc<dyn Fn(&Parts) -> Option<IpAddr> + Send + Sync>;

struct Shared {
  auth: Arc<Authenticator>,
  answering: Arc<Answering>,
  limit: Limit,
  jwks: Option<JwksRefresher>,
  callbacks: Callbacks,
  /// Failed authentications per client (`failedAuthLimit`): checked before any token is read,
  /// spent on each 401.
  failures: Option<RateLimiter>,
}

/// The layer: `Router::new().route(…).layer(AuthShieldLayer::builder(auth).build()?)`.
#[derive(Clone)]
pub struct AuthShieldLayer {
  shared: Arc<Shared>,
}

/// Made once, at startup; every check of the options happens in `build`.
pub struct AuthShieldLayerBuilder {
  auth: Arc<Authenticator>,
  options: LayerOptions,
  on_refusal: Option<OnRefusal>,
  jwks: Option<JwksRefresher>,
  callbacks: Callbacks,
}

impl AuthShieldLayer {
  /// A layer over an authenticator shared with the code that issues and revokes tokens.
  pub fn builder(auth: Arc<Authenticator>) -> AuthShieldLayerBuilder {
    AuthShieldLayerBuilder {
      auth,
      options: LayerOptions::default(),
      on_refusal: None,
      jwks: None,
      callbacks: Callbacks::default(),
    }
  }

  /// A layer with the default options over a new authenticator for `config`.
  pub fn from_config(config: AuthConfig) -> Result<AuthShieldLayer, Error> {
    Self::builder(config.build()?).build()
  }

  pub fn authenticator(&self) -> &Arc<Authenticator> {
    &self.shared.auth
  }
}

impl AuthShieldLayerBuilder {
  pub fn options(mut self, options: LayerOptions) -> Self {
    self.options = options;
    self
  }

  /// Maps every refusal (the layer's, the guards' and the extractors') to the application's own
  /// response. The refusal it is given answers the default way with `into_response()`.
  pub fn on_refusal(mut self, map: impl Fn(Refusal) -> Response + Send + Sync + 'static) -> Self {
    self.on_refusal = Some(Arc::new(map));
    self
  }

  /// The provider's keys: a token whose `kid` is unknown fetches them early (at most once per
  /// cool-down) and the same request is answered with the new keys.
  pub fn jwks(mut self, refresher: JwksRefresher) -> Self {
    self.jwks = Some(refresher);
    self
  }

  /// Reads the bare token elsewhere (a cookie, say) instead of the Authorization header; `None`
  /// or an empty string is a request without credentials.
  pub fn get_token(
    mut self,
    read: impl Fn(&Parts) -> Option<String> + Send + Sync + 'static,
  ) -> Self {
    self.callbacks.get_token = Some(Arc::new(read));
    self
  }

  /// `true` lets the request through untouched (with a request id), as `skipPaths` does.
  pub fn skip(mut self, skip: impl Fn(&Parts) -> bool + Send + Sync + 'static) -> Self {
    self.callbacks.skip = Some(Arc::new(skip));
    self
  }

  /// Names the requested tenant from the Host, for host shapes `baseDomain` cannot describe; a
  /// tenant header still comes first, and the answer is checked as a header value would be.
  pub fn tenant_from_host(
    mut self,
    name: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
  ) -> Self {
    self.callbacks.tenant_from_host = Some(Arc::new(name));
    self
  }

  /// Names a further bucket a verified request spends besides its own (one shared by everyone
  /// behind an address, say), in a namespace of its own, under this layer's limits, else the
  /// token's plan's, else the default. Either bucket empty is 429. An empty key, one over 1024
  /// characters, or a panic is 500 `CALLBACK_FAILED`.
  pub fn rate_limit_key(
    mut self,
    key: impl Fn(&Parts, &AuthUser) -> String + Send + Sync + 'static,
  ) -> Self {
    self.callbacks.rate_limit_key = Some(Arc::new(key));
    self
  }

  /// The client address `failedAuthLimit` counts by. Defaults to Axum's
  /// `ConnectInfo<SocketAddr>`; behind a proxy, read the address it forwards (and trusts).
  pub fn client_ip(
    mut self,
    ip: impl Fn(&Parts) -> Option<IpAddr> + Send + Sync + 'static,
  ) -> Self {
    self.callbacks.client_ip = Some(Arc::new(ip));
    self
  }

  pub fn build(self) -> Result<AuthShieldLayer, Error> {
    let rate_limit = self.options.rate_limit.clone();
    let options = self.options.check()?;
    let limit = match rate_limit {
      None => Limit::Default,
      Some(serde_json::Value::Bool(false)) => Limit::Deferred,
      Some(json @ serde_json::Value::Object(_)) => {
        let value = describe(&json, 0)
          .ok_or_else(|| Error::config("`rateLimit` must be `{ max, refill }` or false"))?;
        Limit::Route(self.auth.define_route_limit(value)?)
      }
      Some(_) => {
        return Err(Error::config(
          "`rateLimit` must be `{ max, refill }` or false",
        ))
      }
    };
    Ok(AuthShieldLayer {
      shared: Arc::new(Shared {
        auth: self.auth,
        answering: Arc::new(Answering {
          options: options.clone(),
          on_refusal: self.on_refusal,
        }),
        limit,
        failures: options.failed_auth_limit.map(RateLimiter::new),
        jwks: self.jwks,
        callbacks: self.callbacks,
      }),
    })
  }
}

impl<S> Layer<S> for AuthShieldLayer {
  type Service = AuthShield<S>;

  fn layer(&self, inner: S) -> AuthShield<S> {
    AuthShield {
      inner,
      shared: self.shared.clone(),
    }
  }
}

/// The service the layer wraps a route (or a router) in.
#[derive(Clone)]
pub struct AuthShield<S> {
  inner: S,
  shared: Arc<Shared>,
}

/// What the check decided for a request.
enum Decision {
  /// On without a user (skipped, or anonymous where that is allowed).
  Pass(String),
  Accept(Box<AuthUser>, Option<RateInfo>),
  Refuse(Refusal),
}

impl<S, B> Service<Request<B>> for AuthShield<S>
where
  S: Service<Request<B>, Response = Response> + Clone + Send + 'static,
  S::Future: Send,
  B: Send + 'static,
{
  type Response = Response;
  type Error = S::Error;
  type Future = BoxFuture<Result<Response, S::Error>>;

  fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
    self.inner.poll_ready(cx)
  }

  fn call(&mut self, req: Request<B>) -> Self::Future {
    // The service that was made ready is the one that is called (tower's clone-and-swap).
    let ready = self.inner.clone();
    let mut inner = std::mem::replace(&mut self.inner, ready);
    let shared = self.shared.clone();
    Box::pin(async move {
      let (mut parts, body) = req.into_parts();
      let client = shared
        .failures
        .as_ref()
        .map(|_| client_key(&shared, &parts));
      let mut decision = match spent_failures(&shared, &parts, client.as_deref()) {
        Some(refused) => refused,
        None => decide(&shared, &parts),
      };
      if let (Decision::Refuse(r), Some(jwks)) = (&decision, &shared.jwks) {
        // An unknown kid may be a key the provider has just started using.
        if r.error_code() == ErrorCode::UnknownKey && jwks.refresh_for_unknown_kid().await {
          decision = decide(&shared, &parts);
        }
      }
      if let (Decision::Refuse(r), Some(failures), Some(client)) =
        (&decision, &shared.failures, &client)
      {
        if r.status() == http::StatusCode::UNAUTHORIZED {
          failures.take(client.as_bytes(), shared.auth.clock().now().monotonic_nanos);
        }
      }
      let extensions = &mut parts.extensions;
      extensions.insert(shared.answering.clone());
      let (id, rate) = match decision {
        Decision::Refuse(refusal) => return Ok(refusal.into_response()),
        Decision::Pass(id) => (id, None),
        Decision::Accept(user, rate) => {
          let id = user.request_id.clone();
          extensions.insert(*user);
          (id, rate)
        }
      };
      extensions.insert(RequestId(id.clone()));
      let mut response = inner.call(Request::from_parts(parts, body)).await?;
      // Set before the handler in Node, so a handler's own values win here too.
      let headers = response.headers_mut();
      let put = |name, value| {
        headers.entry(name).or_insert(value);
      };
      write_headers(put, &id, rate, &shared.answering.options);
      Ok(response)
    })
  }
}

thread_local! {
  // Per-thread buffers for the fused call: reused, so the request path allocates only what
  // the user it hands on owns.
  static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

fn decide(shared: &Shared, req: &Parts) -> Decision {
  let o = &shared.answering.options;
  let calls = &shared.callbacks;
  let incoming = o
    .trust_request_id
    .then(|| trusted_id(&req.headers))
    .flatten();
  let skipped = match &calls.skip {
    _ if o.skip_methods.contains(&req.method)
      || o.skip_paths.iter().any(|p| p == req.uri.path()) =>
    {
      true
    }
    None => false,
    Some(skip) => match guarded(|| skip(req)) {
      Ok(answer) => answer,
      Err(()) => return callback_failed(shared, incoming),
    },
  };
  if skipped {
    return Decision::Pass(incoming.unwrap_or_else(fresh_id));
  }
  let headers = &req.headers;
  let host = headers
    .get(HOST)
    .map(HeaderValue::as_bytes)
    .or_else(|| req.uri.authority().map(|a| a.as_str().as_bytes()));
  let joined;
  let mut tenant = match joined_values(headers, &o.tenant_header) {
    Joined::None => Field::Absent,
    Joined::One(v) => Field::Present(v.as_bytes()),
    Joined::Many(all) => {
      joined = all;
      Field::Present(&joined[..])
    }
  };
  let named;
  let mut host = host.map_or(Field::Absent, Field::Present);
  if let Some(name) = &calls.tenant_from_host {
    // The header still comes first; the function's answer stands in for it, and the host rule
    // (`baseDomain`) does not apply beside it.
    let sent = matches!(tenant, Field::Present(v) if !v.trim_ascii().is_empty());
    if !sent {
      let text = match host {
        Field::Present(h) => String::from_utf8_lossy(h).into_owned(),
        _ => String::new(),
      };
      named = match guarded(|| name(&text)) {
        Ok(answer) => answer,
        Err(()) => return callback_failed(shared, incoming),
      };
      tenant = named
        .as_deref()
        .map_or(Field::Absent, |t| Field::Present(t.as_bytes()));
    }
    host = Field::Absent;
  }
  let token;
  let authorization = match &calls.get_token {
    None => headers
      .get(AUTHORIZATION)
      .map_or(Field::Absent, |v| Field::Present(v.as_bytes())),
    Some(read) => {
      token = match guarded(|| read(req)) {
        Ok(answer) => answer
          .filter(|t| !t.is_empty())
          .map(|t| format!("Bearer {t}")),
        Err(()) => return callback_failed(shared, incoming),
      };
      token
        .as_deref()
        .map_or(Field::Absent, |t| Field::Present(t.as_bytes()))
    }
  };
  let check = Check {
    authorization,
    tenant_header: tenant,
    host,
    limit: shared.limit,
  };
  let outcome = SCRATCH.with(|scratch| {
    let mut scratch = scratch.borrow_mut();
    let outcome = shared.auth.authenticate(&check, &mut scratch);
    let id = incoming.unwrap_or_else(|| String::from_utf8_lossy(&outcome.request_id).into_owned());
    outcome
      .result
      .map(|s| {
        let claims = &s.claims;
        let text =
          |v: &Option<auth_shield_core::jwt::Str<'_>>| v.as_ref().map(|s| s.as_str().to_owned());
        let user = AuthUser {
          user_id: s.user_id().to_owned(),
          email: text(&claims.email),
          role: text(&claims.role),
          roles: claims
            .roles()
            .iter()
            .map(|r| r.as_str().to_owned())
            .collect(),
          permissions: claims
            .permissions
            .iter()
            .map(|p| p.as_str().to_owned())
            .collect(),
          tenant_id: s.tenant().map(str::to_owned),
          request_id: id.clone(),
        };
        (Box::new(user), s.rate, s.plan().map(str::to_owned))
      })
      .map_err(|f| (f, id))
  });
  match outcome {
    Ok((user, rate, plan)) => match &calls.rate_limit_key {
      Some(key) => spend_keyed(shared, req, key, user, rate, plan.as_deref()),
      None => Decision::Accept(user, rate),
    },
    Err((f, id)) if f.code == ErrorCode::MissingAuthorization && !o.credentials_required => {
      Decision::Pass(id)
    }
    Err((f, id)) => Decision::Refuse(Refusal::new(f.code, id, f.rate, None, &shared.answering)),
  }
}

/// The client a failure is counted against: its address, or "" when none is known.
fn client_key(shared: &Shared, req: &Parts) -> String {
  let ip = match &shared.callbacks.client_ip {
    Some(read) => guarded(|| read(req)).ok().flatten(),
    None => req
      .extensions
      .get::<ConnectInfo<SocketAddr>>()
      .map(|c| c.0.ip()),
  };
  ip.map(|ip| ip.to_string()).unwrap_or_default()
}

/// The 429 for a client that has spent its budget of failures, before any token is read.
fn spent_failures(shared: &Shared, req: &Parts, client: Option<&str>) -> Option<Decision> {
  let (failures, client) = (shared.failures.as_ref()?, client?);
  let o = &shared.answering.options;
  let info = failures.peek(client.as_bytes(), shared.auth.clock().now().monotonic_nanos)?;
  let id = o
    .trust_request_id
    .then(|| trusted_id(&req.headers))
    .flatten()
    .unwrap_or_else(fresh_id);
  Some(Decision::Refuse(Refusal::new(
    ErrorCode::RateLimited,
    id,
    Some(info),
    None,
    &shared.answering,
  )))
}

/// Spends the bucket `rate_limit_key` names besides the request's own, never instead of it (a key
/// is often something the client can vary); the headers tell of whichever has less left.
fn spend_keyed(
  shared: &Shared,
  req: &Parts,
  key: &KeyFor,
  user: Box<AuthUser>,
  rate: Option<RateInfo>,
  plan: Option<&str>,
) -> Decision {
  let route = match shared.limit {
    Limit::Deferred => return Decision::Accept(user, rate),
    Limit::Route(id) => Some(id),
    Limit::Default => None,
  };
  let id = Some(user.request_id.clone());
  let key = match guarded(|| key(req, &user)) {
    // Counted as JS counts it (UTF-16 units), so a key is refused alike on either side.
    Ok(k) if !k.is_empty() && k.encode_utf16().count() <= MAX_KEY_UNITS => k,
    _ => return callback_failed(shared, id),
  };
  match shared.auth.take_rate_limit(&key, route, plan) {
    // The limiter is off: nothing to spend.
    Err(_) => Decision::Accept(user, rate),
    Ok((true, taken)) if rate.is_some_and(|own| taken.remaining >= own.remaining) => {
      Decision::Accept(user, rate)
    }
    Ok((true, taken)) => Decision::Accept(user, Some(taken)),
    Ok((false, taken)) => {
      let request_id = user.request_id.clone();
      Decision::Refuse(Refusal::new(
        ErrorCode::RateLimited,
        request_id,
        Some(taken),
        None,
        &shared.answering,
      ))
    }
  }
}

/// The longest `rate_limit_key` answer, as the Node integrations bound it.
const MAX_KEY_UNITS: usize = 1024;

/// A function of the caller's that panicked is `CALLBACK_FAILED` (500), as a throw is in Node:
/// the request is refused, never let through, and the service goes on.
fn guarded<T>(call: impl FnOnce() -> T) -> Result<T, ()> {
  std::panic::catch_unwind(std::panic::AssertUnwindSafe(call)).map_err(|_| ())
}

fn callback_failed(shared: &Shared, incoming: Option<String>) -> Decision {
  let id = incoming.unwrap_or_else(fresh_id);
  Decision::Refuse(Refusal::new(
    ErrorCode::CallbackFailed,
    id,
    None,
    None,
    &shared.answering,
  ))
}

enum Joined<'a> {
  None,
  One(&'a HeaderValue),
  /// Several fields of one name, joined with ", " as Node's HTTP parser joins them.
  Many(Vec<u8>),
}

fn joined_values<'a>(headers: &'a HeaderMap, name: &http::HeaderName) -> Joined<'a> {
  let mut values = headers.get_all(name).iter();
  let Some(first) = values.next() else {
    return Joined::None;
  };
  let Some(second) = values.next() else {
    return Joined::One(first);
  };
  let mut all = first.as_bytes().to_vec();
  for v in std::iter::once(second).chain(values) {
    all.extend_from_slice(b", ");
    all.extend_from_slice(v.as_bytes());
  }
  Joined::Many(all)
}

// 1 to 128 characters that are safe in a header, a log line and a URL (request-state.js).
fn trusted_id(headers: &HeaderMap) -> Option<String> {
  let v = headers.get(&X_REQUEST_ID)?.as_bytes();
  let safe = |b: &u8| b.is_ascii_alphanumeric() || b"-_.:@+=/".contains(b);
  (!v.is_empty() && v.len() <= 128 && v.iter().all(safe))
    .then(|| String::from_utf8_lossy(v).into_owned())
}

fn fresh_id() -> String {
  String::from_utf8_lossy(&auth_shield_core::request::request_id::new_v4()).into_owned()
}
