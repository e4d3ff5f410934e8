//! The token lifecycle: signing tokens and pairs, refresh rotation with reuse detection,
//! revocation and its state, which the request path reads, and that state as JSON for export,
//! import and sync between processes.

#[cfg(test)]
pub(crate) mod flow_tests;
pub mod key_rotation;
pub mod revocation;
pub mod revocation_json;
pub mod revoking;
pub mod rotation;
pub mod sessions;
pub mod signing;
mod user_cutoff;
