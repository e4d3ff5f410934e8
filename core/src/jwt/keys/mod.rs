//! Named keys for access tokens: HMAC secrets and RSA, P-256, P-384 and Ed25519 keys from PEM or JWK,
//! each bound to one algorithm — or, for an RSA JWK that names none (as Entra ID publishes them),
//! to the RSA algorithms only. A token picks a key only by its `kid`, and must then use an
//! algorithm that key accepts, so an HS token can never be checked against a public key's bytes.

use super::algorithm::{Algorithm, AlgorithmSet, HmacKey};
use super::base64url;
use crate::error::{Error, ErrorCode};
use crate::options::{wrong, Value};
use ring::rand::SystemRandom;
use ring::signature::{self as sig, RsaPublicKeyComponents, UnparsedPublicKey};
use spec::*;
use std::collections::HashMap;
use subtle::ConstantTimeEq;

mod jwk;
mod material;
mod pem;
mod spec;

pub const MAX_KID_BYTES: usize = crate::contract::limit::MAX_KID_BYTES;
pub(super) const MIN_RSA_BITS: usize = crate::contract::limit::MIN_RSA_BITS;
pub(super) const MAX_RSA_BITS: usize = crate::contract::limit::MAX_RSA_BITS;

pub(super) enum Material {
  Hmac(Box<HmacKey>),
  Rsa {
    n: Vec<u8>,
    e: Vec<u8>,
    private: Option<sig::RsaKeyPair>,
  },
  Ec {
    point: Vec<u8>,
    private: Option<sig::EcdsaKeyPair>,
  },
  Ed {
    public: Vec<u8>,
    private: Option<sig::Ed25519KeyPair>,
  },
}

pub struct Key {
  pub kid: String,
  /// The algorithm it signs with (and the only one it verifies, unless `accepts` says more).
  pub alg: Algorithm,
  pub(super) accepts: AlgorithmSet,
  pub(super) material: Material,
}

impl Key {
  /// Whether a token may name `alg` for this key (RFC 8725 §3.1).
  pub fn accepts(&self, alg: Algorithm) -> bool {
    self.accepts.contains(alg)
  }

  pub fn can_sign(&self) -> bool {
    match &self.material {
      Material::Hmac(_) => true,
      Material::Rsa { private, .. } => private.is_some(),
      Material::Ec { private, .. } => private.is_some(),
      Material::Ed { private, .. } => private.is_some(),
    }
  }

  /// Whether `signature_seg` (still base64url) signs `signing_input` under this key with `alg`,
  /// one of the algorithms it accepts.
  pub fn verify(&self, alg: Algorithm, signing_input: &[u8], signature_seg: &[u8]) -> bool {
    if !self.accepts(alg) {
      return false;
    }
    if let Material::Hmac(key) = &self.material {
      let mut mac = [0u8; 64];
      let len = key.sign_into(alg, signing_input, &mut mac);
      let mut encoded = [0u8; 88];
      let n = base64url::encode_to_slice(&mac[..len], &mut encoded);
      return signature_seg.len() == n && bool::from(signature_seg.ct_eq(&encoded[..n]));
    }
    // RSA-8192 signatures are 1024 bytes; anything longer cannot be one.
    let mut signature = [0u8; 1024];
    let Some(len) = (signature_seg.len() <= 1368)
      .then(|| base64url::decode_to_slice(signature_seg, &mut signature))
      .flatten()
    else {
      return false;
    };
    let signature = &signature[..len];
    match (&self.material, alg) {
      (Material::Rsa { n, e, .. }, alg) => {
        let params: &sig::RsaParameters = match alg {
          Algorithm::RS256 => &sig::RSA_PKCS1_2048_8192_SHA256,
          Algorithm::RS384 => &sig::RSA_PKCS1_2048_8192_SHA384,
          Algorithm::RS512 => &sig::RSA_PKCS1_2048_8192_SHA512,
          Algorithm::PS256 => &sig::RSA_PSS_2048_8192_SHA256,
          Algorithm::PS384 => &sig::RSA_PSS_2048_8192_SHA384,
          Algorithm::PS512 => &sig::RSA_PSS_2048_8192_SHA512,
          _ => return false,
        };
        RsaPublicKeyComponents { n, e }
          .verify(params, signing_input, signature)
          .is_ok()
      }
      (Material::Ec { point, .. }, Algorithm::ES256) => {
        UnparsedPublicKey::new(&sig::ECDSA_P256_SHA256_FIXED, point)
          .verify(signing_input, signature)
          .is_ok()
      }
      (Material::Ec { point, .. }, Algorithm::ES384) => {
        UnparsedPublicKey::new(&sig::ECDSA_P384_SHA384_FIXED, point)
          .verify(signing_input, signature)
          .is_ok()
      }
      (Material::Ed { public, .. }, Algorithm::EdDSA) => {
        UnparsedPublicKey::new(&sig::ED25519, public)
          .verify(signing_input, signature)
          .is_ok()
      }
      _ => false,
    }
  }

