// The seeded random number generator of Monte Carlo projections: counter-based sub-streams
// keyed by (seed, source key, block of draws), each a xoshiro128** generator, with uniform and
// standard normal variates. Sits under distributions.ts, whose `sampleDraws` is the one
// function that positions a stream; nothing else in the engine draws random numbers.
//
// Scheme (common random numbers). A source is anything uncertain in a model or a scenario
// and is named by a key string: "parameter:beta_fai", "exogenous:external_demand",
// "error:fai", "shock:<event id>#<effect index>". `streamKey(seed, key)` hashes the seed and
// the key into four 32-bit words; `RandomStream.reset` mixes those words with a block index
// into a fresh xoshiro128** state. Draw d of a source is variate d mod DRAW_BLOCK
// of the sequential stream of block floor(d / DRAW_BLOCK): one reset per DRAW_BLOCK draws
// instead of one per draw. So the numbers of draw d for one source depend only on (seed, key,
// d): not on which other sources a scenario has, not on the order the sources are sampled in,
// not on how draws are grouped into chunks (a chunk that starts inside a block generates the
// block from its start and discards the variates before it, or continues the generator state
// saved where the previous chunk of that source stopped). Two scenarios run with the same
// seed see the same noise on every source they share.
//
// Generator: xoshiro128** 1.0 (Blackman and Vigna, 2018; 128-bit state, period 2^128 - 1),
// seeded through the "lowbias32" integer hash (Wellons, 2-round xor-shift-multiply). A
// uniform takes 53 bits from two outputs; a normal is the 128-layer ziggurat (Marsaglia and
// Tsang 2000, in Doornik's 2005 formulation), two outputs on its fast path. Only this
// module's arithmetic decides the numbers, so they are the same on every run.
// Pure: no clock, no Math.random, no global state.

/**
 * Draws per block of a source's stream (see the header). The engine's default chunks (2,048
 * draws in draws.ts, 512 and 256 in calibrate.ts) are multiples of it, so they start on a
 * block and discard nothing.
 */
export const DRAW_BLOCK = 256

/** Four 32-bit words identifying one source under one seed; see `streamKey`. */
export type StreamKey = readonly [number, number, number, number]

/** Wellons' lowbias32: a 32-bit integer hash with low avalanche bias. */
const mix32 = (x: number): number => {
  x ^= x >>> 16
  x = Math.imul(x, 0x21f0aaad)
  x ^= x >>> 15
  x = Math.imul(x, 0x735a2d97)
  x ^= x >>> 15
  return x >>> 0
}

const TWO32 = 4294967296

/**
 * Hashes a seed (any safe integer, negative allowed) and a source key into the key of that
 * source's streams. Different keys or seeds give unrelated streams.
 */
export const streamKey = (seed: number, key: string): StreamKey => {
  const lo = seed >>> 0 // low 32 bits (two's complement for negatives)
  const hi = Math.floor(seed / TWO32) >>> 0
  // four lanes of a murmur-like absorb over the UTF-16 code units, each from its own constant
  let a = mix32(lo ^ 0x243f6a88)
  let b = mix32(hi ^ 0x85a308d3)
  let c = mix32(lo ^ 0x13198a2e ^ key.length)
  let d = mix32(hi ^ 0x03707344)
  for (let i = 0; i < key.length; i++) {
    const k = key.charCodeAt(i)
    a = mix32(a ^ k)
    b = mix32((b + a) >>> 0)
    c = mix32(c ^ b ^ Math.imul(k, 0x9e3779b9))
    d = mix32((d + c) >>> 0)
  }
  return [mix32(a ^ d), mix32(b ^ a), mix32(c ^ b), mix32(d ^ c)]
}

const TWO_M53 = 1 / 9007199254740992
const TWO_M52 = 2 / 9007199254740992

/**
 * One reusable random stream. `reset(key, index)` positions it at the start of sub-stream
 * `index` of source `key` (the engine passes a block of draws, see `sampleDraws` in
 * distributions.ts); then `uniform()` and `normal()` give that sub-stream's numbers in order.
 * Reusing one object for every (source, block) keeps the hot loop free of allocation.
 */
export class RandomStream {
  // int32 lanes of the xoshiro128** state (kept as int32 so the fields stay small integers)
  private s0 = 0 | 0
  private s1 = 0 | 0
  private s2 = 0 | 0
  private s3 = 0 | 0

  /** Starts sub-stream `draw` (a non-negative safe integer) of the source `key`. */
  reset(key: StreamKey, draw: number): void {
    let x = mix32((draw >>> 0) ^ 0x6a09e667)
    if (draw >= TWO32) x ^= mix32((Math.floor(draw / TWO32) >>> 0) ^ 0xbb67ae85)
    this.s0 = mix32(key[0] ^ x) | 0
    this.s1 = mix32((key[1] + Math.imul(x, 0x9e3779b9)) | 0) | 0
    this.s2 = mix32(key[2] ^ Math.imul(x, 0x85ebca6b)) | 0
    this.s3 = mix32((key[3] + Math.imul(x, 0xc2b2ae35)) | 0) | 0
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1 // the one state xoshiro cannot leave
  }

