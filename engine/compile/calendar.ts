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
export const periodLabel = (calendar: Calendar, t: number): string => labelOf(calendar, t)

/** The horizon's period labels, in order. */
export const periodLabels = (calendar: Calendar): string[] =>
  Array.from({ length: horizonOf(calendar) }, (_, t) => periodLabel(calendar, t))

/** A history as explicit values, most recent last; a number stands for one year of that value. */
export const expandHistory = (history: History | undefined, perYear: number): number[] =>
  history === undefined ? [] : typeof history === "number" ? Array.from({ length: perYear }, () => history) : [...history]

/**
 * The period index of a label counted from the plan year's first period (negative before it),
 * or undefined when the label is not a period of the calendar's frequency ("1920", "1920-Q2",
 * "1920-03").
 */
export const periodIndex = (calendar: Calendar, label: string): number | undefined => {
  const p = periodsPerYear(calendar.frequency)
  const m =
    calendar.frequency === "annual" ? /^(\d{4})$/.exec(label) : calendar.frequency === "quarterly" ? /^(\d{4})-Q([1-4])$/.exec(label) : /^(\d{4})-(0[1-9]|1[0-2])$/.exec(label)
  if (m === null) return undefined
  return (Number(m[1]) - calendar.planYear) * p + (m[2] !== undefined ? Number(m[2]) - 1 : 0)
}

/** The label of period index `t` (negative before the plan year), as periodLabel. */
export const labelOf = (calendar: Calendar, t: number): string => {
  const p = periodsPerYear(calendar.frequency)
  const year = calendar.planYear + Math.floor(t / p)
  const k = (((t % p) + p) % p) + 1
  if (calendar.frequency === "monthly") return `${year}-${String(k).padStart(2, "0")}`
  if (calendar.frequency === "quarterly") return `${year}-Q${k}`
  return String(year)
}