  /// The signature of `signing_input`, raw (not yet base64url).
  pub fn sign(&self, signing_input: &[u8]) -> Result<Vec<u8>, Error> {
    let no_private = || {
      Error::config(format!(
        "key `{}` has no private key to sign with",
        self.kid
      ))
    };
    let failed = |_| Error::new(ErrorCode::Internal, "signing failed");
    let rng = SystemRandom::new();
    match &self.material {
      Material::Hmac(key) => {
        let mut mac = [0u8; 64];
        let len = key.sign_into(self.alg, signing_input, &mut mac);
        Ok(mac[..len].to_vec())
      }
      Material::Rsa { private, .. } => {
        let pair = private.as_ref().ok_or_else(no_private)?;
        let mut out = vec![0u8; pair.public().modulus_len()];
        let padding: &dyn sig::RsaEncoding = match self.alg {
          Algorithm::PS256 => &sig::RSA_PSS_SHA256,
          Algorithm::PS384 => &sig::RSA_PSS_SHA384,
          Algorithm::PS512 => &sig::RSA_PSS_SHA512,
          Algorithm::RS384 => &sig::RSA_PKCS1_SHA384,
          Algorithm::RS512 => &sig::RSA_PKCS1_SHA512,
          _ => &sig::RSA_PKCS1_SHA256,
        };
        pair
          .sign(padding, &rng, signing_input, &mut out)
          .map_err(failed)?;
        Ok(out)
      }
      Material::Ec { private, .. } => {
        let pair = private.as_ref().ok_or_else(no_private)?;
        Ok(
          pair
            .sign(&rng, signing_input)
            .map_err(failed)?
            .as_ref()
            .to_vec(),
        )
      }
      Material::Ed { private, .. } => {
        let pair = private.as_ref().ok_or_else(no_private)?;
        Ok(pair.sign(signing_input).as_ref().to_vec())
      }
    }
  }
}

/// A key to read: where it sits in the configuration, its members, and whether it came from a
/// JWK Set (whose unusable keys are skipped rather than refused).
type Entry = (String, Vec<(String, Value)>, bool);

/// The configured keys, looked up by `kid`. Replaced whole by `setKeys`.
pub struct KeySet {
  keys: Vec<Key>,
  by_kid: HashMap<String, usize>,
  signing: Option<usize>,
  skipped: Vec<String>,
}

impl KeySet {
  /// The key a token names. A token without `kid` is matched only when there is exactly one key.
  pub fn lookup(&self, kid: Option<&str>) -> Option<&Key> {
    match kid {
      Some(k) => self.by_kid.get(k).map(|&i| &self.keys[i]),
      None if self.keys.len() == 1 => self.keys.first(),
      None => None,
    }
  }

  pub fn signing_key(&self) -> Option<&Key> {
    self.signing.map(|i| &self.keys[i])
  }

  pub fn len(&self) -> usize {
    self.keys.len()
  }

  pub fn is_empty(&self) -> bool {
    self.keys.is_empty()
  }

  /// Why each key of a JWK Set that is not in the set was left out (RFC 7517 §5: keys an
  /// implementation cannot use are ignored, not fatal to the set).
  pub fn skipped(&self) -> &[String] {
    &self.skipped
  }

  pub fn kids(&self) -> impl Iterator<Item = &str> {
    self.keys.iter().map(|k| k.kid.as_str())
  }

