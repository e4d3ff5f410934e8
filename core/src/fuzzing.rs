//! The bodies of the fuzz targets (fuzz/fuzz_targets/), here so that `cargo test` runs each over
//! a fixed corpus and deterministic mutations of it, and `npm run fuzz` runs them under
//! libFuzzer. Each takes any bytes and must neither panic nor break the invariant it names.

use crate::config::{Settings, Value};
use crate::jwt::claims;
use crate::jwt::claims_reference;
use crate::lifecycle::signing::{Kind, SignOptions};
use crate::request::pipeline::{Authenticator, Request, Scratch};
use crate::request::tenant::{Field, TenantPolicy};

/// The JWT/JSON claims reader against the serde_json reference: both accept the same documents
/// and read the same claims. JSON text must be UTF-8 (RFC 8259 §8.1) and ours refuses any that is
/// not; serde_json does not check the strings it skips, so for such input only ours is asked.
pub fn claims_against_reference(data: &[u8]) {
  if std::str::from_utf8(data).is_err() {
    assert!(
      claims::parse(data).is_none(),
      "{}",
      String::from_utf8_lossy(data)
    );
    return;
  }
  assert_eq!(
    claims::parse(data),
    claims_reference::parse(data),
    "{}",
    String::from_utf8_lossy(data)
  );
}

thread_local! {
  static REQUEST_PATH: (Authenticator, String) = {
    let raw = vec![
      ("accessSecret".to_string(), Value::String("fuzzing-access-secret-0123456789abcdef".into())),
      ("refreshSecret".to_string(), Value::String("fuzzing-refresh-secret-0123456789abcde".into())),
      ("baseDomain".to_string(), Value::String("example.com".into())),
      ("cache".to_string(), Value::Bool(true)),
      ("rateLimitMax".to_string(), Value::Number(1e6)),
      ("claims".to_string(), Value::Map(vec![("roles".into(), Value::List(vec![Value::String("realm".into()), Value::String("roles".into())]))])),
    ];
    let auth = Authenticator::from_config(raw).expect("the fuzzing configuration is valid");
    let claims = serde_json::json!({"sub": "fuzz", "tenant_id": "acme", "realm": {"roles": ["a", "b"]}});
    let token = auth
      .sign(Kind::Access, claims.as_object().cloned().unwrap_or_default(), &SignOptions::default())
      .expect("signing works");
    (auth, token)
  };
}

/// The whole request path: `data` is split at NUL bytes into an Authorization value, a tenant
/// header and a Host (a first part starting with `!` is a valid token with the rest appended).
/// Any answer is fine; a success must name the token's own user and a tenant that is a valid id.
pub fn request_path(data: &[u8]) {
  REQUEST_PATH.with(|(auth, token)| {
    let mut parts = data.splitn(3, |&b| b == 0);
    let first = parts.next().unwrap_or(&[]);
    let authorization = match first.strip_prefix(b"!") {
      Some(rest) => [b"Bearer ", token.as_bytes(), rest].concat(),
      None => first.to_vec(),
    };
    fn field(p: Option<&[u8]>) -> Field<'_> {
      p.filter(|p| !p.is_empty())
        .map_or(Field::Absent, Field::Present)
    }
    let (tenant, host) = (parts.next(), parts.next());
    let request = Request {
      authorization: Field::Present(&authorization),
      tenant_header: field(tenant),
      host: field(host),
      limit: Default::default(),
    };
    let mut scratch = Scratch::default();
    let outcome = auth.authenticate(&request, &mut scratch);
    if let Ok(success) = &outcome.result {
      assert_eq!(success.user_id(), "fuzz");
      if let Some(t) = success.tenant() {
        assert!(!t.is_empty() && t.len() <= 128, "{t}");
      }
    }
  });
}

/// The Host reader where hosts name tenants: a named tenant is always a DNS label, lower-cased.
pub fn host(data: &[u8]) {
  let policy = TenantPolicy {
    base_domains: vec!["example.com".into(), "api.example.co.uk".into()],
    enforce: false,
  };
  if let Ok(Some(tenant)) = policy.resolve(None, Field::Absent, Field::Present(data)) {
    let t = tenant.as_str(None);
    assert!(
      !t.is_empty()
        && t.len() <= 63
        && t
          .bytes()
          .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
      "{t}"
    );
  }
  // The settings reader must refuse or take any bytes as a base domain without panicking.
  let _ = Settings::from_raw(vec![
    (
      "accessSecret".into(),
      Value::String("fuzzing-access-secret-0123456789abcdef".into()),
    ),
    (
      "baseDomain".into(),
      Value::String(String::from_utf8_lossy(data).into_owned()),
    ),
  ]);
}

/// Deterministic mutations of `seeds`, for the corpus runs in `cargo test`: byte flips,
/// insertions and deletions drawn from `alphabet` by a fixed xorshift sequence.
pub fn mutations(seeds: &[Vec<u8>], alphabet: &[u8], count: usize) -> Vec<Vec<u8>> {
  let mut state = 0x9e37_79b9_7f4a_7c15u64;
  let mut next = move || {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    state
  };
  (0..count)
    .map(|i| {
      let mut doc = seeds[i % seeds.len()].clone();
      for _ in 0..1 + next() % 4 {
        let at = (next() as usize) % (doc.len() + 1);
        let byte = alphabet[(next() as usize) % alphabet.len()];
        match next() % 3 {
          0 if at < doc.len() => doc[at] = byte,
          1 if at < doc.len() => {
            doc.remove(at);
          }
          _ => doc.insert(at, byte),
        }
      }
      doc
    })
    .collect()
}

/// The cheapest of `runs` runs of `f`, in nanoseconds: what the growth-ratio tests compare (the
/// fastest run is the one least disturbed by a shared, noisy machine).
pub fn fastest_nanos(runs: usize, f: impl Fn()) -> u128 {
  (0..runs)
    .map(|_| {
      let start = std::time::Instant::now();
      f();
      start.elapsed().as_nanos()
    })
    .min()
    .unwrap_or(0)
}

/// The seed corpus of a target, committed under fuzz/corpus/<target>/.
pub fn corpus(target: &str) -> Vec<Vec<u8>> {
  let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
    .join("../fuzz/corpus")
    .join(target);
  let mut files: Vec<_> = std::fs::read_dir(&dir)
    .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
    .filter_map(Result::ok)
    .map(|e| e.path())
    .collect();
  files.sort();
  files
    .iter()
    .map(|p| std::fs::read(p).unwrap_or_default())
    .collect()
}

#[cfg(test)]
#[path = "fuzzing_tests.rs"]
mod tests;
