//! A key as the configuration gives it — `{ kid, alg, secret }`, `{ kid, alg, publicKey?,
//! privateKey? }` or a JWK — read into its algorithm and material, with every field checked.

use super::super::algorithm::HmacKey;
use super::super::algorithm::{Algorithm, AlgorithmSet};
use super::super::base64url;
use super::jwk::public_from_jwk;
use super::material::{build, Private};
use super::pem::public_from_pem;
use super::{Key, Material, MAX_KID_BYTES};
use crate::error::Error;
use crate::error::ErrorCode;
use crate::options::wrong;
use crate::options::Value;
use zeroize::Zeroizing;

pub(super) fn get<'a>(m: &'a [(String, Value)], name: &str) -> Option<&'a Value> {
  m.iter().find(|(n, _)| n == name).map(|(_, v)| v)
}

pub(super) fn text<'a>(
  m: &'a [(String, Value)],
  at: &str,
  name: &str,
) -> Result<Option<&'a str>, Error> {
  match get(m, name) {
    None => Ok(None),
    Some(Value::String(s)) => Ok(Some(s)),
    Some(v) => Err(wrong(&format!("{at}.{name}"), "a string", v)),
  }
}

pub(super) fn b64(m: &[(String, Value)], at: &str, name: &str) -> Result<Vec<u8>, Error> {
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

pub(super) const KEY_FIELDS: &[&str] = &["kid", "alg", "secret", "publicKey", "privateKey"];

pub(super) fn parse_key(at: &str, m: &[(String, Value)], allow_weak: bool) -> Result<Key, Error> {
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
  let (alg, accepts, material) = if is_jwk {
    jwk_material(at, m, alg_name)?
  } else {
    let alg = alg_name.and_then(Algorithm::from_name).ok_or_else(|| {
      Error::config(format!(
        "{at}: `alg` must be one of {}",
        Algorithm::ALL.map(Algorithm::name).join(", ")
      ))
    })?;
    (
      alg,
      AlgorithmSet::of(&[alg]),
      explicit_material(at, m, alg, allow_weak)?,
    )
  };
  Ok(Key {
    kid: kid.to_owned(),
    alg,
    accepts,
    material,
  })
}

pub(super) fn explicit_material(
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

/// A JWK's algorithm (the one it signs with), the algorithms it verifies, and its material.
pub(super) fn jwk_material(
  at: &str,
  m: &[(String, Value)],
  alg_name: Option<&str>,
) -> Result<(Algorithm, AlgorithmSet, Material), Error> {
  let kty = text(m, at, "kty")?.unwrap_or_default();
  let mut accepts = None;
  let alg = match (alg_name, kty, text(m, at, "crv")?) {
    (Some(name), _, _) => Algorithm::from_name(name)
      .filter(|a| !a.is_hmac())
      .ok_or_else(|| Error::config(format!("{at}: JWK `alg` {name:?} is not supported (RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, EdDSA)")))?,
    (None, "EC", Some("P-256")) => Algorithm::ES256,
    (None, "EC", Some("P-384")) => Algorithm::ES384,
    (None, "OKP", Some("Ed25519")) => Algorithm::EdDSA,
    // Entra ID, Google and others publish RSA keys without `alg` (it is optional, RFC 7517
    // §4.4): the key verifies what the token's header names among the RSA algorithms, and signs
    // with RS256 when it has a private part.
    (None, "RSA", _) => {
      accepts = Some(AlgorithmSet::of(&Algorithm::RSA));
      Algorithm::RS256
    }
    (None, _, crv) => {
      let crv = crv.map(|c| format!(", crv {c:?}")).unwrap_or_default();
      return Err(Error::config(format!("{at}: unsupported JWK (kty {kty:?}{crv})")));
    }
  };
  if kty == "oct" {
    return Err(Error::config(format!(
      "{at}: symmetric JWKs are not taken; give HMAC keys as `secret`"
    )));
  }
  let public = public_from_jwk(at, m)?;
  let has_private = get(m, "d").is_some();
  let private = has_private.then(|| Private::Jwk(m.to_vec()));
  let accepts = accepts.unwrap_or_else(|| AlgorithmSet::of(&[alg]));
  Ok((alg, accepts, build(at, alg, Some(public), private)?))
}
