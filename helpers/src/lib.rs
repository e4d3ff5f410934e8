//! The security helpers an API needs beside authentication (passwords, timing-safe comparison,
//! one-time codes, sanitisers, CSP, API keys); none is on the request path, so this crate is built
//! for size. Options and errors come from the core's contract.

#![forbid(unsafe_code)]

pub mod apikey;
pub mod compare;
pub mod csp;
#[cfg(any(test, feature = "fuzzing"))]
#[doc(hidden)]
pub mod fuzzing;
pub mod otp;
pub mod password;
pub mod sanitize;
