//! Public keys from JWK members (RFC 7517, RFC 7518 §6, RFC 8037).

use super::material::Public;
use super::spec::{b64, text};
use crate::error::Error;
use crate::options::Value;

/// The uncompressed point (SEC 1 §2.3.3) of a P-256 or P-384 JWK; its length tells the curve.
pub(super) fn ec_point(at: &str, jwk: &[(String, Value)]) -> Result<Vec<u8>, Error> {
  let (curve, size) = match text(jwk, at, "crv")? {
    Some("P-256") => ("P-256", 32),
    Some("P-384") => ("P-384", 48),
    _ => {
      return Err(Error::config(format!(
        "{at}: only the P-256 and P-384 curves are supported for EC keys"
      )))
    }
  };
  let (x, y) = (b64(jwk, at, "x")?, b64(jwk, at, "y")?);
  if x.len() != size || y.len() != size {
    return Err(Error::config(format!(
      "{at}: {curve} coordinates are {size} bytes each"
    )));
  }
  let mut point = Vec::with_capacity(1 + 2 * size);
  point.push(4);
  point.extend_from_slice(&x);
  point.extend_from_slice(&y);
  Ok(point)
}

pub(super) fn public_from_jwk(at: &str, jwk: &[(String, Value)]) -> Result<Public, Error> {
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
