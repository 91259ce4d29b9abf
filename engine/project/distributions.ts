// Sampling of the model language's Distribution union (normal, uniform, triangular,
// lognormal) for Monte Carlo: validation against the value a distribution qualifies, then one
// number per draw written into Float64Arrays. `sampleDraws` is the one place the engine turns
// streams into draws: used by draws.ts (the runs of project.ts and seek.ts), responses.ts and
// kalman.ts (the same draws as standard normals) and calibrate.ts (release noise per world).
// It applies rng.ts's keying rule: draw d of a source is variate d mod DRAW_BLOCK of the
// stream of block floor(d / DRAW_BLOCK) of that source, so draw d is the same whatever else
// is sampled and however the draws are chunked (common random numbers).
//
// Two roles, as engine/schema/model.ts documents:
// - `replace` (a parameter's uncertainty): the draw replaces the value; normal is centred on
//   the value (or its `mean`), triangular's mode defaults to the value, lognormal's median
//   defaults to the value (which must then be > 0), uniform gives its own bounds.
// - `add` (equation errors, exogenous uncertainty, shock uncertainty): the draw is added to
//   the value; normal is centred on 0 (or its `mean`), triangular's mode defaults to 0,
//   uniform gives its own bounds, lognormal needs its `median` (a lognormal cannot be centred
//   on 0) and is added as drawn.
// Every normal-based variate consumes exactly one normal() of its stream; uniform and
// triangular exactly one uniform(). Pure.
import type { Distribution } from "../schema/model.ts"
import { SpecError, type FieldPath } from "../errors.ts"
import { DRAW_BLOCK, RandomStream, type StreamKey } from "./rng.ts"

/** How a distribution combines with the value it qualifies: see the file header. */
export type DistributionRole = "replace" | "add"

/** A validated distribution reduced to one of four samplers: x = a + b * Z (normal), ... */
export interface PreparedDistribution {
  /** normal: a + b*z; uniform: a + (b - a)*u; triangular: min a, mode c, max b; lognormal: a*exp(b*z); constant: a. */
  readonly kind: "normal" | "uniform" | "triangular" | "lognormal" | "constant"
  readonly a: number
  readonly b: number
  readonly c: number
  /** The distribution's mean (for reports and for tests). */
  readonly mean: number
}

const bad = (path: FieldPath, message: string): SpecError => new SpecError({ what: "distribution", issues: [{ path, message }] })

const finiteOr = (x: number, path: FieldPath, what: string): number => {
  if (!Number.isFinite(x)) throw bad(path, `${what} must be a finite number`)
  return x
}

/**
 * Validates `dist` for its role around `centre` (the parameter's value for `replace`, 0 for
 * `add`) and prepares it for sampling. Throws SpecError naming `path` when a parameter makes
 * no sense (negative sd, min above max, a mode outside [min, max], a lognormal median that is
 * not positive).
 */
export const prepareDistribution = (dist: Distribution, centre: number, role: DistributionRole, path: FieldPath): PreparedDistribution => {
  switch (dist.dist) {
    case "normal": {
      const sd = finiteOr(dist.sd, [...path, "sd"], "sd")
      if (sd < 0) throw bad([...path, "sd"], "sd must be >= 0")
      const mean = finiteOr(dist.mean ?? (role === "replace" ? centre : 0), [...path, "mean"], "mean")
      return sd === 0 ? { kind: "constant", a: mean, b: 0, c: 0, mean } : { kind: "normal", a: mean, b: sd, c: 0, mean }
    }
    case "uniform": {
      const min = finiteOr(dist.min, [...path, "min"], "min")
      const max = finiteOr(dist.max, [...path, "max"], "max")
      if (min > max) throw bad([...path, "max"], "min must be <= max")
      return min === max ? { kind: "constant", a: min, b: 0, c: 0, mean: min } : { kind: "uniform", a: min, b: max, c: 0, mean: (min + max) / 2 }
    }
    case "triangular": {
      const min = finiteOr(dist.min, [...path, "min"], "min")
      const max = finiteOr(dist.max, [...path, "max"], "max")
      if (min > max) throw bad([...path, "max"], "min must be <= max")
      const mode = finiteOr(dist.mode ?? (role === "replace" ? centre : 0), [...path, "mode"], "mode")
      if (mode < min || mode > max)
        throw bad([...path, dist.mode === undefined ? "min" : "mode"], `the mode ${mode} must lie within [min, max] = [${min}, ${max}]`)
      if (min === max) return { kind: "constant", a: min, b: 0, c: 0, mean: min }
      return { kind: "triangular", a: min, b: max, c: mode, mean: (min + max + mode) / 3 }
    }
    case "lognormal": {
      const sigma = finiteOr(dist.sigma, [...path, "sigma"], "sigma")
      if (sigma < 0) throw bad([...path, "sigma"], "sigma must be >= 0")
      const median = dist.median ?? (role === "replace" ? centre : Number.NaN)
      if (Number.isNaN(median)) throw bad([...path, "median"], "a lognormal added to a value needs its median (it cannot be centred on 0)")
      if (!(median > 0)) throw bad([...path, "median"], `the lognormal's median ${median} must be > 0`)
      if (sigma === 0) return { kind: "constant", a: median, b: 0, c: 0, mean: median }
      return { kind: "lognormal", a: median, b: sigma, c: 0, mean: median * Math.exp((sigma * sigma) / 2) }
    }
  }
}

/** The standard normal N(0, 1), as prepared: its draws are the streams' `normal()` exactly. */
export const STANDARD_NORMAL: PreparedDistribution = { kind: "normal", a: 0, b: 1, c: 0, mean: 0 }

