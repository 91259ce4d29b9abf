// The responses the closed-form conditioning (kalman.ts) reads: for each draw of a chunk, its
// base path (its parameters, exogenous draws and shocks, no equation errors, the linear
// sources at their means) and, for each equation error q, the response K_q of the indicators
// to u_q[t] = sd_q rho_q^t on top of the draw's own inputs, and for each linear source (a
// Gaussian parameter or exogenous series the model is affine in, condition.ts linearSources)
// the response to one sd up. One simulation of the whole chunk per error and per linear source.
// Invariant: a response is the difference of two simulations of the same draw that differ in
// the one perturbation, so where the model is affine in the perturbed source it does not
// depend on the perturbation's size. A draw fails (failures.ts) when any of its simulations
// does not converge or is not finite: it is marked in `failed`, the first reason kept, and its
// responses are not to be read. Pure; reuses its buffers from chunk to chunk.
import type { CompiledModel } from "../compile/index.ts"
import { clampPersistence, type DrawPlan, type UncertainTerm } from "./draws.ts"
import { DrawRunner } from "./draw-runner.ts"
import { RandomStream } from "./rng.ts"
import { STANDARD_NORMAL, sampleDraws } from "./distributions.ts"
import { framePeriods, type IndicatorFrame } from "./frames.ts"
import { solveMarking, type DrawFailure } from "./failures.ts"

/** Runs a chunk's base paths and the responses of its errors and linear sources. */
export class ChunkResponses {
  readonly chunk: number
  /** The equation errors that are normal, in plan order (q). */
  readonly errors: readonly UncertainTerm[]
  /** The linear sources, in their order (l). */
  readonly linear: readonly UncertainTerm[]
  /** params[d * nParam + p]: the chunk's parameters as simulated (the linear ones at their means). */
  readonly params: Float64Array
  /** base[d * T * nEndo + t * nEndo + j]: the base paths of every endogenous variable. */
  readonly base: Float64Array
  /** resp[((q * chunk + d) * nI + i) * P + t]: response of indicator i in draw d to error q's unit path. */
  readonly resp: Float64Array
  /** respL[((l * chunk + d) * nI + i) * P + t]: response of indicator i in draw d to linear source l one sd up. */
  readonly respL: Float64Array
  /** rho[q * chunk + d]: error q's persistence in draw d. */
  readonly rho: Float64Array
  /** zl[d * L + l]: the standard normal linear source l drew in draw d (its prior draw). */
  readonly zl: Float64Array
  /** failed[d]: 1 when a simulation of draw d failed, its first reason in reasons[d]. */
  readonly failed: Uint8Array
  readonly reasons: (DrawFailure | undefined)[] = []
  private readonly runner: DrawRunner
  private readonly stream = new RandomStream()
  private readonly exo: Float64Array
  private readonly af: Float64Array
  private readonly out: Float64Array
  private readonly p2: Float64Array
  private readonly x2: Float64Array
  private readonly free: Uint8Array
  private readonly none: Float64Array
  private readonly compiled: CompiledModel
  private readonly plan: DrawPlan
  private readonly frames: readonly IndicatorFrame[]
  private readonly P: number

  constructor(compiled: CompiledModel, plan: DrawPlan, frames: readonly IndicatorFrame[], linear: readonly UncertainTerm[], chunk: number) {
    this.compiled = compiled
    this.plan = plan
    this.frames = frames
    this.linear = linear
    this.runner = new DrawRunner(compiled, plan, chunk)
    this.chunk = this.runner.chunk
    const P = (this.P = framePeriods(frames))
    const C = this.chunk
    const TE = plan.T * plan.nEndo
    const TX = plan.T * plan.nExo
    const nI = frames.length
    this.errors = plan.terms.filter((t) => t.error !== undefined && t.distribution.kind === "normal")
    this.respL = new Float64Array(linear.length * C * nI * P)
    this.zl = new Float64Array(C * linear.length)
    this.exo = new Float64Array(C * TX)
    this.x2 = new Float64Array(C * TX)
    this.p2 = new Float64Array(C * plan.nParam)
    this.rho = new Float64Array(this.errors.length * C)
    this.base = new Float64Array(C * TE)
    this.out = new Float64Array(C * TE)
    this.af = new Float64Array(C * TE)
    this.resp = new Float64Array(this.errors.length * C * nI * P)
    this.params = new Float64Array(C * plan.nParam)
    this.free = new Uint8Array(TE)
    this.none = new Float64Array(TE)
    this.failed = new Uint8Array(C)
  }

