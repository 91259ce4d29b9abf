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
// Prefixes of the evidence (a backtest's steps, prefixSummaries) share one closed-form runner:
// each draw is factored once for the longest prefix and solved for every step
// (KalmanRunner.runSteps), and each step's summary is the one conditionedSummary gives for its
// prefix, the same bits. Memory: every step's sketches at once.
// Pure.
import type { CompiledModel } from "../compile/index.ts"
import type { DrawPlan } from "./draws.ts"
import { framePeriods, type IndicatorFrame } from "./frames.ts"
import { ytdPath } from "../ytd.ts"
import type { TargetTally } from "./tally.ts"
import { ConditionedRunner, type Method } from "./condition.ts"
import type { ResampleMoveStats } from "./resample-move.ts"
import type { ConditionedChunk, Evidence } from "./evidence.ts"
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

/** Where a summary's draws go besides the sketches: every draw's annual growths of the indicators (annual[d * indicators + i]) and log-weight (NaN and -Infinity for a failed draw). */
export interface KeptDraws {
  readonly annual: Float64Array
  readonly logWeight: Float64Array
}

/**
 * The summary of one run's conditioned draws, fed chunk by chunk in draw order: first the
 * chunks of the pilot draws (`pilot`, the first pilotDraws(draws)), then every chunk (`add`).
 */
export class WeightedSummary {
  private ref = -Infinity
  private started = false
  private wsum = 0
  private w2sum = 0
  private readonly P: number
  private readonly nKept: number
  private readonly sketches: WeightedSketch[][]
  private readonly paramTerms: DrawPlan["terms"]
  private readonly prior: { s: number; s2: number }[]
  private readonly post: { s: number; s2: number }[]
  private readonly path: Float64Array
  private readonly weight = [0]
  private readonly failures = new DrawFailures()

  private readonly compiled: CompiledModel
  private readonly plan: DrawPlan
  private readonly frames: readonly IndicatorFrame[]
  private readonly draws: number
  private readonly tally: TargetTally
  private readonly keep?: KeptDraws

  constructor(compiled: CompiledModel, plan: DrawPlan, frames: readonly IndicatorFrame[], draws: number, tally: TargetTally, keep?: KeptDraws) {
    this.compiled = compiled
    this.plan = plan
    this.frames = frames
    this.draws = draws
    this.tally = tally
    this.keep = keep
    this.P = framePeriods(frames)
    // the ensemble keeps the indicators only (the first frames), not the observables after them
    this.nKept = compiled.model.indicators.length
    this.sketches = frames.map(() => Array.from({ length: this.P }, () => new WeightedSketch()))
    this.paramTerms = plan.terms.filter((t) => t.target === "param")
    this.prior = this.paramTerms.map(() => ({ s: 0, s2: 0 }))
    this.post = this.paramTerms.map(() => ({ s: 0, s2: 0 }))
    this.path = new Float64Array(this.P)
  }

  /** Takes a chunk of the pilot draws: their largest log-weight is the reference. */
  pilot(r: ConditionedChunk): void {
    for (let d = 0; d < r.n; d++) this.ref = Math.max(this.ref, r.logWeight[d])
  }

