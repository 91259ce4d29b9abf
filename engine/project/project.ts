// The projection: a compiled model and a scenario state in, a Projection out (the contract in
// engine/schema/projection.ts). Last stage of the engine's flow:
// it takes the scenario's inputs (engine/scenario toInputs), resolves the data releases into
// fixed values (observe.ts, via draws.ts), runs the deterministic projection and, with
// draws > 0, the seeded Monte Carlo (draw-runner.ts) streaming every draw's year-to-date path into
// bounded-memory sketches (quantiles.ts); `projectEnsemble` also keeps every draw's annual
// growths and weight. A run is `prepareRun` (plan, central run, releases) then `finishRun`
// (draws and summary), so several runs can be conditioned together (ensembles.ts). Invariants: the same (model, state, draws, seed)
// gives the same bits; results do not depend on the chunk size; memory is bounded in the
// number of draws (buffers of one chunk plus one sketch per indicator and plan-year period).
// A Monte Carlo draw whose solution fails (a block that does not converge, a value not finite)
// is counted in `failedDraws` and left out of every band, probability and weight, on every path
// (unconditioned, kept draws, bands, conditioned on releases), by the rule of failures.ts:
// which draws fail never depends on the chunking; a run whose every draw fails still fails.
// The last deterministic projection made with a model is kept with the state it projects (it
// depends on the model and the state alone: the seed draws nothing, and the scenario's name and
// rejected count are labels), so asking for it again, as a forecast does right after admission
// judged the same state, costs no solve. One per model, not one per state: a projection kept
// as long as its state would outlive young garbage and swell the heap. Projections are values:
// nothing changes one once made.
// Pure: no I/O, no clock, no Math.random.
import type { CompiledModel } from "../compile/index.ts"
import { releasedSeries, toInputs, type ScenarioInputs, type ScenarioState } from "../scenario/index.ts"
import { OptionError } from "../errors.ts"
import type { Band, EvidenceReport, IndicatorProjection, ObservableProjection, ParameterPosterior, Projection } from "../schema/projection.ts"
import { DEFAULT_CHUNK, drawPlan, type DrawPlan } from "./draws.ts"
import { DrawRunner } from "./draw-runner.ts"
import { DRAW_BLOCK } from "./rng.ts"
import { BandAccumulator, bandVariables } from "./bands.ts"
import { PILOT, QuantileSketch } from "./quantiles.ts"
import { requiredGrowth, ytdAt, ytdBatch, ytdOfBatch, ytdPath } from "../ytd.ts"
import { meetsTarget, targetBoundary } from "../target.ts"
import { TargetTally } from "./tally.ts"
import { DrawFailures, solveMarking, type DrawFailure } from "./failures.ts"
import { methodOf } from "./condition.ts"
import { evidenceOf, type Evidence } from "./evidence.ts"
import { conditionedSummary, type ConditionedSummary } from "./weighted-summary.ts"
import { indicatorFrames, planPeriods, seriesFrames, type IndicatorFrame } from "./frames.ts"

export { indicatorFrames, planPeriods, seriesFrames, type IndicatorFrame }

/** The most draws a projection accepts. */
export const MAX_DRAWS = 10_000_000

/** Options of a projection. */
export interface ProjectOptions {
  /** Monte Carlo draws: 0 for the deterministic projection only (an integer 0..10,000,000). */
  readonly draws: number
  /** Seed of the random streams (a safe integer). The same seed gives the same bits. */
  readonly seed: number
  /** The scenario's name, echoed in the output. */
  readonly scenario: string
  /**
   * Events refused while folding the scenario's log (the state holds only applied events, so
   * the caller, who folded it, passes the count). Default 0.
   */
  readonly rejected?: number
  /** Draws simulated together (default chunkFor(compiled): 2048, fewer for a large model). Results do not depend on it. */
  readonly chunk?: number
  /**
   * How Monte Carlo draws take the releases: `posterior` (default) weighs every draw by the
   * likelihood of the releases and conditions its errors on them (engine/project/condition.ts);
   * `exogenize` forces every draw onto the released values (the deterministic rule, observe.ts).
   */
  readonly conditioning?: "posterior" | "exogenize"
  /** Endogenous variables ("all": every one) whose Monte Carlo bands `solution.bands` reports per period (bands.ts); none by default. */
  readonly bands?: readonly string[] | "all"
}


