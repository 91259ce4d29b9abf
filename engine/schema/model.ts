// The model file's schema: what an economist writes (calendar, indicators, parameters,
// exogenous series, equations) as zod schemas, the single source of truth for validation,
// the TypeScript types, the exported JSON Schema and the model-language reference
// (engine/reference.ts). Every field carries its `.describe()` text and every shared shape its
// `.meta({ title, examples })`: the reference is generated from them, so the texts here are the docs.
// Pure: no I/O.
import { z } from "zod"

const finite = z.number().refine(Number.isFinite, "must be a finite number")
/** A name an equation can read (a variable, parameter or series). */
export const Identifier = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an identifier: a letter or _ followed by letters, digits or _")
  .meta({ title: "Identifier", examples: ["fai"], description: "A name an equation can read: a letter or _ followed by letters, digits or _." })

/**
 * An uncertainty distribution. `normal`, `triangular` and `lognormal` are centred on the
 * value they qualify (its mean, mode and median); `uniform` gives its own bounds.
 * Distributions on parameters replace the value per draw; on errors and shocks they are
 * added (centred on 0 unless `mean` is given).
 */
export const Distribution = z
  .discriminatedUnion("dist", [
    z
      .strictObject({
        dist: z.literal("normal").describe("a normal distribution"),
        sd: finite.refine((x) => x >= 0, "sd must be >= 0").describe("standard deviation, >= 0"),
        mean: finite.optional().describe("mean of an added error or shock; a parameter's normal is centred on its value"),
      })
      .meta({ examples: [{ dist: "normal", sd: 0.05 }] }),
    z
      .strictObject({
        dist: z.literal("uniform").describe("a uniform distribution between its own bounds"),
        min: finite.describe("lower bound"),
        max: finite.describe("upper bound, >= min"),
      })
      .refine((d) => d.min <= d.max, { message: "min must be <= max", path: ["max"] })
      .meta({ examples: [{ dist: "uniform", min: 0.3, max: 0.5 }] }),
    z
      .strictObject({
        dist: z.literal("triangular").describe("a triangular distribution"),
        min: finite.describe("lower bound"),
        max: finite.describe("upper bound, >= min"),
        mode: finite.optional().describe("the peak; the value it qualifies when absent"),
      })
      .refine((d) => d.min <= d.max, { message: "min must be <= max", path: ["max"] })
      .meta({ examples: [{ dist: "triangular", min: -1, max: 2, mode: 0 }] }),
    z
      .strictObject({
        dist: z.literal("lognormal").describe("a lognormal distribution"),
        sigma: finite.refine((x) => x >= 0, "sigma must be >= 0").describe("sd of the logarithm, >= 0"),
        median: finite.refine((x) => x > 0, "median must be > 0").optional().describe("the median, > 0; the value it qualifies when absent"),
      })
      .meta({ examples: [{ dist: "lognormal", sigma: 0.2 }] }),
  ])
  .meta({
    title: "Distribution",
    description:
      "An uncertainty distribution, by its `dist`. normal, triangular and lognormal are centred on the value they qualify (its mean, mode and median); uniform gives its own bounds. On a parameter or an exogenous series it replaces the value per draw; on an equation error or a shock it is added (centred on 0 unless `mean` is given).",
  })
export type Distribution = z.infer<typeof Distribution>

/**
 * An equation error's normal distribution sized from past forecast errors (bands sized from
 * history, as the OBR and the Czech National Bank size their fans): `fromErrors` lists past
 * errors (outcome minus forecast) in the equation's unit, pp of growth; `source` names where
 * they come from. The estimator is their root mean square, sqrt(sum e^2 / n), with no mean
 * removed and no n - 1: a past bias widens the fan rather than shifting it. `of` says which
 * figure the errors are of:
 * - `period`: the equation's own per-period errors; sd = RMS.
 * - `year` (an indicator's error only): errors of the annual figure; the sd is scaled so that
 *   the indicator's annual growth, as the model propagates this error (its feedback, its
 *   persistence, the year-to-date weights), has an sd equal to the RMS. Exact for a model
 *   affine in its errors, at the central parameter values (engine/compile/past-errors.ts).
 * At least two errors. `compile` resolves it into an ordinary `{ dist: normal, sd, mean }`.
 */
