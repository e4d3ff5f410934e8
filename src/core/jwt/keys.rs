//! Named keys for access tokens: HMAC secrets and RSA, P-256 and Ed25519 keys from PEM or JWK,
//! each bound to exactly one algorithm. A token picks a key only by its `kid`, and must then use
//! that key's algorithm, so an HS token can never be checked against a public key's bytes.

use super::algorithm::{Algorithm, HmacKey};
use super::base64url;
use crate::core::error::{Error, ErrorCode};
use crate::core::options::{wrong, Value};
use ring::rand::SystemRandom;
use ring::signature::{self as sig, KeyPair, RsaPublicKeyComponents, UnparsedPublicKey};
use std::collections::HashMap;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

pub const MAX_KID_BYTES: usize = 256;
const MIN_RSA_BITS: usize = 2048;
const MAX_RSA_BITS: usize = 8192;

enum Material {
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
  material: Material,
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
      (Material::Rsa { n, e, .. }, Algorithm::RS256) => RsaPublicKeyComponents { n, e }
        .verify(&sig::RSA_PKCS1_2048_8192_SHA256, signing_input, signature)
        .is_ok(),
      (Material::Rsa { n, e, .. }, Algorithm::PS256) => RsaPublicKeyComponents { n, e }
        .verify(&sig::RSA_PSS_2048_8192_SHA256, signing_input, signature)
        .is_ok(),
      (Material::Ec { point, .. }, Algorithm::ES256) => {
        UnparsedPublicKey::new(&sig::ECDSA_P256_SHA256_FIXED, point)
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
        let padding: &dyn sig::RsaEncoding = if self.alg == Algorithm::PS256 {
          &sig::RSA_PSS_SHA256
        } else {
          &sig::RSA_PKCS1_SHA256
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
    if set.keys.is_empty() {
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

fn get<'a>(m: &'a [(String, Value)], name: &str) -> Option<&'a Value> {
  m.iter().find(|(n, _)| n == name).map(|(_, v)| v)
}

fn text<'a>(m: &'a [(String, Value)], at: &str, name: &str) -> Result<Option<&'a str>, Error> {
  match get(m, name) {
    None => Ok(None),
    Some(Value::String(s)) => Ok(Some(s)),
    Some(v) => Err(wrong(&format!("{at}.{name}"), "a string", v)),
  }
}

fn b64(m: &[(String, Value)], at: &str, name: &str) -> Result<Vec<u8>, Error> {
  let s = text(m, at, name)?
    .ok_or_else(|| Error::config(format!("{at}: JWK member `{name}` is missing")))?;
  let mut out = Vec::new();
  base64url::decode_into(s.as_bytes(), &mut out).ok_or_else(|| {
    Error::config(format!(
      "{at}: JWK member `{name}` is not canonical base64url"
    ))
  })?;
  Ok(out)
}

const KEY_FIELDS: &[&str] = &["kid", "alg", "secret", "publicKey", "privateKey"];

fn parse_key(at: &str, m: &[(String, Value)], allow_weak: bool) -> Result<Key, Error> {
  let is_jwk = get(m, "kty").is_some();
  if !is_jwk {
    if let Some((name, _)) = m.iter().find(|(n, _)| !KEY_FIELDS.contains(&n.as_str())) {
      return Err(Error::config(format!(
        "{at}: unknown member `{name}`; a key has {}, or is a JWK (with `kty`)",
        KEY_FIELDS.join(", ")
      )));
    }
  }
  let kid = text(m, at, "kid")?.ok_or_else(|| Error::config(format!("{at}: `kid` is required")))?;
  if kid.is_empty() || kid.len() > MAX_KID_BYTES {
    return Err(Error::config(format!(
      "{at}: `kid` must be 1 to {MAX_KID_BYTES} bytes"
    )));
  }
  let alg_name = text(m, at, "alg")?;
  let material = if is_jwk {
    jwk_material(at, m, alg_name)?
  } else {
    let alg = alg_name.and_then(Algorithm::from_name).ok_or_else(|| {
      Error::config(format!(
        "{at}: `alg` must be one of {}",
        Algorithm::ALL.map(Algorithm::name).join(", ")
      ))
    })?;
    (alg, explicit_material(at, m, alg, allow_weak)?)
  };
  let (alg, material) = material;
  Ok(Key {
    kid: kid.to_owned(),
    alg,
    material,
  })
}