/** Checks draws and seed; throws OptionError. */
export const checkRunOptions = (draws: number, seed: number): void => {
  if (!(typeof draws === "number" && Number.isInteger(draws) && draws >= 0 && draws <= MAX_DRAWS))
    throw new OptionError({ option: "draws", problem: `must be an integer from 0 to ${MAX_DRAWS.toLocaleString("en-US")}, not ${String(draws)}` })
  if (!(typeof seed === "number" && Number.isSafeInteger(seed)))
    throw new OptionError({ option: "seed", problem: `must be a safe integer (|seed| < 2^53), not ${String(seed)}` })
}

/** The deterministic (central) solution of a plan: T * nEndo values. */
export const deterministicRun = (compiled: CompiledModel, plan: DrawPlan): Float64Array =>
  new DrawRunner(compiled, plan, 1).run(0, 1, false).slice()

/** Annual growth of indicator `f` in a solution laid out as out[base + t*nEndo + j]. */
export const annualOf = (f: IndicatorFrame, out: Float64Array, base: number, nEndo: number): number =>
  ytdAt(f.kind, f.b, out, base + f.j, nEndo, f.b.length)

/** Number of leading plan-year periods up to the last observed one of solution index j. */
export const observedThrough = (fixed: Uint8Array, j: number, nEndo: number, P: number): number => {
  let last = -1
  for (let t = 0; t < P; t++) if (fixed[t * nEndo + j] === 1) last = t
  return last + 1
}

const point = (x: number): Band => ({ mean: x, p05: x, p25: x, p50: x, p75: x, p95: x })

// Values (draws x periods x endogenous) a chunk's solution buffer holds by default: 4 MB, or
// MIN_CHUNK draws' worth where that is more (a model of over about 1,400 monthly equations).
const CHUNK_VALUES = 1 << 19
// Per chunk, each uncertain term's stream is resumed and sampled once (distributions.ts): below
// about 32 draws that per-call work, not the draws, dominates sampling (5,000 equations: 8-draw
// chunks cost 10% more per draw than 32-draw ones, bench/README.md), while 32 draws of 5,000
// monthly equations still hold only 15 MB per buffer.
const MIN_CHUNK = 32

/**
 * The default chunk: DEFAULT_CHUNK draws, fewer for a large model (at least MIN_CHUNK), so
 * the buffers hold a few MB up to about 1,400 monthly equations and MIN_CHUNK draws' worth
 * beyond, whatever the number of draws; a multiple of DRAW_BLOCK where it can be, so no chunk
 * starts inside a block of a source's stream (rng.ts) and sampling discards nothing.
 */
export const chunkFor = (compiled: CompiledModel): number => {
  const c = Math.max(MIN_CHUNK, Math.min(DEFAULT_CHUNK, Math.floor(CHUNK_VALUES / Math.max(1, compiled.periods.length * compiled.endogenous.length))))
  return c >= DRAW_BLOCK ? c - (c % DRAW_BLOCK) : c
}

/**
 * Every draw of a Monte Carlo projection, as far as scoring it needs: each draw's annual growth
 * of every indicator and its log-weight (0 for every draw when no release weighs them). The
 * weighted empirical distribution of `annual` is the one the projection's bands summarise.
 */
export interface Ensemble {
  readonly draws: number
  readonly indicators: number
  /** annual[d * indicators + i]: draw d's annual growth of indicator i (model order). */
  readonly annual: Float64Array
  /** logWeight[d]: draw d's log-weight, any common offset; -Infinity (weight 0, annual NaN) for a draw whose solution failed. */
  readonly logWeight: Float64Array
}

/**
 * Projects a scenario: the deterministic run, then `draws` seeded Monte Carlo draws.
 * Throws OptionError (draws, seed), SpecError/EventError (invalid distributions), and
 * ConvergenceError or NonFiniteError when the deterministic run or every draw fails.
 */
export const project = (compiled: CompiledModel, state: ScenarioState, opts: ProjectOptions): Projection => {
  if (opts.draws !== 0 || opts.bands !== undefined) return projectInputs(compiled, toInputs(compiled, state), opts)
  checkOptions(opts)
  const kept = lastCentral.get(compiled)
  let central = kept?.state === state ? kept.projection : undefined
  if (central === undefined) {
    central = run(compiled, toInputs(compiled, state), { ...opts, rejected: 0 })
    lastCentral.set(compiled, { state, projection: central })
  }
  return { ...central, scenario: opts.scenario, seed: opts.seed, events: { applied: central.events.applied, rejected: opts.rejected ?? 0 } }
}

