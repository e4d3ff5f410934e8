'use strict'

// Argon2id password hashing (and bcrypt verification for migrations). The async forms run on the
// libuv thread pool; being `async`, they report every error, argument errors included, as a
// rejection.
//
// At most `concurrency` hashes occupy pool threads at once (default: one fewer than the CPUs, at
// least one); the rest wait here, in JS. Argon2 is all CPU: more hashes than cores only makes
// them slower, and on a small machine it leaves the event loop competing for a core and the
// pool's other users (fs, dns, zlib) queued behind hashing.

const os = require('node:os')
const { requireBinding } = require('../engines/native')
const { ErrorCodes, codedError } = require('../shared/codes')

let concurrency = Math.max(1, (os.availableParallelism?.() ?? os.cpus().length) - 1)
let running = 0
const waiting = []

function pump() {
  while (running < concurrency && waiting.length > 0) {
    const { start, resolve, reject } = waiting.shift()
    running++
    let task
    try {
      task = start()
    } catch (error) {
      running--
      reject(error)
      continue
    }
    task.then(resolve, reject).finally(() => {
      running--
      pump()
    })
  }
}

function schedule(start) {
  return new Promise((resolve, reject) => {
    waiting.push({ start, resolve, reject })
    pump()
  })
}

/** Sets how many hashes may run at once (1 to 256); returns the previous value. */
function setPasswordConcurrency(n) {
  if (!Number.isInteger(n) || n < 1 || n > 256) {
    throw codedError(ErrorCodes.INVALID_ARGUMENT, '`concurrency` must be a whole number from 1 to 256')
  }
  const previous = concurrency
  concurrency = n
  pump()
  return previous
}

function hashPassword(password, options) {
  return schedule(() => requireBinding().hashPassword(password, options))
}

function hashPasswordSync(password, options) {
  return requireBinding().hashPasswordSync(password, options)
}

function verifyPassword(hash, password, options) {
  return schedule(() => requireBinding().verifyPassword(hash, password, options))
}

function verifyPasswordSync(hash, password, options) {
  return requireBinding().verifyPasswordSync(hash, password, options)
}

function needsRehash(hash, options) {
  return requireBinding().needsRehash(hash, options)
}

module.exports = {
  hashPassword,
  hashPasswordSync,
  verifyPassword,
  verifyPasswordSync,
  needsRehash,
  setPasswordConcurrency,
}
