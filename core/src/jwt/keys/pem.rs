//! Public and private keys from PEM: SPKI, PKCS#1 and PKCS#8 (RFC 7468), with the DER read
//! just far enough to find the key and its algorithm.

use super::material::Public;
use crate::error::Error;

/// The DER of a PKCS#8 `PRIVATE KEY` PEM (the only private form EC and Ed25519 keys are read in).
pub(super) fn pkcs8_der(at: &str, pem: &str) -> Result<Vec<u8>, Error> {
  let (label, der) = pem_decode(at, pem)?;
  if label != "PRIVATE KEY" {
    return Err(Error::config(format!(
      "{at}: a {label:?} PEM is not a PKCS#8 private key (convert with `openssl pkcs8 -topk8 -nocrypt`)"
    )));
  }
  Ok(der)
}

pub(super) fn pem_decode(at: &str, pem: &str) -> Result<(String, Vec<u8>), Error> {
  let (label, der) = pem_rfc7468::decode_vec(pem.trim().as_bytes())
    .map_err(|_| Error::config(format!("{at}: not a PEM document")))?;
  Ok((label.to_owned(), der))
}

pub(super) const OID_RSA: &str = "1.2.840.113549.1.1.1";
pub(super) const OID_EC: &str = "1.2.840.10045.2.1";
pub(super) const OID_P256: &str = "1.2.840.10045.3.1.7";
pub(super) const OID_P384: &str = "1.3.132.0.34";
pub(super) const OID_ED25519: &str = "1.3.101.112";

pub(super) fn public_from_pem(at: &str, pem: &str) -> Result<Public, Error> {
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
      let point_len = match curve.as_deref() {
        Some(OID_P256) => 65,
        Some(OID_P384) => 97,
        _ => {
          return Err(Error::config(format!(
            "{at}: only the P-256 and P-384 curves are supported for EC keys"
          )))
        }
      };
      if bits.len() != point_len || bits[0] != 4 {
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
pub(super) fn rsa_from_pkcs1(at: &str, der: &[u8]) -> Result<Public, Error> {
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
pub(super) fn der_tlv(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
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
