// The model file's schema: what an economist writes (calendar, indicators, parameters,
// exogenous series, equations) as zod schemas, the single source of truth for validation,
// the TypeScript types, the exported JSON Schema and the model-language reference
// (engine/reference.ts). Every field carries its `.describe()` text and every shared shape its
// `.meta({ title, examples })`: the reference is generated from them, so the texts here are the docs.
// Pure: no I/O.
import { z } from "zod"

import { Distribution, EquationError, finite, History, Identifier, Persistence } from "./shapes.ts"
import { Indicator, Observable } from "./series.ts"

export { Distribution, EquationError, History, Identifier, PastErrors, Persistence, ReleaseNoise } from "./shapes.ts"
export { Indicator, Observable, Target } from "./series.ts"

const source = z.string().optional().describe("where the figure comes from")
const assumption = z.string().optional().describe("the assumption behind the figure, in words")

export const Parameter = z
  .strictObject({
    value: finite.describe("the parameter's value (its central value under uncertainty)"),
    uncertainty: Distribution.optional().describe("drawn per Monte Carlo draw in place of the value"),
    range: z.tuple([finite, finite]).optional().describe("plausible values, [low, high]: the studio's slider span; a `set-parameter` outside it is refused"),
    source,
    assumption,
  })
  .meta({
    title: "Parameter",
    examples: [{ value: 0.6, uncertainty: { dist: "normal", sd: 0.05 }, range: [0.3, 0.9], source: "estimated, 2010-2023" }],
    description: "A coefficient an equation reads by its name." })
export type Parameter = z.infer<typeof Parameter>

/** A period label: "1920" (annual), "1920-Q2" (quarterly), "1920-03" (monthly); in models, data and events alike. */
export const PeriodLabel = z
  .string()
  .regex(/^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$/, "must be a period: 2024, 2024-Q1 or 2024-01")
  .meta({
    title: "PeriodLabel",
    examples: ["2024", "2024-Q1", "2024-03"],
    description:
      "A period: 2024 (annual), 2024-Q1 (quarterly) or 2024-01 (monthly). In an event, a label coarser than the model's periods covers them (2024-Q1 in a monthly model is 2024-01..2024-03).",
  })

/**
 * How an exogenous series read from `data` continues over the horizon past its last
 * observation: `constant` (the last value), `linear` (the least-squares line through all its
 * observations), `{ mean: n }` (the mean of its last n observations).
 */
export const Extension = z
  .union([z.enum(["constant", "linear"]), z.strictObject({ mean: z.number().int().positive().describe("how many of the last observations") })])
  .meta({
    title: "Extension",
    examples: ["constant", { mean: 3 }],
    description:
      "How a series from `data` continues past its last observation: constant (the last value), linear (the least-squares line through its observations), { mean: n } (the mean of its last n observations).",
  })
export type Extension = z.infer<typeof Extension>

export const Exogenous = z
  .strictObject({
    values: z
      .union([finite, z.array(finite).min(1)])
      .optional()
      .describe("one value for every period, or one per simulated period; absent when the series comes from `data` or is a `trend`"),
    trend: PeriodLabel.optional().describe("a time trend: 0 in this period, one more each period after it (history included)"),
    extend: Extension.optional().describe("how a series from `data` continues past its last observation; without it a horizon beyond the data is refused"),
    history: History.optional().describe("values before the first period, for lags"),
    uncertainty: Distribution.optional().describe("drawn per Monte Carlo draw in place of the values"),
    name: z.string().optional().describe("the series' name"),
    source,
    assumption,
  })
  .meta({ title: "Exogenous", examples: [{ values: [20, 30, 30], name: "Government spending" }], description: "A series given to the model, not solved by it: values, a trend or data." })
export type Exogenous = z.infer<typeof Exogenous>

