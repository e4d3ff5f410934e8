//! Unit tests of `sessions.rs`.

use super::*;

#[test]
fn rotation_and_reuse() {
  let s = Sessions::new(10);
  s.start("f", "r1", 100);
  assert_eq!(s.rotate("f", "r1", "r2", 100, 1), Rotation::Rotated);
  assert_eq!(s.rotate("f", "r1", "r3", 100, 2), Rotation::Reused);
  // Once caught, the family stays dead, even for the token that was current.
  assert_eq!(s.rotate("f", "r2", "r4", 100, 3), Rotation::Reused);
  // Unknown (or expired) families are taken at first sight.
  assert_eq!(s.rotate("g", "x1", "x2", 100, 3), Rotation::Rotated);
  assert_eq!(s.rotate("g", "x2", "x3", 100, 3), Rotation::Rotated);
}

#[test]
fn bounded_oldest_first() {
  let s = Sessions::new(100);
  for i in 0..5000 {
    s.start(&format!("f{i}"), "r0", 1000);
  }
  assert_eq!(s.len(), 100);
  assert!(s
    .export(0)
    .iter()
    .all(|x| x.family.trim_start_matches('f').parse::<u32>().unwrap() >= 4900));
  // Rotating a live family many times does not grow the queue without bound.
  for i in 0..10_000 {
    let r = s.rotate("f4999", &format!("r{i}"), &format!("r{}", i + 1), 1000, 0);
    assert_eq!(r, Rotation::Rotated);
  }
  assert!(s.lock().order.len() <= 2 * 100 + 16);
  assert_eq!(s.len(), 100);
}
