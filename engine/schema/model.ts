// The model file's schema: what an economist writes (calendar, indicators, parameters,
// exogenous series, equations) as zod schemas, the single source of truth for validation,
// the TypeScript types and the exported JSON Schema. Pure: no I/O.
import { z } from "zod"

const finite = z.number().refine(Number.isFinite, "must be a finite number")
const identifier = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an identifier: a letter or _ followed by letters, digits or _")

/**
 * An uncertainty distribution. `normal`, `triangular` and `lognormal` are centred on the
 * value they qualify (its mean, mode and median); `uniform` gives its own bounds.
 * Distributions on parameters replace the value per draw; on errors and shocks they are
 * added (centred on 0 unless `mean` is given).
 */
export const Distribution = z.discriminatedUnion("dist", [
  z.strictObject({ dist: z.literal("normal"), sd: finite.refine((x) => x >= 0, "sd must be >= 0"), mean: finite.optional() }),
  z
    .strictObject({ dist: z.literal("uniform"), min: finite, max: finite })
    .refine((d) => d.min <= d.max, { message: "min must be <= max", path: ["max"] }),
  z
    .strictObject({ dist: z.literal("triangular"), min: finite, max: finite, mode: finite.optional() })
    .refine((d) => d.min <= d.max, { message: "min must be <= max", path: ["max"] }),
  z.strictObject({
    dist: z.literal("lognormal"),
    sigma: finite.refine((x) => x >= 0, "sigma must be >= 0"),
    median: finite.refine((x) => x > 0, "median must be > 0").optional(),
  }),
])
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
export const PastErrors = z.strictObject({
  dist: z.literal("normal"),
  fromErrors: z.array(finite).min(2, "needs at least 2 past errors: the spread of fewer is not an estimate"),
  of: z.enum(["period", "year"]),
  source: z.string().min(1),
  mean: finite.optional(),
})
export type PastErrors = z.infer<typeof PastErrors>

/** An equation error: a distribution, or a normal sized from past errors (PastErrors). */
export const EquationError = z.union([Distribution, PastErrors])
export type EquationError = z.infer<typeof EquationError>

/** Values before the first simulated period, most recent last; a number stands for one year of it. */
export const History = z.union([finite, z.array(finite).min(1)])
export type History = z.infer<typeof History>

/**
 * A plan target on an indicator's annual growth. `atLeast v` is met at growth >= v, `atMost v`
 * at growth <= v, and `around v` with `band b` ("v左右") at growth >= v - b, the band's lower
 * edge, as officials read it: an overshoot meets it. The projection also reports the shares of
 * draws below, inside and above an `around` band (engine/project/targets.ts).
 */
export const Target = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("atLeast"), value: finite, note: z.string().optional() }).describe("met when the annual growth is at least value"),
  z.strictObject({ kind: z.literal("atMost"), value: finite, note: z.string().optional() }).describe("met when the annual growth is at most value"),
  z
    .strictObject({
      kind: z.literal("around"),
      value: finite,
      band: finite.refine((x) => x >= 0, "band must be >= 0"),
      note: z.string().optional(),
    })
    .describe("value左右: met when the annual growth is at least value - band (the band's lower edge; above the band is an overshoot, still met); outcomes report below, inside and above the band"),
])
export type Target = z.infer<typeof Target>

/**
 * Persistence of an equation error from one period to the next (an AR(1) coefficient in
 * [0, 1]): a number, or the name of a parameter (whose uncertainty makes it learnable from
 * releases; a draw outside [0, 1] is clamped to it). 1 is one draw per run, the same in every
 * period; 0 is a fresh draw each period.
 */
export const Persistence = z.union([finite.refine((x) => x >= 0 && x <= 1, "persistence must be in [0, 1]"), identifier])
export type Persistence = z.infer<typeof Persistence>

/** How a published release of a series relates to its true value: the release noise's sd (pp of year-to-date growth). */
export const ReleaseNoise = z.strictObject({
  sd: finite.refine((x) => x > 0, "sd must be > 0"),
  source: z.string().optional(),
})
export type ReleaseNoise = z.infer<typeof ReleaseNoise>

/**
 * A plan indicator: a variable of the model that is the indicator's year-over-year growth in
 * percent, period by period. `flow` and `income` cumulate as sums over the year (year-to-date
 * growth = sum of this year's periods over the same periods of the base year); `rate`
 * cumulates as an average.
 */
