// Shapes the model file's parts share: identifiers, uncertainty distributions, equation errors
// (a distribution, or a normal sized from past errors), lag histories, error persistence and
// release noise. Split from model.ts (which re-exports them) so that the indicator and observable
// shapes (series.ts) and the model can both read them. Every field carries its `.describe()` text
// and every shape its `.meta({ title, examples })`: the reference (engine/reference.ts) is
// generated from them. Pure: no I/O.
import { z } from "zod"

/** A finite number (the schemas' number type). */
export const finite = z.number().refine(Number.isFinite, "must be a finite number")
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