/** Per model, the last deterministic projection `project` made, and the state it projects (labels aside). */
const lastCentral = new WeakMap<CompiledModel, { readonly state: ScenarioState; readonly projection: Projection }>()

/** `project` from scenario inputs already derived (goal-seek and attribution build their own). */
export const projectInputs = (compiled: CompiledModel, inputs: ScenarioInputs, opts: ProjectOptions): Projection => run(compiled, inputs, opts)

/**
 * `projectInputs` that also keeps every draw (memory: draws * (indicators + 1) numbers): the
 * projection is the same bits as projectInputs gives.
 */
export const projectEnsemble = (compiled: CompiledModel, inputs: ScenarioInputs, opts: ProjectOptions): { projection: Projection; ensemble: Ensemble } => {
  checkRunOptions(opts.draws, opts.seed)
  const ensemble = emptyEnsemble(compiled, opts.draws)
  return { projection: run(compiled, inputs, opts, ensemble), ensemble }
}

/** An ensemble of `draws` draws of a model's indicators, to be filled by a run. */
export const emptyEnsemble = (compiled: CompiledModel, draws: number): Ensemble => {
  const nI = compiled.model.indicators.length
  return { draws, indicators: nI, annual: new Float64Array(draws * nI), logWeight: new Float64Array(draws) }
}

/** Checks a projection's options (draws, seed, rejected, chunk); throws OptionError. */
const checkOptions = (opts: ProjectOptions): void => {
  checkRunOptions(opts.draws, opts.seed)
  const rejected = opts.rejected ?? 0
  if (!(Number.isInteger(rejected) && rejected >= 0)) throw new OptionError({ option: "rejected", problem: "must be a non-negative integer" })
  if (opts.chunk !== undefined && !(Number.isInteger(opts.chunk) && opts.chunk > 0)) throw new OptionError({ option: "chunk", problem: "must be a positive integer" })
}

const run = (compiled: CompiledModel, inputs: ScenarioInputs, opts: ProjectOptions, keep?: Ensemble): Projection => finishRun(prepareRun(compiled, inputs, opts, keep))

/**
 * A projection up to its Monte Carlo (prepareRun): its options checked, its draw plan, central
 * run and releases. finishRun completes it; ensembles.ts conditions several at once first.
 */
export interface PreparedRun {
  readonly compiled: CompiledModel
  readonly inputs: ScenarioInputs
  readonly opts: ProjectOptions
  readonly keep?: Ensemble
  readonly plan: DrawPlan
  readonly central: Float64Array
  readonly evidence: readonly Evidence[]
  /** Whether the draws are weighted by the releases (conditionedSummary). */
  readonly conditioned: boolean
}

/** The first half of a projection (see PreparedRun); throws what `project` throws before its draws. */
export const prepareRun = (compiled: CompiledModel, inputs: ScenarioInputs, opts: ProjectOptions, keep?: Ensemble): PreparedRun => {
  checkOptions(opts)
  const plan = drawPlan(compiled, inputs, opts.seed)
  const central = deterministicRun(compiled, plan)
  const evidence = evidenceOf(compiled, inputs)
  const conditioned = opts.draws > 0 && evidence.length > 0 && (opts.conditioning ?? "posterior") === "posterior"
  return { compiled, inputs, opts, keep, plan, central, evidence, conditioned }
}

/**
 * The second half of a projection: its draws, summarised, and the Projection. A conditioned
 * run takes `given` (its summary and the tally it filled) when it was conditioned already.
 */
