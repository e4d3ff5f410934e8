//! Making untrusted input safe for one destination each: HTML (`html`), a file name
//! (`filename`), a PostgreSQL interval literal (`interval`).

pub mod filename;
pub mod html;
pub mod interval;
pub mod nesting;