fn explicit_material(
  at: &str,
  m: &[(String, Value)],
  alg: Algorithm,
  allow_weak: bool,
) -> Result<Material, Error> {
  if alg.is_hmac() {
    if get(m, "publicKey").is_some() || get(m, "privateKey").is_some() {
      return Err(Error::config(format!(
        "{at}: an {} key is a `secret`, not a public/private key",
        alg.name()
      )));
    }
    let secret = Zeroizing::new(match get(m, "secret") {
      Some(Value::String(s)) => s.clone().into_bytes(),
      Some(Value::Bytes(b)) => b.clone(),
      Some(v) => return Err(wrong(&format!("{at}.secret"), "a string or a Buffer", v)),
      None => {
        return Err(Error::config(format!(
          "{at}: an {} key needs `secret`",
          alg.name()
        )))
      }
    });
    if secret.is_empty() {
      return Err(Error::config(format!("{at}.secret must not be empty")));
    }
    if secret.len() < alg.min_secret_len() && !allow_weak {
      return Err(Error::new(
        ErrorCode::WeakSecret,
        format!(
          "{at}.secret is {} bytes; {} needs at least {} (RFC 7518 §3.2)",
          secret.len(),
          alg.name(),
          alg.min_secret_len()
        ),
      ));
    }
    return Ok(Material::Hmac(Box::new(HmacKey::new(&secret))));
  }
  if get(m, "secret").is_some() {
    return Err(Error::config(format!(
      "{at}: {} needs a public (and optionally private) key, never a shared secret",
      alg.name()
    )));
  }
  let private = match get(m, "privateKey") {
    None => None,
    Some(Value::String(pem)) => Some(Private::Pem(pem.clone())),
    Some(Value::Map(jwk)) => Some(Private::Jwk(jwk.clone())),
    Some(v) => {
      return Err(wrong(
        &format!("{at}.privateKey"),
        "a PEM string or a JWK object",
        v,
      ))
    }
  };
  let public = match get(m, "publicKey") {
    None => None,
    Some(Value::String(pem)) => Some(public_from_pem(at, pem)?),
    Some(Value::Map(jwk)) => Some(public_from_jwk(at, jwk)?),
    Some(v) => {
      return Err(wrong(
        &format!("{at}.publicKey"),
        "a PEM string or a JWK object",
        v,
      ))
    }
  };
  build(at, alg, public, private)
}

fn jwk_material(
  at: &str,
  m: &[(String, Value)],
  alg_name: Option<&str>,
) -> Result<(Algorithm, Material), Error> {
  let kty = text(m, at, "kty")?.unwrap_or_default();
  let alg = match (alg_name, kty, text(m, at, "crv")?) {
    (Some(name), _, _) => Algorithm::from_name(name)
      .filter(|a| !a.is_hmac())
      .ok_or_else(|| Error::config(format!("{at}: JWK `alg` {name:?} is not supported (RS256, PS256, ES256, EdDSA)")))?,
    (None, "EC", Some("P-256")) => Algorithm::ES256,
    (None, "OKP", Some("Ed25519")) => Algorithm::EdDSA,
    (None, "RSA", _) => {
      return Err(Error::config(format!(
        "{at}: this RSA JWK has no `alg`; add \"alg\": \"RS256\" or \"PS256\" so the key is bound to one algorithm"
      )))
    }
    _ => return Err(Error::config(format!("{at}: unsupported JWK (kty {kty:?})"))),
  };
  if kty == "oct" {
    return Err(Error::config(format!(
      "{at}: symmetric JWKs are not taken; give HMAC keys as `secret`"
    )));
  }
  let public = public_from_jwk(at, m)?;
  let has_private = get(m, "d").is_some();
  let private = has_private.then(|| Private::Jwk(m.to_vec()));
  Ok((alg, build(at, alg, Some(public), private)?))
}

