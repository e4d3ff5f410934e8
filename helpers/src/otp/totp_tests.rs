//! Tests of totp.rs, kept beside it as a child module so they see its private items.

use super::*;

fn settings(digits: u32, algorithm: HashAlgorithm) -> TotpSettings {
  TotpSettings {
    digits,
    algorithm,
    ..TotpSettings::from_raw(vec![]).unwrap()
  }
}

#[test]
fn rfc_4226_appendix_d_vectors() {
  let secret = b"12345678901234567890";
  let expected = [
    "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871",
    "520489",
  ];
  for (counter, want) in expected.iter().enumerate() {
    assert_eq!(hotp(secret, counter as u64, 6, HashAlgorithm::Sha1), *want);
  }
}

#[test]
fn rfc_6238_appendix_b_vectors() {
  let sha1 = b"12345678901234567890".as_slice();
  let sha256 = b"12345678901234567890123456789012".as_slice();
  let sha512 = b"1234567890123456789012345678901234567890123456789012345678901234".as_slice();
  let rows: [(u64, &str, &str, &str); 6] = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
  ];
  for (t, a, b, c) in rows {
    for (secret, alg, want) in [
      (sha1, HashAlgorithm::Sha1, a),
      (sha256, HashAlgorithm::Sha256, b),
      (sha512, HashAlgorithm::Sha512, c),
    ] {
      let s = settings(8, alg);
      assert_eq!(
        hotp(secret, s.step_at(t as f64 * 1000.0), 8, alg),
        want,
        "{t} {alg:?}"
      );
      let check = verify_totp(secret, Some(want), t as f64 * 1000.0, &s);
      assert_eq!(check.code, None, "{t} {alg:?}");
      assert_eq!(check.delta, Some(0));
    }
  }
}

#[test]
fn window_and_replay() {
  let secret = b"12345678901234567890";
  let s = settings(6, HashAlgorithm::Sha1);
  let now = 1_700_000_000_000.0;
  let step = s.step_at(now);
  let previous = hotp(secret, step - 1, 6, HashAlgorithm::Sha1);
  let check = verify_totp(secret, Some(&previous), now, &s);
  assert_eq!(
    (check.code, check.step, check.delta),
    (None, Some(step - 1), Some(-1))
  );
  let two_back = hotp(secret, step - 2, 6, HashAlgorithm::Sha1);
  assert_eq!(
    verify_totp(secret, Some(&two_back), now, &s).code,
    Some(ErrorCode::OtpInvalid)
  );
  let strict = TotpSettings { window: 0, ..s };
  assert_eq!(
    verify_totp(secret, Some(&previous), now, &strict).code,
    Some(ErrorCode::OtpInvalid)
  );

  let current = hotp(secret, step, 6, HashAlgorithm::Sha1);
  let used = TotpSettings {
    after_step: Some(step),
    ..s
  };
  assert_eq!(
    verify_totp(secret, Some(&current), now, &used).code,
    Some(ErrorCode::OtpReplayed)
  );
  assert_eq!(
    verify_totp(secret, Some(&previous), now, &used).code,
    Some(ErrorCode::OtpReplayed)
  );
  let next = hotp(secret, step + 1, 6, HashAlgorithm::Sha1);
  assert_eq!(verify_totp(secret, Some(&next), now, &used).code, None);
}

#[test]
fn malformed_codes_are_invalid_not_errors() {
  let secret = b"12345678901234567890";
  let s = settings(6, HashAlgorithm::Sha1);
  for code in [
    None,
    Some(""),
    Some("12345"),
    Some("1234567"),
    Some("12a456"),
    Some("１２３４５６"),
    Some(" 123456"),
  ] {
    assert_eq!(verify_totp(secret, code, 0.0, &s), INVALID, "{code:?}");
    assert_eq!(verify_hotp(secret, code, 0, &s), INVALID, "{code:?}");
  }
}

#[test]
fn hotp_looks_ahead_only() {
  let secret = b"12345678901234567890";
  let s = TotpSettings {
    window: 2,
    ..settings(6, HashAlgorithm::Sha1)
  };
  assert_eq!(verify_hotp(secret, Some("359152"), 0, &s).step, Some(2));
  assert_eq!(
    verify_hotp(secret, Some("969429"), 0, &s).code,
    Some(ErrorCode::OtpInvalid)
  );
  assert_eq!(
    verify_hotp(secret, Some("755224"), 1, &s).code,
    Some(ErrorCode::OtpInvalid)
  );
}

#[test]
fn base32_secrets() {
  let s = generate_secret(DEFAULT_SECRET_BYTES).unwrap();
  assert_eq!(s.len(), 32);
  assert_eq!(decode_secret(&s, false).unwrap().len(), 20);
  assert_eq!(
    decode_secret("gezd gnbv gy3t qojq gezd gnbv gy3t qojq", false)
      .unwrap()
      .as_slice(),
    b"12345678901234567890"
  );
  assert_eq!(
    decode_secret("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ====", false)
      .unwrap()
      .len(),
    20
  );
  assert_eq!(
    decode_secret("JBSWY3DPEHPK3PXP", false).unwrap_err().code,
    ErrorCode::WeakSecret
  );
  assert_eq!(decode_secret("JBSWY3DPEHPK3PXP", true).unwrap().len(), 10);
  for bad in ["", "0189", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJ!"] {
    assert_eq!(
      decode_secret(bad, false).unwrap_err().code,
      ErrorCode::InvalidArgument,
      "{bad}"
    );
  }
  assert_eq!(
    generate_secret(8).unwrap_err().code,
    ErrorCode::InvalidArgument
  );
}

#[test]
fn key_uri() {
  let s = settings(6, HashAlgorithm::Sha1);
  let parts = UriParts {
    secret_base32: "JBSWY3DPEHPK3PXP",
    account: "alice@example.com",
    issuer: Some("Acme Co"),
    counter: None,
  };
  assert_eq!(
    uri(&parts, &s).unwrap(),
    "otpauth://totp/Acme%20Co:alice%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Acme%20Co&algorithm=SHA1&digits=6&period=30"
  );
  let bad = UriParts {
    account: "a:b",
    ..parts
  };
  assert_eq!(uri(&bad, &s).unwrap_err().code, ErrorCode::InvalidArgument);
}
