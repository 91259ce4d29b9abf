// The scenario file's and the scenario events' schemas (zod): the shapes of what arrives
// from files, standard input and NATS, before any check against a model. Pure: no I/O.
import { z } from "zod"
import { Distribution } from "./model.ts"

const finite = z.number().refine(Number.isFinite, "must be a finite number")
const period = z.string().regex(/^\d{4}(-(0[1-9]|1[0-2]|Q[1-4]))?$/, "must be a period: 2024-03, 2024-Q2 or 2024")
const eventId = z.string().min(1).max(200)

/** Fields every event may carry besides its own. */
const common = {
  id: eventId,
  /** The scenario the event belongs to: required on NDJSON streams and NATS, ignored in a scenario file. */
  scenario: z.string().min(1).max(200).optional(),
  note: z.string().max(10_000).optional(),
  source: z.string().max(10_000).optional(),
}

/** An add-factor on one variable's growth, in percentage points, over a period range (the whole horizon by default). */
export const ShockEffect = z.strictObject({
  indicator: z.string().min(1),
  value: finite,
  from: period.optional(),
  to: period.optional(),
  /** Uncertainty of the value, added to it per draw. `sd` is shorthand for a normal with that sd. */
  sd: finite.refine((x) => x >= 0, "sd must be >= 0").optional(),
  uncertainty: Distribution.optional(),
})
export type ShockEffect = z.infer<typeof ShockEffect>

export const ShockEvent = z.strictObject({ ...common, type: z.literal("shock"), ...ShockEffect.shape })
export const ObserveEvent = z.strictObject({
  ...common,
  type: z.literal("observe"),
  indicator: z.string().min(1),
  through: period,
  /** Cumulative (year-to-date) growth in percent through `through`, as published. */
  ytd: finite,
  /** Noise of this release (pp); the series' `release.sd` (or the model's `observation.sd`) when absent. */
  sd: finite.refine((x) => x > 0, "sd must be > 0").optional(),
})
export const SetParameterEvent = z
  .strictObject({
    ...common,
    type: z.literal("set-parameter"),
    parameter: z.string().min(1),
    value: finite.optional(),
    uncertainty: Distribution.optional(),
  })
  .refine((e) => e.value !== undefined || e.uncertainty !== undefined, { message: "needs a value or an uncertainty", path: ["value"] })
export const MeasureEvent = z.strictObject({
  ...common,
  type: z.literal("measure"),
  name: z.string().min(1),
  effects: z.array(ShockEffect).min(1).max(1000),
})
export const RetractEvent = z.strictObject({ ...common, type: z.literal("retract"), event: eventId })

export const ScenarioEvent = z.discriminatedUnion("type", [ShockEvent, ObserveEvent, SetParameterEvent, MeasureEvent, RetractEvent])
export type ScenarioEvent = z.infer<typeof ScenarioEvent>
export type ShockEvent = z.infer<typeof ShockEvent>
export type ObserveEvent = z.infer<typeof ObserveEvent>
export type SetParameterEvent = z.infer<typeof SetParameterEvent>
export type MeasureEvent = z.infer<typeof MeasureEvent>
export type RetractEvent = z.infer<typeof RetractEvent>

/** A scenario file: a model, an optional base scenario it extends, and its own events in order. Paths are relative to the file. */
export const ScenarioFile = z.strictObject({
  name: z.string().min(1).max(200),
  title: z.string().optional(),
  description: z.string().optional(),
  model: z.string().min(1),
  base: z.string().min(1).optional(),
  events: z.array(z.unknown()).default([]),
})
export type ScenarioFile = z.infer<typeof ScenarioFile>
