// `plancast estimate <model>`: estimates the model's behavioural equations (its `estimate:`
// entries) by OLS, with restrictions and AR errors, and prints each equation's coefficients,
// standard errors, t statistics, fit statistics and residuals; `--write` puts the estimates
// into the model file (comments kept), `--out` into a copy; `--static` and `--rescheck` check the
// estimated model against its data. The numbers are the engine's (engine/estimate). Shell.
import { resolve } from "node:path"
import { decodeModel, estimate, dataRange, residualCheck, staticSimulation, type Estimation, type Model, type SeriesTable } from "../../../engine/index.ts"
import type { EstimateInput } from "../configs/analysis.ts"
import { csvLine } from "../../csv.ts"
import { renderTable } from "../format.ts"
import { invalidAt } from "../../files/located.ts"
import { loadModelFile } from "../../files/load.ts"
import { writeParameterValues } from "../../files/model-write.ts"
import { print, printJson } from "./command.ts"

/** Runs `plancast estimate` on its parsed options; resolves with the exit status. */
export const runEstimate = async (args: EstimateInput): Promise<number> => {
  const loaded = await loadModelFile(args.model)
  const located = <T>(run: () => T): T => {
    try {
      return run()
    } catch (e) {
      if ((e as { _tag?: string })._tag === "ModelError") {
        const m = e as { path: (string | number)[]; problem: string }
        throw invalidAt(loaded.file, m.path, m.problem, loaded.document)
      }
      throw e
    }
  }
  const model: Model = located(() => decodeModel(loaded.document.value) as Model)
  const checks = args.static || args.rescheck
  const only = args.equation
  const estimation = Object.keys(model.estimate).length > 0 || !checks ? located(() => estimate(model, only.length ? only : undefined)) : undefined
  const estimated = estimation?.estimated ?? model
  const range = checks ? located(() => ({ ...dataRange(estimated), ...defined({ from: args.from, to: args.to }) })) : undefined
  const staticRun = args.static ? located(() => staticSimulation(estimated, range!.from, range!.to)) : undefined
  const rescheck = args.rescheck ? located(() => residualCheck(estimated, range!.from, range!.to)) : undefined
  const target = args.write ? loaded.path : args.out
  if (estimation !== undefined && target !== undefined)
    await writeParameterValues(loaded.path, resolve(target), new Map(estimation.equations.flatMap((e) => [...e.coefficients, ...e.ar].map((c) => [c.name, c.value] as const))))
  const format = args.format
  if (format === "csv") print(estimationCsv(estimation, staticRun, rescheck))
  else if (format === "json") printJson({ estimation: estimation && { model: estimation.model, equations: estimation.equations }, static: staticRun, rescheck })
  else {
    if (estimation !== undefined) print(estimationText(estimation))
    if (staticRun !== undefined) print(`\nstatic simulation (lags from the data), ${range!.from}..${range!.to}\n\n` + seriesText(staticRun, 3))
    if (rescheck !== undefined) print(`\nresidual check (data minus equation at the data), ${range!.from}..${range!.to}\n\n` + seriesText(rescheck, -1) + maxLine(rescheck))
    if (target !== undefined) print(`\nwrote the estimates to ${target}\n`)
  }
  return 0
}


const defined = (o: { from?: string; to?: string }): { from?: string; to?: string } => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined))

const num = (x: number, digits = 6): string => (Number.isFinite(x) ? x.toFixed(digits) : "—")

const estimationText = (e: Estimation): string =>
  e.equations
    .map((q) => {
      const rows = [...q.coefficients, ...q.ar].map((c) => [c.name, num(c.value), num(c.standardError), num(c.t, 3)])
      const stats = [
        `observations ${q.observations} (${q.sample.from}..${q.sample.to})`,
        `R² ${num(q.rSquared, 4)}  adjusted R² ${num(q.adjustedRSquared, 4)}`,
        `standard error of the regression ${num(q.ser, 4)}  sum of squared residuals ${num(q.ssr, 4)}`,
        `Durbin-Watson ${num(q.durbinWatson, 4)}${q.ar.length > 0 ? `  (Cochrane-Orcutt, ${q.iterations} iterations)` : ""}`,
        ...(q.restrictions.length > 0 ? [`restrictions: ${q.restrictions.join("; ")}`] : []),
      ]
      const residuals = q.residuals.map((r) => `${r.period} ${r.value >= 0 ? " " : ""}${r.value.toFixed(4)}`).join("  ")
      return `${q.variable}: ${q.equation}\n\n${renderTable(["coefficient", "estimate", "std. error", "t"], rows)}\n${stats.join("\n")}\nresiduals: ${residuals}\n`
    })
    .join("\n")

/** Everything `estimate` prints, as CSV, one value a line (layout in the help). */
const estimationCsv = (e: Estimation | undefined, staticRun: SeriesTable | undefined, rescheck: SeriesTable | undefined): string => {
  const lines = ["table,variable,row,column,value"]
  const add = (table: string, variable: string, row: string | number, column: string, value: number | null) => lines.push(csvLine([table, variable, row, column, value]))
  for (const q of e?.equations ?? []) {
    for (const c of [...q.coefficients, ...q.ar]) {
      add("coefficients", q.variable, c.name, "estimate", c.value)
      add("coefficients", q.variable, c.name, "std_error", c.standardError)
      add("coefficients", q.variable, c.name, "t", c.t)
    }
    const stats = { observations: q.observations, r_squared: q.rSquared, adjusted_r_squared: q.adjustedRSquared, ser: q.ser, ssr: q.ssr, durbin_watson: q.durbinWatson }
    for (const [name, value] of Object.entries(stats)) add("statistics", q.variable, name, "value", value)
    for (const r of q.residuals) add("residuals", q.variable, r.period, "residual", r.value)
  }
  for (const [table, column, series] of [["static", "solution", staticRun], ["rescheck", "residual", rescheck]] as const)
    if (series) for (const [v, xs] of Object.entries(series.variables)) series.periods.forEach((p, t) => add(table, v, p, column, xs[t] ?? null))
  return lines.join("\n") + "\n"
}

const seriesText = (s: SeriesTable, digits: number): string => {
  const names = Object.keys(s.variables)
  const cell = (x: number | null): string => (x === null ? "—" : digits < 0 ? x.toExponential(2) : x.toFixed(digits))
  return renderTable(["period", ...names], s.periods.map((p, t) => [p, ...names.map((v) => cell(s.variables[v]![t]!))]))
}

const maxLine = (s: SeriesTable): string =>
  `\nlargest |residual|: ${Object.entries(s.variables)
    .map(([v, xs]) => `${v} ${Math.max(...xs.map((x) => (x === null ? 0 : Math.abs(x)))).toExponential(2)}`)
    .join(", ")}\n`
