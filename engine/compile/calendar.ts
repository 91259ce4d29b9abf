// Calendar arithmetic of a model: periods per year, the horizon's period labels ("2024-01",
// "2024-Q1", "2024"), and histories expanded to explicit per-period values. Used by the symbol
// table and by CompiledModel.periods. Pure.
import type { Calendar, History } from "../schema/model.ts"

/** Periods in one calendar year: 12, 4 or 1. */
export const periodsPerYear = (frequency: Calendar["frequency"]): number =>
  frequency === "monthly" ? 12 : frequency === "quarterly" ? 4 : 1

/** Number of simulated periods: `calendar.horizon`, else one plan year. */
export const horizonOf = (calendar: Calendar): number => calendar.horizon ?? periodsPerYear(calendar.frequency)

/** The label of period `t` (0-based) counted from the plan year's first period. */
export const periodLabel = (calendar: Calendar, t: number): string => {
  const p = periodsPerYear(calendar.frequency)
  const year = calendar.planYear + Math.floor(t / p)
  const k = (t % p) + 1
  if (calendar.frequency === "monthly") return `${year}-${String(k).padStart(2, "0")}`
  if (calendar.frequency === "quarterly") return `${year}-Q${k}`
  return String(year)
}

/** The horizon's period labels, in order. */
export const periodLabels = (calendar: Calendar): string[] =>
  Array.from({ length: horizonOf(calendar) }, (_, t) => periodLabel(calendar, t))

/** A history as explicit values, most recent last; a number stands for one year of that value. */
export const expandHistory = (history: History | undefined, perYear: number): number[] =>
  history === undefined ? [] : typeof history === "number" ? Array.from({ length: perYear }, () => history) : [...history]
