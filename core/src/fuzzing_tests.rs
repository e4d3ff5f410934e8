//! Unit tests of `fuzzing.rs`.

use super::*;

#[test]
fn the_claims_target_holds_on_its_corpus_and_mutations() {
  let seeds = corpus("claims");
  for doc in seeds.iter().chain(&mutations(
    &seeds,
    b"{}[]\",:\\/ ubnrtfe0123456789.-+Ex\n",
    5_000,
  )) {
    claims_against_reference(doc);
  }
}

#[test]
fn the_request_path_target_holds_on_its_corpus_and_mutations() {
  let seeds = corpus("request_path");
  for doc in seeds.iter().chain(&mutations(
    &seeds,
    b"\0!.:-_ Bearer abcxyzACME019=+/",
    5_000,
  )) {
    request_path(doc);
  }
}

#[test]
fn the_host_target_holds_on_its_corpus_and_mutations() {
  let seeds = corpus("host");
  for doc in seeds
    .iter()
    .chain(&mutations(&seeds, b".:[]-_ aAzZ09\t\xff", 5_000))
  {
    host(doc);
  }
}