  /** Takes the chunk of draws first..first+r.n-1. */
  add(r: ConditionedChunk, first: number): void {
    if (!this.started) {
      if (!Number.isFinite(this.ref)) this.ref = 0
      this.started = true
    }
    const { P, nKept, sketches, tally, keep, prior, post, path, plan } = this
    const nI = this.frames.length
    for (const f of r.failed) this.failures.add(f.draw, f.reason)
    for (let d = 0; d < r.n; d++) {
      // the prior is every draw's, a failed one's too: failing does not change what was drawn
      this.paramTerms.forEach((term, k) => {
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
      if (lw > this.ref + RESCALE) {
        const f = Math.exp(this.ref - lw)
        for (const row of sketches) for (const s of row) s.rescale(f)
        tally.rescale(f)
        for (const p of post) (p.s *= f), (p.s2 *= f)
        this.wsum *= f
        this.w2sum *= f * f
        this.ref = lw
      }
      const w = Math.exp(lw - this.ref)
      if (keep) keep.logWeight[first + d] = lw
      this.wsum += w
      this.w2sum += w * w
      for (let i = 0; i < nI; i++) {
        const f = this.frames[i]
        ytdPath(f.kind, f.b, r.growth, (d * nI + i) * P, 1, P, path)
        for (let t = 0; t < P; t++) sketches[i][t].add(path[t], w)
        tally.record(i, 0, path[P - 1])
        if (keep && i < nKept) keep.annual[(first + d) * nKept + i] = path[P - 1]
      }
      this.weight[0] = w
      tally.closeChunk(1, this.weight)
      this.paramTerms.forEach((term, k) => {
        const x = r.params[d * plan.nParam + term.index]
        post[k].s += w * x
        post[k].s2 += w * x * x
      })
    }
  }

  /** The summary of the draws taken, by the runner that conditioned them. */
  result(runner: Pick<ConditionedRunner, "method" | "stats" | "linear">): ConditionedSummary {
    const { wsum, w2sum, prior, post, failures } = this
    failures.throwIfEvery(this.draws)
    const moments = (s: number, s2: number, total: number) => {
      const mean = s / total
      return { mean, sd: Math.sqrt(Math.max(0, s2 / total - mean * mean)) }
    }
    return {
      method: runner.method,
      ...(runner.stats !== undefined ? { stats: runner.stats } : {}),
      sketches: this.sketches,
      ess: wsum > 0 ? (wsum * wsum) / w2sum : 0,
      posterior: this.paramTerms.map((term, k) => ({
        parameter: this.compiled.parameters[term.index],
        // a parameter conditioned in closed form leaves no prior draw behind: its normal's own moments
        prior: runner.linear.includes(term) ? { mean: term.distribution.a, sd: term.distribution.b } : moments(prior[k].s, prior[k].s2, this.draws),
        posterior: moments(post[k].s, post[k].s2, wsum),
      })),
      failures,
    }
  }
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
  /** When given, takes every draw's annual growths of the indicators and log-weight (NaN and -Infinity for a failed draw). */
  keep?: KeptDraws,
): ConditionedSummary => {
  const runner = new ConditionedRunner(compiled, plan, frames, evidence, seed, Math.min(chunk, draws), draws, method)
  const summary = new WeightedSummary(compiled, plan, frames, draws, tally, keep)
  const C = runner.chunk
  const pilot = Math.min(PILOT_DRAWS, draws)
  for (let first = 0; first < pilot; first += C) summary.pilot(runner.run(first, Math.min(C, pilot - first)))
  for (let first = 0; first < draws; first += C) summary.add(runner.run(first, Math.min(C, draws - first)), first)
  return summary.result(runner)
}

/** One step of prefixSummaries: its first `releases` releases with values `ytd`, its tally and kept draws. */
export interface PrefixStep {
  readonly releases: number
  readonly ytd: ArrayLike<number>
  readonly tally: TargetTally
  readonly keep?: KeptDraws
}

/**
 * The conditioned summaries of several steps, each on a prefix of `evidence` (the releases'
 * series, periods and sd; its own values), in closed form: each is the summary
 * conditionedSummary gives for its prefix (see the file header). The plan's method must be the
 * closed form.
 */
export const prefixSummaries = (
  compiled: CompiledModel,
  plan: DrawPlan,
  frames: readonly IndicatorFrame[],
  evidence: readonly Evidence[],
  steps: readonly PrefixStep[],
  draws: number,
  seed: number,
  chunk: number,
): ConditionedSummary[] => {
  const runner = new ConditionedRunner(compiled, plan, frames, evidence, seed, Math.min(chunk, draws), draws, "kalman")
  const summaries = steps.map((s) => new WeightedSummary(compiled, plan, frames, draws, s.tally, s.keep))
  const C = runner.chunk
  const pilot = Math.min(PILOT_DRAWS, draws)
  for (let first = 0; first < pilot; first += C) runner.runSteps(first, Math.min(C, pilot - first), steps).forEach((r, s) => summaries[s].pilot(r))
  for (let first = 0; first < draws; first += C) runner.runSteps(first, Math.min(C, draws - first), steps).forEach((r, s) => summaries[s].add(r, first))
  return summaries.map((s) => s.result(runner))
}
