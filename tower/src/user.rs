//! What the layer leaves in a request's extensions, and the Axum extractors that read it.

use crate::answer::Refusal;
use crate::layer::Answering;
use auth_shield_core::error::ErrorCode;
use axum_core::extract::{FromRequestParts, OptionalFromRequestParts};
use axum_core::response::{IntoResponse, Response};
use http::request::Parts;
use http::StatusCode;
use serde::Serialize;
use std::sync::Arc;

/// The verified user of a request, as the Node integrations set `req.user` (plus its tenant and
/// request id, which Node keeps beside it on the request).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthUser {
  pub user_id: String,
  pub email: Option<String>,
  /// The first of `roles`.
  pub role: Option<String>,
  pub roles: Vec<String>,
  pub permissions: Vec<String>,
  /// The tenant the request is for (the token's, or the one the request named and the token
  /// matches); `None` when neither names one.
  pub tenant_id: Option<String>,
  pub request_id: String,
}

/// Every request the layer let through carries its id, skipped and anonymous ones included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(pub String);

/// Why an extractor could not give a user: match on it with `Result<AuthUser, AuthRejection>` as
/// the extractor, or let it answer (as the layer answers its refusals, `on_refusal` included).
#[derive(Debug, Clone)]
pub enum AuthRejection {
  /// The layer let the request through without one (`credentialsRequired: false`, or a skipped
  /// path): 401 `MISSING_AUTHORIZATION`, answered as the layer answers refusals.
  Refused(Refusal),
  /// No `AuthShieldLayer` ran before this route: a wiring mistake, 500 `INVALID_CONFIG`, never a pass.
  NoLayer,
}

impl IntoResponse for AuthRejection {
  fn into_response(self) -> Response {
    match self {
      AuthRejection::Refused(refusal) => refusal.into_response(),
      AuthRejection::NoLayer => {
        let body = serde_json::json!({
          "error": "auth-shield: no AuthShieldLayer ran before this route",
          "code": ErrorCode::InvalidConfig.as_str(),
        });
        let mut response = (StatusCode::INTERNAL_SERVER_ERROR, body.to_string()).into_response();
        response.headers_mut().insert(
          http::header::CONTENT_TYPE,
          http::HeaderValue::from_static("application/json; charset=utf-8"),
        );
        response
      }
    }
  }
}

/// The refusal for a request that went on without a user, answered as its layer answers.
pub(crate) fn missing(extensions: &http::Extensions, answering: &Answering) -> Refusal {
  let id = extensions
    .get::<RequestId>()
    .map(|r| r.0.clone())
    .unwrap_or_default();
  Refusal::new(ErrorCode::MissingAuthorization, id, None, None, answering)
}

impl<S: Send + Sync> FromRequestParts<S> for AuthUser {
  type Rejection = AuthRejection;

  async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
    if let Some(user) = parts.extensions.get::<AuthUser>() {
      return Ok(user.clone());
    }
    match parts.extensions.get::<Arc<Answering>>() {
      Some(answering) => Err(AuthRejection::Refused(missing(
        &parts.extensions,
        answering,
      ))),
      None => Err(AuthRejection::NoLayer),
    }
  }
}

/// `Option<AuthUser>`: `None` for a request the layer let through without a user; a route no
/// layer ran before is still refused.
impl<S: Send + Sync> OptionalFromRequestParts<S> for AuthUser {
  type Rejection = AuthRejection;

  async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Option<Self>, Self::Rejection> {
    if let Some(user) = parts.extensions.get::<AuthUser>() {
      return Ok(Some(user.clone()));
    }
    match parts.extensions.get::<Arc<Answering>>() {
      Some(_) => Ok(None),
      None => Err(AuthRejection::NoLayer),
    }
  }
}
