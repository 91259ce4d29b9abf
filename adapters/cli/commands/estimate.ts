// `plancast estimate <model>`: estimates the model's behavioural equations (its `estimate:`
// entries) by OLS, with restrictions and AR errors, and prints each equation's coefficients,
// standard errors, t statistics, fit statistics and residuals; `--write` puts the estimates
// into the model file (comments kept), `--out` into a copy; `--static` and `--rescheck` check the
// estimated model against its data. The numbers are the engine's (engine/estimate). Shell.
import { resolve } from "node:path"
import { decodeModel, estimate, dataRange, residualCheck, staticSimulation, type Estimation, type Model, type SeriesTable } from "../../../engine/index.ts"
import { optionFlag, optionList, optionString, parseArgs } from "../args.ts"
import { csvLine } from "../../csv.ts"
import { renderTable } from "../format.ts"
import { invalidAt } from "../../files/located.ts"
import { loadModelFile } from "../../files/load.ts"
import { writeParameterValues } from "../../files/model-write.ts"
import { formatOption, print, printJson, type Command } from "./command.ts"

const spec = {
  command: "estimate",
  options: {
    equation: { kind: "string", repeat: true },
    write: { kind: "flag" },
    out: { kind: "string" },
    static: { kind: "flag" },
    rescheck: { kind: "flag" },
    from: { kind: "string" },
    to: { kind: "string" },
    format: formatOption("table", "csv", "json"),
  },
  positionals: { min: 1, max: 1, name: "the model file (plancast estimate <model>)" },
} as const

export const estimateCommand: Command = {
  name: "estimate",
  help: `usage: plancast estimate <model> [--equation V]... [--write | --out FILE] [--static] [--rescheck] [--from P --to P] [--format table|csv|json]

Estimates the behavioural equations the model marks under estimate: (coefficients, sample,
optional restrict and ar) by ordinary least squares from its data: linear restrictions by
restricted least squares, AR(n) errors by iterated Cochrane-Orcutt. Prints per equation the
coefficients with standard errors and t statistics, R², adjusted R², the standard error of
the regression, the sum of squared residuals, Durbin-Watson and the residuals.
  --equation V   estimate only this equation (repeatable)
  --write        put the estimates into the model file (its parameters' values; comments kept)
  --out FILE     write the model with the estimates to FILE instead
  --static       static simulation of the estimated model over --from..--to (every lag from
                 the data): each endogenous variable's one-period-ahead solution
  --rescheck     residual check: data minus each equation evaluated at the data (zero for
                 identities the data satisfy; the residuals of behavioural equations)
  --from, --to   the range of --static and --rescheck (default: the data but its first period)
  --format F     table (default), json ({ estimation, static?, rescheck? }) or csv, one value a
                 line: table,variable,row,column,value (table coefficients: row the
                 coefficient, column estimate|std_error|t; statistics: row observations,
                 r_squared, adjusted_r_squared, ser, ssr, durbin_watson; residuals, static and
                 rescheck: row the period)
A model without estimate: entries runs --static and --rescheck on its own parameter values.
`,
  run: async (argv) => {
    const args = parseArgs(spec, argv)
    if (args.help) return print(estimateCommand.help), 0
    const loaded = await loadModelFile(args.positionals[0]!)
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
    const checks = optionFlag(args, "static") || optionFlag(args, "rescheck")
    const only = optionList(args, "equation")
    const estimation = Object.keys(model.estimate).length > 0 || !checks ? located(() => estimate(model, only.length ? only : undefined)) : undefined
    const estimated = estimation?.estimated ?? model
    const range = checks ? located(() => ({ ...dataRange(estimated), ...defined({ from: optionString(args, "from"), to: optionString(args, "to") }) })) : undefined
    const staticRun = optionFlag(args, "static") ? located(() => staticSimulation(estimated, range!.from, range!.to)) : undefined
    const rescheck = optionFlag(args, "rescheck") ? located(() => residualCheck(estimated, range!.from, range!.to)) : undefined
    const target = optionFlag(args, "write") ? loaded.path : optionString(args, "out")
    if (estimation !== undefined && target !== undefined)
      await writeParameterValues(loaded.path, resolve(target), new Map(estimation.equations.flatMap((e) => [...e.coefficients, ...e.ar].map((c) => [c.name, c.value] as const))))
    const format = optionString(args, "format")
    if (format === "csv") print(estimationCsv(estimation, staticRun, rescheck))
    else if (format === "json") printJson({ estimation: estimation && { model: estimation.model, equations: estimation.equations }, static: staticRun, rescheck })
    else {
      if (estimation !== undefined) print(estimationText(estimation))
      if (staticRun !== undefined) print(`\nstatic simulation (lags from the data), ${range!.from}..${range!.to}\n\n` + seriesText(staticRun, 3))
      if (rescheck !== undefined) print(`\nresidual check (data minus equation at the data), ${range!.from}..${range!.to}\n\n` + seriesText(rescheck, -1) + maxLine(rescheck))
      if (target !== undefined) print(`\nwrote the estimates to ${target}\n`)
    }
    return 0
  },
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
