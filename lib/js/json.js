'use strict'

// A strict JSON reader for JWT headers and payloads, the twin of src/core/jwt/reader.rs: the same
// grammar (RFC 8259), the same refusals (duplicate names, lone surrogates in strings that are
// read, raw control characters, numbers beyond the double range) and iterative skipping of values
// nobody reads. JSON.parse cannot be used: it keeps the last of duplicate names silently.

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

class Reader {
  /** @param {Buffer} bytes must be UTF-8 as a whole (RFC 8259 §8.1) */
  constructor(bytes) {
    this.s = utf8.decode(bytes)
    this.i = 0
  }

  peek() {
    const s = this.s
    let i = this.i
    while (i < s.length) {
      const c = s.charCodeAt(i)
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break
      i++
    }
    this.i = i
    return i < s.length ? s.charCodeAt(i) : -1
  }

  eat(c) {
    if (this.peek() !== c) throw SYNTAX
    this.i++
  }

  literal(word) {
    this.peek()
    if (!this.s.startsWith(word, this.i)) throw SYNTAX
    this.i += word.length
  }

  end() {
    if (this.peek() !== -1) throw SYNTAX
  }

  /** Calls member(name) for each member; member must read or skip the value. */
  object(member) {
    this.eat(0x7b)
    if (this.peek() === 0x7d) {
      this.i++
      return
    }
    for (;;) {
      if (this.peek() !== 0x22) throw SYNTAX
      const name = this.string()
      this.eat(0x3a)
      member(name)
      const c = this.peek()
      if (c === 0x2c) this.i++
      else if (c === 0x7d) {
        this.i++
        return
      } else throw SYNTAX
    }
  }

  string() {
    this.eat(0x22)
    const s = this.s
    let out = ''
    let run = this.i
    for (;;) {
      if (this.i >= s.length) throw SYNTAX
      const c = s.charCodeAt(this.i)
      if (c === 0x22) {
        out += s.slice(run, this.i)
        this.i++
        return out
      }
      if (c < 0x20) throw SYNTAX
      // A surrogate pair in the input is one character; a lone one cannot come from valid UTF-8.
      if (c !== 0x5c) {
        this.i++
        continue
      }
      out += s.slice(run, this.i)
      this.i++
      const e = s[this.i]
      const simple = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' }[e]
      if (simple !== undefined) {
        out += simple
        this.i++
      } else if (e === 'u') {
        this.i++
        const unit = this.hex4()
        if (unit >= 0xdc00 && unit <= 0xdfff) throw SYNTAX
        if (unit >= 0xd800 && unit <= 0xdbff) {
          if (s[this.i] !== '\\' || s[this.i + 1] !== 'u') throw SYNTAX
          this.i += 2
          const low = this.hex4()
          if (low < 0xdc00 || low > 0xdfff) throw SYNTAX
          out += String.fromCharCode(unit, low)
        } else out += String.fromCharCode(unit)
      } else throw SYNTAX
      run = this.i
    }
  }

  hex4() {
    const digits = this.s.slice(this.i, this.i + 4)
    if (!/^[0-9a-fA-F]{4}$/.test(digits)) throw SYNTAX
    this.i += 4
    return parseInt(digits, 16)
  }

  optString() {
    if (this.peek() === 0x6e) {
      this.literal('null')
      return null
    }
    return this.string()
  }

  number() {
    this.peek()
    const start = this.i
    this.scanNumber()
    const n = Number(this.s.slice(start, this.i))
    if (!Number.isFinite(n)) throw SYNTAX
    return n
  }

  scanNumber() {
    NUMBER.lastIndex = this.i
    const m = NUMBER.exec(this.s)
    if (!m) throw SYNTAX
    this.i += m[0].length
  }

  stringArray() {
    this.eat(0x5b)
    const items = []
    if (this.peek() === 0x5d) {
      this.i++
      return items
    }
    for (;;) {
      items.push(this.string())
      const c = this.peek()
      if (c === 0x2c) this.i++
      else if (c === 0x5d) {
        this.i++
        return items
      } else throw SYNTAX
    }
  }

