// The backtest: how a scenario's forecasts fared against the year's outcomes, as of each
// release batch. Cuts the log into its release batches (news.ts `newsSteps` from the empty
// state: consecutive `observe` events through one period, releases and revisions alike), and
// for each batch projects the prefix of the log that ends with it (`asOf`), with the same
// draws and seed, so each step is exactly `project` of that prefix (projectEnsembles keeps the
// draws, and conditions steps that differ only in their releases together: each draw's
// responses and factorisation are computed once for every such step). Every indicator with an outcome is scored by the rules of scores.ts: the error of
// p50, CRPS of the weighted draws, the PIT of the outcome, whether it lies in the 50% and 90%
// bands, and for a target P(target) with its Brier and log score against whether the outcome
// meets the target (engine/target.ts). Two naive benchmarks are scored the same way: the
// target's value, and the base year's growth, each a point moved to be the median of the
// model's own draws at that step (the model's spread, the naive centre). The contract is
// engine/schema/backtest.ts. A draw whose solution fails is left out of a step's scores as
// `project` leaves it out of the step's bands (failures.ts). Memory: every step's draws (annual
// growths and weights) and, while they are conditioned together, their sketches. Pure.
import type { CompiledModel } from "../compile/index.ts"
import { OptionError } from "../errors.ts"
import { didYouMean } from "../suggest.ts"
import { asOf, emptyState, toInputs, type ScenarioState } from "../scenario/index.ts"
import type { Backtest, BacktestIndicator, BacktestStep, IndicatorSummary, MeanScores, ActualOutcome, Scores } from "../schema/backtest.ts"
import type { Band } from "../schema/projection.ts"
import type { Target } from "../schema/model.ts"
import { meetsTarget } from "../target.ts"
import { newsSteps, type StepSpan } from "./news.ts"
import type { Ensemble } from "./project.ts"
import { projectEnsembles } from "./ensembles.ts"
import { ascending, brierScore, coverage, crps, logScore } from "./scores.ts"
import { WeightedSketch } from "./weighted.ts"

export type { Backtest } from "../schema/backtest.ts"

/** Options of a backtest: the draws and seed of every step's projection, the scenario's name. */
export interface BacktestOptions {
  readonly draws: number
  readonly seed: number
  readonly scenario: string
  readonly chunk?: number
}

/** The release batches of a log, in log order: its news steps of kind release or revision. */
export const releaseBatches = (compiled: CompiledModel, state: ScenarioState): StepSpan[] =>
  newsSteps(compiled, emptyState, state).filter((s) => s.kind !== "other")

/** What is wrong with an outcome for indicator `id` of a model (unknown indicator, not a finite number), or undefined. */
export const outcomeProblem = (compiled: CompiledModel, id: string, value: unknown): string | undefined => {
  const ids = compiled.model.indicators.map((i) => i.id)
  if (!ids.includes(id)) return `unknown indicator ${JSON.stringify(id)}${didYouMean(id, ids)} (the model's indicators: ${ids.join(", ")})`
  if (!(typeof value === "number" && Number.isFinite(value))) return `${id}: the outcome must be a finite number, not ${typeof value === "number" ? String(value) : (JSON.stringify(value) ?? String(value))}`
  return undefined
}

/**
 * Checks outcomes against a model: at least one, every id an indicator, every value a finite
 * number. Throws OptionError (`option`, default "outcome") naming the first bad one.
 */
export const checkOutcomes = (compiled: CompiledModel, outcomes: Readonly<Record<string, ActualOutcome>>, option = "outcome"): void => {
  const entries = Object.entries(outcomes)
  if (entries.length === 0)
    throw new OptionError({ option, problem: `no outcomes: give at least one (indicators: ${compiled.model.indicators.map((i) => i.id).join(", ")})` })
  for (const [id, o] of entries) {
    const problem = outcomeProblem(compiled, id, o.value)
    if (problem !== undefined) throw new OptionError({ option, problem })
  }
}

/** One forecast to score: the draws, their weights and order, the band, and the shift of the centre. */
interface Forecast {
  readonly values: Float64Array
  readonly weights: Float64Array
  readonly order: Uint32Array
  readonly sketch: WeightedSketch
  readonly band: Band
  readonly draws: number
}

const scoreOf = (f: Forecast, shift: number, y: number, target: Target | undefined, probability: number | null): Scores => {
  const band = { p05: f.band.p05 + shift, p25: f.band.p25 + shift, p75: f.band.p75 + shift, p95: f.band.p95 + shift }
  const { inside50, inside90 } = coverage(band, y)
  let p = probability
  if (target !== undefined && p === null) {
    let met = 0
    let total = 0
    for (let d = 0; d < f.values.length; d++) {
      total += f.weights[d]
      if (meetsTarget(target, f.values[d] + shift)) met += f.weights[d]
    }
    p = met / total
  }
  const met = target !== undefined && meetsTarget(target, y)
  return {
    error: f.band.p50 + shift - y,
    crps: Math.max(0, crps(f.values, f.weights, y, f.order, shift)),
    pit: f.sketch.cdf(y - shift),
    inside50,
    inside90,
    probability: target === undefined ? null : p,
    brier: target === undefined || p === null ? null : brierScore(p, met),
    logScore: target === undefined || p === null ? null : logScore(p, met, f.draws),
  }
}

