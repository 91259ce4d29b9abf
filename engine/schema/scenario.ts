// The scenario file's and the scenario events' schemas (zod): the shapes of what arrives
// from files, standard input and NATS, before any check against a model. Every field carries
// its `.describe()` text: the model-language reference (engine/reference.ts) is generated from
// them. Pure: no I/O.
import { z } from "zod"
import { Distribution, PeriodLabel } from "./model.ts"

const finite = z.number().refine(Number.isFinite, "must be a finite number")
const eventId = z.string().min(1).max(200)

/** Fields every event may carry besides its own. */
const common = {
  id: eventId.describe("the event's id, unique in its scenario: the same id and payload twice is applied once, another payload under it is refused"),
  scenario: z.string().min(1).max(200).optional().describe("the scenario the event belongs to: required on NDJSON streams and NATS, ignored in a scenario file"),
  note: z.string().max(10_000).optional().describe("why, in words"),
  source: z.string().max(10_000).optional().describe("where the assumption or figure comes from"),
}

/** An add-factor on one variable's growth, in percentage points, over a period range (the whole horizon by default). */
export const ShockEffect = z
  .strictObject({
    indicator: z.string().min(1).describe("the variable shocked: an indicator, another endogenous variable or an exogenous series"),
    value: finite.describe("pp added to the variable's growth (an add-factor in its unit) in each period of the range"),
    from: PeriodLabel.optional().describe("first period; the horizon's first when absent"),
    to: PeriodLabel.optional().describe("last period; the horizon's last when absent"),
    sd: finite.refine((x) => x >= 0, "sd must be >= 0").optional().describe("uncertainty of the value: a normal of this sd added per draw (shorthand of `uncertainty`)"),
    uncertainty: Distribution.optional().describe("uncertainty of the value, added to it per draw; not with `sd`"),
  })
  .meta({ title: "ShockEffect", examples: [{ indicator: "fai", value: 2, from: "2024-06" }], description: "An add-factor on one variable over a period range: pp of growth for an indicator." })
export type ShockEffect = z.infer<typeof ShockEffect>

export const ShockEvent = z
  .strictObject({ ...common, type: z.literal("shock").describe("an assumed shock"), ...ShockEffect.shape })
  .meta({
    description: "shock: an assumed add-factor on one variable's growth over a period range",
    examples: [{ id: "fai-slump", type: "shock", indicator: "fai", value: -5, from: "2024-03", to: "2024-08", sd: 1 }],
  })
export const ObserveEvent = z
  .strictObject({
    ...common,
    type: z.literal("observe").describe("a data release"),
    indicator: z.string().min(1).describe("the series released: an indicator, or an observable of the model (`observables`)"),
    through: PeriodLabel.describe("the last period the release covers, in the plan year"),
    ytd: finite.describe("cumulative (year-to-date) growth in percent through `through`, as published"),
    sd: finite.refine((x) => x > 0, "sd must be > 0").optional().describe("noise of this release (pp); the series' `release.sd` (or the model's `observation.sd`) when absent"),
  })
  .meta({
    description: "observe: a published year-to-date figure; a second release of the same series and period is a revision and replaces the first",
    examples: [{ id: "rel-fai-2024-03", type: "observe", indicator: "fai", through: "2024-03", ytd: -8.2 }],
  })
export const SetParameterEvent = z
  .strictObject({
    ...common,
    type: z.literal("set-parameter").describe("a new value or uncertainty of a parameter"),
    parameter: z.string().min(1).describe("the parameter"),
    value: finite.optional().describe("its new value (inside its `range`, if the model gives one)"),
    uncertainty: Distribution.optional().describe("its new uncertainty"),
  })
  .refine((e) => e.value !== undefined || e.uncertainty !== undefined, { message: "needs a value or an uncertainty", path: ["value"] })
  .meta({
    description: "set-parameter: a parameter's value or uncertainty replaced (at least one of them)",
    examples: [{ id: "mpc-lower", type: "set-parameter", parameter: "c1", value: 0.75 }],
  })
export const MeasureEvent = z
  .strictObject({
    ...common,
    type: z.literal("measure").describe("a policy measure"),
    name: z.string().min(1).describe("the measure's name"),
    effects: z.array(ShockEffect).min(1).max(1000).describe("its shocks, each a ShockEffect; at least one"),
  })
  .meta({
    description: "measure: a named bundle of shocks, applied and retracted together",
    examples: [{ id: "push", type: "measure", name: "infrastructure push", effects: [{ indicator: "fai", value: 2, from: "2024-06" }, { indicator: "gdp", value: 0.3 }] }],
  })
export const RetractEvent = z
  .strictObject({ ...common, type: z.literal("retract").describe("a withdrawal"), event: eventId.describe("the id of an earlier event of the scenario, not a retract") })
  .meta({
    description: "retract: withdraws an earlier event; retracting a revision brings the earlier release back",
    examples: [{ id: "no-slump", type: "retract", event: "fai-slump" }],
  })

export const ScenarioEvent = z
  .discriminatedUnion("type", [ShockEvent, ObserveEvent, SetParameterEvent, MeasureEvent, RetractEvent])
  .meta({ title: "Event", description: "A scenario event, by its `type`: in a scenario file's `events`, one per line of an NDJSON stream, or a NATS message." })
export type ScenarioEvent = z.infer<typeof ScenarioEvent>
export type ShockEvent = z.infer<typeof ShockEvent>
export type ObserveEvent = z.infer<typeof ObserveEvent>
export type SetParameterEvent = z.infer<typeof SetParameterEvent>
export type MeasureEvent = z.infer<typeof MeasureEvent>
export type RetractEvent = z.infer<typeof RetractEvent>

/** A scenario file: a model, an optional base scenario it extends, and its own events in order. Paths are relative to the file. */
export const ScenarioFile = z
  .strictObject({
    name: z.string().min(1).max(200).describe("the scenario's name, as tables, reports and the service show it"),
    title: z.string().optional().describe("a title for reports"),
    description: z.string().optional().describe("what the scenario assumes, in words"),
    model: z.string().min(1).describe("the model file, relative to this file"),
    base: z.string().min(1).optional().describe("a scenario file this one extends (relative to this file): its events come first"),
    events: z.array(z.unknown()).default([]).describe("the scenario's own events, in order (each an Event)"),
  })
  .meta({
    title: "Scenario",
    examples: [{ name: "fai-slump", model: "./model.yaml", base: "./baseline.yaml", events: [{ id: "fai-slump", type: "shock", indicator: "fai", value: -5, from: "2024-03" }] }],
    description: "A scenario file (YAML or JSON): a model, an optional base scenario it extends, and its own events in order." })
export type ScenarioFile = z.infer<typeof ScenarioFile>
