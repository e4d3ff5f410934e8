'use strict'

// A latency histogram for what JS times itself (JWK Set fetches, Redis round trips), with the
// bounds of contract/metrics.json; read in the shape `metrics()` gives the fused call's latency.

class Histogram {
  constructor(boundsMicros) {
    this.boundsMicros = boundsMicros
    this.counts = new Array(boundsMicros.length + 1).fill(0)
    this.sumSeconds = 0
  }

  /** One observation of `ms` milliseconds. */
  observe(ms) {
    const micros = ms * 1000
    let b = 0
    while (b < this.boundsMicros.length && micros > this.boundsMicros[b]) b++
    this.counts[b]++
    this.sumSeconds += ms / 1000
  }

  read() {
    return {
      boundsMicros: this.boundsMicros,
      counts: [...this.counts],
      count: this.counts.reduce((a, b) => a + b, 0),
      sumSeconds: this.sumSeconds,
    }
  }
}

module.exports = { Histogram }
