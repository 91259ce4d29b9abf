// Calibration by simulation: if the model were true, are its nowcasts' probabilities right?
// Draws W "true worlds" from the model's own prior under a scenario's inputs (parameters,
// exogenous draws, shocks and AR(1) errors, exactly as Monte Carlo draws them, under a seed of
// its own), gives each world the releases of the scenario's calendar (its releases' series
// and periods) as the world's true year-to-date growth plus release noise, nowcasts each world
// from those releases alone with N draws, and scores the nowcasts against the world's true
// annual growth: coverage of the 50% and 90% bands, a 10-bin PIT histogram, the Brier score
// of P(target) and its reliability table, by the scoring rules of scores.ts (which backtest.ts
// shares). Sits beside project.ts on top of condition.ts; `plancast calibrate` prints it.
// `conditioning: exogenize` scores the old rule (every draw forced onto the releases) the same
// way. With the closed form, every world is nowcast from the same N draws (common random
// numbers across worlds: each draw's factorisation is shared and only the solves are per
// world), so the worlds' Monte Carlo errors are correlated; the fallbacks draw each world's
// nowcast under its own seed. Deterministic in (inputs, options).
// Memory: W * N * (indicators + 1) numbers. Pure.
import type { CompiledModel } from "../compile/index.ts"
import { OptionError } from "../errors.ts"
import { seriesOf, type Observation, type ScenarioInputs } from "../scenario/index.ts"
import { indicatorProfile, segmentsOf, type Release } from "../ytd.ts"
import { drawPlan } from "./draws.ts"
import { DrawRunner } from "./draw-runner.ts"
import { planPeriods, seriesFrames } from "./frames.ts"
import { RandomStream, streamKey } from "./rng.ts"
import { STANDARD_NORMAL, sampleDraws } from "./distributions.ts"
import { annualOfBatch, ytdAt, ytdBatch, ytdPath } from "../ytd.ts"
import { meetsTarget } from "../target.ts"
import { ConditionedRunner, methodOf } from "./condition.ts"
import { evidenceOf } from "./evidence.ts"
import { WeightedSketch } from "./weighted.ts"
import { binOf, brierScore, coverage } from "./scores.ts"

export interface CalibrationOptions {
  readonly worlds: number
  readonly draws: number
  readonly seed: number
  /** `posterior` (default) or `exogenize` (the old rule, for comparison). */
  readonly conditioning?: "posterior" | "exogenize"
  readonly chunk?: number
}

export interface ReliabilityBin {
  /** Bin index 0..9: predicted P(target) in [bin/10, (bin+1)/10). */
  readonly bin: number
  readonly predicted: number
  readonly observed: number
  readonly n: number
}

export interface IndicatorCalibration {
  readonly id: string
  readonly coverage50: number
  readonly coverage90: number
  /** Shares of worlds whose true annual growth falls in each tenth of the nowcast's distribution. */
  readonly pit: readonly number[]
  /** Mean squared error of P(target); null without a target. */
  readonly brier: number | null
  readonly reliability: readonly ReliabilityBin[]
}

export interface CalibrationReport {
  readonly worlds: number
  readonly draws: number
  readonly seed: number
  readonly conditioning: "posterior" | "exogenize"
  /** Releases per world (the scenario's calendar). */
  readonly releases: number
  /** Smallest and median effective sample size of the worlds' nowcasts. */
  readonly ess: { readonly min: number; readonly median: number }
  readonly indicators: readonly IndicatorCalibration[]
}

/** The seed of the true worlds' streams, apart from every nowcast's. */
const worldSeed = (seed: number): number => (seed % 2 ** 40) + 2 ** 50
/** The seed of world w's nowcast. */
const nowcastSeed = (seed: number, w: number): number => (seed % 2 ** 40) + 1 + w

