// The projection contract: the one description of what a projection holds, as zod schemas.
// The engine's `Projection` type is derived from it; the CLI's tables, the HTML report's
// lenient reader, the service's forecasts and the AsyncAPI document all read this one shape,
// so a field is added in exactly one place. Fields may be added, none removed or re-meant
// without saying so in the README. Pure.
import { z } from "zod"
import { Target } from "./model.ts"

/** Mean and quantiles of a statistic over the draws (all the deterministic value with 0 draws). */
export const Band = z.object({
  mean: z.number(),
  p05: z.number(),
  p25: z.number(),
  p50: z.number(),
  p75: z.number(),
  p95: z.number(),
})
export type Band = z.infer<typeof Band>

/** One plan-year period of an indicator's path. */
export const PathPoint = z.object({
  period: z.string(),
  ytd: Band.describe("year-to-date growth through this period, %"),
  growth: z.number().describe("deterministic year-over-year growth of this period, %"),
  observed: z.boolean().describe("whether a data release fixes this period"),
})
export type PathPoint = z.infer<typeof PathPoint>

/** Shares of draws below, inside and above an `around` target's band (they sum to 1). */
export const Outcomes = z.object({ below: z.number().min(0).max(1), inside: z.number().min(0).max(1), above: z.number().min(0).max(1) })
export type Outcomes = z.infer<typeof Outcomes>

/**
 * How many of the plan's targets are met together: `all`, the share of draws meeting every
 * target; `count[k]`, the share meeting exactly k of them (k = 0..targets; they sum to 1).
 * With no targets in the model, `all` is 1 and `count` is [1].
 */
export const Joint = z.object({
  targets: z.number().int().min(0).describe("indicators with a target"),
  all: z.number().min(0).max(1).describe("share of draws meeting every target"),
  count: z.array(z.number().min(0).max(1)).describe("count[k]: share of draws meeting exactly k targets, k = 0..targets"),
})
export type Joint = z.infer<typeof Joint>

/** One indicator of a projection. */
export const IndicatorProjection = z.object({
  id: z.string(),
  name: z.string(),
  name_zh: z.string().optional(),
  unit: z.string(),
  kind: z.enum(["flow", "income", "rate"]).describe("how the indicator cumulates over the year"),
  target: Target.nullable().describe("the plan's target; null when the model gives none"),
  annual: Band.describe("annual growth over the base year, %"),
  probability: z
    .number()
    .min(0)
    .max(1)
    .nullable()
    .describe("share of draws meeting the target (0 or 1 with 0 draws); null without a target; an around target (v左右) is met at or above its band's lower edge, v - band"),
  outcomes: Outcomes.nullable().describe("for an around target, the shares of draws below, inside and above its band; null otherwise"),
  required: z
    .number()
    .nullable()
    .describe("common growth the periods after the last observed one need for the annual growth to reach the target's boundary (its value; around: the band's lower edge); null without a target, when every period is observed, or when no growth can do it"),
  met: z.boolean().nullable().describe("whether the deterministic projection meets the target; null without a target"),
  quantileError: z.number().min(0).describe("the largest possible error of the reported quantiles against exact sorting (pp); 0 when exact"),
  path: z.array(PathPoint),
})
export type IndicatorProjection = z.infer<typeof IndicatorProjection>

/**
 * One observable of a projection (a released series that is not a plan indicator: no target,
 * not in `joint`): its annual growth and year-to-date path, conditioned on the releases like
 * the indicators, a released period showing its release.
 */
export const ObservableProjection = z.object({
  id: z.string(),
  name: z.string(),
  name_zh: z.string().optional(),
  unit: z.string(),
  kind: z.enum(["flow", "income", "rate"]).describe("how the series cumulates over the year"),
  annual: Band.describe("annual growth over the base year, %"),
  quantileError: z.number().min(0).describe("the largest possible error of the reported quantiles against exact sorting (pp); 0 when exact"),
  observedThrough: z.string().nullable().describe("the last plan-year period a release of the series covers; null when none has"),
  path: z.array(PathPoint),
})
export type ObservableProjection = z.infer<typeof ObservableProjection>

