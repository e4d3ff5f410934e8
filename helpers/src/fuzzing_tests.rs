//! Unit tests of `fuzzing.rs`.

use super::*;
use auth_shield_core::fuzzing::{corpus, mutations};

#[test]
fn the_sanitize_target_holds_on_its_corpus_and_mutations() {
  let seeds = corpus("sanitize_html");
  for doc in seeds
    .iter()
    .chain(&mutations(&seeds, b"<>/=\"' abcdiuljpvsrt:!-", 3_000))
  {
    sanitize_html(doc);
  }
}