export const Indicator = z.strictObject({
  id: identifier,
  name: z.string().min(1),
  name_zh: z.string().optional(),
  unit: z.string().default("%"),
  kind: z.enum(["flow", "income", "rate"]),
  base: z.strictObject({
    /** The base year's growth in percent; also the lag history of the growth variable unless `history` is given. */
    growth: finite,
    level: finite.optional(),
    levelUnit: z.string().optional(),
    source: z.string().optional(),
  }),
  /** Seasonal profile of the base year's level per period (any positive weights; normalised). Flat when absent. */
  profile: z.array(finite.refine((x) => x > 0, "profile weights must be > 0")).optional(),
  history: History.optional(),
  target: Target.optional(),
  /** Plausible annual growth (or rate), [low, high]: an event whose deterministic projection leaves it is refused (engine/project/admit.ts). */
  range: z.tuple([finite, finite]).optional(),
  /** Equation error of the growth (pp) in each period, an AR(1) process with `persistence` (see Persistence); a distribution or PastErrors. */
  error: EquationError.optional(),
  /** Persistence of `error` from period to period; the model's `observation.persistence` when absent. */
  persistence: Persistence.optional(),
  /** Noise of this indicator's releases; the model's `observation.sd` when absent. */
  release: ReleaseNoise.optional(),
  /**
   * Whether the calendar's day weights (`calendar.days`) apply to this indicator: by default
   * to `flow` indicators and not to `income` ones; never to a `rate`. Ignored without `calendar.days`.
   */
  days: z.boolean().optional(),
  source: z.string().optional(),
})
  .refine((i) => !(i.kind === "rate" && i.days === true), { message: "a rate indicator has no calendar-day weights", path: ["days"] })
export type Indicator = z.infer<typeof Indicator>

export const Parameter = z.strictObject({
  value: finite,
  uncertainty: Distribution.optional(),
  /** Plausible values, [low, high]: the studio's slider span; a `set-parameter` outside it is refused. */
  range: z.tuple([finite, finite]).optional(),
  source: z.string().optional(),
  assumption: z.string().optional(),
})
export type Parameter = z.infer<typeof Parameter>

/** A period label of the model's calendar: "1920" (annual), "1920-Q2" (quarterly), "1920-03" (monthly). */
export const PeriodLabel = z.string().regex(/^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$/, "must be a period: 2024, 2024-Q1 or 2024-01")

/**
 * How an exogenous series read from `data` continues over the horizon past its last
 * observation: `constant` (the last value), `linear` (the least-squares line through all its
 * observations), `{ mean: n }` (the mean of its last n observations).
 */
export const Extension = z.union([z.enum(["constant", "linear"]), z.strictObject({ mean: z.number().int().positive() })])
export type Extension = z.infer<typeof Extension>

export const Exogenous = z.strictObject({
  /** One value for every period, or one per simulated period; absent when the series comes from `data` or is a `trend`. */
  values: z.union([finite, z.array(finite).min(1)]).optional(),
  /** A time trend: the number of periods since this period (0 there, 1 the period after, ...), over history and horizon. */
  trend: PeriodLabel.optional(),
  /** How a series from `data` continues past its last observation. */
  extend: Extension.optional(),
  history: History.optional(),
  uncertainty: Distribution.optional(),
  name: z.string().optional(),
  source: z.string().optional(),
  assumption: z.string().optional(),
})
export type Exogenous = z.infer<typeof Exogenous>

/** An endogenous variable that is not a plan indicator (a sector, a deflator, a textbook model's level). */
export const Variable = z.strictObject({
  name: z.string().optional(),
  unit: z.string().optional(),
  history: History.optional(),
  /** Terminal conditions of a forward-looking model: the values a lead x(+k) reads after the horizon, first after it first; a number: that value in every later period. */
  terminal: History.optional(),
  /** Equation error in each period (the variable's unit), an AR(1) process with `persistence`; a distribution or PastErrors (`of: period`). */
  error: EquationError.optional(),
  /** Persistence of `error` from period to period; the model's `observation.persistence` when absent. */
  persistence: Persistence.optional(),
  source: z.string().optional(),
})
export type Variable = z.infer<typeof Variable>

