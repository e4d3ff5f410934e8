//! The pure Rust core: no napi types, unit-tested with `cargo test`. Grouped by capability:
//! `request/` is the path every request takes, `lifecycle/` mints, rotates and revokes tokens,
//! `jwt/` is what both share. What every part reads its configuration and reports its errors with
//! sits here at the root. The security helpers are their own crate (`auth-shield-helpers`).
//!
//! `Authenticator` is declared in `authenticator.rs` (made once from a configuration); its request
//! path's methods (`authenticate`, `verified_claims`) are in `request/pipeline.rs`, and its
//! token-lifecycle methods in `lifecycle/`, one file per job (`signing`, `rotation`, `revoking`,
//! `key_rotation`, `revocation_json`).

#![forbid(unsafe_code)]

pub mod authenticator;
pub mod clock;
pub mod config;
pub mod contract;
pub mod error;
#[cfg(any(test, feature = "fuzzing"))]
#[doc(hidden)]
pub mod fuzzing;
pub mod jwt;
pub mod lifecycle;
pub mod metrics;
pub mod options;
pub mod request;
