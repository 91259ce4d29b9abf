// The Monte Carlo runner: simulates the draws of a plan (draws.ts) chunk by chunk into reused
// buffers, each uncertain term sampled for the whole chunk by distributions.ts's `sampleDraws`
// (draw d depends only on seed, key and d; streams resume between chunks), an AR(1) error's
// innovations run through its recursion over the draws, and a deterministic shift (goal-seek's
// trial shock) re-resolving the plan's releases as the same shock given as an event would.
// Shared by project.ts (sketches), seek.ts (shares of draws meeting a target), calibrate.ts,
// particles.ts, responses.ts and multipliers.ts. Pure (no I/O, clock or Math.random).
import type { CompiledModel, SimulationInput } from "../compile/index.ts"
import { checkFinite } from "../compile/finite.ts"
import { NonFiniteError } from "../errors.ts"
import { StreamPositions, sampleDraws } from "./distributions.ts"
import { resolveFixings } from "./observe.ts"
import { RandomStream } from "./rng.ts"
import { DEFAULT_CHUNK, clampPersistence, type DrawPlan } from "./draws.ts"

/**
 * A deterministic shift added to every draw, e.g. a goal-seek's trial shock: `scale` times
 * the add-factor and exogenous deltas (T * nEndo and T * nExo).
 */
export interface Shift {
  readonly addFactors: Float64Array
  readonly exo: Float64Array
  scale: number
}

/** Simulates draws of a plan chunk by chunk into reused buffers. */
export class DrawRunner {
  readonly chunk: number
  /** The solution of the last `run`: out[d*T*nEndo + t*nEndo + j]. */
  readonly out: Float64Array
  private readonly params: Float64Array
  private readonly exo: Float64Array
  private readonly addFactors: Float64Array
  private readonly tmp: Float64Array
  /** Per draw of a chunk: an AR(1) error's innovations of one period, its persistence and sqrt(1 - rho^2). */
  private readonly innovations: Float64Array
  private readonly rho: Float64Array
  private readonly scale: Float64Array
  private readonly stream = new RandomStream()
  /** Where each term's stream stopped: chunks smaller than a block continue it rather than regenerate it. */
  private readonly positions = new StreamPositions()
  private readonly afShiftAt: Int32Array
  private readonly exoShiftAt: Int32Array
  /** The fixed values in use: the plan's, or re-resolved for the shift's scale `resolvedScale`. */
  private fixed: Uint8Array
  private fixedValues: Float64Array
  private resolvedScale = 0
  private readonly free: Uint8Array
  private readonly none: Float64Array
  /** The inputs of the last `run` (its buffers: valid until the next run). */
  last?: SimulationInput
  private resolving?: { fixed: Uint8Array; fixedValues: Float64Array; addFactors: Float64Array; exo: Float64Array }

  private readonly compiled: CompiledModel
  private readonly plan: DrawPlan
  private readonly shift?: Shift

  constructor(compiled: CompiledModel, plan: DrawPlan, chunk = DEFAULT_CHUNK, shift?: Shift) {
    this.compiled = compiled
    this.plan = plan
    this.shift = shift
    if (!(Number.isInteger(chunk) && chunk > 0)) throw new RangeError("chunk must be a positive integer")
    this.chunk = chunk
    const { T, nEndo, nExo, nParam } = plan
    this.params = new Float64Array(chunk * nParam)
    this.exo = new Float64Array(chunk * T * nExo)
    this.addFactors = new Float64Array(chunk * T * nEndo)
    this.out = new Float64Array(chunk * T * nEndo)
    this.tmp = new Float64Array(chunk)
    this.innovations = new Float64Array(chunk)
    this.rho = new Float64Array(chunk)
    this.scale = new Float64Array(chunk)
    const nonzero = (a: Float64Array | undefined) => Int32Array.from(a ? Array.from(a.keys()).filter((i) => a[i] !== 0) : [])
    this.afShiftAt = nonzero(shift?.addFactors)
    this.exoShiftAt = nonzero(shift?.exo)
    this.fixed = plan.fixed
    this.fixedValues = plan.fixedValues
    this.free = new Uint8Array(plan.fixed.length)
    this.none = new Float64Array(plan.fixed.length)
  }