export const finishRun = (prepared: PreparedRun, given?: { readonly summary: ConditionedSummary; readonly tally: TargetTally }): Projection => {
  const { compiled, inputs, opts, keep, plan, central, evidence, conditioned } = prepared
  const { draws, seed } = opts
  const rejected = opts.rejected ?? 0
  const chunk = opts.chunk ?? chunkFor(compiled)

  const T = compiled.periods.length
  const nEndo = compiled.endogenous.length
  const P = planPeriods(compiled)
  // every released series: the indicators, then the observables (reported apart, without targets)
  const frames = seriesFrames(compiled)
  const nI = compiled.model.indicators.length

  // Monte Carlo: one sketch per indicator and plan-year period; the annual growth is the last.
  // A sketch keeps up to PILOT values exactly, so one sized to a smaller run gives the same quantiles.
  const targets = frames.map((f) => f.target)
  let tally = given?.tally ?? new TargetTally(targets, 1)
  const summary = given?.summary ?? (conditioned ? conditionedSummary(compiled, plan, frames, evidence, draws, seed, chunk, tally, undefined, keep) : undefined)
  const sketches: Pick<QuantileSketch, "mean" | "quantile" | "errorBound">[][] =
    summary?.sketches ?? (draws > 0 ? frames.map(() => Array.from({ length: P }, () => new QuantileSketch(Math.min(PILOT, draws)))) : [])
  const banded = opts.bands !== undefined ? bandVariables(compiled, opts.bands) : []
  if (summary !== undefined && banded.length > 0)
    throw new OptionError({ option: "bands", problem: "bands of variables are not yet weighted by releases: ask for them on a scenario without releases, or with conditioning exogenize" })
  let bands: BandAccumulator | undefined
  // draws left out because their solution failed (failures.ts); the conditioned run counts its own
  const failing = summary?.failures ?? new DrawFailures()
  if (summary) {
    // the conditioned run tallied its weighted draws itself
  } else if (draws > 0) {
    const raw = sketches as QuantileSketch[][]
    const runner = new DrawRunner(compiled, plan, Math.min(chunk, draws))
    const C = runner.chunk
    const TE = T * nEndo
    tally = new TargetTally(targets, C)
    if (banded.length > 0) bands = new BandAccumulator(banded, T, nEndo, draws, C)
    // a chunk's year-to-date values, stat by stat: ytd[((i * P) + t) * C + d]
    const ytd = new Float64Array(frames.length * P * C)
    const layout = ytdBatch(frames, P)
    const failed = new Uint8Array(C)
    const reasons: (DrawFailure | undefined)[] = []
    // solvedDraw[k]: the draw number of the chunk's k-th solved draw
    const solvedDraw = new Int32Array(C)
    for (let first = 0; first < draws; first += C) {
      const chunkDraws = Math.min(C, draws - first)
      const out = runner.run(first, chunkDraws, true, true, true, false)
      failed.fill(0)
      solveMarking(compiled, runner.last!, out, failed, reasons, first)
      // the solved draws moved to the front, in draw order
      let n = 0
      for (let d = 0; d < chunkDraws; d++) {
        if (failed[d] === 1) {
          failing.add(first + d, reasons[d]!)
          if (keep) {
            keep.logWeight[first + d] = -Infinity
            for (let i = 0; i < nI; i++) keep.annual[(first + d) * nI + i] = Number.NaN
          }
          continue
        }
        if (n !== d) out.copyWithin(n * TE, d * TE, (d + 1) * TE)
        solvedDraw[n++] = first + d
      }
      bands?.add(out, n)
      for (let i = 0; i < frames.length; i++) {
        const row = i * P * C
        ytdOfBatch(layout, i, out, n, T, nEndo, ytd, row, C)
        const annual = row + (P - 1) * C
        for (let d = 0; d < n; d++) {
          tally.record(i, d, ytd[annual + d])
          if (keep && i < nI) keep.annual[solvedDraw[d] * nI + i] = ytd[annual + d]
        }
        // each sketch takes its values in draw order, so chunking cannot change it
        for (let t = 0; t < P; t++) raw[i][t].addMany(ytd, row + t * C, n)
      }
      tally.closeChunk(n)
    }
    failing.throwIfEvery(draws)
  } else {
    // the deterministic projection: one draw, the central run
    tally = new TargetTally(targets, 1)
    const path = new Float64Array(P)
    frames.forEach((f, i) => {
      ytdPath(f.kind, f.b, central, f.j, nEndo, P, path)
      tally.record(i, 0, path[P - 1])
    })
    tally.closeChunk(1)
  }

  const band = (s: Pick<QuantileSketch, "mean" | "quantile">): Band => ({
    mean: s.mean(),
    p05: s.quantile(0.05),
    p25: s.quantile(0.25),
    p50: s.quantile(0.5),
    p75: s.quantile(0.75),
    p95: s.quantile(0.95),
  })
  const released = new Map(summary ? evidence.map((e) => [`${e.frame}@${e.through}`, point(e.ytd)]) : [])
  const series = frames.map((f, i): IndicatorProjection => {
    const ind = releasedSeries(compiled.model)[f.index]
    const growth = Array.from({ length: P }, (_, t) => central[t * nEndo + f.j])
    const ytd = new Float64Array(P)
    ytdPath(f.kind, f.b, growth, 0, 1, P, ytd)
    const annual = ytd[P - 1]
    const target = f.target
    const met = target === undefined ? null : meetsTarget(target, annual)
    const observed = observedThrough(plan.fixed, f.j, nEndo, P)
    const required = target === undefined ? null : requiredGrowth(f.kind, f.b, growth, observed, targetBoundary(target))
    const s = sketches[i]
    return {
      id: ind.id,
      name: ind.name,
      ...(ind.name_zh !== undefined ? { name_zh: ind.name_zh } : {}),
      unit: ind.unit,
      kind: f.kind,
      target: target ?? null,
      annual: draws > 0 ? band(s[P - 1]) : point(annual),
      probability: tally.probability(i),
      outcomes: tally.outcomes(i),
      required,
      met,
      quantileError: draws > 0 ? Math.max(...s.map((q) => q.errorBound())) : 0,
      path: Array.from({ length: P }, (_, t) => ({
        period: compiled.periods[t],
        // data are data: a period with a release shows the released value
        ytd: released.get(`${f.index}@${t}`) ?? (draws > 0 ? band(s[t]) : point(ytd[t])),
        growth: growth[t],
        observed: plan.fixed[t * nEndo + f.j] === 1,
      })),
    }
  })
  const indicators = series.slice(0, nI)
  const observables = series.slice(nI).map((o, k): ObservableProjection => {
    const through = observedThrough(plan.fixed, frames[nI + k].j, nEndo, P)
    return {
      id: o.id,
      name: o.name,
      ...(o.name_zh !== undefined ? { name_zh: o.name_zh } : {}),
      unit: o.unit,
      kind: o.kind,
      annual: o.annual,
      quantileError: o.quantileError,
      observedThrough: through > 0 ? compiled.periods[through - 1] : null,
      path: o.path,
    }
  })

  const variables: Record<string, number[]> = {}
  compiled.endogenous.forEach((name, j) => {
    variables[name] = Array.from({ length: T }, (_, t) => central[t * nEndo + j])
  })
  return {
    model: compiled.model.name,
    scenario: opts.scenario,
    seed,
    draws,
    periods: compiled.periods.slice(0, P),
    indicators,
    ...(observables.length > 0 ? { observables } : {}),
    joint: tally.joint(),
    events: { applied: inputs.applied, rejected },
    ...(draws > 0 && evidence.length > 0 ? evidenceFields(compiled, plan, evidence.length, draws, summary) : {}),
    ...(failing.first !== undefined ? { failedDraws: failing.report()! } : {}),
    solution: { periods: compiled.periods.slice(), variables, ...(bands !== undefined ? { bands: bands.result(compiled.endogenous) } : {}) },
  }
}

