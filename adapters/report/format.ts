// Number formatting for the report: growth values, percentage points, probabilities, axis
// ticks, period labels. Every formatter takes possibly-missing values and returns a short
// display string ("–" for missing); outputs contain only digits, signs, "%", "." and
// fixed words, so they are safe in markup without escaping (they are escaped anyway).
// Pure: no I/O.
import type { Target } from "../../engine/index.ts"
import { num } from "./types.ts"

/** The placeholder shown for a missing value. */
export const MISSING = "–"

/** A value with a fixed number of decimals, a true minus sign, "–" when missing. */
export function fmt(x: unknown, decimals = 1): string {
  const v = num(x)
  if (v === null) return MISSING
  const r = Number(v.toFixed(decimals))
  const s = Math.abs(r).toFixed(decimals)
  return r < 0 ? `−${s}` : s
}

/** A signed value ("+0.4", "−1.2"), for contributions and differences. */
export function fmtSigned(x: unknown, decimals = 1): string {
  const v = num(x)
  if (v === null) return MISSING
  const r = Number(v.toFixed(decimals))
  return r > 0 ? `+${fmt(r, decimals)}` : fmt(r, decimals)
}

/** A growth value with its unit ("6.1%" or "6.1 pp"). */
export function fmtUnit(x: unknown, unit: string | null | undefined, decimals = 1): string {
  const s = fmt(x, decimals)
  if (s === MISSING) return s
  const u = unit ?? "%"
  return u === "%" ? `${s}%` : u ? `${s} ${u}` : s
}

/** A probability in [0, 1] as a percentage; "<1%" and ">99%" near the ends so 0.996 is not "100%". */
export function fmtProbability(x: unknown): string {
  const p = num(x)
  if (p === null) return MISSING
  if (p <= 0) return "0%"
  if (p >= 1) return "100%"
  if (p < 0.01) return "<1%"
  if (p > 0.99) return ">99%"
  return `${Math.round(p * 100)}%`
}

/** A value as written in a plan: up to 2 decimals, no trailing zeros ("10", "6.5", "−0.25"). */
export function fmtPlain(x: unknown): string {
  const v = num(x)
  if (v === null) return MISSING
  return fmt(v, 2).replace(/\.?0+$/, "")
}

/** A target in words and symbols: "≥ 10%", "≤ 3%", "7% ± 0.5". */
export function fmtTarget(t: Target | null, unit: string | null | undefined): string {
  if (!t) return "no target"
  const u = unit ?? "%"
  const v = `${fmtPlain(t.value)}${u === "%" ? "%" : u ? ` ${u}` : ""}`
  if (t.kind === "atLeast") return `≥ ${v}`
  if (t.kind === "atMost") return `≤ ${v}`
  const band = num(t.band)
  return band === null || band === 0 ? `≈ ${v}` : `${v} ± ${fmtPlain(band)}`
}

/** Decimals enough to write a tick step exactly (2 -> 0, 0.5 -> 1, 0.25 -> 2). */
export function tickDecimals(step: number): number {
  if (!(step > 0) || !Number.isFinite(step)) return 0
  for (let d = 0; d < 6; d++) {
    const scaled = step * 10 ** d
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) return d
  }
  return 6
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

/** A short axis label for a period: "2024-03" -> "Mar", "2024-Q2" -> "Q2", else as given. */
export function periodLabel(period: string): string {
  const m = /^\d{4}-(\d{2})$/.exec(period)
  if (m) {
    const i = Number(m[1]) - 1
    return MONTHS[i] ?? period
  }
  const q = /^\d{4}-(Q[1-4])$/.exec(period)
  return q ? q[1] : period
}
