'use strict'

// One-time codes: OtpStore for codes sent by email or SMS, and HOTP/TOTP for authenticator apps.

const { requireBinding } = require('../engines/native')
const { ErrorCodes, codedError } = require('../shared/codes')

class OtpStore {
  #handle

  constructor(options) {
    this.#handle = requireBinding().createOtpStore(options)
  }

  /** A new random code for `key` (replacing any pending one); send it, never store it. */
  generate(key) {
    return requireBinding().otpGenerate(this.#handle, key)
  }

  /** `{ valid, code, attemptsRemaining }`; `code` is null when valid, else an OTP_* error code. */
  verify(key, code) {
    const r = requireBinding().otpVerify(this.#handle, key, code)
    return { valid: r.valid, code: r.code ?? null, attemptsRemaining: r.attemptsRemaining }
  }

  delete(key) {
    return requireBinding().otpDelete(this.#handle, key)
  }

  clear() {
    requireBinding().otpClear(this.#handle)
  }

  /** Codes pending and not expired. */
  get size() {
    return requireBinding().otpSize(this.#handle)
  }
}

function generateTotpSecret(bytes) {
  return requireBinding().totpGenerateSecret(bytes)
}

function generateTotp(secret, options) {
  return requireBinding().totpGenerate(secret, options)
}

// One shape for every answer: `step` and `delta` are null when no step matched.
function check(r) {
  return { valid: r.valid, code: r.code ?? null, step: r.step ?? null, delta: r.delta ?? null }
}

/** `{ valid, code, step, delta }`; keep `step` and pass it as `afterStep` next time. */
function verifyTotp(code, secret, options) {
  return check(requireBinding().totpVerify(code, secret, options))
}

function generateHotp(secret, counter, options) {
  return requireBinding().hotpGenerate(secret, counter, options)
}

function verifyHotp(code, secret, counter, options) {
  return check(requireBinding().hotpVerify(code, secret, counter, options))
}

/** The `otpauth://` URI authenticator apps scan (as a QR code). */
function otpauthUri(params) {
  if (params === null || typeof params !== 'object') {
    throw codedError(ErrorCodes.INVALID_ARGUMENT, 'otpauthUri takes an object such as { secret, account, issuer }')
  }
  const { secret, account, issuer, counter, ...options } = params
  return requireBinding().otpUri(secret, account, issuer, counter, options)
}

module.exports = { OtpStore, generateTotpSecret, generateTotp, verifyTotp, generateHotp, verifyHotp, otpauthUri }