  /** Re-resolves the releases for the central inputs plus `scale` times the shift (the plan's own at scale 0). */
  private resolveAt(scale: number): void {
    const plan = this.plan
    const shift = this.shift!
    this.resolvedScale = scale
    if (scale === 0) {
      this.fixed = plan.fixed
      this.fixedValues = plan.fixedValues
      return
    }
    const r = (this.resolving ??= {
      fixed: new Uint8Array(plan.fixed.length),
      fixedValues: new Float64Array(plan.fixedValues.length),
      addFactors: new Float64Array(plan.addFactors.length),
      exo: new Float64Array(plan.exo.length),
    })
    r.addFactors.set(plan.addFactors)
    r.exo.set(plan.exo)
    for (const k of this.afShiftAt) r.addFactors[k] += scale * shift.addFactors[k]
    for (const k of this.exoShiftAt) r.exo[k] += scale * shift.exo[k]
    resolveFixings(this.compiled, plan.segments, { params: plan.params, exo: r.exo, addFactors: r.addFactors }, r.fixed, r.fixedValues)
    this.fixed = r.fixed
    this.fixedValues = r.fixedValues
  }

  /**
   * Simulates draws firstDraw..firstDraw+n-1 (n <= chunk) into `out`. With `sample` false
   * every draw is the central (deterministic) run. With `errors` false the equation errors
   * are left out (engine/project/condition.ts conditions them in closed form); with `fixings` false the
   * releases' fixed values are not imposed (the draw's own path).
   */
  run(firstDraw: number, n: number, sample: boolean, errors = true, fixings = true, solve = true): Float64Array {
    const { T, nEndo, nExo, nParam } = this.plan
    const TE = T * nEndo
    const TX = T * nExo
    const plan = this.plan
    for (let d = 0; d < n; d++) {
      this.params.set(plan.params, d * nParam)
      this.exo.set(plan.exo, d * TX)
      this.addFactors.set(plan.addFactors, d * TE)
    }
    const shift = this.shift
    if (shift && plan.segments.length > 0 && shift.scale !== this.resolvedScale) this.resolveAt(shift.scale)
    if (shift && shift.scale !== 0) {
      const s = shift.scale
      for (let d = 0; d < n; d++) {
        for (const k of this.afShiftAt) this.addFactors[d * TE + k] += s * shift.addFactors[k]
        for (const k of this.exoShiftAt) this.exo[d * TX + k] += s * shift.exo[k]
      }
    }
    if (sample) {
      const tmp = this.tmp
      for (const term of plan.terms) {
        if (term.target === "param") {
          sampleDraws(term.distribution, term.key, this.stream, firstDraw, n, this.params, term.index, nParam, false, this.positions)
          continue
        }
        if (term.error !== undefined && !errors) continue
        sampleDraws(term.distribution, term.key, this.stream, firstDraw, n, tmp, 0, 1, false, this.positions)
        const [buf, width, stride] = term.target === "endo" ? [this.addFactors, nEndo, TE] : [this.exo, nExo, TX]
        const ar = term.error
        if (ar !== undefined && !(ar.parameter < 0 && ar.persistence === 1)) {
          const { innovations, rho, scale } = this
          for (let d = 0; d < n; d++) {
            const r = ar.parameter < 0 ? ar.persistence : clampPersistence(this.params[d * nParam + ar.parameter])
            rho[d] = r
            scale[d] = Math.sqrt(1 - r * r)
          }
          // tmp[d] carries u[t] of draw d from period to period
          for (let t = term.first; t <= term.last; t++) {
            if (t > term.first) {
              sampleDraws(term.distribution, ar.keys[t], this.stream, firstDraw, n, innovations, 0, 1, false, this.positions)
              for (let d = 0; d < n; d++) tmp[d] = rho[d] * tmp[d] + scale[d] * innovations[d]
            }
            const at = t * width + term.index
            for (let d = 0; d < n; d++) buf[d * stride + at] += tmp[d]
          }
          continue
        }
        for (let d = 0; d < n; d++) {
          const x = tmp[d]
          for (let t = term.first; t <= term.last; t++) buf[d * stride + t * width + term.index] += x
        }
      }
    }
    const input: SimulationInput = {
      draws: n,
      params: n === this.chunk ? this.params : this.params.subarray(0, n * nParam),
      exo: n === this.chunk ? this.exo : this.exo.subarray(0, n * TX),
      addFactors: n === this.chunk ? this.addFactors : this.addFactors.subarray(0, n * TE),
      fixed: fixings ? this.fixed : this.free,
      fixedValues: fixings ? this.fixedValues : this.none,
    }
    this.last = input
    const out = n === this.chunk ? this.out : this.out.subarray(0, n * TE)
    if (solve) {
      this.compiled.simulate(input, out)
      try {
        checkFinite(this.compiled, out, n)
      } catch (e) {
        // name the draw as the run numbers it, or none for the central run
        if (e instanceof NonFiniteError) throw new NonFiniteError({ variables: e.variables, period: e.period, value: e.value, draw: sample && e.draw !== undefined ? firstDraw + e.draw : undefined })
        throw e
      }
    }
    return out
  }
}