export const Calendar = z
  .strictObject({
    frequency: z.enum(["monthly", "quarterly", "annual"]),
    baseYear: z.number().int(),
    planYear: z.number().int(),
    /** Periods simulated from the start of the plan year; defaults to the plan year's periods. */
    horizon: z.number().int().positive().max(10_000).optional(),
    /**
     * Calendar-day weights for flows (engine/ytd.ts). With `true`, a flow indicator's variable is
     * its growth per calendar day, and its year-to-date growth, as published (not adjusted), weighs
     * each plan-year period's level by its days in the plan year over its days in the base year: a
     * leap plan year's February (29 days against 28) carries 29/28 of its base level at zero growth.
     * Off (absent or false): every period's days count alike, as before.
     */
    days: z.boolean().optional(),
  })
  .refine((c) => c.planYear === c.baseYear + 1, { message: "planYear must be baseYear + 1", path: ["planYear"] })
export type Calendar = z.infer<typeof Calendar>

/**
 * Historical series over a sample: `start` is the first period, each series one value per
 * period from there (null: missing). History before the horizon, exogenous values over it and
 * estimation read from it. `file` names a CSV file beside the model (a `period` column and
 * one column per series) that the file loader reads into `start` and `series`.
 */
export const Data = z.strictObject({
  file: z.string().min(1).optional(),
  start: PeriodLabel.optional(),
  series: z.record(identifier, z.array(finite.nullable()).min(1)).optional(),
  source: z.string().optional(),
})
export type Data = z.infer<typeof Data>

/**
 * A behavioural equation to estimate (plancast estimate): the parameters it estimates (the
 * equation must be linear in them), the sample, optional linear restrictions (`a2 = a3`,
 * `b1 + b2 = 1`) and the parameters of AR(n) errors (the equation then carries
 * `+ r1 * (lhs - rhs)(-1) + ...`, estimated by Cochrane-Orcutt).
 */
export const Behavioural = z.strictObject({
  coefficients: z.array(identifier).min(1),
  sample: z.strictObject({ from: PeriodLabel, to: PeriodLabel }),
  restrict: z.array(z.string().min(1)).default([]),
  ar: z.array(identifier).default([]),
})
export type Behavioural = z.infer<typeof Behavioural>

/**
 * A model file. Every endogenous variable (indicator or `variables` entry) has exactly one
 * equation in `equations`: `name: "<mathjs expression>"` or `name: "f(name) = <expression>"`;
 * a lag is written `x(-k)`.
 */
export const Model = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z0-9_.-]+$/, "must be a name of letters, digits, _ . -"),
    title: z.string().optional(),
    title_zh: z.string().optional(),
    description: z.string().optional(),
    calendar: Calendar,
    indicators: z.array(Indicator).default([]),
    variables: z.record(identifier, Variable).default({}),
    parameters: z.record(identifier, Parameter).default({}),
    exogenous: z.record(identifier, Exogenous).default({}),
    equations: z.record(identifier, z.string().min(1)),
    /** Historical series (see Data). */
    data: Data.optional(),
    /** Behavioural equations to estimate, by the variable they define. */
    estimate: z.record(identifier, Behavioural).default({}),
    /**
     * Model-wide defaults of the observation rule. `decay`: how the deterministic projection
     * carries a release's surprise into the periods after it (add-factor times decay^k).
     * `sd`: release noise (pp of year-to-date growth) of a series without its own `release`.
     * `persistence`: of an equation error without its own (1: one draw per run).
     */
    observation: z
      .strictObject({
        decay: finite.refine((x) => x >= 0 && x <= 1, "decay must be in [0, 1]").default(0.5),
        sd: finite.refine((x) => x > 0, "sd must be > 0").default(0.1),
        persistence: Persistence.default(1),
      })
      .default({ decay: 0.5, sd: 0.1, persistence: 1 }),
    solver: z
      .strictObject({
        method: z.enum(["newton", "gauss-seidel"]).default("newton"),
        tolerance: finite.refine((x) => x > 0, "tolerance must be > 0").default(1e-10),
        maxIterations: z.number().int().positive().default(100),
      })
      .default({ method: "newton", tolerance: 1e-10, maxIterations: 100 }),
  })
export type Model = z.infer<typeof Model>
export type ModelInput = z.input<typeof Model>

/** A model whose equation errors are ordinary distributions (PastErrors resolved): what `compile` returns as `compiled.model`. */
export type ResolvedModel = Omit<Model, "indicators" | "variables"> & {
  indicators: (Omit<Indicator, "error"> & { error?: Distribution })[]
  variables: Record<string, Omit<Variable, "error"> & { error?: Distribution }>
}
