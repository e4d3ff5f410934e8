//! The pure Rust core: no napi types, unit-tested with `cargo test`.

pub mod apikey;
pub mod bearer;
pub mod cache;
pub mod clock;
pub mod compare;
pub mod config;
pub mod contract;
pub mod csp;
pub mod error;
pub mod jwt;
pub mod lifecycle;
#[cfg(test)]
mod lifecycle_tests;
pub mod options;
pub mod otp;
pub mod password;
pub mod pipeline;
#[cfg(test)]
mod pipeline_tests;
pub mod ratelimit;
pub mod request_id;
pub mod revocation;
pub mod revocation_json;
pub mod sanitize;
pub mod sessions;
pub mod tenant;
pub mod tokens;