  /** Writes the generator's state (four int32 lanes) to `to[at..at+3]`: `restore` continues the stream exactly from here. */
  save(to: Int32Array, at: number): void {
    to[at] = this.s0
    to[at + 1] = this.s1
    to[at + 2] = this.s2
    to[at + 3] = this.s3
  }

  /** Continues a stream from a state written by `save`. */
  restore(from: Int32Array, at: number): void {
    this.s0 = from[at]! | 0
    this.s1 = from[at + 1]! | 0
    this.s2 = from[at + 2]! | 0
    this.s3 = from[at + 3]! | 0
  }

  /** The next 32-bit output, as an unsigned integer. */
  nextU32(): number {
    const s0 = this.s0, s1 = this.s1, s2 = this.s2, s3 = this.s3
    const m = Math.imul(s1, 5)
    const result = Math.imul((m << 7) | (m >>> 25), 9)
    const t = s1 << 9
    const n2 = s2 ^ s0
    const n3 = s3 ^ s1
    this.s1 = s1 ^ n2
    this.s0 = s0 ^ n3
    this.s2 = n2 ^ t
    this.s3 = (n3 << 11) | (n3 >>> 21)
    return result >>> 0
  }

  /** A uniform variate in [0, 1) with 53 random bits (two outputs). */
  uniform(): number {
    const a = this.nextU32() >>> 5
    const b = this.nextU32() >>> 6
    return (a * 67108864 + b) * TWO_M53
  }

  /**
   * A standard normal variate: Marsaglia and Tsang's ziggurat with 128 layers in Doornik's
   * formulation (ZIGNOR, 2005). Two outputs give a 53-bit uniform u in (-1, 1) for the
   * abscissa and, from their otherwise unused low bits, the 7-bit layer, so the layer and the
   * value are independent (the flaw Doornik corrects). About 98.8% of variates take those two
   * outputs and a comparison; the rest (wedges, tail) draw more uniforms in a fixed order.
   */
  normal(): number {
    for (;;) {
      const a = this.nextU32()
      const b = this.nextU32()
      const u = ((a >>> 5) * 67108864 + (b >>> 6)) * TWO_M52 - 1 // [-1, 1)
      const i = ((b & 63) << 1) | (a & 1)
      if (Math.abs(u) < ZIG_R[i]) return u * ZIG_X[i]
      if (i === 0) return this.normalTail(u < 0)
      const x = u * ZIG_X[i]
      const f0 = Math.exp(-0.5 * (ZIG_X[i] * ZIG_X[i] - x * x))
      const f1 = Math.exp(-0.5 * (ZIG_X[i + 1] * ZIG_X[i + 1] - x * x))
      if (f1 + this.uniform() * (f0 - f1) < 1) return x
    }
  }

  /** The normal's tail beyond ZIG_TAIL (Marsaglia's exponential rejection). */
  private normalTail(negative: boolean): number {
    let x: number, y: number
    do {
      x = Math.log(1 - this.uniform()) / ZIG_TAIL
      y = Math.log(1 - this.uniform())
    } while (-2 * y < x * x)
    return negative ? x - ZIG_TAIL : ZIG_TAIL - x
  }
}

// Ziggurat tables (Doornik 2005, ZIGNOR): 128 layers of equal area ZIG_AREA under exp(-x^2/2),
// the base layer including the tail beyond ZIG_TAIL. Computed once, deterministically.
const ZIG_LAYERS = 128
const ZIG_TAIL = 3.442619855899
const ZIG_AREA = 9.91256303526217e-3
const ZIG_X = new Float64Array(ZIG_LAYERS + 1)
const ZIG_R = new Float64Array(ZIG_LAYERS)
{
  let f = Math.exp(-0.5 * ZIG_TAIL * ZIG_TAIL)
  ZIG_X[0] = ZIG_AREA / f
  ZIG_X[1] = ZIG_TAIL
  ZIG_X[ZIG_LAYERS] = 0
  for (let i = 2; i < ZIG_LAYERS; i++) {
    ZIG_X[i] = Math.sqrt(-2 * Math.log(ZIG_AREA / ZIG_X[i - 1] + f))
    f = Math.exp(-0.5 * ZIG_X[i] * ZIG_X[i])
  }
  for (let i = 0; i < ZIG_LAYERS; i++) ZIG_R[i] = ZIG_X[i + 1] / ZIG_X[i]
}

/** The key of a model parameter's uncertainty (replaced per draw). */
export const parameterSource = (name: string): string => `parameter:${name}`
/** The key of an exogenous series' uncertainty (added per draw to every period). */
export const exogenousSource = (name: string): string => `exogenous:${name}`
/** The key of an endogenous variable's equation error (added per draw to every period). */
export const errorSource = (variable: string): string => `error:${variable}`
/** The key of an uncertain shock: the event id and, inside a measure, the effect's index. */
export const shockSource = (eventId: string, effect = 0): string => `shock:${eventId}#${effect}`