  /** The inputs, base paths and responses of draws first..first+n-1 (n <= chunk). */
  run(first: number, n: number): void {
    const { T, nEndo, nExo, nParam } = this.plan
    const TE = T * nEndo
    const TX = T * nExo
    const P = this.P
    const nI = this.frames.length
    const frames = this.frames
    const Q = this.errors.length
    const L = this.linear.length
    const C = this.chunk
    const base = this.base
    const stream = this.stream
    this.runner.run(first, n, true, false, false, false)
    const last = this.runner.last!
    // the linear sources at their means in the base run; zl[d * L + l] their own standard normals
    const params = this.params
    params.set(last.params.subarray(0, n * nParam))
    const exo = this.exo
    exo.set(last.exo.subarray(0, n * TX))
    const zl = this.zl
    this.linear.forEach((term, l) => {
      const { a, b } = term.distribution
      sampleDraws(STANDARD_NORMAL, term.key, stream, first, n, zl, l, L, false)
      for (let d = 0; d < n; d++) {
        const z = zl[d * L + l]
        if (term.target === "param") params[d * nParam + term.index] = a
        else for (let t = term.first; t <= term.last; t++) exo[d * TX + t * nExo + term.index] -= b * z
      }
    })
    this.failed.fill(0)
    const sim = (p: Float64Array, x: Float64Array, af: Float64Array, out: Float64Array): void =>
      solveMarking(
        this.compiled,
        { draws: n, params: p.subarray(0, n * nParam), exo: x.subarray(0, n * TX), addFactors: af.subarray(0, n * TE), fixed: this.free, fixedValues: this.none },
        out,
        this.failed,
        this.reasons,
        first,
      )
    sim(params, exo, last.addFactors, base)
    const store = (resp: Float64Array, col: number, out: Float64Array): void => {
      for (let d = 0; d < n; d++)
        for (let i = 0; i < nI; i++) {
          const j = frames[i].j
          const row = ((col * C + d) * nI + i) * P
          for (let t = 0; t < P; t++) resp[row + t] = out[d * TE + t * nEndo + j] - base[d * TE + t * nEndo + j]
        }
    }
    // responses K_q: u_q[t] = sd_q rho^t on top of the draw's own inputs
    const rho = this.rho
    for (let q = 0; q < Q; q++) {
      const term = this.errors[q]
      const ar = term.error!
      const sd = term.distribution.b
      this.af.set(last.addFactors.subarray(0, n * TE))
      for (let d = 0; d < n; d++) {
        const r = ar.parameter < 0 ? ar.persistence : clampPersistence(params[d * nParam + ar.parameter])
        rho[q * C + d] = r
        let u = sd
        for (let t = 0; t < T; t++) {
          this.af[d * TE + t * nEndo + term.index] += u
          u *= r
          if (u === 0) break
        }
      }
      sim(params, exo, this.af, this.out)
      store(this.resp, q, this.out)
    }
    // responses of the linear sources: one sd up
    this.linear.forEach((term, l) => {
      const { b } = term.distribution
      if (term.target === "param") {
        this.p2.set(params.subarray(0, n * nParam))
        for (let d = 0; d < n; d++) this.p2[d * nParam + term.index] += b
        sim(this.p2, exo, last.addFactors, this.out)
      } else {
        this.x2.set(exo.subarray(0, n * TX))
        for (let d = 0; d < n; d++) for (let t = term.first; t <= term.last; t++) this.x2[d * TX + t * nExo + term.index] += b
        sim(params, this.x2, last.addFactors, this.out)
      }
      store(this.respL, l, this.out)
    })
  }
}
