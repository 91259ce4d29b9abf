// Multipliers of any variable as text: per shocked and responding variable, the impact and
// interim multipliers and the full matrix d x[t] / d shock[s] over the horizon, as a table or
// as CSV (one row per shock, response and period, with an indicator's annual multiplier). The
// words follow the shocked variable: pp added to the growth of a plan indicator, units added to
// the level of any other variable or exogenous series. Shell-side formatting, pure.
import type { Multipliers } from "../../engine/index.ts"
import { csvLine } from "../csv.ts"
import { renderTable } from "./format.ts"

/** What a unit shock to `variable` is, in words. */
export const shockUnit = (variable: string, indicators: readonly string[]): string =>
  indicators.includes(variable) ? `1 pp added to the growth of ${variable}` : `1 unit added to the level of ${variable}`

/** One table per (shock, response): period, impact, interim, then the matrix columns (shock period). */
export const multiplierTables = (m: Multipliers, indicators: readonly string[]): string =>
  m.shocks
    .flatMap((s) =>
      s.responses.map((r) => {
        const header = ["period", "impact", "interim", ...m.periods.map((p) => `shock ${p}`)]
        const rows = m.periods.map((p, t) => [p, r.impact[t]!.toFixed(6), r.interim[t]!.toFixed(6), ...r.matrix[t]!.map((x) => x.toFixed(6))])
        return `response of ${r.variable} to ${shockUnit(s.variable, indicators)} (impact: same period; interim: sustained from the first period)\n\n${renderTable(header, rows)}`
      }),
    )
    .join("\n")

/**
 * CSV: shock,response,period,impact,interim,annual,<one column per shock period>; `annual` (the
 * same on every row of a response) is the change in an indicator's annual growth, the number of
 * the indicator table, and empty for a variable that is not an indicator.
 */
export const multiplierCsv = (m: Multipliers): string =>
  [
    ["shock", "response", "period", "impact", "interim", "annual", ...m.periods.map((p) => `shock_${p}`)].join(","),
    ...m.shocks.flatMap((s) => s.responses.flatMap((r) => m.periods.map((p, t) => csvLine([s.variable, r.variable, p, r.impact[t], r.interim[t], r.annual, ...r.matrix[t]!])))),
  ].join("\n") + "\n"
