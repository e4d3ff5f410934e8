//! The JWS algorithms this build verifies and signs (RFC 7518 §3.1). `none` is not among them and
//! cannot be configured.

use hmac::{Hmac, Mac};
use sha2::{Sha256, Sha384, Sha512};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
  HS256,
  HS384,
  HS512,
  RS256,
  RS384,
  RS512,
  PS256,
  PS384,
  PS512,
  ES256,
  ES384,
  EdDSA,
}

impl Algorithm {
  pub const ALL: [Algorithm; 12] = [
    Algorithm::HS256,
    Algorithm::HS384,
    Algorithm::HS512,
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::EdDSA,
  ];
  /// What an RSA key that names no `alg` can verify (RFC 7518 §3.3, §3.5): one key type, so no
  /// confusion with another type's key is possible.
  pub const RSA: [Algorithm; 6] = [
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
  ];
  /// What a shared secret (`accessSecret`, `algorithms`) can be used with.
  pub const HMAC: [Algorithm; 3] = [Algorithm::HS256, Algorithm::HS384, Algorithm::HS512];

  pub fn from_name(name: &str) -> Option<Algorithm> {
    Algorithm::ALL.into_iter().find(|a| a.name() == name)
  }

  pub const fn is_hmac(self) -> bool {
    matches!(self, Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512)
  }

  pub const fn name(self) -> &'static str {
    match self {
      Algorithm::HS256 => "HS256",
      Algorithm::HS384 => "HS384",
      Algorithm::HS512 => "HS512",
      Algorithm::RS256 => "RS256",
      Algorithm::RS384 => "RS384",
      Algorithm::RS512 => "RS512",
      Algorithm::PS256 => "PS256",
      Algorithm::PS384 => "PS384",
      Algorithm::PS512 => "PS512",
      Algorithm::ES256 => "ES256",
      Algorithm::ES384 => "ES384",
      Algorithm::EdDSA => "EdDSA",
    }
  }

  /// RFC 7518 §3.2: an HMAC key must be at least as long as the hash output.
  pub const fn min_secret_len(self) -> usize {
    match self {
      Algorithm::HS384 => 48,
      Algorithm::HS512 => 64,
      _ => 32,
    }
  }

  pub const fn is_rsa(self) -> bool {
    matches!(
      self,
      Algorithm::RS256
        | Algorithm::RS384
        | Algorithm::RS512
        | Algorithm::PS256
        | Algorithm::PS384
        | Algorithm::PS512
    )
  }

  const fn bit(self) -> u16 {
    1 << (self as u16)
  }
}

/// A set of algorithms as a bit mask, so the per-request allow-list check is one AND.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AlgorithmSet(u16);

impl AlgorithmSet {
  pub fn of(algs: &[Algorithm]) -> AlgorithmSet {
    let mut set = AlgorithmSet::default();
    for &alg in algs {
      set.insert(alg);
    }
    set
  }

  pub fn insert(&mut self, alg: Algorithm) {
    self.0 |= alg.bit();
  }

  pub fn contains(self, alg: Algorithm) -> bool {
    self.0 & alg.bit() != 0
  }

  pub fn is_empty(self) -> bool {
    self.0 == 0
  }

  pub fn iter(self) -> impl Iterator<Item = Algorithm> {
    Algorithm::ALL
      .into_iter()
      .filter(move |a| self.contains(*a))
  }
}

/// An HMAC secret's keyed states, prepared once; each request clones a state instead of
/// re-deriving the padded key. The caller owns (and wipes) the raw secret.
pub struct HmacKey {
  hs256: Hmac<Sha256>,
  hs384: Hmac<Sha384>,
  hs512: Hmac<Sha512>,
}

impl HmacKey {
  pub fn new(secret: &[u8]) -> HmacKey {
    HmacKey {
      hs256: Hmac::new_from_slice(secret).expect("HMAC accepts any key length"),
      hs384: Hmac::new_from_slice(secret).expect("HMAC accepts any key length"),
      hs512: Hmac::new_from_slice(secret).expect("HMAC accepts any key length"),
    }
  }

  /// Writes the MAC of `signing_input` into `out` and returns its length. Callers compare it in
  /// constant time.
  pub fn sign_into(&self, alg: Algorithm, signing_input: &[u8], out: &mut [u8; 64]) -> usize {
    fn tag<M: Mac + Clone>(state: &M, input: &[u8], out: &mut [u8]) -> usize {
      let mut mac = state.clone();
      mac.update(input);
      let bytes = mac.finalize().into_bytes();
      out[..bytes.len()].copy_from_slice(&bytes);
      bytes.len()
    }
    match alg {
      Algorithm::HS384 => tag(&self.hs384, signing_input, out),
      Algorithm::HS512 => tag(&self.hs512, signing_input, out),
      // Only HMAC algorithms ever reach an HMAC key; the rest is refused when keys are read.
      _ => tag(&self.hs256, signing_input, out),
    }
  }
}

#[cfg(test)]
#[path = "algorithm_tests.rs"]
mod tests;
