'use strict'

// The units of the request path's result format (contract/result.json): how a u32 (also one that
// may be null), a u64, a string and a list of strings are read from an encoded result. A cursor
// belongs to one authenticator, which reads one result at a time, synchronously; the generated
// section readers in contract.js are built from these.

class ResultCursor {
  text = ''
  at = 0

  /** Starts reading `encoded` at unit `from` (the frame, contract/result.json, says where). */
  start(encoded, from) {
    this.text = encoded
    this.at = from
  }

  slice(from, to) {
    return this.text.slice(from, to)
  }

  atEnd() {
    return this.at === this.text.length
  }

  u32() {
    const t = this.text
    const at = this.at
    this.at = at + 4
    return (
      t.charCodeAt(at) * 0x1000000 + ((t.charCodeAt(at + 1) << 16) | (t.charCodeAt(at + 2) << 8) | t.charCodeAt(at + 3))
    )
  }

  /** A u32 that may be null, written as 0xFFFFFFFF. */
  optU32() {
    const v = this.u32()
    return v === 0xffffffff ? null : v
  }

  u64() {
    return this.u32() * 0x100000000 + this.u32()
  }

  string() {
    const t = this.text
    const n = (t.charCodeAt(this.at) << 8) | t.charCodeAt(this.at + 1)
    this.at += 2
    if (n === 0xffff) return null
    const s = t.slice(this.at, this.at + n)
    this.at += n
    return s
  }

  strings() {
    const count = (this.text.charCodeAt(this.at) << 8) | this.text.charCodeAt(this.at + 1)
    this.at += 2
    const list = []
    for (let i = 0; i < count; i++) list.push(this.string())
    return list
  }
}

module.exports = { ResultCursor }
