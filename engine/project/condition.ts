// Releases as evidence: Monte Carlo draws conditioned on a scenario's data releases. Sits
// between the draw plan (engine/project/draws.ts: parameters, exogenous draws, shocks and the
// AR(1) equation errors of every draw) and the projection's weighted summary
// (weighted-summary.ts) or the calibration check (calibrate.ts). Chooses how the draws are
// conditioned and runs them that way:
// - "kalman" (kalman.ts), when the model is affine in its errors with per-draw coefficients
//   (CompiledModel.affine) and every equation error is a centred normal: the errors, and the
//   Gaussian sources the model is affine in (linearSources), are conditioned in closed form
//   within each draw, and the draw is weighted by the releases' marginal likelihood;
// - "resample-move" (resample-move.ts) otherwise: the draws, each weighted by the likelihood of
//   its own path, are resampled and moved by Metropolis-Hastings steps whenever the releases
//   leave too few effective draws.
// The observation model both read, and the chunk they give back, are in evidence.ts. Pure.
import type { CompiledModel } from "../compile/index.ts"
import type { DrawPlan, UncertainTerm } from "./draws.ts"
import type { IndicatorFrame } from "./frames.ts"
import type { ConditionedChunk, Evidence } from "./evidence.ts"
import { KalmanRunner } from "./kalman.ts"
import { ResampleMoveRunner, type ResampleMoveStats } from "./resample-move.ts"

/** How releases condition the draws. */
export type Method = "kalman" | "resample-move"

/** The method a plan allows, with the reason the closed form does not apply when it does not. */
export const methodOf = (compiled: CompiledModel, plan: DrawPlan): { method: Method; reason?: string } => {
  if (!compiled.affine) return { method: "resample-move", reason: "the model is not affine in its equation errors (an equation multiplies, divides or transforms endogenous values)" }
  const bad = plan.terms.find((t) => t.error !== undefined && !(t.distribution.a === 0 && (t.distribution.kind === "normal" || t.distribution.kind === "constant")))
  if (bad) return { method: "resample-move", reason: `the error of ${bad.source.slice("error:".length)} is not a centred normal` }
  return { method: "kalman" }
}

/**
 * The Gaussian sources conditioned in closed form besides the errors: uncertain exogenous
 * series and parameters with a normal distribution (sd > 0) that the equations are affine in,
 * jointly with the endogenous values and with coefficients of other parameters only
 * (CompiledModel.affineIn). Chosen greedily: exogenous series first, then parameters by
 * decreasing sd relative to their value; a persistence parameter never.
 */
export const linearSources = (compiled: CompiledModel, plan: DrawPlan): UncertainTerm[] => {
  const persistence = new Set(plan.terms.flatMap((t) => (t.error !== undefined && t.error.parameter >= 0 ? [t.error.parameter] : [])))
  const normal = (t: UncertainTerm) => t.distribution.kind === "normal" && t.distribution.b > 0
  const exo = plan.terms.filter((t) => t.target === "exo" && t.error === undefined && t.source.startsWith("exogenous:") && normal(t))
  const rel = (t: UncertainTerm) => (t.distribution.a === 0 ? Infinity : t.distribution.b / Math.abs(t.distribution.a))
  const params = plan.terms.filter((t) => t.target === "param" && normal(t) && !persistence.has(t.index)).sort((x, y) => rel(y) - rel(x) || x.index - y.index)
  const ps = new Set<number>()
  const xs = new Set<number>()
  const chosen: UncertainTerm[] = []
  for (const t of [...exo, ...params]) {
    const [set] = t.target === "param" ? [ps] : [xs]
    set.add(t.index)
    if (compiled.affineIn(ps, xs)) chosen.push(t)
    else set.delete(t.index)
  }
  return chosen
}

/**
 * Runs chunks of conditioned draws 0..draws-1 of a plan, by the plan's method unless one is
 * given (resample-move conditions all the draws together when constructed).
 */
export class ConditionedRunner {
  readonly chunk: number
  readonly method: Method
  /** Gaussian parameters and exogenous draws the path is affine in: conditioned in closed form with the errors (none for resample-move). */
  readonly linear: readonly UncertainTerm[]
  /** What resample-move did (undefined for the closed form). */
  readonly stats?: ResampleMoveStats
  private readonly runner: KalmanRunner | ResampleMoveRunner

  constructor(compiled: CompiledModel, plan: DrawPlan, frames: readonly IndicatorFrame[], evidence: readonly Evidence[], seed: number, chunk: number, draws: number, method?: Method) {
    this.method = method ?? methodOf(compiled, plan).method
    this.linear = this.method === "kalman" ? linearSources(compiled, plan) : []
    if (this.method === "kalman") this.runner = new KalmanRunner(compiled, plan, frames, evidence, seed, chunk, this.linear)
    else {
      const runner = new ResampleMoveRunner(compiled, plan, frames, evidence, seed, chunk, draws)
      this.stats = runner.stats
      this.runner = runner
    }
    this.chunk = this.runner.chunk
  }

  /** Draws first..first+n-1 (n <= chunk), conditioned on the evidence. */
  run(first: number, n: number): ConditionedChunk {
    return this.runner.run(first, n)
  }

  /** Draws conditioned on prefixes of the evidence at once (KalmanRunner.runSteps); needs the closed form. */
  runSteps(first: number, n: number, steps: readonly { readonly releases: number; readonly ytd: ArrayLike<number> }[]): ConditionedChunk[] {
    if (!(this.runner instanceof KalmanRunner)) throw new Error("runSteps needs the closed form")
    return this.runner.runSteps(first, n, steps)
  }

  /** Nowcasts of many worlds at once from the same draws (KalmanRunner.runWorlds); needs the closed form. */
  runWorlds(first: number, n: number, ys: Float64Array, worlds: number, stride: number, lw: Float64Array, annual: Float64Array): void {
    if (!(this.runner instanceof KalmanRunner)) throw new Error("runWorlds needs the closed form")
    this.runner.runWorlds(first, n, ys, worlds, stride, lw, annual)
  }
}
