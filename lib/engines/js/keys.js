'use strict'

// Named keys for the JavaScript engine: the rules of core/src/jwt/keys/ on node:crypto. Each
// key is bound to one algorithm (an RSA JWK without `alg`: to the RSA algorithms) and found only
// by exact `kid`.

const crypto = require('node:crypto')
const { ErrorCodes, codedError } = require('../../shared/codes')
const { configError, wrong, isObject } = require('../../shared/options')
const base64url = require('./base64url')

const { LIMITS } = require('../../shared/contract')

const MAX_KID_BYTES = LIMITS.maxKidBytes
const HMAC = { HS256: ['sha256', 32], HS384: ['sha384', 48], HS512: ['sha512', 64] }
const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA']
const ALL = [...Object.keys(HMAC), ...ASYMMETRIC]
const RSA_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']
const KEY_FIELDS = ['kid', 'alg', 'secret', 'publicKey', 'privateKey']
const FAMILY = {
  RS256: 'rsa',
  RS384: 'rsa',
  RS512: 'rsa',
  PS256: 'rsa',
  PS384: 'rsa',
  PS512: 'rsa',
  ES256: 'ec',
  ES384: 'ec384',
  EdDSA: 'ed25519',
}
// RSA algorithms: the hash, and PSS or not (RFC 7518 §3.3, §3.5: PSS salts as long as the hash).
const RSA = {
  RS256: ['sha256', false],
  RS384: ['sha384', false],
  RS512: ['sha512', false],
  PS256: ['sha256', true],
  PS384: ['sha384', true],
  PS512: ['sha512', true],
}
const rsaKey = (alg, key) =>
  RSA[alg][1]
    ? {
        key,
        padding: crypto.constants.RSA_PKCS1_PSS_PADDING,
        saltLength: { sha256: 32, sha384: 48, sha512: 64 }[RSA[alg][0]],
      }
    : key
const FAMILY_NAME = { rsa: 'non-RSA', ec: 'non-P-256', ec384: 'non-P-384', ed25519: 'non-Ed25519' }
// ECDSA with the curve's hash and the byte length of a raw (r, s) signature (RFC 7518 §3.4).
const ECDSA = { ES256: ['sha256', 64], ES384: ['sha384', 96] }
const CURVES = { prime256v1: 'ec', secp384r1: 'ec384' }

/** A key's family as FAMILY names them; an EC key by its curve. */
function keyFamily(object) {
  const type = object.asymmetricKeyType
  return type === 'ec' ? (CURVES[object.asymmetricKeyDetails.namedCurve] ?? 'ec-other') : type
}

const config = configError

function pemLabel(pem) {
  const m = /^-----BEGIN ([A-Z0-9 ]+)-----/.exec(pem.trim())
  return m ? m[1] : null
}

function text(m, at, name) {
  if (!Object.hasOwn(m, name) || m[name] === undefined || m[name] === null) return null
  if (typeof m[name] !== 'string') throw wrong(`${at}.${name}`, 'a string', m[name])
  return m[name]
}

/** Public key details: `{ family, object }` for a KeyObject, refusing what the native side refuses. */
function describe(at, object) {
  const type = object.asymmetricKeyType
  if (type === 'rsa') {
    const bits = object.asymmetricKeyDetails.modulusLength
    if (bits < LIMITS.minRsaBits || bits > LIMITS.maxRsaBits) {
      throw config(`${at}: RSA keys must be ${LIMITS.minRsaBits} to ${LIMITS.maxRsaBits} bits; this one is ${bits}`)
    }
    return 'rsa'
  }
  if (type === 'ec') {
    const family = keyFamily(object)
    if (family === 'ec-other') throw config(`${at}: only the P-256 and P-384 curves are supported for EC keys`)
    return family
  }
  if (type === 'ed25519') return 'ed25519'
  throw config(`${at}: unsupported public key type (${type})`)
}

function publicFrom(at, value) {
  if (typeof value === 'string') {
    const label = pemLabel(value)
    if (label === null) throw config(`${at}: not a PEM document`)
    if (label === 'CERTIFICATE') throw config(`${at}: give the public key, not a certificate`)
    if (label !== 'PUBLIC KEY' && label !== 'RSA PUBLIC KEY')
      throw config(`${at}: a "${label}" PEM is not a public key`)
    try {
      return crypto.createPublicKey(value.trim())
    } catch {
      throw config(`${at}: malformed SubjectPublicKeyInfo`)
    }
  }
  return jwkPublic(at, value)
}

