// Monte Carlo bands of endogenous variables (project --bands) as a table: per variable and
// period the mean, standard deviation and 5/25/50/75/95th percentiles over the draws, in the
// variable's own units (levels for a variable in levels, % for a growth indicator). Pure.
import type { SolutionBands } from "../../engine/index.ts"
import { renderTable } from "./format.ts"

export const bandsTable = (bands: SolutionBands, periods: readonly string[], draws: number): string => {
  const rows = Object.entries(bands.variables).flatMap(([name, bs]) =>
    bs.map((b, t) => [name, periods[t]!, ...[b.mean, b.sd, b.p05, b.p25, b.p50, b.p75, b.p95].map((x) => x.toFixed(4))]),
  )
  return (
    `\nbands over ${draws} draws, each variable in its own units${bands.quantileError > 0 ? ` (quantiles within ${bands.quantileError.toExponential(2)} of exact)` : ""}\n\n` +
    renderTable(["variable", "period", "mean", "sd", "p05", "p25", "p50", "p75", "p95"], rows, [1])
  )
}
