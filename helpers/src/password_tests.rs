//! Unit tests of `password.rs`, beside it as every module's are.

use super::*;

/// Cheap parameters so the tests stay fast; the defaults are checked separately.
fn quick() -> Settings {
  Settings {
    cost: Cost {
      memory_kib: 64,
      time: 1,
      parallelism: 1,
    },
    secret: None,
    stored_bound: default_stored_bound(),
  }
}

#[test]
fn a_stored_hash_over_the_verify_bounds_is_refused_before_any_work() {
  let settings = quick();
  let h = hash(b"pw", &settings).unwrap();
  // The same hash with its costs raised (as a tampered row would be): refused, not computed.
  for (from, to) in [
    ("m=64,", "m=4194304,"),
    ("t=1,", "t=50,"),
    ("m=64,t=1,p=1$", "m=1024,t=1,p=32$"),
  ] {
    let tampered = h.replacen(from, to, 1);
    let start = std::time::Instant::now();
    let e = verify(&tampered, b"pw", &settings).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidHash, "{tampered}");
    assert!(e.detail.contains("maxMemoryCost"), "{}", e.detail);
    assert!(start.elapsed() < std::time::Duration::from_secs(1));
  }
  // Raised bounds take such hashes again.
  let raw = |n: &str, v: f64| (n.to_string(), Value::Number(v));
  let generous = Settings::from_raw(vec![raw("maxTimeCost", 60.0)], VERIFY_OPTIONS).unwrap();
  let slower = hash(
    b"pw",
    &Settings {
      cost: Cost {
        memory_kib: 64,
        time: 12,
        parallelism: 1,
      },
      ..quick()
    },
  )
  .unwrap();
  assert_eq!(
    verify(&slower, b"pw", &quick()).unwrap_err().code,
    ErrorCode::InvalidHash
  );
  assert!(verify(&slower, b"pw", &generous).unwrap());
  // hashPassword does not take the bounds; verifyPassword does not take costs.
  assert!(Settings::from_raw(vec![raw("maxMemoryCost", 64.0)], HASH_OPTIONS).is_err());
  assert!(Settings::from_raw(vec![raw("memoryCost", 64.0)], VERIFY_OPTIONS).is_err());
}

fn hex(s: &str) -> Vec<u8> {
  (0..s.len())
    .step_by(2)
    .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
    .collect()
}

#[test]
fn rfc_9106_argon2id_vector() {
  // RFC 9106 §5.3: password 32×0x01, salt 16×0x02, secret 8×0x03, associated data 12×0x04,
  // m=32 KiB, t=3, p=4, 32-byte tag.
  let cost = Cost {
    memory_kib: 32,
    time: 3,
    parallelism: 4,
  };
  let argon = engine(Algorithm::Argon2id, Version::V0x13, cost, 32).unwrap();
  let mut tag = [0u8; 32];
  argon
    .hash_into_with_ad(&[1; 32], &[2; 16], &[3; 8], &[4; 12], &mut tag)
    .unwrap();
  assert_eq!(
    tag.to_vec(),
    hex("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659")
  );
}

#[test]
fn defaults_are_owasp_argon2id() {
  let s = Settings::from_raw(vec![], HASH_OPTIONS).unwrap();
  assert_eq!(s.cost, Cost::default());
  let h = hash(b"correct horse", &s).unwrap();
  assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
  assert!(verify(&h, b"correct horse", &s).unwrap());
  assert!(!needs_rehash(&h, Cost::default()).unwrap());
}

#[test]
fn wrong_password_is_false_and_salts_differ() {
  let s = quick();
  let a = hash(b"pw", &s).unwrap();
  let b = hash(b"pw", &s).unwrap();
  assert_ne!(a, b);
  assert!(verify(&a, b"pw", &s).unwrap());
  assert!(!verify(&a, b"pW", &s).unwrap());
  assert!(!verify(&a, b"", &s).unwrap());
  assert!(!verify(&a, &[b'x'; MAX_PASSWORD_BYTES + 1], &s).unwrap());
}