function jwkPublic(at, jwk) {
  const kty = text(jwk, at, 'kty')
  if (kty === 'EC' && !['P-256', 'P-384'].includes(text(jwk, at, 'crv')))
    throw config(`${at}: only the P-256 and P-384 curves are supported for EC keys`)
  if (kty === 'OKP' && text(jwk, at, 'crv') !== 'Ed25519')
    throw config(`${at}: only the Ed25519 curve is supported for OKP keys`)
  if (!['RSA', 'EC', 'OKP'].includes(kty)) throw config(`${at}: unsupported JWK \`kty\` ${JSON.stringify(kty)}`)
  const members = { RSA: ['n', 'e'], EC: ['x', 'y'], OKP: ['x'] }[kty]
  const pub = { kty }
  if (kty !== 'RSA') pub.crv = jwk.crv
  for (const name of members) {
    const v = text(jwk, at, name)
    if (v === null) throw config(`${at}: JWK member \`${name}\` is missing`)
    if (base64url.decode(v) === null) throw config(`${at}: JWK member \`${name}\` is not canonical base64url`)
    pub[name] = v
  }
  try {
    return crypto.createPublicKey({ key: pub, format: 'jwk' })
  } catch {
    throw config(`${at}: malformed ${kty} JWK`)
  }
}

function privateFrom(at, alg, value) {
  const rejected = (e) => config(`${at}: the private key was rejected (${e.message})`)
  if (typeof value === 'string') {
    const label = pemLabel(value)
    if (label === null) throw config(`${at}: not a PEM document`)
    const allowed = FAMILY[alg] === 'rsa' ? ['PRIVATE KEY', 'RSA PRIVATE KEY'] : ['PRIVATE KEY']
    if (!allowed.includes(label)) {
      throw config(
        FAMILY[alg] === 'rsa'
          ? `${at}: a "${label}" PEM is not an RSA private key`
          : `${at}: a "${label}" PEM is not a PKCS#8 private key`,
      )
    }
    try {
      return crypto.createPrivateKey(value.trim())
    } catch (e) {
      throw rejected(e)
    }
  }
  try {
    return crypto.createPrivateKey({ key: value, format: 'jwk' })
  } catch (e) {
    throw rejected(e)
  }
}

function sameKey(a, b) {
  return a.export({ type: 'spki', format: 'der' }).equals(b.export({ type: 'spki', format: 'der' }))
}

class Key {
  /** `alg` signs (and verifies); `accepts` lists what a token may name, `alg` alone by default. */
  constructor(kid, alg, material, accepts = [alg]) {
    this.kid = kid
    this.alg = alg
    this.accepts = new Set(accepts)
    Object.assign(this, material)
  }

  get canSign() {
    return this.secret !== undefined || this.privateKey !== undefined
  }

  /** Whether `signatureSeg` signs `signingInput` with `alg`, one of the algorithms it accepts. */
  verify(alg, signingInput, signatureSeg) {
    if (!this.accepts.has(alg)) return false
    if (this.secret !== undefined) {
      const expected = Buffer.from(
        crypto.createHmac(HMAC[alg][0], this.secret).update(signingInput).digest('base64url'),
      )
      const given = Buffer.from(signatureSeg, 'utf8')
      return given.length === expected.length && crypto.timingSafeEqual(given, expected)
    }
    if (signatureSeg.length > 1368) return false
    const signature = base64url.decode(signatureSeg)
    if (signature === null) return false
    const data = Buffer.from(signingInput, 'utf8')
    try {
      if (RSA[alg]) return crypto.verify(RSA[alg][0], data, rsaKey(alg, this.publicKey), signature)
      const ecdsa = ECDSA[alg]
      if (ecdsa)
        return (
          signature.length === ecdsa[1] &&
          crypto.verify(ecdsa[0], data, { key: this.publicKey, dsaEncoding: 'ieee-p1363' }, signature)
        )
      return crypto.verify(null, data, this.publicKey, signature)
    } catch {
      return false
    }
  }

  sign(signingInput) {
    if (this.secret !== undefined)
      return crypto.createHmac(HMAC[this.alg][0], this.secret).update(signingInput).digest()
    if (this.privateKey === undefined) throw config(`key \`${this.kid}\` has no private key to sign with`)
    const data = Buffer.from(signingInput, 'utf8')
    if (RSA[this.alg]) return crypto.sign(RSA[this.alg][0], data, rsaKey(this.alg, this.privateKey))
    const ecdsa = ECDSA[this.alg]
    if (ecdsa) return crypto.sign(ecdsa[0], data, { key: this.privateKey, dsaEncoding: 'ieee-p1363' })
    return crypto.sign(null, data, this.privateKey)
  }
}

