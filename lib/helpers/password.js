'use strict'

// Argon2id password hashing (and bcrypt verification for migrations). The async forms run on the
// libuv thread pool; being `async`, they report every error, argument errors included, as a
// rejection.

const { requireBinding } = require('../native')

async function hashPassword(password, options) {
  return requireBinding().hashPassword(password, options)
}

function hashPasswordSync(password, options) {
  return requireBinding().hashPasswordSync(password, options)
}

async function verifyPassword(hash, password, options) {
  return requireBinding().verifyPassword(hash, password, options)
}

function verifyPasswordSync(hash, password, options) {
  return requireBinding().verifyPasswordSync(hash, password, options)
}

function needsRehash(hash, options) {
  return requireBinding().needsRehash(hash, options)
}

module.exports = { hashPassword, hashPasswordSync, verifyPassword, verifyPasswordSync, needsRehash }
