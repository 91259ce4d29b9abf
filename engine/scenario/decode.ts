// The one decoder of scenario events: raw values from a scenario file's `events` list, an
// NDJSON line or a NATS message become typed `ScenarioEvent`s here, or an `EventError` naming
// the event's id (when it has a string one), its position, the field path and the reason.
// Checks only the shape (zod schema); checks against a model and the earlier events are the
// fold's. Decoded events are frozen. Pure: no I/O.
import type { z } from "zod"
import { EventError, formatPath } from "../errors.ts"
import { ScenarioEvent } from "../schema/scenario.ts"

const idOf = (raw: unknown): string | undefined =>
  raw !== null && typeof raw === "object" && typeof (raw as { id?: unknown }).id === "string" ? (raw as { id: string }).id : undefined

const valueAt = (raw: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>((v, k) => (v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[k] : undefined), raw)

/** A zod issue in words a reader of an event file understands. */
const problemOf = (issue: z.core.$ZodIssue, raw: unknown): string => {
  if (issue.code === "invalid_type") {
    const value = valueAt(raw, issue.path)
    if (value === undefined) return "is required"
    if (typeof value === "number" && !Number.isFinite(value)) return "must be a finite number"
    return `must be ${issue.expected === "object" ? "an object" : `a ${issue.expected}`}`
  }
  if (issue.code === "invalid_union" && (issue as { discriminator?: string }).discriminator === "type") {
    return "must be one of shock, observe, set-parameter, measure, retract"
  }
  if (issue.code === "unrecognized_keys") return `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`
  return issue.message
}

const freeze = <T>(x: T): T => {
  if (x !== null && typeof x === "object" && !Object.isFrozen(x)) {
    for (const v of Object.values(x)) freeze(v)
    Object.freeze(x)
  }
  return x
}

/**
 * Validates one raw event against the event schema. Throws `EventError` (id when the raw value
 * has a string `id`, `at.index`, the first problem's field path and every problem's reason).
 */
export function decodeEvent(raw: unknown, at: { index?: number } = {}): ScenarioEvent {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new EventError({ index: at.index, path: [], problem: "an event must be an object with an id and a type" })
  }
  const r = ScenarioEvent.safeParse(raw)
  if (r.success) return freeze(r.data)
  const [first, ...rest] = r.error.issues
  const pathOf = (i: z.core.$ZodIssue) => i.path.filter((k): k is string | number => typeof k !== "symbol")
  const more = rest.map((i) => `; ${i.path.length ? formatPath(pathOf(i)) + ": " : ""}${problemOf(i, raw)}`).join("")
  throw new EventError({
    id: idOf(raw),
    index: at.index,
    path: pathOf(first),
    problem: problemOf(first, raw) + more,
  })
}

/**
 * Decodes one NDJSON line of an event stream (index: its 0-based line number): JSON, the event
 * schema, and the `scenario` field every stream event must carry. Blank lines are the reader's
 * to skip; given one, this throws like any line that is not an event.
 */
export function decodeNdjsonLine(line: string, index: number): { scenario: string; event: ScenarioEvent } {
  let raw: unknown
  try {
    raw = JSON.parse(line)
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e)
    throw new EventError({ index, path: [], problem: line.trim() === "" ? "empty line: not an event" : `not JSON: ${why}` })
  }
  const event = decodeEvent(raw, { index })
  if (event.scenario === undefined) {
    throw new EventError({ id: event.id, index, path: ["scenario"], problem: "is required on a stream: the scenario the event belongs to" })
  }
  return { scenario: event.scenario, event }
}