  /// Builds the set from the `keys` list and/or a `jwks` document. Every key is checked before the
  /// set exists, so a bad key never leaves a half-built set behind. A bad key in `keys` is the
  /// configuration's mistake and refused; one in a JWK Set is the provider's (a P-521 or Ed448 key
  /// beside the ones in use) and skipped, with the reason kept, unless no usable key is left.
  pub fn from_values(
    keys: Option<Value>,
    jwks: Option<Value>,
    signing_kid: Option<String>,
    allow_weak: bool,
  ) -> Result<KeySet, Error> {
    let mut entries: Vec<Entry> = Vec::new();
    // An empty JWK Set is a set still to be fetched (`jwksUri`, `createJwksRefresher`): every
    // token is UNKNOWN_KEY until `setKeys` fills it. Anything else that yields no key is a mistake.
    let mut skipped = Vec::new();
    let empty_jwks = keys.is_none()
      && matches!(&jwks, Some(Value::Map(doc)) if doc.iter().any(|(n, v)| n == "keys" && matches!(v, Value::List(l) if l.is_empty())));
    match keys {
      None => {}
      Some(Value::List(items)) if !items.is_empty() => {
        for (i, item) in items.into_iter().enumerate() {
          match item {
            Value::Map(m) => entries.push((format!("keys[{i}]"), m, false)),
            v => {
              return Err(wrong(
                &format!("keys[{i}]"),
                "an object such as { kid, alg, secret }",
                &v,
              ))
            }
          }
        }
      }
      Some(v) => return Err(wrong("keys", "a non-empty array of keys", &v)),
    }
    match jwks {
      None => {}
      Some(Value::Map(doc)) => {
        let list = doc.into_iter().find(|(n, _)| n == "keys").map(|(_, v)| v);
        let Some(Value::List(items)) = list else {
          return Err(Error::config("`jwks` must be a JWK Set: { keys: [...] }"));
        };
        for (i, item) in items.into_iter().enumerate() {
          let Value::Map(m) = item else {
            skipped.push(format!("jwks.keys[{i}]: not a JWK object"));
            continue;
          };
          // Encryption keys share JWK Sets with signing keys; they are not ours to use.
          if matches!(get(&m, "use"), Some(Value::String(u)) if u == "enc") {
            continue;
          }
          entries.push((format!("jwks.keys[{i}]"), m, true));
        }
      }
      Some(v) => return Err(wrong("jwks", "a JWK Set object { keys: [...] }", &v)),
    }
    let mut set = KeySet {
      keys: Vec::with_capacity(entries.len()),
      by_kid: HashMap::new(),
      signing: None,
      skipped,
    };
    for (at, entry, from_jwks) in entries {
      let key = match parse_key(&at, &entry, allow_weak) {
        Ok(key) => key,
        Err(e) if from_jwks => {
          set.skipped.push(e.detail);
          continue;
        }
        Err(e) => return Err(e),
      };
      if set.by_kid.contains_key(&key.kid) {
        // The first key of a kid stays: a second one cannot be told apart by tokens.
        let duplicate = format!("{at}: kid {:?} appears twice", key.kid);
        if from_jwks {
          set.skipped.push(duplicate);
          continue;
        }
        return Err(Error::config(duplicate));
      }
      set.by_kid.insert(key.kid.clone(), set.keys.len());
      set.keys.push(key);
    }
    if set.keys.is_empty() && !empty_jwks {
      let why = if set.skipped.is_empty() {
        String::new()
      } else {
        format!(" ({})", set.skipped.join("; "))
      };
      return Err(Error::config(format!(
        "`keys`/`jwks` hold no usable key{why}"
      )));
    }
    set.signing = match signing_kid {
      Some(kid) => {
        let i = *set
          .by_kid
          .get(&kid)
          .ok_or_else(|| Error::config(format!("`signingKid` {kid:?} is not among the keys")))?;
        if !set.keys[i].can_sign() {
          return Err(Error::config(format!(
            "`signingKid` {kid:?} has no private key"
          )));
        }
        Some(i)
      }
      None => set.keys.iter().position(Key::can_sign),
    };
    Ok(set)
  }
}

impl std::fmt::Debug for KeySet {
  fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    // Key material never appears in debug output.
    f.debug_struct("KeySet")
      .field("kids", &self.kids().collect::<Vec<_>>())
      .finish()
  }
}
