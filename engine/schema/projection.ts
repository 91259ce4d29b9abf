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

/** One indicator of a projection. */
export const IndicatorProjection = z.object({
  id: z.string(),
  name: z.string(),
  name_zh: z.string().optional(),
  unit: z.string(),
  kind: z.enum(["flow", "income", "rate"]).describe("how the indicator cumulates over the year"),
  target: Target.nullable().describe("the plan's target; null when the model gives none"),
  annual: Band.describe("annual growth over the base year, %"),
  probability: z.number().min(0).max(1).nullable().describe("share of draws meeting the target (0 or 1 with 0 draws); null without a target"),
  required: z
    .number()
    .nullable()
    .describe("common growth the periods after the last observed one need for the annual growth to hit the target's value; null without a target, when every period is observed, or when no growth can do it"),
  met: z.boolean().nullable().describe("whether the deterministic projection meets the target; null without a target"),
  quantileError: z.number().min(0).describe("the largest possible error of the reported quantiles against exact sorting (pp); 0 when exact"),
  path: z.array(PathPoint),
})
export type IndicatorProjection = z.infer<typeof IndicatorProjection>

/** A variable's distribution in one period over the draws, in its own units. */
export const VariableBand = z.object({
  mean: z.number(),
  sd: z.number().min(0),
  p05: z.number(),
  p25: z.number(),
  p50: z.number(),
  p75: z.number(),
  p95: z.number(),
})
export type VariableBand = z.infer<typeof VariableBand>

/** Monte Carlo bands of the endogenous variables asked for (project's `bands`), one per horizon period. */
export const SolutionBands = z.object({
  variables: z.record(z.string(), z.array(VariableBand)),
  quantileError: z.number().min(0).describe("the largest possible error of the reported quantiles against exact sorting; 0 when exact"),
})
export type SolutionBands = z.infer<typeof SolutionBands>

/** A projection: one scenario's indicators over the plan year, with the deterministic solution of every variable. */
export const Projection = z.object({
  model: z.string(),
  scenario: z.string(),
  seed: z.number().int(),
  draws: z.number().int().min(0),
  periods: z.array(z.string()).describe("the plan year's periods"),
  indicators: z.array(IndicatorProjection),
  events: z.object({
    applied: z.number().int().min(0).describe("distinct events in effect, the base's included"),
    rejected: z.number().int().min(0).describe("events refused while folding the scenario's log"),
  }),
  solution: z
    .object({ periods: z.array(z.string()), variables: z.record(z.string(), z.array(z.number())), bands: SolutionBands.optional() })
    .describe("the deterministic values of every endogenous variable over the whole horizon; with bands asked and draws, their Monte Carlo bands"),
})
export type Projection = z.infer<typeof Projection>