  /** Skips any value without recursion. */
  skip() {
    const open = []
    for (;;) {
      const c = this.peek()
      if (c === 0x7b) {
        this.i++
        if (this.peek() === 0x7d) this.i++
        else {
          open.push(true)
          this.memberName()
          continue
        }
      } else if (c === 0x5b) {
        this.i++
        if (this.peek() === 0x5d) this.i++
        else {
          open.push(false)
          continue
        }
      } else if (c === 0x22) this.skipString()
      else if (c === 0x74) this.literal('true')
      else if (c === 0x66) this.literal('false')
      else if (c === 0x6e) this.literal('null')
      else this.scanNumber()
      for (;;) {
        if (open.length === 0) return
        const isObject = open[open.length - 1]
        const d = this.peek()
        if (d === 0x2c) {
          this.i++
          if (isObject) this.memberName()
          break
        } else if (d === 0x7d && isObject) {
          this.i++
          open.pop()
        } else if (d === 0x5d && !isObject) {
          this.i++
          open.pop()
        } else throw SYNTAX
      }
    }
  }

  memberName() {
    if (this.peek() !== 0x22) throw SYNTAX
    this.skipString()
    this.eat(0x3a)
  }

  /** Escapes are checked for form only, as serde_json does for values it ignores. */
  skipString() {
    this.eat(0x22)
    const s = this.s
    for (;;) {
      if (this.i >= s.length) throw SYNTAX
      const c = s.charCodeAt(this.i)
      if (c === 0x22) {
        this.i++
        return
      }
      if (c < 0x20) throw SYNTAX
      if (c === 0x5c) {
        const e = s[this.i + 1]
        if (e === 'u') {
          this.i += 2
          this.hex4()
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) this.i += 2
        else throw SYNTAX
      } else this.i++
    }
  }
}

const SYNTAX = new Error('invalid JSON')
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y

/** Duplicate detection: a bit per known name, a set for the others. */
class Members {
  constructor() {
    this.known = 0
    this.other = null
  }

  firstKnown(bit) {
    const fresh = (this.known & (1 << bit)) === 0
    this.known |= 1 << bit
    return fresh
  }

  firstOther(name) {
    if (this.other === null) this.other = new Set()
    if (this.other.has(name)) return false
    this.other.add(name)
    return true
  }
}

const CLAIM_BITS = { sub: 0, email: 1, role: 2, permissions: 3, tenant_id: 4, type: 5, iss: 6, aud: 7, jti: 8, exp: 9, nbf: 10, iat: 11, fam: 12 }

/** The claims of a decoded payload, or null (the rules of src/core/jwt/claims.rs). */
function parseClaims(bytes) {
  try {
    const r = new Reader(bytes)
    const c = { sub: null, email: null, role: null, permissions: [], tenant_id: null, type: null, iss: null, aud: [], jti: null, exp: null, nbf: null, iat: null, fam: null }
    const members = new Members()
    r.object((name) => {
      const bit = Object.hasOwn(CLAIM_BITS, name) ? CLAIM_BITS[name] : -1
      if (bit < 0) {
        if (!members.firstOther(name)) throw SYNTAX
        return r.skip()
      }
      if (!members.firstKnown(bit)) throw SYNTAX
      if (name === 'permissions') {
        if (r.peek() === 0x6e) {
          r.literal('null')
          c.permissions = []
        } else c.permissions = r.stringArray()
      } else if (name === 'aud') c.aud = r.peek() === 0x5b ? r.stringArray() : [r.string()]
      else if (bit >= 9 && bit <= 11) c[name] = r.number()
      else c[name] = r.optString()
    })
    r.end()
    return c
  } catch {
    return null
  }
}

const HEADER_BITS = { alg: 0, kid: 1, typ: 2, cty: 3 }

/** `{ alg, kid }` of a decoded header, or null (the rules of src/core/jwt/header.rs). */
function parseHeader(bytes) {
  try {
    const r = new Reader(bytes)
    let alg = null
    let kid = null
    const members = new Members()
    r.object((name) => {
      if (name === 'crit') throw SYNTAX
      const bit = Object.hasOwn(HEADER_BITS, name) ? HEADER_BITS[name] : -1
      if (bit < 0) {
        if (!members.firstOther(name)) throw SYNTAX
        return r.skip()
      }
      if (!members.firstKnown(bit)) throw SYNTAX
      const value = r.string()
      if (bit === 0) alg = value
      else if (bit === 1) kid = value
    })
    r.end()
    return alg === null ? null : { alg, kid }
  } catch {
    return null
  }
}

module.exports = { parseClaims, parseHeader }
