//! auth-shield: the auth middleware chain of a Node.js API as one native call. The rules live in
//! the pure Rust `auth-shield-core` crate (core/); this crate converts to and from JS and nothing
//! else.

mod bindings;