/** The inputs with each release's value replaced by `ytd(indicator, through)`. */
const withReleases = (compiled: CompiledModel, inputs: ScenarioInputs, ytd: (o: Observation, r: Release) => number): ScenarioInputs => {
  const nEndo = compiled.endogenous.length
  const fixed = new Uint8Array(inputs.fixed.length)
  const observations = inputs.observations.map((o): Observation => {
    const ind = seriesOf(compiled.model, o.indicator)!
    const releases = o.releases.map((r) => ({ ...r, ytd: ytd(o, r) }))
    const segments = segmentsOf(ind.kind, indicatorProfile(ind, compiled.model.calendar, compiled.periodsPerYear), releases)
    for (const s of segments) for (let t = s.first; t <= s.last; t++) fixed[t * nEndo + o.index] = 1
    return { ...o, releases, segments }
  })
  return { ...inputs, observations, fixed }
}

/** Runs the calibration check (see the file header). Throws OptionError for bad options. */
export const calibrate = (compiled: CompiledModel, inputs: ScenarioInputs, opts: CalibrationOptions): CalibrationReport => {
  const { worlds: W, draws: N, seed } = opts
  const conditioning = opts.conditioning ?? "posterior"
  if (!(Number.isInteger(W) && W >= 1 && W <= 100_000)) throw new OptionError({ option: "worlds", problem: `must be an integer from 1 to 100,000, not ${String(W)}` })
  if (!(Number.isInteger(N) && N >= 1 && N <= 1_000_000)) throw new OptionError({ option: "draws", problem: `must be an integer from 1 to 1,000,000, not ${String(N)}` })
  if (!Number.isSafeInteger(seed)) throw new OptionError({ option: "seed", problem: "must be a safe integer" })
  const evidence = evidenceOf(compiled, inputs)
  if (evidence.length === 0) throw new OptionError({ option: "scenario", problem: "has no observe events: calibration needs a release calendar" })
  const chunk = Math.min(opts.chunk ?? 512, N)
  // every released series (the releases may name observables); only the indicators are scored
  const frames = seriesFrames(compiled)
  const nScored = compiled.model.indicators.length
  const P = planPeriods(compiled)
  const T = compiled.periods.length
  const nEndo = compiled.endogenous.length
  const nI = frames.length
  const layout = ytdBatch(frames, P)

  // the true worlds: draws of the prior (errors included, nothing fixed)
  const worldPlan = drawPlan(compiled, inputs, worldSeed(seed))
  const worldRunner = new DrawRunner(compiled, worldPlan, Math.min(256, W))
  const truth = new Float64Array(W * nI * P) // ytd paths
  const path = new Float64Array(P)
  for (let first = 0; first < W; first += worldRunner.chunk) {
    const n = Math.min(worldRunner.chunk, W - first)
    const out = worldRunner.run(first, n, true, true, false)
    for (let d = 0; d < n; d++)
      frames.forEach((f, i) => {
        ytdPath(f.kind, f.b, out, d * T * nEndo + f.j, nEndo, P, path)
        truth.set(path, ((first + d) * nI + i) * P)
      })
  }

  // each world's releases: its true year-to-date growth plus release noise, on the scenario's calendar
  const K = evidence.length
  const ys = new Float64Array(W * K)
  const stream = new RandomStream()
  const noiseKeys = evidence.map((e) => streamKey(seed, `calibration:${e.series}@${compiled.periods[e.through]}`))
  // a world index plays the role of the draw: ys holds each world's standard normals first
  evidence.forEach((e, k) => {
    sampleDraws(STANDARD_NORMAL, noiseKeys[k], stream, 0, W, ys, k, K, false)
    for (let w = 0; w < W; w++) ys[w * K + k] = truth[(w * nI + e.frame) * P + e.through] + e.sd * ys[w * K + k]
  })
  // nowcasts: annual growth and log-weight of every draw for every world
  const annual = new Float64Array(W * N * nI)
  const lw = new Float64Array(W * N)
  if (conditioning === "posterior" && methodOf(compiled, drawPlan(compiled, inputs, nowcastSeed(seed, 0))).method === "kalman") {
    // one set of draws for every world (common random numbers across worlds): each draw is
    // factored once, and only the solves depend on the world's releases
    const s = nowcastSeed(seed, 0)
    const runner = new ConditionedRunner(compiled, drawPlan(compiled, inputs, s), frames, evidence, s, chunk, N)
    for (let first = 0; first < N; first += runner.chunk) runner.runWorlds(first, Math.min(runner.chunk, N - first), ys, W, N, lw, annual)
  } else {
    for (let w = 0; w < W; w++) {
      const synthetic = withReleases(compiled, inputs, (o, r) => ys[w * K + evidence.findIndex((e) => e.series === o.indicator && e.through === r.through)])
      const s = nowcastSeed(seed, w)
      const plan = drawPlan(compiled, synthetic, s)
      if (conditioning === "posterior") {
        const runner = new ConditionedRunner(compiled, plan, frames, evidenceOf(compiled, synthetic), s, chunk, N)
        for (let first = 0; first < N; first += runner.chunk) {
          const n = Math.min(runner.chunk, N - first)
          const r = runner.run(first, n)
          // a calibration scores every draw: one whose solution failed fails it
          if (r.failed.length > 0) throw r.failed[0]!.reason
          for (let d = 0; d < n; d++) {
            lw[w * N + first + d] = r.logWeight[d]
            frames.forEach((f, i) => (annual[(w * N + first + d) * nI + i] = ytdAt(f.kind, f.b, r.growth, (d * nI + i) * P, 1, P)))
          }
        }
      } else {
        const runner = new DrawRunner(compiled, plan, chunk)
        for (let first = 0; first < N; first += runner.chunk) {
          const n = Math.min(runner.chunk, N - first)
          annualOfBatch(layout, runner.run(first, n, true), n, T, nEndo, annual.subarray((w * N + first) * nI))
        }
      }
    }
  }

  const cover50 = new Float64Array(nI)
  const cover90 = new Float64Array(nI)
  const pit = frames.map(() => new Float64Array(10))
  const brier = new Float64Array(nI)
  const rel = frames.map(() => Array.from({ length: 10 }, () => ({ p: 0, met: 0, n: 0 })))
  const esses: number[] = []
  for (let w = 0; w < W; w++) {
    let ref = -Infinity
    for (let d = 0; d < N; d++) ref = Math.max(ref, lw[w * N + d])
    const sketches = frames.map(() => new WeightedSketch())
    const meets = new Float64Array(nI)
    let wsum = 0
    let w2 = 0
    for (let d = 0; d < N; d++) {
      const wt = Math.exp(lw[w * N + d] - ref)
      wsum += wt
      w2 += wt * wt
      frames.forEach((f, i) => {
        const a = annual[(w * N + d) * nI + i]
        sketches[i].add(a, wt)
        if (f.target !== undefined && meetsTarget(f.target, a)) meets[i] += wt
      })
    }
    esses.push((wsum * wsum) / w2)
    frames.forEach((f, i) => {
      const y = truth[(w * nI + i) * P + P - 1]
      const q = sketches[i]
      const c = coverage({ p05: q.quantile(0.05), p25: q.quantile(0.25), p75: q.quantile(0.75), p95: q.quantile(0.95) }, y)
      if (c.inside50) cover50[i]++
      if (c.inside90) cover90[i]++
      pit[i][binOf(q.cdf(y))]++
      if (f.target !== undefined) {
        const p = meets[i] / wsum
        const met = meetsTarget(f.target, y)
        brier[i] += brierScore(p, met)
        const b = rel[i][binOf(p)]
        b.p += p
        b.met += met ? 1 : 0
        b.n++
      }
    })
  }
  esses.sort((a, b) => a - b)
  return {
    worlds: W,
    draws: N,
    seed,
    conditioning,
    releases: evidence.length,
    ess: { min: esses[0], median: esses[Math.floor(W / 2)] },
    indicators: frames.slice(0, nScored).map((f, i) => ({
      id: compiled.model.indicators[f.index].id,
      coverage50: cover50[i] / W,
      coverage90: cover90[i] / W,
      pit: Array.from(pit[i], (x) => x / W),
      brier: f.target === undefined ? null : brier[i] / W,
      reliability: f.target === undefined ? [] : rel[i].flatMap((b, bin) => (b.n === 0 ? [] : [{ bin, predicted: b.p / b.n, observed: b.met / b.n, n: b.n }])),
    })),
  }
}
