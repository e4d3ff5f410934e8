//! auth-shield for Rust services: the same check as the Node package (the pure Rust core it is
//! built on), as a tower layer with Axum extractors, answering every refusal with the status,
//! `{ error, code }` body and headers the Express and Fastify integrations send.
//!
//! ```no_run
//! use auth_shield_tower::{AuthConfig, AuthShieldLayer, AuthUser, RequireRole};
//! use axum::{routing::get, Router};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let auth = AuthConfig::new().access_secret(std::env::var("ACCESS_SECRET")?).build()?;
//! let app = Router::new()
//!   .route("/admin", get(|| async { "hello, admin" }).route_layer(RequireRole::all(["admin"])?))
//!   .route("/me", get(|user: AuthUser| async move { user.user_id }))
//!   .layer(AuthShieldLayer::builder(auth).build()?);
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
//! axum::serve(listener, app).await?;
//! # Ok(()) }
//! ```

#![forbid(unsafe_code)]

mod answer;
mod config;
mod guards;
mod jwks;
#[cfg(feature = "fetch")]
mod jwks_fetch;
mod layer;
mod options;
mod user;

/// The future of the layer's and the guards' services: the inner service's, or an answer.
type BoxFuture<T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send>>;

pub use answer::Refusal;
pub use auth_shield_core::error::{Error, ErrorCode};
pub use auth_shield_core::lifecycle::signing::{Kind as TokenKind, SignOptions};
pub use auth_shield_core::request::pipeline::Authenticator;
pub use config::AuthConfig;
pub use guards::{Guard, Guarded, RequirePermission, RequireRole, RequireScope};
pub use jwks::{JwksCounts, JwksFetch, JwksOptions, JwksRefresher};
pub use layer::{AuthShield, AuthShieldLayer, AuthShieldLayerBuilder};
pub use options::{LayerOptions, RateLimitHeaders};
pub use user::{AuthRejection, AuthUser, RequestId};
