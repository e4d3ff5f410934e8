//! The request path: what one call to `authenticate` runs, in order — the Bearer credential, the
//! token (`jwt`, through the verified-token cache), revocation, tenant, rate limit — and the
//! request id every result carries.

pub mod bearer;
mod bounded_map;
pub mod cache;
pub mod pipeline;
#[cfg(test)]
mod policy_tests;
pub mod rate_policy;
pub mod ratelimit;
pub mod request_id;
pub mod tenant;
