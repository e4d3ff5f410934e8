//! Unit tests of `clock.rs`.

use super::*;

// The derived reading may trail or lead the wall clock by what the wall clock stepped or
// slewed since the last resync (a VM's clock is corrected in steps; one broke CI once with an
// exact comparison), so it is held to within a second, not to the same second.
#[test]
fn system_now_agrees_with_the_wall_clock_and_never_goes_back() {
  let clock = SystemClock;
  let mut last = clock.now();
  for _ in 0..100_000 {
    let before = clock.unix_seconds();
    let now = clock.now();
    let after = clock.unix_seconds();
    assert!(
      before.saturating_sub(1) <= now.unix_seconds && now.unix_seconds <= after + 1,
      "{before} {} {after}",
      now.unix_seconds
    );
    assert!(now.monotonic_nanos >= last.monotonic_nanos);
    last = now;
  }
}

#[test]
fn manual_now_is_its_two_readings() {
  let clock = ManualClock::at(1_700_000_000);
  clock.advance_nanos(1_500_000_000);
  assert_eq!(
    clock.now(),
    Now {
      unix_seconds: 1_700_000_001,
      monotonic_nanos: 1_500_000_000
    }
  );
}
