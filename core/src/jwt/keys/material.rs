//! Turning public and private key parts into ring's verifying and signing keys for one
//! algorithm, refusing the wrong family, short RSA moduli and halves of two different keys.

use super::super::algorithm::Algorithm;
use super::jwk::ec_point;
use super::pem::{pem_decode, pkcs8_der};
use super::spec::b64;
use super::{Material, MAX_RSA_BITS, MIN_RSA_BITS};
use crate::error::Error;
use crate::options::Value;
use ring::rand::SystemRandom;
use ring::signature::RsaPublicKeyComponents;
use ring::signature::{self as sig, KeyPair};
use zeroize::Zeroizing;

pub(super) enum Public {
  Rsa { n: Vec<u8>, e: Vec<u8> },
  Ec(Vec<u8>),
  Ed(Vec<u8>),
}

pub(super) enum Private {
  Pem(String),
  Jwk(Vec<(String, Value)>),
}

pub(super) fn family_error(at: &str, alg: Algorithm, what: &str) -> Error {
  Error::config(format!(
    "{at}: a {what} key cannot be used with {}",
    alg.name()
  ))
}

pub(super) fn build(
  at: &str,
  alg: Algorithm,
  public: Option<Public>,
  private: Option<Private>,
) -> Result<Material, Error> {
  let rng = SystemRandom::new();
  let rejected = |e: ring::error::KeyRejected| {
    Error::config(format!("{at}: the private key was rejected ({e})"))
  };
  match alg {
    alg if alg.is_rsa() => {
      let pair = match private {
        None => None,
        Some(Private::Pem(pem)) => {
          let (label, der) = pem_decode(at, &pem)?;
          Some(match label.as_str() {
            "PRIVATE KEY" => sig::RsaKeyPair::from_pkcs8(&der).map_err(rejected)?,
            "RSA PRIVATE KEY" => sig::RsaKeyPair::from_der(&der).map_err(rejected)?,
            other => {
              return Err(Error::config(format!(
                "{at}: a {other:?} PEM is not an RSA private key"
              )))
            }
          })
        }
        Some(Private::Jwk(jwk)) => {
          let b = |n: &str| b64(&jwk, at, n);
          let (n, e, d, p, q, dp, dq, qi) = (
            b("n")?,
            b("e")?,
            b("d")?,
            b("p")?,
            b("q")?,
            b("dp")?,
            b("dq")?,
            b("qi")?,
          );
          let components = ring::rsa::KeyPairComponents {
            public_key: ring::rsa::PublicKeyComponents { n: &n, e: &e },
            d: &d,
            p: &p,
            q: &q,
            dP: &dp,
            dQ: &dq,
            qInv: &qi,
          };
          Some(sig::RsaKeyPair::from_components(&components).map_err(rejected)?)
        }
      };
      let (n, e) = match (public, &pair) {
        (Some(Public::Rsa { n, e }), _) => (n, e),
        (Some(_), _) => return Err(family_error(at, alg, "non-RSA")),
        (None, Some(p)) => {
          let c: RsaPublicKeyComponents<Vec<u8>> = p.public().into();
          (c.n, c.e)
        }
        (None, None) => {
          return Err(Error::config(format!(
            "{at}: {} needs `publicKey` or `privateKey`",
            alg.name()
          )))
        }
      };
      let n = strip_zeros(n);
      let bits = n.len() * 8 - n.first().map_or(8, |b| b.leading_zeros() as usize);
      if !(MIN_RSA_BITS..=MAX_RSA_BITS).contains(&bits) {
        return Err(Error::config(format!(
          "{at}: RSA keys must be {MIN_RSA_BITS} to {MAX_RSA_BITS} bits; this one is {bits}"
        )));
      }
      if let Some(p) = &pair {
        let c: RsaPublicKeyComponents<Vec<u8>> = p.public().into();
        if strip_zeros(c.n) != n || strip_zeros(c.e) != strip_zeros(e.clone()) {
          return Err(Error::config(format!(
            "{at}: the private key does not match the public key"
          )));
        }
      }
      Ok(Material::Rsa {
        n,
        e,
        private: pair,
      })
    }
    Algorithm::ES256 | Algorithm::ES384 => {
      let (signing, point_len) = if alg == Algorithm::ES256 {
        (&sig::ECDSA_P256_SHA256_FIXED_SIGNING, 65)
      } else {
        (&sig::ECDSA_P384_SHA384_FIXED_SIGNING, 97)
      };
      let pair = match private {
        None => None,
        Some(Private::Pem(pem)) => {
          let der = pkcs8_der(at, &pem)?;
          Some(sig::EcdsaKeyPair::from_pkcs8(signing, &der, &rng).map_err(rejected)?)
        }
        Some(Private::Jwk(jwk)) => {
          let d = Zeroizing::new(b64(&jwk, at, "d")?);
          let point = ec_point(at, &jwk)?;
          Some(
            sig::EcdsaKeyPair::from_private_key_and_public_key(signing, &d, &point, &rng)
              .map_err(rejected)?,
          )
        }
      };
      let derived = pair.as_ref().map(|p| p.public_key().as_ref().to_vec());
      // The point's length tells its curve: a P-256 key never verifies ES384, nor the reverse.
      let point = settle_public(at, alg, public, derived, |p| match p {
        Public::Ec(v) if v.len() == point_len => Some(v),
        _ => None,
      })?;
      Ok(Material::Ec {
        point,
        private: pair,
      })
    }
    Algorithm::EdDSA => {
      let pair = match private {
        None => None,
        Some(Private::Pem(pem)) => {
          let der = pkcs8_der(at, &pem)?;
          Some(sig::Ed25519KeyPair::from_pkcs8_maybe_unchecked(&der).map_err(rejected)?)
        }
        Some(Private::Jwk(jwk)) => {
          let d = Zeroizing::new(b64(&jwk, at, "d")?);
          let x = b64(&jwk, at, "x")?;
          Some(sig::Ed25519KeyPair::from_seed_and_public_key(&d, &x).map_err(rejected)?)
        }
      };
      let derived = pair.as_ref().map(|p| p.public_key().as_ref().to_vec());
      let public = settle_public(at, alg, public, derived, |p| match p {
        Public::Ed(v) => Some(v),
        _ => None,
      })?;
      Ok(Material::Ed {
        public,
        private: pair,
      })
    }
    _ => Err(Error::config(format!(
      "{at}: {} is an HMAC algorithm",
      alg.name()
    ))),
  }
}

/// The public key: the one given (of the family `pick` accepts) or the private key's (`derived`);
/// when both are there they must be the same key.
pub(super) fn settle_public(
  at: &str,
  alg: Algorithm,
  given: Option<Public>,
  derived: Option<Vec<u8>>,
  pick: impl Fn(Public) -> Option<Vec<u8>>,
) -> Result<Vec<u8>, Error> {
  let family = match alg {
    Algorithm::ES256 => "non-P-256",
    Algorithm::ES384 => "non-P-384",
    _ => "non-Ed25519",
  };
  match (given, derived) {
    (None, None) => Err(Error::config(format!(
      "{at}: {} needs `publicKey` or `privateKey`",
      alg.name()
    ))),
    (None, Some(d)) => Ok(d),
    (Some(g), derived) => {
      let key = pick(g).ok_or_else(|| family_error(at, alg, family))?;
      if derived.is_some_and(|d| d != key) {
        return Err(Error::config(format!(
          "{at}: the private key does not match the public key"
        )));
      }
      Ok(key)
    }
  }
}

pub(super) fn strip_zeros(mut v: Vec<u8>) -> Vec<u8> {
  let zeros = v.iter().take_while(|b| **b == 0).count();
  v.drain(..zeros);
  v
}
