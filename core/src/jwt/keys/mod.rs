//! Named keys for access tokens: HMAC secrets and RSA, P-256, P-384 and Ed25519 keys from PEM or JWK,
//! each bound to exactly one algorithm. A token picks a key only by its `kid`, and must then use
//! that key's algorithm, so an HS token can never be checked against a public key's bytes.

use super::algorithm::{Algorithm, HmacKey};
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
  pub alg: Algorithm,
  pub(super) material: Material,
}

impl Key {
  pub fn can_sign(&self) -> bool {
    match &self.material {
      Material::Hmac(_) => true,
      Material::Rsa { private, .. } => private.is_some(),
      Material::Ec { private, .. } => private.is_some(),
      Material::Ed { private, .. } => private.is_some(),
    }
  }

  /// Whether `signature_seg` (still base64url) signs `signing_input` under this key.
  pub fn verify(&self, signing_input: &[u8], signature_seg: &[u8]) -> bool {
    if let Material::Hmac(key) = &self.material {
      let mut mac = [0u8; 64];
      let len = key.sign_into(self.alg, signing_input, &mut mac);
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
    match (&self.material, self.alg) {
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

/// The configured keys, looked up by `kid`. Replaced whole by `setKeys`.
pub struct KeySet {
  keys: Vec<Key>,
  by_kid: HashMap<String, usize>,
  signing: Option<usize>,
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

  pub fn kids(&self) -> impl Iterator<Item = &str> {
    self.keys.iter().map(|k| k.kid.as_str())
  }

  /// Builds the set from the `keys` list and/or a `jwks` document. Every key is checked before the
  /// set exists, so a bad key never leaves a half-built set behind.
  pub fn from_values(
    keys: Option<Value>,
    jwks: Option<Value>,
    signing_kid: Option<String>,
    allow_weak: bool,
  ) -> Result<KeySet, Error> {
    let mut entries: Vec<(String, Vec<(String, Value)>)> = Vec::new();
    // An empty JWK Set is a set still to be fetched (`jwksUri`, `createJwksRefresher`): every
    // token is UNKNOWN_KEY until `setKeys` fills it. Anything else that yields no key is a mistake.
    let empty_jwks = keys.is_none()
      && matches!(&jwks, Some(Value::Map(doc)) if doc.iter().any(|(n, v)| n == "keys" && matches!(v, Value::List(l) if l.is_empty())));
    match keys {
      None => {}
      Some(Value::List(items)) if !items.is_empty() => {
        for (i, item) in items.into_iter().enumerate() {
          match item {
            Value::Map(m) => entries.push((format!("keys[{i}]"), m)),
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
            return Err(Error::config(format!(
              "`jwks.keys[{i}]` must be a JWK object"
            )));
          };
          // Encryption keys share JWK Sets with signing keys; they are not ours to use.
          if matches!(get(&m, "use"), Some(Value::String(u)) if u == "enc") {
            continue;
          }
          entries.push((format!("jwks.keys[{i}]"), m));
        }
      }
      Some(v) => return Err(wrong("jwks", "a JWK Set object { keys: [...] }", &v)),
    }
    let mut set = KeySet {
      keys: Vec::with_capacity(entries.len()),
      by_kid: HashMap::new(),
      signing: None,
    };
    for (at, entry) in entries {
      let key = parse_key(&at, &entry, allow_weak)?;
      if set.by_kid.insert(key.kid.clone(), set.keys.len()).is_some() {
        return Err(Error::config(format!(
          "{at}: kid {:?} appears twice",
          key.kid
        )));
      }
      set.keys.push(key);
    }
    if set.keys.is_empty() && !empty_jwks {
      return Err(Error::config("`keys`/`jwks` hold no usable key"));
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
