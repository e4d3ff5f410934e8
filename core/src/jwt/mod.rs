//! JSON Web Tokens with HMAC keys: decoding, verification and signing.

pub mod algorithm;
pub mod base64url;
pub mod claim_map;
pub mod claims;
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) mod claims_reference;
pub mod header;
pub mod issuer;
mod json;
#[cfg(test)]
mod jwks_tests;
pub mod keys;
#[cfg(test)]
mod keys_tests;
mod reader;
pub mod sign;
#[cfg(test)]
mod vectors_tests;
pub mod verify;

#[cfg(test)]
mod attacks_tests;

pub use algorithm::{Algorithm, AlgorithmSet, HmacKey};
pub use claim_map::ClaimMap;
pub use claims::Claims;
pub use issuer::Issuers;
pub use json::Str;
pub use verify::{AccessMark, Validation, Verifier};