enum Public {
  Rsa { n: Vec<u8>, e: Vec<u8> },
  Ec(Vec<u8>),
  Ed(Vec<u8>),
}

enum Private {
  Pem(String),
  Jwk(Vec<(String, Value)>),
}

fn family_error(at: &str, alg: Algorithm, what: &str) -> Error {
  Error::config(format!(
    "{at}: a {what} key cannot be used with {}",
    alg.name()
  ))
}

fn build(
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
    Algorithm::RS256 | Algorithm::PS256 => {
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
    Algorithm::ES256 => {
      let signing = &sig::ECDSA_P256_SHA256_FIXED_SIGNING;
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
      let point = settle_public(at, alg, public, derived, |p| match p {
        Public::Ec(v) => Some(v),
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
fn settle_public(
  at: &str,
  alg: Algorithm,
  given: Option<Public>,
  derived: Option<Vec<u8>>,
  pick: impl Fn(Public) -> Option<Vec<u8>>,
) -> Result<Vec<u8>, Error> {
  let family = match alg {
    Algorithm::ES256 => "non-P-256",
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

fn strip_zeros(mut v: Vec<u8>) -> Vec<u8> {
  let zeros = v.iter().take_while(|b| **b == 0).count();
  v.drain(..zeros);
  v
}

/// The DER of a PKCS#8 `PRIVATE KEY` PEM (the only private form EC and Ed25519 keys are read in).
fn pkcs8_der(at: &str, pem: &str) -> Result<Vec<u8>, Error> {
  let (label, der) = pem_decode(at, pem)?;
  if label != "PRIVATE KEY" {
    return Err(Error::config(format!(
      "{at}: a {label:?} PEM is not a PKCS#8 private key (convert with `openssl pkcs8 -topk8 -nocrypt`)"
    )));
  }
  Ok(der)
}

fn pem_decode(at: &str, pem: &str) -> Result<(String, Vec<u8>), Error> {
  let (label, der) = pem_rfc7468::decode_vec(pem.trim().as_bytes())
    .map_err(|_| Error::config(format!("{at}: not a PEM document")))?;
  Ok((label.to_owned(), der))
}

const OID_RSA: &str = "1.2.840.113549.1.1.1";
const OID_EC: &str = "1.2.840.10045.2.1";
const OID_P256: &str = "1.2.840.10045.3.1.7";
const OID_ED25519: &str = "1.3.101.112";

fn public_from_pem(at: &str, pem: &str) -> Result<Public, Error> {
  let (label, der) = pem_decode(at, pem)?;
  match label.as_str() {
    "PUBLIC KEY" => {}
    "RSA PUBLIC KEY" => return rsa_from_pkcs1(at, &der),
    "CERTIFICATE" => {
      return Err(Error::config(format!(
        "{at}: give the public key, not a certificate"
      )))
    }
    other => {
      return Err(Error::config(format!(
        "{at}: a {other:?} PEM is not a public key"
      )))
    }
  }
  let spki = spki::SubjectPublicKeyInfoRef::try_from(der.as_slice())
    .map_err(|_| Error::config(format!("{at}: malformed SubjectPublicKeyInfo")))?;
  let bits = spki
    .subject_public_key
    .as_bytes()
    .ok_or_else(|| Error::config(format!("{at}: malformed public key bits")))?;
  let oid = spki.algorithm.oid.to_string();
  match oid.as_str() {
    OID_RSA => rsa_from_pkcs1(at, bits),
    OID_EC => {
      let curve = spki
        .algorithm
        .parameters
        .and_then(|p| p.decode_as::<spki::ObjectIdentifier>().ok())
        .map(|o| o.to_string());
      if curve.as_deref() != Some(OID_P256) {
        return Err(Error::config(format!(
          "{at}: only the P-256 curve is supported for EC keys"
        )));
      }
      if bits.len() != 65 || bits[0] != 4 {
        return Err(Error::config(format!(
          "{at}: the EC point must be uncompressed"
        )));
      }
      Ok(Public::Ec(bits.to_vec()))
    }
    OID_ED25519 if bits.len() == 32 => Ok(Public::Ed(bits.to_vec())),
    _ => Err(Error::config(format!(
      "{at}: unsupported public key type (OID {oid})"
    ))),
  }
}

/// RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } (RFC 8017 §A.1.1).
fn rsa_from_pkcs1(at: &str, der: &[u8]) -> Result<Public, Error> {
  let bad = || Error::config(format!("{at}: malformed RSA public key"));
  let (body, rest) = der_tlv(der, 0x30).ok_or_else(bad)?;
  let (n, after_n) = der_tlv(body, 0x02).ok_or_else(bad)?;
  let (e, after_e) = der_tlv(after_n, 0x02).ok_or_else(bad)?;
  if !rest.is_empty() || !after_e.is_empty() {
    return Err(bad());
  }
  Ok(Public::Rsa {
    n: n.to_vec(),
    e: e.to_vec(),
  })
}

/// One DER TLV of the given tag: its contents and what follows. Definite lengths only.
fn der_tlv(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
  let (&t, rest) = input.split_first()?;
  if t != tag {
    return None;
  }
  let (&first, mut rest) = rest.split_first()?;
  let len = if first < 0x80 {
    first as usize
  } else {
    let count = (first & 0x7f) as usize;
    if count == 0 || count > 4 || rest.len() < count {
      return None;
    }
    let len = rest[..count]
      .iter()
      .fold(0usize, |acc, b| (acc << 8) | *b as usize);
    rest = &rest[count..];
    len
  };
  (rest.len() >= len).then(|| rest.split_at(len))
}

fn ec_point(at: &str, jwk: &[(String, Value)]) -> Result<Vec<u8>, Error> {
  if text(jwk, at, "crv")? != Some("P-256") {
    return Err(Error::config(format!(
      "{at}: only the P-256 curve is supported for EC keys"
    )));
  }
  let (x, y) = (b64(jwk, at, "x")?, b64(jwk, at, "y")?);
  if x.len() != 32 || y.len() != 32 {
    return Err(Error::config(format!(
      "{at}: P-256 coordinates are 32 bytes each"
    )));
  }
  let mut point = Vec::with_capacity(65);
  point.push(4);
  point.extend_from_slice(&x);
  point.extend_from_slice(&y);
  Ok(point)
}

fn public_from_jwk(at: &str, jwk: &[(String, Value)]) -> Result<Public, Error> {
  match text(jwk, at, "kty")? {
    Some("RSA") => Ok(Public::Rsa {
      n: b64(jwk, at, "n")?,
      e: b64(jwk, at, "e")?,
    }),
    Some("EC") => Ok(Public::Ec(ec_point(at, jwk)?)),
    Some("OKP") => {
      if text(jwk, at, "crv")? != Some("Ed25519") {
        return Err(Error::config(format!(
          "{at}: only the Ed25519 curve is supported for OKP keys"
        )));
      }
      let x = b64(jwk, at, "x")?;
      if x.len() != 32 {
        return Err(Error::config(format!(
          "{at}: an Ed25519 public key is 32 bytes"
        )));
      }
      Ok(Public::Ed(x))
    }
    other => Err(Error::config(format!(
      "{at}: unsupported JWK `kty` {other:?}"
    ))),
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