export const PastErrors = z
  .strictObject({
    dist: z.literal("normal").describe("the error is normal"),
    fromErrors: z
      .array(finite)
      .min(2, "needs at least 2 past errors: the spread of fewer is not an estimate")
      .describe("past forecast errors (outcome minus forecast) in the equation's unit, pp of growth; at least two; sd = their root mean square"),
    of: z
      .enum(["period", "year"])
      .describe("period: errors of the equation's own per-period figure (sd = RMS); year (indicators only): errors of the annual growth, the per-period sd scaled so the annual growth's sd is the RMS"),
    source: z.string().min(1).describe("where the errors come from (a published track record, with its address); required"),
    mean: finite.optional().describe("mean of the error; 0 when absent"),
  })
  .meta({
    title: "PastErrors",
    examples: [{ dist: "normal", fromErrors: [0.8, -1.1, 0.4, -0.6, 1.3], of: "year", source: "the statistics bureau's past forecast record (its address)" }],
    description:
      "A normal equation error sized from past forecast errors, as the OBR and the Czech National Bank size their fans: sd = sqrt(sum e^2 / n), no mean removed and no n - 1 (a past bias widens the fan). compile resolves it into an ordinary normal (engine/compile/past-errors.ts).",
  })
export type PastErrors = z.infer<typeof PastErrors>

/** An equation error: a distribution, or a normal sized from past errors (PastErrors). */
export const EquationError = z
  .union([Distribution, PastErrors])
  .meta({ title: "EquationError", description: "An equation error: a Distribution, or a normal sized from history (PastErrors)." })
export type EquationError = z.infer<typeof EquationError>

/** Values before the first simulated period, most recent last; a number stands for one year of it. */
export const History = z
  .union([finite, z.array(finite).min(1)])
  .meta({ title: "History", examples: [0, [2.8, 3.1]], description: "Values before the first simulated period, most recent last; a number stands for one year of that value." })
export type History = z.infer<typeof History>

/**
 * A plan target on an indicator's annual growth. `atLeast v` is met at growth >= v, `atMost v`
 * at growth <= v, and `around v` with `band b` ("v左右") at growth >= v - b, the band's lower
 * edge, as officials read it: an overshoot meets it. The projection also reports the shares of
 * draws below, inside and above an `around` band (engine/project/targets.ts).
 */
const targetValue = finite.describe("the target's annual growth, in percent")
const targetNote = z.string().optional().describe("the target as the plan words it")
export const Target = z
  .discriminatedUnion("kind", [
    z
      .strictObject({ kind: z.literal("atLeast").describe("a floor"), value: targetValue, note: targetNote })
      .meta({ description: "met when the annual growth is at least value", examples: [{ kind: "atLeast", value: 5 }] }),
    z
      .strictObject({ kind: z.literal("atMost").describe("a ceiling"), value: targetValue, note: targetNote })
      .meta({ description: "met when the annual growth is at most value", examples: [{ kind: "atMost", value: 3 }] }),
    z
      .strictObject({
        kind: z.literal("around").describe("a figure with a band (左右)"),
        value: targetValue,
        band: finite.refine((x) => x >= 0, "band must be >= 0").describe("half-width of the band, pp, >= 0"),
        note: targetNote,
      })
      .meta({
        description:
          "value左右: met when the annual growth is at least value - band (the band's lower edge; above the band is an overshoot, still met); outcomes report below, inside and above the band",
        examples: [{ kind: "around", value: 5, band: 0.5, note: "5%左右" }],
      }),
  ])
  .meta({ title: "Target", description: "A plan target on an indicator's annual growth, by its `kind`, read as officials read it." })
export type Target = z.infer<typeof Target>

/**
 * Persistence of an equation error from one period to the next (an AR(1) coefficient in
 * [0, 1]): a number, or the name of a parameter (whose uncertainty makes it learnable from
 * releases; a draw outside [0, 1] is clamped to it). 1 is one draw per run, the same in every
 * period; 0 is a fresh draw each period.
 */
