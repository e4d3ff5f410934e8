#![no_main]
// The body lives in the library (so `cargo test` runs it over the corpus too).
libfuzzer_sys::fuzz_target!(|data: &[u8]| auth_shield_core::fuzzing::request_path(data));
