//! The pure Rust core: no napi types, unit-tested with `cargo test`.

pub mod bearer;
pub mod clock;
pub mod error;
pub mod jwt;
pub mod request_id;