function explicitKey(at, m, alg, allowWeak) {
  if (HMAC[alg]) {
    if (m.publicKey !== undefined || m.privateKey !== undefined)
      throw config(`${at}: an ${alg} key is a \`secret\`, not a public/private key`)
    let secret = m.secret
    if (secret === undefined || secret === null) throw config(`${at}: an ${alg} key needs \`secret\``)
    if (typeof secret === 'string') secret = Buffer.from(secret, 'utf8')
    else if (secret instanceof Uint8Array) secret = Buffer.from(secret)
    else throw wrong(`${at}.secret`, 'a string or a Buffer', secret)
    if (secret.length === 0) throw config(`${at}.secret must not be empty`)
    const min = HMAC[alg][1]
    if (secret.length < min && !allowWeak) {
      throw codedError(
        ErrorCodes.WEAK_SECRET,
        `${at}.secret is ${secret.length} bytes; ${alg} needs at least ${min} (RFC 7518 §3.2)`,
      )
    }
    return { secret: crypto.createSecretKey(secret) }
  }
  if (m.secret !== undefined)
    throw config(`${at}: ${alg} needs a public (and optionally private) key, never a shared secret`)
  for (const name of ['publicKey', 'privateKey']) {
    if (m[name] !== undefined && m[name] !== null && typeof m[name] !== 'string' && !isObject(m[name])) {
      throw wrong(`${at}.${name}`, 'a PEM string or a JWK object', m[name])
    }
  }
  const hasPrivate = m.privateKey !== undefined && m.privateKey !== null
  const hasPublic = m.publicKey !== undefined && m.publicKey !== null
  const publicKey = hasPublic ? publicFrom(at, m.publicKey) : null
  return asymmetric(at, alg, publicKey, hasPrivate ? privateFrom(at, alg, m.privateKey) : null)
}

function asymmetric(at, alg, publicKey, privateKey) {
  if (publicKey === null && privateKey === null) throw config(`${at}: ${alg} needs \`publicKey\` or \`privateKey\``)
  const want = FAMILY[alg]
  const derived = privateKey === null ? null : crypto.createPublicKey(privateKey)
  if (derived !== null && keyFamily(derived) !== want)
    throw config(`${at}: the private key was rejected (wrong key type)`)
  const pub = publicKey ?? derived
  // A supported key of another family is named as such; anything else is refused by describe().
  if (keyFamily(pub) !== want && Object.hasOwn(FAMILY_NAME, keyFamily(pub))) {
    throw config(`${at}: a ${FAMILY_NAME[want]} key cannot be used with ${alg}`)
  }
  describe(at, pub)
  if (derived !== null && publicKey !== null && !sameKey(derived, publicKey)) {
    throw config(`${at}: the private key does not match the public key`)
  }
  const material = { publicKey: pub }
  if (privateKey !== null) material.privateKey = privateKey
  return material
}

function jwkKey(at, m, algName) {
  const kty = text(m, at, 'kty')
  const crv = text(m, at, 'crv')
  let alg
  let accepts
  if (algName !== null) {
    if (!ASYMMETRIC.includes(algName))
      throw config(
        `${at}: JWK \`alg\` ${JSON.stringify(algName)} is not supported (RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, EdDSA)`,
      )
    alg = algName
  } else if (kty === 'EC' && crv === 'P-256') alg = 'ES256'
  else if (kty === 'EC' && crv === 'P-384') alg = 'ES384'
  else if (kty === 'OKP' && crv === 'Ed25519') alg = 'EdDSA'
  else if (kty === 'RSA') {
    // Providers (Entra ID, Google) publish RSA keys without `alg`, which is optional (RFC 7517 §4.4).
    alg = 'RS256'
    accepts = RSA_ALGORITHMS
  } else
    throw config(
      `${at}: unsupported JWK (kty ${JSON.stringify(kty)}${crv === null ? '' : `, crv ${JSON.stringify(crv)}`})`,
    )
  if (kty === 'oct') throw config(`${at}: symmetric JWKs are not taken; give HMAC keys as \`secret\``)
  const publicKey = jwkPublic(at, m)
  const privateKey = m.d !== undefined ? privateFrom(at, alg, m) : null
  return { alg, accepts, material: asymmetric(at, alg, publicKey, privateKey) }
}

function parseKey(at, m, allowWeak) {
  const isJwk = Object.hasOwn(m, 'kty')
  if (!isJwk) {
    const unknown = Object.keys(m).find((n) => !KEY_FIELDS.includes(n))
    if (unknown !== undefined)
      throw config(
        `${at}: unknown member \`${unknown}\`; a key has ${KEY_FIELDS.join(', ')}, or is a JWK (with \`kty\`)`,
      )
  }
  const kid = text(m, at, 'kid')
  if (kid === null) throw config(`${at}: \`kid\` is required`)
  if (kid === '' || Buffer.byteLength(kid, 'utf8') > MAX_KID_BYTES)
    throw config(`${at}: \`kid\` must be 1 to ${MAX_KID_BYTES} bytes`)
  const algName = text(m, at, 'alg')
  if (isJwk) {
    const { alg, accepts, material } = jwkKey(at, m, algName)
    return new Key(kid, alg, material, accepts)
  }
  if (algName === null || !ALL.includes(algName)) throw config(`${at}: \`alg\` must be one of ${ALL.join(', ')}`)
  return new Key(kid, algName, explicitKey(at, m, algName, allowWeak))
}

