// The report's input shapes: the Projection JSON and explain JSON contracts of
// ARCHITECTURE.md as the report reads them, deliberately lenient (optional fields, nulls,
// extra fields) because reports are also drawn from files written by older or newer
// versions. Readers here turn a raw value into a number or null, never throw.
// Pure: no I/O.
import { meetsTarget, Target } from "../../engine/index.ts"

/** A target as the projection carries it; `band` only for `around`. */
export interface ReportTarget {
  readonly kind: "atLeast" | "atMost" | "around" | string
  readonly value: number
  readonly band?: number | null
  readonly note?: string | null
}

/** Quantiles of year-to-date growth at one period; p25/p75 may be absent. */
export interface ReportQuantiles {
  readonly p05?: number | null
  readonly p25?: number | null
  readonly p50?: number | null
  readonly p75?: number | null
  readonly p95?: number | null
  readonly mean?: number | null
}

/** One period of an indicator's path. */
export interface ReportPathPoint {
  readonly period: string
  readonly ytd?: ReportQuantiles | null
  readonly observed?: boolean | null
}

/** One indicator of a projection. Everything but `id` may be missing. */
export interface ReportIndicator {
  readonly id: string
  readonly name?: string | null
  readonly name_zh?: string | null
  readonly unit?: string | null
  readonly target?: ReportTarget | null
  readonly annual?: ReportQuantiles | null
  readonly probability?: number | null
  readonly required?: number | null
  readonly met?: boolean | null
  readonly path?: readonly ReportPathPoint[] | null
}

/** The Projection JSON contract (fields may be added upstream; the report ignores them). */
export interface ReportProjection {
  readonly model?: string | null
  readonly scenario?: string | null
  readonly seed?: number | null
  readonly draws?: number | null
  readonly periods?: readonly string[] | null
  readonly indicators?: readonly ReportIndicator[] | null
  readonly events?: { readonly applied?: number | null; readonly rejected?: number | null } | null
}

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

/** The target if it is drawable: a known kind and a finite value. */
export function usableTarget(t: ReportTarget | null | undefined): ReportTarget | null {
  if (!t || typeof t !== "object") return null
  if (t.kind !== "atLeast" && t.kind !== "atMost" && t.kind !== "around") return null
  if (num(t.value) === null) return null
  return t
}

/** Whether an annual growth value meets a target, by the engine's rule (band edges included; not a valid target: false). */
export function meets(target: ReportTarget, value: number): boolean {
  const valid = Target.safeParse(target)
  return valid.success && meetsTarget(valid.data, value)
}

/** The array itself, or an empty one for anything that is not an array. */
export function arr<T>(x: readonly T[] | null | undefined): readonly T[] {
  return Array.isArray(x) ? x : []
}