#[test]
fn a_pepper_is_needed_to_verify_and_stays_out_of_the_hash() {
  let mut s = quick();
  s.secret = Some(Zeroizing::new(b"pepper-pepper-pepper".to_vec()));
  let h = hash(b"pw", &s).unwrap();
  assert!(!h.contains("pepper"));
  assert!(verify(&h, b"pw", &s).unwrap());
  assert!(!verify(&h, b"pw", &quick()).unwrap());
}

#[test]
fn empty_and_oversized_passwords_are_refused_when_hashing() {
  assert_eq!(
    hash(b"", &quick()).unwrap_err().code,
    ErrorCode::InvalidArgument
  );
  let long = vec![b'a'; MAX_PASSWORD_BYTES + 1];
  assert_eq!(
    hash(&long, &quick()).unwrap_err().code,
    ErrorCode::InvalidArgument
  );
  assert!(hash(&long[..MAX_PASSWORD_BYTES], &quick()).is_ok());
}

#[test]
fn bcrypt_hashes_verify_and_always_need_rehash() {
  // OpenBSD bcrypt test vector "U*U" at cost 5.
  let h = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";
  assert!(verify(h, b"U*U", &quick()).unwrap());
  assert!(!verify(h, b"U*V", &quick()).unwrap());
  assert!(needs_rehash(h, Cost::default()).unwrap());
  for prefix in ["$2b$", "$2y$"] {
    let other = h.replacen("$2a$", prefix, 1);
    assert!(verify(&other, b"U*U", &quick()).unwrap(), "{prefix}");
  }
}

#[test]
fn needs_rehash_compares_every_cost() {
  let h = hash(b"pw", &quick()).unwrap();
  assert!(!needs_rehash(&h, quick().cost).unwrap());
  for cost in [
    Cost {
      memory_kib: 128,
      ..quick().cost
    },
    Cost {
      time: 2,
      ..quick().cost
    },
    Cost {
      parallelism: 2,
      ..quick().cost
    },
  ] {
    assert!(needs_rehash(&h, cost).unwrap(), "{cost:?}");
  }
  let argon2i = h.replacen("$argon2id$", "$argon2i$", 1);
  assert!(needs_rehash(&argon2i, quick().cost).unwrap());
}

#[test]
fn malformed_and_out_of_bounds_hashes_are_coded_errors() {
  let good = hash(b"pw", &quick()).unwrap();
  let cases = [
    String::new(),
    "plaintext".into(),
    "$argon2id$".into(),
    "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ".into(),
    "$argon2xx$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g".into(),
    "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA".into(),
    "$argon2id$v=19$m=64,t=1000,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA".into(),
    "$argon2id$v=19$m=64,t=1,p=1$c2E$aGFzaGhhc2hoYXNoaGFzaA".into(),
    "$argon2id$v=18$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA".into(),
    "$2b$31$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW".into(),
    "$2b$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOe".into(),
    "$2b$5$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeWx".into(),
    good.replace("$v=19", "$v=19 "),
    format!("{good}$extra"),
  ];
  for h in cases {
    let e = verify(&h, b"pw", &quick()).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidHash, "{h}");
    assert_eq!(
      needs_rehash(&h, Cost::default()).unwrap_err().code,
      ErrorCode::InvalidHash,
      "{h}"
    );
  }
}

#[test]
fn absurd_options_are_refused() {
  let n = |name: &str, v: f64| vec![(name.to_string(), Value::Number(v))];
  for raw in [
    n("memoryCost", 7.0),
    n("memoryCost", 1e12),
    n("timeCost", 0.0),
    n("timeCost", 101.0),
    n("parallelism", 0.0),
    n("parallelism", 2.5),
    vec![
      ("parallelism".into(), Value::Number(4.0)),
      ("memoryCost".into(), Value::Number(16.0)),
    ],
    vec![("secret".into(), Value::String(String::new()))],
    vec![("secret".into(), Value::Number(1.0))],
    vec![("salt".into(), Value::String("x".into()))],
  ] {
    let e = Settings::from_raw(raw.clone(), HASH_OPTIONS).err().unwrap();
    assert_eq!(e.code, ErrorCode::InvalidConfig, "{raw:?}");
  }
  let e = Settings::from_raw(n("timeCost", 3.0), VERIFY_OPTIONS)
    .err()
    .unwrap();
  assert!(e.detail.contains("timeCost"));
}
