'use strict'

// The units of the request path's result format (contract/result.json): how a u32 (also one that may be null), a u64, a
// string and a list of strings are read from the encoded result. The generated section readers in
// contract.js are built from these.

// One result is read at a time, synchronously.
let text = ''
let at = 0

function u32() {
  const v =
    text.charCodeAt(at) * 0x1000000 +
    ((text.charCodeAt(at + 1) << 16) | (text.charCodeAt(at + 2) << 8) | text.charCodeAt(at + 3))
  at += 4
  return v
}

/** A u32 that may be null, written as 0xFFFFFFFF. */
function optU32() {
  const v = u32()
  return v === 0xffffffff ? null : v
}

function u64() {
  return u32() * 0x100000000 + u32()
}

function string() {
  const n = (text.charCodeAt(at) << 8) | text.charCodeAt(at + 1)
  at += 2
  if (n === 0xffff) return null
  const s = text.slice(at, at + n)
  at += n
  return s
}

function strings() {
  const count = (text.charCodeAt(at) << 8) | text.charCodeAt(at + 1)
  at += 2
  const list = []
  for (let i = 0; i < count; i++) list.push(string())
  return list
}

/** Starts reading `encoded` at unit `from` (the frame, contract/result.json, says where). */
function start(encoded, from) {
  text = encoded
  at = from
}

const slice = (from, to) => text.slice(from, to)
const atEnd = () => at === text.length

module.exports = { start, slice, atEnd, u32, optU32, u64, string, strings }
