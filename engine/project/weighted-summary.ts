// The weighted summary of conditioned draws (condition.ts) that a projection reports: one
// weighted sketch per indicator and plan-year period of year-to-date growth, the weighted share
// of draws meeting each target, the effective sample size, and each uncertain parameter's
// prior (the draws before conditioning; a parameter's normal itself where the closed form
// conditions it) and posterior mean and sd; when asked, every draw's annual growths and log-weight (the
// ensemble that backtest.ts scores). Sits between condition.ts and project.ts.
//
// Weights are exp(logWeight - ref), ref the largest log-weight of the first PILOT_DRAWS draws
// (computed first, so the result does not depend on the chunk size); a later log-weight more
// than RESCALE above ref moves ref and rescales every sum; RESCALE keeps a weight's square
// (the effective sample size's sum) finite: exp(2 * 300) is far below the largest double,
// exp(2 * 600) is not. Draws are taken in draw order. A draw whose solution failed (log-weight
// -Infinity, failures.ts) is counted in `failures` and left out: the weights, the effective
// sample size and every share are over the draws that solved; every draw failing fails the run.
// Pure.
import type { CompiledModel } from "../compile/index.ts"
import type { DrawPlan } from "./draws.ts"
import { framePeriods, type IndicatorFrame } from "./frames.ts"
import { ytdPath } from "../ytd.ts"
import type { TargetTally } from "./tally.ts"
import { ConditionedRunner, type Method } from "./condition.ts"
import type { ResampleMoveStats } from "./resample-move.ts"
import type { Evidence } from "./evidence.ts"
import { WeightedSketch } from "./weighted.ts"
import { DrawFailures } from "./failures.ts"

const PILOT_DRAWS = 64
const RESCALE = 300

import type { ParameterPosterior } from "../schema/projection.ts"

/** The summary of a conditioned Monte Carlo run. */
export interface ConditionedSummary {
  readonly method: Method
  /** With resample-move: its resampling steps and acceptance rate. */
  readonly stats?: ResampleMoveStats
  /** sketches[i][t]: year-to-date growth of series frame i (indicators, then observables) through plan-year period t. */
  readonly sketches: WeightedSketch[][]
  /** (sum w)^2 / sum w^2. */
  readonly ess: number
  readonly posterior: ParameterPosterior[]
  /** The draws whose solution failed, left out of everything above. */
  readonly failures: DrawFailures
}

/** Runs `draws` conditioned draws and summarises them (see the file header). */
export const conditionedSummary = (
  compiled: CompiledModel,
  plan: DrawPlan,
  frames: readonly IndicatorFrame[],
  evidence: readonly Evidence[],
  draws: number,
  seed: number,
  chunk: number,
  /** Takes every draw's annual growths with its weight (a tally of chunk size 1). */
  tally: TargetTally,
  method?: Method,
  /** When given, takes every draw's annual growths of the indicators (annual[d * indicators + i]) and log-weight (NaN and -Infinity for a failed draw). */
  keep?: { readonly annual: Float64Array; readonly logWeight: Float64Array },
): ConditionedSummary => {
  const P = framePeriods(frames)
  const nI = frames.length
  // the ensemble keeps the indicators only (the first frames), not the observables after them
  const nKept = compiled.model.indicators.length
  const runner = new ConditionedRunner(compiled, plan, frames, evidence, seed, Math.min(chunk, draws), draws, method)
  const C = runner.chunk
  let ref = -Infinity
  for (let first = 0; first < Math.min(PILOT_DRAWS, draws); first += C) {
    const n = Math.min(C, Math.min(PILOT_DRAWS, draws) - first)
    const r = runner.run(first, n)
    for (let d = 0; d < n; d++) ref = Math.max(ref, r.logWeight[d])
  }
  if (!Number.isFinite(ref)) ref = 0
  const sketches = frames.map(() => Array.from({ length: P }, () => new WeightedSketch()))
  const paramTerms = plan.terms.filter((t) => t.target === "param")
  const prior = paramTerms.map(() => ({ s: 0, s2: 0 }))
  const post = paramTerms.map(() => ({ s: 0, s2: 0 }))
  let wsum = 0
  let w2sum = 0
  const failures = new DrawFailures()
  const path = new Float64Array(P)
  for (let first = 0; first < draws; first += C) {
    const n = Math.min(C, draws - first)
    const r = runner.run(first, n)
    for (const f of r.failed) failures.add(f.draw, f.reason)
    for (let d = 0; d < n; d++) {
      // the prior is every draw's, a failed one's too: failing does not change what was drawn
      paramTerms.forEach((term, k) => {
        const x0 = (r.priorParams ?? r.params)[d * plan.nParam + term.index]
        prior[k].s += x0
        prior[k].s2 += x0 * x0
      })
      const lw = r.logWeight[d]
      if (lw === -Infinity) {
        if (keep) {
          keep.logWeight[first + d] = lw
          for (let i = 0; i < nKept; i++) keep.annual[(first + d) * nKept + i] = Number.NaN
        }
        continue
      }
      if (lw > ref + RESCALE) {
        const f = Math.exp(ref - lw)
        for (const row of sketches) for (const s of row) s.rescale(f)
        tally.rescale(f)
        for (const p of post) (p.s *= f), (p.s2 *= f)
        wsum *= f
        w2sum *= f * f
        ref = lw
      }
      const w = Math.exp(lw - ref)
      if (keep) keep.logWeight[first + d] = lw
      wsum += w
      w2sum += w * w
      for (let i = 0; i < nI; i++) {
        const f = frames[i]
        ytdPath(f.kind, f.b, r.growth, (d * nI + i) * P, 1, P, path)
        for (let t = 0; t < P; t++) sketches[i][t].add(path[t], w)
        tally.record(i, 0, path[P - 1])
        if (keep && i < nKept) keep.annual[(first + d) * nKept + i] = path[P - 1]
      }
      tally.closeChunk(1, [w])
      paramTerms.forEach((term, k) => {
        const x = r.params[d * plan.nParam + term.index]
        post[k].s += w * x
        post[k].s2 += w * x * x
      })
    }
  }
  failures.throwIfEvery(draws)
  const moments = (s: number, s2: number, total: number) => {
    const mean = s / total
    return { mean, sd: Math.sqrt(Math.max(0, s2 / total - mean * mean)) }
  }
  return {
    method: runner.method,
    ...(runner.stats !== undefined ? { stats: runner.stats } : {}),
    sketches,
    ess: wsum > 0 ? (wsum * wsum) / w2sum : 0,
    posterior: paramTerms.map((term, k) => ({
      parameter: compiled.parameters[term.index],
      // a parameter conditioned in closed form leaves no prior draw behind: its normal's own moments
      prior: runner.linear.includes(term) ? { mean: term.distribution.a, sd: term.distribution.b } : moments(prior[k].s, prior[k].s2, draws),
      posterior: moments(post[k].s, post[k].s2, wsum),
    })),
    failures,
  }
}
