//! What a request is answered with: the response headers of an outcome and the refusal itself,
//! written as the Node integrations write them (lib/integrations/responder.js), so a client sees
//! the same status, body and headers from either. The differential test holds the two together.

use crate::layer::Answering;
use crate::options::{Checked, RateLimitHeaders};
use auth_shield_core::error::ErrorCode;
use auth_shield_core::request::ratelimit::RateInfo;
use axum_core::response::{IntoResponse, Response};
use bytes::Bytes;
use http::header::{
  HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE, RETRY_AFTER, WWW_AUTHENTICATE,
};
use http::StatusCode;
use std::sync::Arc;

pub(crate) static X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// A refused request: the code, its status and message from the error table, the request's id,
/// and every header the answer carries. The layer answers it as `{ error, code }` JSON unless
/// `on_refusal` maps it to the application's own response; an extractor's rejection is one too.
#[derive(Clone)]
pub struct Refusal {
  code: ErrorCode,
  request_id: String,
  headers: HeaderMap,
  /// The layer's `on_refusal`, applied once by `into_response` (and never to the refusal it is
  /// given, so a mapping may fall back on `refusal.into_response()`).
  mapping: Option<OnRefusal>,
}

impl std::fmt::Debug for Refusal {
  fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    f.debug_struct("Refusal")
      .field("code", &self.code())
      .field("request_id", &self.request_id)
      .field("headers", &self.headers)
      .finish_non_exhaustive()
  }
}

impl Refusal {
  pub(crate) fn new(
    code: ErrorCode,
    request_id: String,
    rate: Option<RateInfo>,
    scope: Option<&str>,
    answering: &Answering,
  ) -> Self {
    let o = &answering.options;
    let mut headers = HeaderMap::new();
    write_headers(
      |name, value| {
        headers.insert(name, value);
      },
      &request_id,
      rate,
      o,
    );
    if let Some(rate) = rate.filter(|_| code == ErrorCode::RateLimited) {
      headers.insert(RETRY_AFTER, HeaderValue::from(rate.retry_after));
    }
    if code.status() == 401 || code == ErrorCode::InsufficientPermissions {
      let challenge = challenge(code, scope, o.realm.as_deref());
      if let Ok(value) = HeaderValue::from_str(&challenge) {
        headers.insert(WWW_AUTHENTICATE, value);
      }
    }
    Refusal {
      code,
      request_id,
      headers,
      mapping: answering.on_refusal.clone(),
    }
  }

  /// The stable code (`"TOKEN_EXPIRED"`).
  pub fn code(&self) -> &'static str {
    self.code.as_str()
  }

  pub fn error_code(&self) -> ErrorCode {
    self.code
  }

  pub fn status(&self) -> StatusCode {
    StatusCode::from_u16(self.code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
  }

  /// The message the Node integrations send (`"Token expired"`): never a token or a secret.
  pub fn message(&self) -> &'static str {
    self.code.message()
  }

  pub fn request_id(&self) -> &str {
    &self.request_id
  }

  /// `X-Request-Id`, the rate-limit headers, `Retry-After` and `WWW-Authenticate`, as they apply.
  pub fn headers(&self) -> &HeaderMap {
    &self.headers
  }

  /// The `{ "error": message, "code": code }` body.
  pub fn body(&self) -> String {
    serde_json::json!({ "error": self.message(), "code": self.code() }).to_string()
  }
}

impl IntoResponse for Refusal {
  fn into_response(mut self) -> Response {
    if let Some(mapping) = self.mapping.take() {
      return mapping(self);
    }
    let mut response = Response::new(axum_core::body::Body::from(Bytes::from(self.body())));
    *response.status_mut() = self.status();
    let headers = response.headers_mut();
    headers.insert(
      CONTENT_TYPE,
      HeaderValue::from_static("application/json; charset=utf-8"),
    );
    headers.extend(self.headers);
    response
  }
}

impl std::fmt::Display for Refusal {
  fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    write!(f, "{} ({})", self.message(), self.code())
  }
}

impl std::error::Error for Refusal {}

/// Maps a refusal to the application's own response (`AuthShieldLayer::on_refusal`).
pub(crate) type OnRefusal = Arc<dyn Fn(Refusal) -> Response + Send + Sync>;

/// `X-Request-Id` and, for a request that spent a bucket, the rate-limit headers, each through
/// `put` (a refusal's own map, or a handler's response that may have set its own).
pub(crate) fn write_headers(
  mut put: impl FnMut(HeaderName, HeaderValue),
  request_id: &str,
  rate: Option<RateInfo>,
  o: &Checked,
) {
  if let Ok(id) = HeaderValue::from_str(request_id) {
    put(X_REQUEST_ID.clone(), id);
  }
  let Some(RateInfo {
    limit,
    remaining,
    reset,
    ..
  }) = rate
  else {
    return;
  };
  let mut text = |name: &'static str, value: String| {
    if let Ok(v) = HeaderValue::from_str(&value) {
      put(HeaderName::from_static(name), v);
    }
  };
  match o.rate_limit_headers {
    RateLimitHeaders::Draft6 => {
      put(
        HeaderName::from_static("ratelimit-limit"),
        HeaderValue::from(limit),
      );
      put(
        HeaderName::from_static("ratelimit-remaining"),
        HeaderValue::from(remaining),
      );
      put(
        HeaderName::from_static("ratelimit-reset"),
        HeaderValue::from(reset),
      );
    }
    RateLimitHeaders::Draft7 => text(
      "ratelimit",
      format!("limit={limit}, remaining={remaining}, reset={reset}"),
    ),
    RateLimitHeaders::Draft8 => {
      text("ratelimit-policy", format!("\"default\";q={limit}"));
      text("ratelimit", format!("\"default\";r={remaining};t={reset}"));
    }
    RateLimitHeaders::None => {}
  }
}

// RFC 6750 §3: no error attributes when the request carried no credentials; invalid_request for a
// malformed header; insufficient_scope (§3.1) for a guard's refusal, with the scopes wanted;
// invalid_token otherwise.
fn challenge(code: ErrorCode, scope: Option<&str>, realm: Option<&str>) -> String {
  let mut parts: Vec<String> = realm
    .map(|r| format!("realm=\"{r}\""))
    .into_iter()
    .collect();
  match code {
    ErrorCode::MissingAuthorization | ErrorCode::ApiKeyMissing => {}
    ErrorCode::InsufficientPermissions => {
      parts.push("error=\"insufficient_scope\"".into());
      parts.push(format!("error_description=\"{}\"", code.message()));
      if let Some(scope) = scope.filter(|s| !s.is_empty()) {
        parts.push(format!("scope=\"{scope}\""));
      }
    }
    _ => {
      let error = if code == ErrorCode::InvalidAuthorizationFormat {
        "invalid_request"
      } else {
        "invalid_token"
      };
      parts.push(format!("error=\"{error}\""));
      parts.push(format!("error_description=\"{}\"", code.message()));
    }
  }
  if parts.is_empty() {
    "Bearer".into()
  } else {
    format!("Bearer {}", parts.join(", "))
  }
}
