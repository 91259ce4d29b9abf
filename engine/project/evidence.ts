// Releases as evidence, the observation model that both ways of conditioning draws on them share
// (closed form, kalman.ts; resample-move, resample-move.ts; chosen in condition.ts): which
// releases a scenario holds, how each reads the period growths, and what a chunk of conditioned
// draws gives back.
//
// Observation model: a release k of series i through period T_k is y_k = ytd_i(T_k) + v_k,
// v_k ~ N(0, r_k^2) independent, and year-to-date growth is affine in the period growths:
// ytd(T) = c_T + sum_{s<=T} w_Ts g_s (engine/ytd.ts, ytdWeights and ytdConstant: w = b_s /
// sum_{s<=T} b for flows and incomes, 1/(T+1) for rates; with calendar-day weights w uses the
// plan-year weights and c_T is the day-weight constant, else c_T = 0).
//
// Noise streams: v_k from "release:<series>@<period label>", so two scenarios with the same
// releases and seed draw the same noise (common random numbers). Pure.
import type { CompiledModel } from "../compile/index.ts"
import { releasedSeries, type ScenarioInputs } from "../scenario/index.ts"
import { streamKey, type StreamKey } from "./rng.ts"
import type { IndicatorFrame } from "./frames.ts"
import { ytdConstant, ytdWeights } from "../ytd.ts"
import type { FailedDraw } from "./failures.ts"

/** One release as evidence. */
export interface Evidence {
  /** The observed series' position in the series frames (frames.ts seriesFrames: the indicators, then the observables). */
  readonly frame: number
  readonly series: string
  /** 0-based plan-year period of `through`. */
  readonly through: number
  readonly ytd: number
  /** Release noise sd (pp). */
  readonly sd: number
  readonly event: string
}

/** The releases of a scenario's inputs as evidence, in period order then the series order (indicators, then observables). */
export const evidenceOf = (compiled: CompiledModel, inputs: ScenarioInputs): Evidence[] => {
  const model = compiled.model
  const series = releasedSeries(model)
  const out: Evidence[] = []
  for (const o of inputs.observations) {
    const frame = series.findIndex((i) => i.id === o.indicator)
    const ind = series[frame]
    for (const r of o.releases) out.push({ frame, series: o.indicator, through: r.through, ytd: r.ytd, sd: r.sd ?? ind.release?.sd ?? model.observation.sd, event: r.event })
  }
  return out.sort((a, b) => a.through - b.through || a.frame - b.frame)
}

/** Draws of one chunk, conditioned: each draw's indicator growth paths and log-weight. */
export interface ConditionedChunk {
  readonly n: number
  /**
   * The chunk's draws (first..first+n-1) whose solution failed (failures.ts), in draw order.
   * A draw left out has log-weight -Infinity and its growth is not to be read; with
   * resample-move a draw failed at the start is dropped by the first resampling, and its row
   * then holds a solved particle.
   */
  readonly failed: readonly FailedDraw[]
  /** growth[(d * nI + i) * P + t]: period growth of indicator i in draw d (plan year). */
  readonly growth: Float64Array
  /** Log marginal likelihood of the releases per draw (up to a constant common to all draws); -Infinity: left out. */
  readonly logWeight: Float64Array
  /** params[d * nParam + p]: the draw's parameters. */
  readonly params: Float64Array
  /** Where conditioning moved the parameters away from their prior draws (resample-move): the prior draws', laid out as `params`. */
  readonly priorParams?: Float64Array
}

/** The log normalising constant of a normal density, per dimension. */
export const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI)

/** The releases' affine reading of the period growths: release k's ytd is c0[k] + sum_s w[k * P + s] g_s. */
export interface ReleaseWeights {
  /** w[k * P + s]: weight of period s in release k (zero after its period). */
  readonly w: Float64Array
  /** c0[k]: the constant of release k (0 without calendar-day weights). */
  readonly c0: Float64Array
}

/** The affine weights of each release over the P periods of the plan year. */
export const releaseWeights = (frames: readonly IndicatorFrame[], evidence: readonly Evidence[], P: number): ReleaseWeights => {
  const w = new Float64Array(evidence.length * P)
  const c0 = new Float64Array(evidence.length)
  evidence.forEach((e, k) => {
    const f = frames[e.frame]
    ytdWeights(f.kind, f.b, e.through, w, k * P)
    c0[k] = ytdConstant(f.kind, f.b, e.through)
  })
  return { w, c0 }
}

/** The release-noise stream of each release (see the file header). */
export const noiseKeys = (compiled: CompiledModel, evidence: readonly Evidence[], seed: number): StreamKey[] =>
  evidence.map((e) => streamKey(seed, `release:${e.series}@${compiled.periods[e.through]}`))