/** One variate of `p` from the stream's current position. */
const sampleOne = (p: PreparedDistribution, stream: RandomStream): number => {
  switch (p.kind) {
    case "constant":
      return p.a
    case "normal":
      return p.a + p.b * stream.normal()
    case "uniform":
      return p.a + (p.b - p.a) * stream.uniform()
    case "triangular": {
      // inverse CDF of the triangular distribution
      const u = stream.uniform()
      const lo = p.a, hi = p.b, mode = p.c
      const f = (mode - lo) / (hi - lo)
      return u < f ? lo + Math.sqrt(u * (hi - lo) * (mode - lo)) : hi - Math.sqrt((1 - u) * (hi - lo) * (hi - mode))
    }
    case "lognormal":
      return p.a * Math.exp(p.b * stream.normal())
  }
}

/**
 * Writes draws `firstDraw .. firstDraw + count - 1` of one source into
 * `out[offset + i * stride]` (i = 0..count-1). Draw d is variate d mod DRAW_BLOCK of the
 * source's stream of block floor(d / DRAW_BLOCK) (rng.ts): its value never depends on
 * `firstDraw` or `count`. A range that starts inside a block generates that block from its
 * start and discards the variates before `firstDraw` (a ziggurat normal consumes a varying
 * number of outputs, so skipping means generating), unless `positions` holds the stream where
 * an earlier range of the same source stopped at `firstDraw`: it then continues from there
 * (the same numbers). With `add` true the variate is added to what `out` holds; otherwise it
 * replaces it.
 */
export const sampleDraws = (
  p: PreparedDistribution,
  key: StreamKey,
  stream: RandomStream,
  firstDraw: number,
  count: number,
  out: Float64Array,
  offset: number,
  stride: number,
  add: boolean,
  positions?: StreamPositions,
): void => {
  if (p.kind === "constant") {
    for (let i = 0; i < count; i++) {
      const at = offset + i * stride
      out[at] = add ? out[at] + p.a : p.a
    }
    return
  }
  const end = firstDraw + count
  let d = firstDraw
  let at = offset
  while (d < end) {
    const start = Math.floor(d / DRAW_BLOCK) * DRAW_BLOCK
    if (d === start || positions === undefined || !positions.resume(key, p, d, stream)) {
      stream.reset(key, start / DRAW_BLOCK)
      for (let s = start; s < d; s++) sampleOne(p, stream)
    }
    const stop = Math.min(end, start + DRAW_BLOCK)
    sampleRun(p, stream, stop - d, out, at, stride, add)
    if (positions !== undefined && stop < start + DRAW_BLOCK) positions.keep(key, p, stop, stream)
    at += (stop - d) * stride
    d = stop
  }
}

/**
 * Where each source's stream stopped inside a block, so that a range starting there continues
 * the stream instead of generating the block from its start and discarding the variates before
 * (the same numbers: the saved state is the one the discarding reaches). Chunks smaller than
 * DRAW_BLOCK, taken in order, then cost what their draws cost: a large model's chunks are a few
 * draws. One per run of chunks (draws.ts's DrawRunner); keyed by the StreamKey object, and
 * used only for the same distribution (how many outputs a variate takes depends on it).
 */
export class StreamPositions {
  private readonly slots = new Map<StreamKey, number>()
  private readonly kinds: PreparedDistribution[] = []
  private states = new Int32Array(64)
  private next = new Float64Array(16)

  /** Restores `key`'s stream into `stream` when it stopped at draw `d` sampling `p`; false when it did not. */
  resume(key: StreamKey, p: PreparedDistribution, d: number, stream: RandomStream): boolean {
    const slot = this.slots.get(key)
    if (slot === undefined || this.next[slot] !== d || this.kinds[slot] !== p) return false
    stream.restore(this.states, slot * 4)
    return true
  }

  /** Records that `key`'s stream, in `stream`, now stands at draw `d` after sampling `p`. */
  keep(key: StreamKey, p: PreparedDistribution, d: number, stream: RandomStream): void {
    let slot = this.slots.get(key)
    if (slot === undefined) {
      slot = this.slots.size
      this.slots.set(key, slot)
      if (slot >= this.next.length) {
        const next = new Float64Array(this.next.length * 2)
        next.set(this.next)
        this.next = next
        const states = new Int32Array(this.states.length * 2)
        states.set(this.states)
        this.states = states
      }
    }
    this.next[slot] = d
    this.kinds[slot] = p
    stream.save(this.states, slot * 4)
  }
}

/** `count` consecutive variates of `p` from the stream's current position into `out[at + i * stride]`. */
const sampleRun = (p: PreparedDistribution, stream: RandomStream, count: number, out: Float64Array, at: number, stride: number, add: boolean): void => {
  // one loop per kind keeps the per-draw work free of dispatch
  const a = p.a, b = p.b
  const end = at + count * stride
  if (p.kind === "normal") {
    if (add) for (let i = at; i < end; i += stride) out[i] += a + b * stream.normal()
    else for (let i = at; i < end; i += stride) out[i] = a + b * stream.normal()
    return
  }
  if (p.kind === "lognormal") {
    for (let i = at; i < end; i += stride) {
      const x = a * Math.exp(b * stream.normal())
      out[i] = add ? out[i] + x : x
    }
    return
  }
  for (let i = at; i < end; i += stride) {
    const x = sampleOne(p, stream)
    out[i] = add ? out[i] + x : x
  }
}
