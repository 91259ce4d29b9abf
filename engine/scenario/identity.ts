// What makes two events the same event: the rule the fold uses to tell a duplicate (the same
// id with the same payload: applied once) from a conflict (the same id with another payload:
// refused, naming both), and attribution uses to tell a changed event. A payload is compared
// as canonical JSON (keys sorted), leaving out `scenario`, which says where an event was sent,
// not what it is. Pure.
import type { ScenarioEvent } from "../schema/scenario.ts"

/** A value with every object's keys sorted, so that JSON.stringify is canonical. */
export const canonical = (x: unknown): unknown =>
  Array.isArray(x)
    ? x.map(canonical)
    : x !== null && typeof x === "object"
      ? Object.fromEntries(
          Object.keys(x)
            .sort()
            .map((k) => [k, canonical((x as Record<string, unknown>)[k])]),
        )
      : x

/** The event's payload without `scenario`, as canonical fields. */
const payload = (e: ScenarioEvent): Record<string, unknown> => {
  const { scenario: _s, ...rest } = e
  return canonical(rest) as Record<string, unknown>
}

/** The event's payload (`scenario` aside) as canonical JSON text: equal for a duplicate, different for a conflict. */
export const canonicalPayload = (e: ScenarioEvent): string => JSON.stringify(payload(e))

/** Whether two events with the same id carry the same payload (`scenario` aside): a duplicate, not a conflict. */
export const samePayload = (a: ScenarioEvent, b: ScenarioEvent): boolean => JSON.stringify(payload(a)) === JSON.stringify(payload(b))

const clip = (s: string, n = 80): string => (s.length > n ? s.slice(0, n) + "…" : s)

/**
 * The fields in which `incoming` differs from `seen`, as text naming both values, e.g.
 * `ytd: -10.2 in the log, -10.5 here`. Empty when the payloads are the same.
 */
export const payloadDifferences = (seen: ScenarioEvent, incoming: ScenarioEvent): string[] => {
  const a = payload(seen)
  const b = payload(incoming)
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()
  const show = (v: unknown) => (v === undefined ? "absent" : clip(JSON.stringify(v)))
  return keys.filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k])).map((k) => `${k}: ${show(a[k])} in the log, ${show(b[k])} here`)
}
