//! auth-shield: the auth middleware chain of a Node.js API as one native call. The rules live in
//! the pure Rust `auth-shield-core` crate (core/); this crate converts to and from JS and nothing
//! else. Every `unsafe` block here is a raw N-API call on the request path or in the timing-safe
//! comparison, and says why it is sound.

#![deny(clippy::undocumented_unsafe_blocks)]

mod bindings;