class KeySet {
  constructor(keys, signing, skipped) {
    this.keys = keys
    this.byKid = new Map(keys.map((k) => [k.kid, k]))
    this.signing = signing
    // Why each JWK Set key left out was skipped (RFC 7517 §5: ignored, not fatal to the set).
    this.skipped = skipped
  }

  lookup(kid) {
    if (kid !== null) return this.byKid.get(kid) ?? null
    return this.keys.length === 1 ? this.keys[0] : null
  }

  /**
   * Builds the set from `keys`, `jwks` and `signingKid` (each may be undefined). A bad key in
   * `keys` is refused; one in a JWK Set is skipped with its reason, unless none is usable.
   */
  static from(keys, jwks, signingKid, allowWeak) {
    const entries = []
    const skipped = []
    if (keys !== undefined && keys !== null) {
      if (!Array.isArray(keys) || keys.length === 0) throw wrong('keys', 'a non-empty array of keys', keys)
      keys.forEach((item, i) => {
        if (!isObject(item)) throw wrong(`keys[${i}]`, 'an object such as { kid, alg, secret }', item)
        entries.push([`keys[${i}]`, item, false])
      })
    }
    if (jwks !== undefined && jwks !== null) {
      if (!isObject(jwks)) throw wrong('jwks', 'a JWK Set object { keys: [...] }', jwks)
      if (!Array.isArray(jwks.keys)) throw config('`jwks` must be a JWK Set: { keys: [...] }')
      jwks.keys.forEach((item, i) => {
        if (!isObject(item)) return skipped.push(`jwks.keys[${i}]: not a JWK object`)
        if (item.use === 'enc') return
        entries.push([`jwks.keys[${i}]`, item, true])
      })
    }
    const list = []
    const seen = new Set()
    for (const [at, entry, fromJwks] of entries) {
      let key
      try {
        key = parseKey(at, entry, allowWeak)
      } catch (error) {
        if (!fromJwks) throw error
        skipped.push(error.message)
        continue
      }
      if (seen.has(key.kid)) {
        const duplicate = `${at}: kid ${JSON.stringify(key.kid)} appears twice`
        if (!fromJwks) throw config(duplicate)
        skipped.push(duplicate)
        continue
      }
      seen.add(key.kid)
      list.push(key)
    }
    // An empty JWK Set is a set still to be fetched (core/src/jwt/keys/mod.rs says why).
    const emptyJwks =
      (keys === undefined || keys === null) && isObject(jwks) && Array.isArray(jwks.keys) && jwks.keys.length === 0
    if (list.length === 0 && !emptyJwks)
      throw config(`\`keys\`/\`jwks\` hold no usable key${skipped.length > 0 ? ` (${skipped.join('; ')})` : ''}`)
    let signing
    if (signingKid !== undefined && signingKid !== null) {
      const key = list.find((k) => k.kid === signingKid)
      if (!key) throw config(`\`signingKid\` ${JSON.stringify(signingKid)} is not among the keys`)
      if (!key.canSign) throw config(`\`signingKid\` ${JSON.stringify(signingKid)} has no private key`)
      signing = key
    } else signing = list.find((k) => k.canSign) ?? null
    return new KeySet(list, signing, skipped)
  }
}

/** `{ keys, jwks, signingKid }` of a config or of setKeys' argument, as a KeySet or null. */
function keySetFrom(options, allowWeak) {
  const { keys, jwks, signingKid } = options
  if (signingKid !== undefined && signingKid !== null && typeof signingKid !== 'string')
    throw wrong('signingKid', 'a string', signingKid)
  if ((keys === undefined || keys === null) && (jwks === undefined || jwks === null)) {
    if (signingKid !== undefined && signingKid !== null) throw config('`signingKid` needs `keys` or `jwks`')
    return null
  }
  return KeySet.from(keys, jwks, signingKid, allowWeak)
}

/** `refreshKeys` (a key list, no JWK Set): a KeySet or null; errors name the option. */
function refreshKeySet(keys, allowWeak) {
  if (keys === undefined || keys === null) return null
  try {
    return KeySet.from(keys, undefined, undefined, allowWeak)
  } catch (e) {
    throw codedError(e.code, `refreshKeys: ${e.message}`)
  }
}

module.exports = { KeySet, keySetFrom, refreshKeySet }