/** An endogenous variable that is not a plan indicator (a sector, a deflator, a textbook model's level). */
export const Variable = z
  .strictObject({
    name: z.string().optional().describe("the variable's name"),
    unit: z.string().optional().describe("its unit"),
    history: History.optional().describe("values before the first period, for lags (from `data` when absent)"),
    terminal: History.optional().describe(
      "terminal conditions of a forward-looking model: the values a lead x(+k) reads after the horizon, the first period after it first; a number: that value in every later period",
    ),
    error: EquationError.optional().describe("equation error in each period (the variable's unit), an AR(1) process with `persistence`; PastErrors only `of: period`"),
    persistence: Persistence.optional().describe("persistence of `error` from period to period; the model's `observation.persistence` when absent"),
    source: z.string().optional().describe("where the variable's definition comes from"),
  })
  .meta({ title: "Variable", examples: [{ name: "Consumption", history: 80 }], description: "An endogenous variable that is not a plan indicator (a sector, a deflator, a textbook model's level)." })
export type Variable = z.infer<typeof Variable>

export const Calendar = z
  .strictObject({
    frequency: z.enum(["monthly", "quarterly", "annual"]).describe("the period of the model"),
    baseYear: z.number().int().describe("the year the indicators' growth is measured against"),
    planYear: z.number().int().describe("the year of the plan's targets: baseYear + 1"),
    horizon: z.number().int().positive().max(10_000).optional().describe("periods simulated from the start of the plan year; the plan year's periods when absent"),
    days: z
      .boolean()
      .optional()
      .describe(
        "calendar-day weights for flows (engine/ytd.ts): a flow indicator's variable is its growth per calendar day, and its year-to-date growth, as published, weighs each plan-year period by its days over the base year's (a leap February counts 29/28); off when absent",
      ),
  })
  .refine((c) => c.planYear === c.baseYear + 1, { message: "planYear must be baseYear + 1", path: ["planYear"] })
  .meta({ title: "Calendar", examples: [{ frequency: "monthly", baseYear: 2023, planYear: 2024 }], description: "The model's periods: frequency, base and plan year, horizon." })
export type Calendar = z.infer<typeof Calendar>

/**
 * Historical series over a sample: `start` is the first period, each series one value per
 * period from there (null: missing). `file` names a CSV file beside the model that the file
 * loader reads into `start` and `series`.
 */
export const Data = z
  .strictObject({
    file: z.string().min(1).optional().describe("a CSV file beside the model: a first column of consecutive periods, then one column per series named by its header"),
    start: PeriodLabel.optional().describe("the first period of `series`"),
    series: z
      .record(Identifier, z.array(finite.nullable()).min(1))
      .optional()
      .describe("series by name, one value per period from `start` (null: missing)"),
    source: z.string().optional().describe("where the data come from"),
  })
  .meta({
    title: "Data",
    examples: [{ start: "1920", series: { C: [39.8, 41.9, null] } }, { file: "klein.csv" }],
    description: "Historical series over a sample, inline or in a CSV file: history before the horizon, exogenous values over it and estimation read from it.",
  })
export type Data = z.infer<typeof Data>

/**
 * A behavioural equation to estimate (plancast estimate): the parameters it estimates (the
 * equation must be linear in them), the sample, restrictions and AR(n) errors.
 */
export const Behavioural = z
  .strictObject({
    coefficients: z.array(Identifier).min(1).describe("the parameters to estimate; the equation must be linear in them"),
    sample: z
      .strictObject({ from: PeriodLabel.describe("first period of the sample"), to: PeriodLabel.describe("last period of the sample") })
      .describe("the estimation sample"),
    restrict: z.array(z.string().min(1)).default([]).describe("linear restrictions on the coefficients: a2 = a3, b1 + b2 = 1"),
    ar: z
      .array(Identifier)
      .default([])
      .describe("parameters of AR(n) errors: the equation becomes lhs = rhs + r1 (lhs - rhs)(-1) + ..., estimated by Cochrane-Orcutt and kept in projection"),
  })
  .meta({ title: "Behavioural", examples: [{ coefficients: ["a1", "a2", "a3", "a4"], sample: { from: "1921", to: "1941" } }], description: "A behavioural equation to estimate by OLS (plancast estimate)." })
export type Behavioural = z.infer<typeof Behavioural>

