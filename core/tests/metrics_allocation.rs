//! Counting must not allocate: the same requests through an authenticator with metrics on and one
//! with `metrics: false` make the same number of heap allocations. It needs a counting global
//! allocator, which the library's `forbid(unsafe_code)` keeps out of its own test modules.

use auth_shield_core::config::Value;
use auth_shield_core::lifecycle::signing::{Kind, SignOptions};
use auth_shield_core::request::pipeline::{Authenticator, Request, Scratch};
use auth_shield_core::request::tenant::Field;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
  // Per thread, so that the test harness's other threads do not count.
  static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

// SAFETY: every call is forwarded unchanged to the system allocator; the counter is a
// thread-local `Cell` with a const initialiser, so touching it never allocates or recurses.
unsafe impl GlobalAlloc for Counting {
  unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
    ALLOCATIONS.with(|n| n.set(n.get() + 1));
    // SAFETY: the caller's contract for `alloc` is passed through.
    unsafe { System.alloc(layout) }
  }
  unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
    // SAFETY: `ptr` came from `System.alloc` above with this layout.
    unsafe { System.dealloc(ptr, layout) }
  }
  unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, size: usize) -> *mut u8 {
    ALLOCATIONS.with(|n| n.set(n.get() + 1));
    // SAFETY: the caller's contract for `realloc` is passed through.
    unsafe { System.realloc(ptr, layout, size) }
  }
}

#[global_allocator]
static COUNTING: Counting = Counting;

const SECRET: &str = "allocation-test-access-secret-0123456789";

fn authenticator(metrics: bool, cache: bool, tenants: u32) -> Authenticator {
  Authenticator::from_config(vec![
    ("accessSecret".into(), Value::String(SECRET.into())),
    ("rateLimitMax".into(), Value::Number(1e9)),
    ("rateLimitRefill".into(), Value::Number(1e6)),
    ("metrics".into(), Value::Bool(metrics)),
    ("cache".into(), Value::Bool(cache)),
    ("metricsTenants".into(), Value::Number(f64::from(tenants))),
  ])
  .unwrap()
}

/// Allocations made by `rounds` passes over a mixed set of requests (successes, a refusal before
/// verification, a bad signature), after one warm pass that fills caches and buckets.
fn allocations(auth: &Authenticator, headers: &[String], rounds: usize) -> u64 {
  let mut scratch = Scratch::default();
  let run = |scratch: &mut Scratch| {
    for h in headers {
      let req = Request {
        authorization: Field::Present(h.as_bytes()),
        tenant_header: Field::Present(b"acme"),
        host: Field::Present(b"api.example.com"),
        limit: Default::default(),
      };
      std::hint::black_box(auth.authenticate(&req, scratch).result.is_ok());
    }
  };
  run(&mut scratch);
  let before = ALLOCATIONS.with(Cell::get);
  for _ in 0..rounds {
    run(&mut scratch);
  }
  ALLOCATIONS.with(Cell::get) - before
}

fn headers(auth: &Authenticator) -> Vec<String> {
  let mut out: Vec<String> = (0..8)
    .map(|i| {
      let claims =
        serde_json::json!({"sub": format!("user-{i}"), "role": "admin", "tenant_id": "acme"});
      let token = auth
        .sign(
          Kind::Access,
          claims.as_object().unwrap().clone(),
          &SignOptions::default(),
        )
        .unwrap();
      format!("Bearer {token}")
    })
    .collect();
  let mut scratch = Scratch::default();
  for h in &out {
    let req = Request {
      authorization: Field::Present(h.as_bytes()),
      tenant_header: Field::Present(b"acme"),
      host: Field::Present(b"api.example.com"),
      limit: Default::default(),
    };
    assert!(
      auth.authenticate(&req, &mut scratch).result.is_ok(),
      "the signed tokens pass"
    );
  }
  out.push("Basic dXNlcjpwYXNz".into());
  let forged = out[0].clone();
  out.push(format!("{}x", &forged[..forged.len() - 1]));
  out
}

#[test]
fn counting_allocates_nothing_per_request() {
  for cache in [false, true] {
    for tenants in [0, 4] {
      let on = authenticator(true, cache, tenants);
      let off = authenticator(false, cache, tenants);
      let hs = headers(&on);
      let with = allocations(&on, &hs, 50);
      let without = allocations(&off, &hs, 50);
      assert_eq!(
        with, without,
        "cache {cache}, metricsTenants {tenants}: {with} allocations with metrics, {without} without"
      );
    }
  }
}

#[test]
fn a_cached_request_allocates_nothing_at_all() {
  let auth = authenticator(true, true, 4);
  let hs = headers(&auth);
  assert_eq!(allocations(&auth, &hs[..8], 50), 0);
}