/** Indicator i's forecast: the draws that solved (a failed draw, log-weight -Infinity, is left out as `project` leaves it out). */
const forecastOf = (e: Ensemble, i: number, band: Band): Forecast => {
  let N = 0
  let ref = -Infinity
  for (let d = 0; d < e.draws; d++)
    if (e.logWeight[d] !== -Infinity) {
      N++
      ref = Math.max(ref, e.logWeight[d])
    }
  const values = new Float64Array(N)
  const weights = new Float64Array(N)
  const sketch = new WeightedSketch(N)
  for (let d = 0, k = 0; d < e.draws; d++) {
    if (e.logWeight[d] === -Infinity) continue
    values[k] = e.annual[d * e.indicators + i]
    weights[k] = Math.exp(e.logWeight[d] - ref)
    sketch.add(values[k], weights[k])
    k++
  }
  return { values, weights, order: ascending(values), sketch, band, draws: N }
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length
const share = (xs: readonly boolean[]): number => xs.filter(Boolean).length / xs.length

const meanScores = (scores: readonly Scores[]): MeanScores => {
  const brier = scores.map((s) => s.brier)
  const log = scores.map((s) => s.logScore)
  return {
    error: mean(scores.map((s) => Math.abs(s.error))),
    crps: mean(scores.map((s) => s.crps)),
    brier: brier.includes(null) ? null : mean(brier as number[]),
    logScore: log.includes(null) ? null : mean(log as number[]),
    coverage50: share(scores.map((s) => s.inside50)),
    coverage90: share(scores.map((s) => s.inside90)),
  }
}

/**
 * Backtests a scenario's log against outcomes (annual growth per indicator id; see the file
 * header). Throws OptionError for bad outcomes, draws (at least 1) or seed, or a log without
 * releases, and what `project` throws.
 */
export const backtest = (compiled: CompiledModel, state: ScenarioState, outcomes: Readonly<Record<string, ActualOutcome>>, opts: BacktestOptions): Backtest => {
  const { draws, seed } = opts
  if (!(Number.isInteger(draws) && draws >= 1)) throw new OptionError({ option: "draws", problem: `a backtest scores the spread of the draws: at least 1, not ${String(draws)}` })
  checkOutcomes(compiled, outcomes)
  const batches = releaseBatches(compiled, state)
  if (batches.length === 0) throw new OptionError({ option: "scenario", problem: "has no observe events: a backtest replays the log as of each release batch" })
  const scored = compiled.model.indicators.flatMap((ind, i) => (outcomes[ind.id] !== undefined ? [{ ind, i, y: outcomes[ind.id].value }] : []))
  const naive = new Map(scored.map(({ ind }) => [ind.id, { target: [] as Scores[], lastYear: [] as Scores[] }]))
  const projections = projectEnsembles(compiled, batches.map((span) => toInputs(compiled, asOf(state, span.end))), { draws, seed, scenario: opts.scenario, chunk: opts.chunk })
  const steps: BacktestStep[] = batches.map((span, b) => {
    const { projection, ensemble } = projections[b]
    const first = span.events[0]
    const indicators = scored.map(({ ind, i, y }): BacktestIndicator => {
      const p = projection.indicators[i]
      const forecast = forecastOf(ensemble, i, p.annual)
      const model = scoreOf(forecast, 0, y, ind.target, p.probability)
      const record = naive.get(ind.id)!
      if (ind.target !== undefined) record.target.push(scoreOf(forecast, ind.target.value - p.annual.p50, y, ind.target, null))
      record.lastYear.push(scoreOf(forecast, ind.base.growth - p.annual.p50, y, ind.target, null))
      const { p05, p25, p50, p75, p95 } = p.annual
      return { id: ind.id, outcome: y, p05, p25, p50, p75, p95, width90: p95 - p05, ...model }
    })
    return {
      asOf: {
        events: span.events.map((e) => e.id),
        count: span.end,
        through: first.type === "observe" ? first.through : "",
        kind: span.kind === "revision" ? "revision" : "release",
      },
      indicators,
      ...(projection.failedDraws !== undefined ? { failedDraws: projection.failedDraws } : {}),
    }
  })
  const summary: Record<string, IndicatorSummary> = {}
  scored.forEach(({ ind }, k) => {
    const record = naive.get(ind.id)!
    summary[ind.id] = {
      ...meanScores(steps.map((s) => s.indicators[k])),
      naive: { target: record.target.length > 0 ? meanScores(record.target) : null, lastYear: meanScores(record.lastYear) },
    }
  })
  return {
    scenario: opts.scenario,
    draws,
    seed,
    outcomes: Object.fromEntries(
      scored.map(({ ind, y }) => [ind.id, { ...outcomes[ind.id], met: ind.target === undefined ? null : meetsTarget(ind.target, y) }]),
    ),
    steps,
    summary,
  }
}