/**
 * A model file. Every endogenous variable (indicator or `variables` entry) has exactly one
 * equation in `equations`: `name: "<mathjs expression>"` or `name: "f(name) = <expression>"`;
 * a lag is written `x(-k)`.
 */
export const Model = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z0-9_.-]+$/, "must be a name of letters, digits, _ . -").describe("the model's name: letters, digits, _ . -"),
    title: z.string().optional().describe("a title for reports"),
    title_zh: z.string().optional().describe("the title in Chinese"),
    description: z.string().optional().describe("what the model is, in words"),
    calendar: Calendar.describe("the model's periods"),
    indicators: z.array(Indicator).default([]).describe("the plan's indicators, a list (each with its `id`)"),
    observables: z
      .record(Identifier, Observable)
      .default({})
      .describe("released series that are not plan indicators, by id: an expression over model variables plus noise, named by `observe` events (see Observable)"),
    variables: z.record(Identifier, Variable).default({}).describe("endogenous variables that are not indicators, by name (an entry is optional: an equation alone makes a variable)"),
    parameters: z.record(Identifier, Parameter).default({}).describe("parameters by name"),
    exogenous: z.record(Identifier, Exogenous).default({}).describe("exogenous series by name"),
    equations: z
      .record(Identifier, z.string().min(1))
      .describe("one equation per endogenous variable, by its name: a mathjs expression (`Cs + Gs`), or `f(x) = expression` with an invertible function of the variable (see Equations)"),
    data: Data.optional().describe("historical series"),
    estimate: z.record(Identifier, Behavioural).default({}).describe("behavioural equations to estimate, by the variable they define"),
    observation: z
      .strictObject({
        decay: finite
          .refine((x) => x >= 0 && x <= 1, "decay must be in [0, 1]")
          .default(0.5)
          .describe("how much of a release's surprise the deterministic projection carries into each next period (add-factor times decay^k), in [0, 1]"),
        sd: finite.refine((x) => x > 0, "sd must be > 0").default(0.1).describe("release noise (pp of year-to-date growth) of a series without its own `release`"),
        persistence: Persistence.default(1).describe("persistence of an equation error without its own"),
      })
      .default({ decay: 0.5, sd: 0.1, persistence: 1 })
      .describe("model-wide defaults of the observation rule"),
    solver: z
      .strictObject({
        method: z.enum(["newton", "gauss-seidel"]).default("newton").describe("how simultaneous blocks are solved: Newton with a symbolic Jacobian (Gauss-Seidel as its fallback), or Gauss-Seidel"),
        tolerance: finite.refine((x) => x > 0, "tolerance must be > 0").default(1e-10).describe("convergence tolerance on the residual, > 0"),
        maxIterations: z.number().int().positive().default(100).describe("iteration limit of Newton (or of Gauss-Seidel when it is the method); the Gauss-Seidel fallback of Newton sweeps at most max(maxIterations, 1000) times"),
      })
      .default({ method: "newton", tolerance: 1e-10, maxIterations: 100 })
      .describe("the solver of simultaneous blocks"),
  })
  .meta({
    title: "Model",
    examples: [
      {
        name: "keynesian-cross",
        calendar: { frequency: "annual", baseYear: 2023, planYear: 2024, horizon: 3 },
        parameters: { c0: { value: 10 }, c1: { value: 0.8, assumption: "marginal propensity to consume" } },
        exogenous: { I: { values: 30 }, G: { values: [20, 30, 30] }, T: { values: 20 } },
        equations: { Y: "C + I + G", C: "c0 + c1 * (Y - T)" },
      },
    ],
    description: "A model file (YAML or JSON): its calendar, indicators, variables, parameters, exogenous series and one equation per endogenous variable." })
export type Model = z.infer<typeof Model>
export type ModelInput = z.input<typeof Model>

/** A model whose equation errors are ordinary distributions (PastErrors resolved): what `compile` returns as `compiled.model`. */
export type ResolvedModel = Omit<Model, "indicators" | "variables"> & {
  indicators: (Omit<Indicator, "error"> & { error?: Distribution })[]
  variables: Record<string, Omit<Variable, "error"> & { error?: Distribution }>
}