export const Persistence = z.union([finite.refine((x) => x >= 0 && x <= 1, "persistence must be in [0, 1]"), Identifier]).meta({
  title: "Persistence",
  examples: [0.6, "rho_fai"],
  description:
    "The AR(1) coefficient rho of an equation error, u[t] = rho u[t-1] + sqrt(1 - rho^2) x[t]: a number in [0, 1], or the name of a parameter (its uncertainty makes it learnable from releases; a draw outside [0, 1] is clamped). 1: one draw per run, the same in every period; 0: a fresh draw each period.",
})
export type Persistence = z.infer<typeof Persistence>

/** How a published release of a series relates to its true value: the release noise's sd (pp of year-to-date growth). */
export const ReleaseNoise = z
  .strictObject({
    sd: finite.refine((x) => x > 0, "sd must be > 0").describe("sd of the release noise, pp of year-to-date growth, > 0"),
    source: z.string().optional().describe("where the figure comes from"),
  })
  .meta({ title: "ReleaseNoise", examples: [{ sd: 0.3, source: "revisions of the bureau's monthly releases" }], description: "How a published release relates to the true figure: the true year-to-date growth plus a normal noise of this sd." })
export type ReleaseNoise = z.infer<typeof ReleaseNoise>

/**
 * A plan indicator: a variable of the model that is the indicator's year-over-year growth in
 * percent, period by period (the description below says how it cumulates).
 */
export const Indicator = z
  .strictObject({
    id: Identifier.describe("the indicator's variable: its equation is `equations.<id>`, events name it"),
    name: z.string().min(1).describe("the indicator's name, as tables and charts show it"),
    name_zh: z.string().optional().describe("its name in Chinese"),
    unit: z.string().default("%").describe("unit of the growth shown"),
    kind: z
      .enum(["flow", "income", "rate"])
      .describe("flow and income cumulate as sums over the year (year-to-date growth = this year's periods so far over the same periods of the base year); rate as an average"),
    base: z
      .strictObject({
        growth: finite.describe("the base year's growth in percent; also the lag history of the growth variable unless `history` is given"),
        level: finite.optional().describe("the base year's level, for reference"),
        levelUnit: z.string().optional().describe("unit of `level`"),
        source: z.string().optional().describe("where the base figures come from"),
      })
      .describe("the base year's figures"),
    profile: z
      .array(finite.refine((x) => x > 0, "profile weights must be > 0"))
      .optional()
      .describe("seasonal profile of the base year's level, one positive weight per period of the year (normalised); flat when absent"),
    history: History.optional().describe("values of the growth before the first period; `base.growth` when absent"),
    target: Target.optional().describe("the plan's target on the annual growth"),
    range: z
      .tuple([finite, finite])
      .optional()
      .describe("plausible annual growth (or rate), [low, high]: an event whose deterministic projection leaves it is refused (engine/project/admit.ts)"),
    error: EquationError.optional().describe("equation error of the growth (pp) in each period, an AR(1) process with `persistence`; drawn in Monte Carlo"),
    persistence: Persistence.optional().describe("persistence of `error` from period to period; the model's `observation.persistence` when absent"),
    release: ReleaseNoise.optional().describe("noise of this indicator's releases; the model's `observation.sd` when absent"),
    days: z
      .boolean()
      .optional()
      .describe("whether `calendar.days` weights apply: by default to flow indicators, not to income ones, never to a rate; ignored without `calendar.days`"),
    source: z.string().optional().describe("where the indicator's definition and figures come from"),
  })
  .refine((i) => !(i.kind === "rate" && i.days === true), { message: "a rate indicator has no calendar-day weights", path: ["days"] })
  .meta({
    title: "Indicator",
    examples: [
      {
        id: "fai",
        name: "Fixed-asset investment",
        kind: "flow",
        base: { growth: 3 },
        target: { kind: "atLeast", value: 5 },
        error: { dist: "normal", sd: 0.8 },
      },
    ],
    description: "A plan indicator: an endogenous variable that is the indicator's year-over-year growth in percent, period by period, with its base year, seasonal profile, target and uncertainty.",
  })
export type Indicator = z.infer<typeof Indicator>

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