/** The smallest effective sample size reported without a warning. */
export const LOW_ESS = 100
/** The smallest acceptance rate of resample-move's moves reported without a warning. */
export const LOW_ACCEPTANCE = 0.02

const evidenceFields = (
  compiled: CompiledModel,
  plan: DrawPlan,
  releases: number,
  draws: number,
  summary: ReturnType<typeof conditionedSummary> | undefined,
): { evidence: EvidenceReport; posterior?: ParameterPosterior[] } => {
  if (summary === undefined) return { evidence: { releases, method: "exogenize", ess: draws, warnings: [] } }
  const warnings: string[] = []
  const ess = summary.ess
  if (ess < Math.min(LOW_ESS, draws / 2))
    warnings.push(`effective sample size ${ess.toFixed(1)} of ${draws} draws: the releases are far from what the model expects, and the bands and probabilities rest on few draws`)
  const stats = summary.stats
  if (stats?.acceptance != null && stats.acceptance < LOW_ACCEPTANCE)
    warnings.push(`only ${(100 * stats.acceptance).toFixed(1)}% of the moves after resampling were accepted: many draws repeat, and the bands and probabilities rest on fewer distinct draws than the effective sample size says`)
  const how = stats !== undefined ? { reason: methodOf(compiled, plan).reason, resamplings: stats.resamplings, acceptance: stats.acceptance } : {}
  return { evidence: { releases, method: summary.method, ...how, ess, warnings }, posterior: summary.posterior }
}
