// The series a model declares about its plan: indicators (endogenous variables the plan
// targets) and observables (series that are released but are not plan indicators: an
// expression over model variables plus noise). Split from model.ts, which re-exports them.
// Every field carries its `.describe()` text: the reference is generated from them. Pure: no I/O.
import { z } from "zod"
import { Distribution, EquationError, finite, History, Identifier, Persistence, ReleaseNoise } from "./shapes.ts"

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

/**
 * A series that is released but is not a plan indicator (no target, not in `joint`, not
 * sought): its period growth is `expression` (over the model's variables, parameters and
 * exogenous series, in the equation language) plus `noise`, an AR(1) error like an equation's.
 * It has its own year-to-date convention (`kind`), base-year profile and release noise, so
 * `observe` events can name it and the releases condition the draws through it. Compiled as an
 * endogenous variable of that name (equation: the expression; error: the noise).
 */
export const Observable = z
  .strictObject({
    name: z.string().min(1).describe("the series' name, as tables show it"),
    name_zh: z.string().optional().describe("its name in Chinese"),
    unit: z.string().default("%").describe("unit of the growth shown"),
    kind: z
      .enum(["flow", "income", "rate"])
      .describe("how its year-to-date growth cumulates, as for an indicator: flow and income as sums over the year, rate as an average"),
    expression: z
      .string()
      .min(1)
      .describe("the series' period growth (pp) before its noise: an expression over the model's variables, parameters and exogenous series, in the equation language (lags too)"),
    base: z
      .strictObject({
        growth: finite.describe("the base year's growth in percent; also the lag history of the series"),
        source: z.string().optional().describe("where the base figure comes from"),
      })
      .describe("the base year's figures"),
    profile: z
      .array(finite.refine((x) => x > 0, "profile weights must be > 0"))
      .optional()
      .describe("seasonal profile of the base year's level, one positive weight per period of the year (normalised); flat when absent"),
    days: z
      .boolean()
      .optional()
      .describe("whether `calendar.days` weights apply: by default to a flow, not to an income, never to a rate; ignored without `calendar.days`"),
    noise: Distribution.describe("the series' own error around the expression, pp of its growth in each period: an AR(1) process with `persistence`, drawn in Monte Carlo from its own stream"),
    persistence: Persistence.optional().describe("persistence of `noise` from period to period; the model's `observation.persistence` when absent"),
    release: ReleaseNoise.optional().describe("noise of this series' releases; the model's `observation.sd` when absent"),
    source: z.string().optional().describe("where the series' definition and figures come from, or the assumption behind them"),
  })
  .refine((o) => !(o.kind === "rate" && o.days === true), { message: "a rate has no calendar-day weights", path: ["days"] })
  .meta({
    title: "Observable",
    examples: [
      {
        name: "Above-quota retail sales",
        kind: "flow",
        expression: "retail_sales",
        base: { growth: 6.2 },
        noise: { dist: "normal", sd: 1 },
        persistence: 0.5,
      },
    ],
    description:
      "A released series that is not a plan indicator: an expression over model variables plus its own AR(1) noise, with its own year-to-date kind, base profile and release noise. `observe` events name it by its id; the projection reports it under `observables`, apart from the indicators.",
  })
export type Observable = z.infer<typeof Observable>
