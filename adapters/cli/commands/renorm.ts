// `plancast renorm <scenario> --target V=values --instrument I ...`: the values of n instruments
// (exogenous series, parameters, endogenous add-factors) that put n target variables on the
// given values in the chosen periods, solved together by Newton on the whole model (the
// engine's `renorm`, as bimets' RENORM). Here: arguments, output. Shell.
import { renorm } from "../../../engine/index.ts"
import type { RenormInput } from "../configs/analysis.ts"
import { UsageError } from "../failure.ts"
import { csvLine } from "../../csv.ts"
import { renderTable } from "../format.ts"
import { loadScenarioStrict, withConvergenceLocated } from "../../files/load.ts"
import { print, printJson } from "./command.ts"

/** Runs `plancast renorm` on its parsed options; resolves with the exit status. */
export const runRenorm = async (args: RenormInput): Promise<number> => {
  const targetArgs = args.target
  const instruments = args.instrument
  if (targetArgs.length === 0) throw new UsageError({ command: "renorm", problem: "missing --target V=x (a variable and its target value)" })
  if (instruments.length === 0) throw new UsageError({ command: "renorm", problem: "missing --instrument I (what may move to meet the targets)" })
  const scenario = await loadScenarioStrict(args.scenario)
  const periodsArg = args.periods
  const periods = periodsArg !== undefined ? periodsArg.split(",").map((p) => p.trim()) : scenario.compiled.periods.slice()
  const targets = targetArgs.map((t) => {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(t)
    if (m === null) throw new UsageError({ command: "renorm", problem: `--target ${t}: write V=x or V=x1,x2,... (one value per period)` })
    const values = m[2]!.split(",").map((x) => Number(x.trim()))
    if (values.some((x) => !Number.isFinite(x))) throw new UsageError({ command: "renorm", problem: `--target ${t}: the values must be numbers` })
    return { variable: m[1]!, values: values.length === 1 ? periods.map(() => values[0]!) : values }
  })
  const result = withConvergenceLocated(scenario.model, () => renorm(scenario.compiled, scenario.state, { periods, targets, instruments }))
  const format = args.format
  if (format === "json") return printJson(result), 0
  if (format === "csv") {
    const header = ["period", ...result.targets.flatMap((t) => [`${t.variable}_target`, `${t.variable}_reached`]), ...result.instruments.map((i) => i.name)]
    const lines = result.periods.map((p, s) =>
      csvLine([p, ...result.targets.flatMap((t) => [t.target[s], t.reached[s]]), ...result.instruments.map((i) => (i.kind === "parameter" ? (s === 0 ? i.values[0] : undefined) : i.values[s]))]),
    )
    return print([csvLine(header), ...lines].join("\n") + "\n"), 0
  }
  const f = (x: number): string => x.toFixed(6)
  const rows = result.periods.map((p, s) => [
    p,
    ...result.targets.flatMap((t) => [f(t.target[s]!), f(t.reached[s]!)]),
    ...result.instruments.map((i) => (i.kind === "parameter" ? (s === 0 ? f(i.values[0]!) : "") : f(i.values[s]!))),
  ])
  const header = ["period", ...result.targets.flatMap((t) => [`${t.variable} target`, `${t.variable} reached`]), ...result.instruments.map((i) => `${i.name} (${i.kind})`)]
  print(
    `${scenario.name}: instruments that meet every target (Newton on the whole model, ${result.iterations} iteration(s), largest miss ${result.residual.toExponential(2)})\n\n` +
      renderTable(header, rows),
  )
  return 0
}
