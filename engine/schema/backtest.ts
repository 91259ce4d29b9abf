// The backtest contract (`plancast backtest --format json`), as zod schemas, and the outcomes
// file it reads: how the forecasts of a scenario's log fared against the year's outcomes, as
// of each release batch. The engine's Backtest type (engine/project/backtest.ts) is derived
// from it. Scores are negatively oriented (lower is better): CRPS, Brier, log score. Fields may
// be added, none removed or re-meant without saying so in the README. Pure.
import { z } from "zod"
import { FailedDraws } from "./projection.ts"

/** One indicator's outcome: its actual annual growth (%), with where the figure comes from. */
export const ActualOutcome = z.strictObject({
  value: z.number().describe("the actual annual growth, %"),
  source: z.string().optional().describe("where the figure was published (an address, a document)"),
})
export type ActualOutcome = z.infer<typeof ActualOutcome>

/** An outcomes file (`--outcomes FILE.yaml`): per indicator id, a number or {value, source}. */
export const OutcomesFile = z.strictObject({
  note: z.string().optional(),
  outcomes: z.record(z.string(), z.union([z.number(), ActualOutcome])),
})
export type OutcomesFile = z.infer<typeof OutcomesFile>

/** The scores of one forecast of one indicator against its outcome. */
export const Scores = z.object({
  error: z.number().describe("p50 - outcome (pp)"),
  crps: z.number().min(0).describe("continuous ranked probability score of the (weighted) draws at the outcome (pp)"),
  pit: z.number().min(0).max(1).describe("the forecast's cdf at the outcome (half of any weight at it)"),
  inside50: z.boolean().describe("the outcome lies in p25..p75"),
  inside90: z.boolean().describe("the outcome lies in p05..p95"),
  probability: z.number().min(0).max(1).nullable().describe("P(target); null without a target"),
  brier: z.number().min(0).max(1).nullable().describe("(P(target) - met)^2, met by the target rule; null without a target"),
  logScore: z.number().min(0).nullable().describe("-ln of the probability given to what happened, P clipped to [1/(N+1), N/(N+1)] for N draws; null without a target"),
})
export type Scores = z.infer<typeof Scores>

/** One indicator of one step: the projection's annual band and its scores. */
export const BacktestIndicator = Scores.extend({
  id: z.string(),
  outcome: z.number(),
  p05: z.number(),
  p25: z.number(),
  p50: z.number(),
  p75: z.number(),
  p95: z.number(),
  width90: z.number().min(0).describe("p95 - p05 (pp)"),
})
export type BacktestIndicator = z.infer<typeof BacktestIndicator>

/** Where a step stands in the log: the release batch it ends with. */
export const AsOf = z.object({
  events: z.array(z.string()).describe("the batch's observe event ids, in log order"),
  count: z.number().int().min(1).describe("events of the log up to and including the batch: the step projects this prefix"),
  through: z.string().describe("the period the batch's year-to-date values run through, as its events give it"),
  kind: z.enum(["release", "revision"]).describe("release: new periods; revision: re-released ones"),
})
export type AsOf = z.infer<typeof AsOf>

/** One step of a backtest: the forecast as of one release batch. */
export const BacktestStep = z.object({
  asOf: AsOf,
  indicators: z.array(BacktestIndicator).describe("every indicator with an outcome"),
  failedDraws: FailedDraws.optional().describe("the step's Monte Carlo draws whose solution failed, left out of its scores as of its projection; present only when some failed"),
})
export type BacktestStep = z.infer<typeof BacktestStep>

/** Scores averaged over the steps. */
export const MeanScores = z.object({
  error: z.number().describe("mean absolute error of p50 (pp)"),
  crps: z.number().min(0),
  brier: z.number().min(0).max(1).nullable(),
  logScore: z.number().min(0).nullable(),
  coverage50: z.number().min(0).max(1).describe("share of steps whose 50% band holds the outcome"),
  coverage90: z.number().min(0).max(1).describe("share of steps whose 90% band holds the outcome"),
})
export type MeanScores = z.infer<typeof MeanScores>

/** One indicator's track record over the steps, beside the naive benchmarks scored the same way. */
export const IndicatorSummary = MeanScores.extend({
  naive: z.object({
    target: MeanScores.nullable().describe("the target's value as the median, with the model's spread; null without a target"),
    lastYear: MeanScores.describe("the base year's growth as the median, with the model's spread"),
  }),
})
export type IndicatorSummary = z.infer<typeof IndicatorSummary>

/** A backtest of a scenario's log against the year's outcomes. */
export const Backtest = z
  .object({
    scenario: z.string(),
    draws: z.number().int().min(1),
    seed: z.number().int(),
    outcomes: z.record(z.string(), ActualOutcome.extend({ met: z.boolean().nullable().describe("whether the outcome meets the target; null without one") })),
    steps: z.array(BacktestStep),
    summary: z.record(z.string(), IndicatorSummary),
  })
  .describe("How the forecasts fared: each release batch's projection scored against the outcomes, beside naive benchmarks.")
export type Backtest = z.infer<typeof Backtest>
