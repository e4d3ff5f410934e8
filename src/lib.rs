//! auth-shield: the auth middleware chain of a Node.js API as one native call.
//! `core` is pure Rust; `bindings` converts to and from JS and nothing else.

mod bindings;
pub mod core;
