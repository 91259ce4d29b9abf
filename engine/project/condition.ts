// Releases as evidence: Monte Carlo draws conditioned on a scenario's data releases. Sits
// between the draw plan (engine/project/draws.ts: parameters, exogenous draws, shocks and the
// AR(1) equation errors of every draw) and the projection's weighted summary
// (weighted-summary.ts) or the calibration check (calibrate.ts). Chooses how the draws are
// conditioned and runs them that way:
// - "kalman" (kalman.ts), when the model is affine in its errors with per-draw coefficients
//   (CompiledModel.affine) and every equation error is a centred normal: the errors, and the
//   Gaussian sources the model is affine in (linearSources), are conditioned in closed form
//   within each draw, and the draw is weighted by the releases' marginal likelihood;
// - "importance" (importance.ts) otherwise: each draw keeps its own errors and is weighted by
//   the likelihood of its own path.
// The observation model both read, and the chunk they give back, are in evidence.ts. Pure.
import type { CompiledModel } from "../compile/index.ts"
import type { DrawPlan, UncertainTerm } from "./draws.ts"
import type { IndicatorFrame } from "./frames.ts"
import type { ConditionedChunk, Evidence } from "./evidence.ts"
import { ImportanceRunner } from "./importance.ts"
import { KalmanRunner } from "./kalman.ts"

/** How releases condition the draws. */
export type Method = "kalman" | "importance"

/** The method a plan allows, with the reason when it is the fallback. */
export const methodOf = (compiled: CompiledModel, plan: DrawPlan): { method: Method; reason?: string } => {
  if (!compiled.affine) return { method: "importance", reason: "the model is not affine in its equation errors (an equation multiplies, divides or transforms endogenous values)" }
  const bad = plan.terms.find((t) => t.error !== undefined && !(t.distribution.a === 0 && (t.distribution.kind === "normal" || t.distribution.kind === "constant")))
  if (bad) return { method: "importance", reason: `the error of ${bad.source.slice("error:".length)} is not a centred normal` }
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

/** Runs chunks of conditioned draws of a plan, by the plan's method unless one is given. */
export class ConditionedRunner {
  readonly chunk: number
  readonly method: Method
  /** Gaussian parameters and exogenous draws the path is affine in: conditioned in closed form with the errors (none for importance). */
  readonly linear: readonly UncertainTerm[]
  private readonly runner: KalmanRunner | ImportanceRunner

  constructor(compiled: CompiledModel, plan: DrawPlan, frames: readonly IndicatorFrame[], evidence: readonly Evidence[], seed: number, chunk: number, method?: Method) {
    this.method = method ?? methodOf(compiled, plan).method
    this.linear = this.method === "kalman" ? linearSources(compiled, plan) : []
    this.runner = this.method === "kalman" ? new KalmanRunner(compiled, plan, frames, evidence, seed, chunk, this.linear) : new ImportanceRunner(compiled, plan, frames, evidence, chunk)
    this.chunk = this.runner.chunk
  }

  /** Draws first..first+n-1 (n <= chunk), conditioned on the evidence. */
  run(first: number, n: number): ConditionedChunk {
    return this.runner.run(first, n)
  }

  /** Nowcasts of many worlds at once from the same draws (KalmanRunner.runWorlds); needs the closed form. */
  runWorlds(first: number, n: number, ys: Float64Array, worlds: number, stride: number, lw: Float64Array, annual: Float64Array): void {
    if (!(this.runner instanceof KalmanRunner)) throw new Error("runWorlds needs the closed form")
    this.runner.runWorlds(first, n, ys, worlds, stride, lw, annual)
  }
}
