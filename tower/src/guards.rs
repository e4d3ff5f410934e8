//! Route guards as layers, after `AuthShieldLayer`: `.route_layer(RequireRole::all(["admin"])?)`.
//! The rules are the Node guards' (lib/integrations/guards.js): all of the names, or one of them
//! with `any`; a request without a user is 401, one whose user lacks them 403
//! `INSUFFICIENT_PERMISSIONS` with an `insufficient_scope` challenge; a guard no layer ran before
//! is a wiring mistake, answered 500 `INVALID_CONFIG`, never a pass.

use crate::answer::Refusal;
use crate::layer::Answering;
use crate::user::{missing, AuthRejection, AuthUser, RequestId};
use crate::BoxFuture;
use auth_shield_core::error::{Error, ErrorCode};
use axum_core::response::{IntoResponse, Response};
use http::Request;
use std::sync::Arc;
use std::task::{Context, Poll};
use tower_layer::Layer;
use tower_service::Service;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Held {
  Roles,
  Permissions,
}

#[derive(Debug)]
struct Rule {
  held: Held,
  names: Vec<String>,
  any: bool,
  /// The scopes a refusal names in its challenge (`RequireScope`).
  scope: Option<String>,
}

impl Rule {
  fn new<S: Into<String>>(
    guard: &str,
    what: &str,
    names: impl IntoIterator<Item = S>,
    any: bool,
  ) -> Result<Rule, Error> {
    let mut unique: Vec<String> = Vec::new();
    for name in names.into_iter().map(Into::into) {
      if name.is_empty() || name.chars().count() > 256 || name.chars().any(char::is_control) {
        return Err(Error::config(format!(
          "{guard}: each {what} must be a non-empty string of printable characters, at most 256"
        )));
      }
      // RFC 6750 §3 scope-token: printable ASCII but space, `"` and `\`.
      if what == "scope"
        && !name
          .bytes()
          .all(|b| matches!(b, 0x21 | 0x23..=0x5B | 0x5D..=0x7E))
      {
        return Err(Error::config(format!(
          "{guard}: a scope is printable ASCII without spaces, quotes or backslashes (RFC 6750 §3)"
        )));
      }
      if !unique.contains(&name) {
        unique.push(name);
      }
    }
    if unique.is_empty() {
      let example = if what == "role" {
        "admin"
      } else {
        "orders:write"
      };
      return Err(Error::config(format!(
        "{guard} needs at least one {what}, such as {guard}(\"{example}\")"
      )));
    }
    Ok(Rule {
      held: if what == "role" {
        Held::Roles
      } else {
        Held::Permissions
      },
      scope: (what == "scope").then(|| unique.join(" ")),
      names: unique,
      any,
    })
  }

  fn allows(&self, user: &AuthUser) -> bool {
    let held = match self.held {
      Held::Roles => &user.roles,
      Held::Permissions => &user.permissions,
    };
    if self.any {
      self.names.iter().any(|n| held.contains(n))
    } else {
      self.names.iter().all(|n| held.contains(n))
    }
  }
}

/// A guard: a layer whose service refuses requests whose user does not satisfy its rule.
#[derive(Debug, Clone)]
pub struct Guard {
  rule: Arc<Rule>,
}

/// The user must hold every role named (or one of them with `any`).
pub struct RequireRole;
/// The user must hold every permission named (or one of them with `any`).
pub struct RequirePermission;
/// The user must hold every OAuth scope named (read into permissions by the claim map,
/// `claims: { permissions: "scope" }`); a refusal names them in its challenge.
pub struct RequireScope;

impl RequireRole {
  pub fn all<S: Into<String>>(roles: impl IntoIterator<Item = S>) -> Result<Guard, Error> {
    Guard::of("RequireRole", "role", roles, false)
  }
  pub fn any<S: Into<String>>(roles: impl IntoIterator<Item = S>) -> Result<Guard, Error> {
    Guard::of("RequireRole", "role", roles, true)
  }
}

impl RequirePermission {
  pub fn all<S: Into<String>>(permissions: impl IntoIterator<Item = S>) -> Result<Guard, Error> {
    Guard::of("RequirePermission", "permission", permissions, false)
  }
  pub fn any<S: Into<String>>(permissions: impl IntoIterator<Item = S>) -> Result<Guard, Error> {
    Guard::of("RequirePermission", "permission", permissions, true)
  }
}

impl RequireScope {
  pub fn all<S: Into<String>>(scopes: impl IntoIterator<Item = S>) -> Result<Guard, Error> {
    Guard::of("RequireScope", "scope", scopes, false)
  }
  pub fn any<S: Into<String>>(scopes: impl IntoIterator<Item = S>) -> Result<Guard, Error> {
    Guard::of("RequireScope", "scope", scopes, true)
  }
}

impl Guard {
  fn of<S: Into<String>>(
    guard: &str,
    what: &str,
    names: impl IntoIterator<Item = S>,
    any: bool,
  ) -> Result<Guard, Error> {
    Ok(Guard {
      rule: Arc::new(Rule::new(guard, what, names, any)?),
    })
  }

  /// The refusal for a request, or `None` to let it on.
  fn check<B>(&self, req: &Request<B>) -> Option<Response> {
    let extensions = req.extensions();
    let Some(answering) = extensions.get::<Arc<Answering>>() else {
      return Some(AuthRejection::NoLayer.into_response());
    };
    let Some(user) = extensions.get::<AuthUser>() else {
      return Some(missing(extensions, answering).into_response());
    };
    if self.rule.allows(user) {
      return None;
    }
    let id = extensions
      .get::<RequestId>()
      .map_or_else(|| user.request_id.clone(), |r| r.0.clone());
    let refusal = Refusal::new(
      ErrorCode::InsufficientPermissions,
      id,
      None,
      self.rule.scope.as_deref(),
      answering,
    );
    Some(refusal.into_response())
  }
}

impl<S> Layer<S> for Guard {
  type Service = Guarded<S>;

  fn layer(&self, inner: S) -> Guarded<S> {
    Guarded {
      inner,
      guard: self.clone(),
    }
  }
}

#[derive(Clone)]
pub struct Guarded<S> {
  inner: S,
  guard: Guard,
}

impl<S, B> Service<Request<B>> for Guarded<S>
where
  S: Service<Request<B>, Response = Response> + Send,
  S::Future: Send + 'static,
{
  type Response = Response;
  type Error = S::Error;
  type Future = BoxFuture<Result<Response, S::Error>>;

  fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
    self.inner.poll_ready(cx)
  }

  fn call(&mut self, req: Request<B>) -> Self::Future {
    match self.guard.check(&req) {
      Some(refusal) => Box::pin(async move { Ok(refusal) }),
      None => Box::pin(self.inner.call(req)),
    }
  }
}
