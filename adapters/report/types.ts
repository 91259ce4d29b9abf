// The report's input shapes: the engine's Projection (engine/schema/projection.ts) and the
// explain JSON as the report reads them, deliberately lenient (optional fields, nulls,
// extra fields) because reports are also drawn from files written by older or newer
// versions. Readers here turn a raw value into a number or null, never throw.
// Pure: no I/O.
import { meetsTarget, Target, type Band, type IndicatorProjection, type PathPoint, type Projection } from "../../engine/index.ts"

/** A value as a report may find it in a file written by another version: any field missing or null. */
export type Lenient<T> = T extends readonly (infer U)[]
  ? readonly Lenient<U>[]
  : T extends object
    ? { readonly [K in keyof T]?: Lenient<T[K]> | null }
    : T

/** A target as the projection carries it; `band` only for `around`. */
export type ReportTarget = Lenient<Target>
/** Quantiles of year-to-date or annual growth; any may be absent. */
export type ReportQuantiles = Lenient<Band>
/** One period of an indicator's path. */
export type ReportPathPoint = Lenient<PathPoint>
/** One indicator of a projection: everything but `id` may be missing. */
export type ReportIndicator = Lenient<IndicatorProjection> & { readonly id: string }
/** A projection as the report reads it (engine/schema/projection.ts, leniently). */
export type ReportProjection = Omit<Lenient<Projection>, "indicators"> & { readonly indicators?: readonly ReportIndicator[] | null }

/** The explain JSON contract: contributions of events to the difference in annual growth. */
export interface ReportExplain {
  readonly scenario?: string | null
  readonly against?: string | null
  readonly indicators?:
    | readonly {
        readonly id: string
        readonly name?: string | null
        readonly name_zh?: string | null
        readonly total?: number | null
        readonly contributions?: readonly { readonly event: string; readonly value?: number | null }[] | null
      }[]
    | null
}

/** A finite number, or null for anything else (NaN, Infinity, null, strings, undefined). */
export function num(x: unknown): number | null {
  return typeof x === "number" && Number.isFinite(x) ? x : null
}

/** A string for display, or the fallback when the value is missing or not a string. */
export function str(x: unknown, fallback = ""): string {
  return typeof x === "string" ? x : typeof x === "number" && Number.isFinite(x) ? String(x) : fallback
}

/**
 * The target if it is one the engine knows (checked by the engine's schema; unknown fields
 * ignored; an `around` band that is not a finite number reads as 0), else null.
 */
export function usableTarget(t: ReportTarget | null | undefined): Target | null {
  if (!t || typeof t !== "object") return null
  const { kind, value, band, note } = t as Record<string, unknown>
  const valid = Target.safeParse({ kind, value, ...(kind === "around" ? { band: num(band) ?? 0 } : {}), ...(typeof note === "string" ? { note } : {}) })
  return valid.success ? valid.data : null
}

/** Whether an annual growth value meets a target, by the engine's rule (band edges included). */
export const meets = (target: Target, value: number): boolean => meetsTarget(target, value)

/** The array itself, or an empty one for anything that is not an array. */
export function arr<T>(x: readonly T[] | null | undefined): readonly T[] {
  return Array.isArray(x) ? x : []
}