/** How releases conditioned a Monte Carlo projection (engine/project/condition.ts). */
export const EvidenceReport = z.object({
  releases: z.number().int().min(0).describe("releases conditioned on"),
  method: z
    .enum(["kalman", "resample-move", "exogenize"])
    .describe("kalman: errors (and the normal sources the model is affine in) conditioned in closed form per draw, draws weighted by the releases' marginal likelihood; resample-move: draws weighted by the likelihood of their own paths, batch by batch in period order, resampled and moved by Metropolis-Hastings steps whenever the effective sample size falls below half the draws; exogenize: every draw forced onto the releases"),
  reason: z.string().optional().describe("with resample-move: why the closed form does not apply"),
  resamplings: z.number().int().min(0).optional().describe("with resample-move: how many times the draws were resampled (at most one per release batch)"),
  acceptance: z.number().min(0).max(1).nullable().optional().describe("with resample-move: the share of proposed moves accepted; null when no resampling was needed"),
  ess: z.number().min(0).describe("effective sample size of the draws' final weights, (sum w)^2 / sum w^2"),
  warnings: z.array(z.string()).describe("that the answer rests on few draws, or that the draws barely moved"),
})
export type EvidenceReport = z.infer<typeof EvidenceReport>

/** What the releases taught about one uncertain parameter. */
export const ParameterPosterior = z.object({
  parameter: z.string(),
  prior: z.object({ mean: z.number(), sd: z.number() }),
  posterior: z.object({ mean: z.number(), sd: z.number() }),
})
export type ParameterPosterior = z.infer<typeof ParameterPosterior>

/** A variable's distribution in one period over the draws, in its own units. */
export const VariableBand = Band.extend({ sd: z.number().min(0) })
export type VariableBand = z.infer<typeof VariableBand>

/** Monte Carlo bands of the endogenous variables asked for (project's `bands`), one per horizon period. */
export const SolutionBands = z.object({
  variables: z.record(z.string(), z.array(VariableBand)),
  quantileError: z.number().min(0).describe("the largest possible error of the reported quantiles against exact sorting; 0 when exact"),
})
export type SolutionBands = z.infer<typeof SolutionBands>

/** Monte Carlo draws whose solution failed (a block that did not converge, a value not finite): counted, left out. */
export const FailedDraws = z.object({
  count: z.number().int().min(1).describe("draws left out; bands and probabilities are over the other draws - count"),
  draws: z.array(z.number().int().min(0)).describe("the first failed draws' numbers (at most 10)"),
  reason: z.string().describe("why the first of them failed"),
})
export type FailedDraws = z.infer<typeof FailedDraws>

/** A projection: one scenario's indicators over the plan year, with the deterministic solution of every variable. */
export const Projection = z.object({
  model: z.string(),
  scenario: z.string(),
  seed: z.number().int(),
  draws: z.number().int().min(0),
  periods: z.array(z.string()).describe("the plan year's periods"),
  indicators: z.array(IndicatorProjection),
  observables: z.array(ObservableProjection).optional().describe("the model's observables (released series that are not plan indicators), when it declares any"),
  joint: Joint.describe("how many of the targets are met together"),
  events: z.object({
    applied: z.number().int().min(0).describe("distinct events in effect, the base's included"),
    rejected: z.number().int().min(0).describe("events refused while folding the scenario's log"),
  }),
  evidence: EvidenceReport.optional().describe("with releases and draws: how the releases conditioned the draws"),
  failedDraws: FailedDraws.optional().describe("Monte Carlo draws that did not converge or were not finite, left out of every band and probability; present only when some failed"),
  posterior: z.array(ParameterPosterior).optional().describe("with releases and draws: each uncertain parameter's prior and posterior mean and sd"),
  solution: z
    .object({ periods: z.array(z.string()), variables: z.record(z.string(), z.array(z.number())), bands: SolutionBands.optional() })
    .describe("the deterministic values of every endogenous variable over the whole horizon; with bands asked and draws, their Monte Carlo bands"),
})
export type Projection = z.infer<typeof Projection>
