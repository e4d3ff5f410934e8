//! One-time codes: codes sent out of band (`store`) and authenticator-app codes (`totp`).

pub mod store;
pub mod totp;
