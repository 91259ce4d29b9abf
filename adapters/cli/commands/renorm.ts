// `plancast renorm <scenario> --target V=values --instrument I ...`: the values of n instruments
// (exogenous series, parameters, endogenous add-factors) that put n target variables on the
// given values in the chosen periods, solved together by Newton on the whole model (the
// engine's `renorm`, as bimets' RENORM). Here: arguments, output. Shell.
import { renorm } from "../../../engine/index.ts"
import { optionList, optionString, parseArgs, UsageError } from "../args.ts"
import { csvLine } from "../../csv.ts"
import { renderTable } from "../format.ts"
import { loadScenarioStrict, withConvergenceLocated } from "../../files/load.ts"
import { formatOption, print, printJson, type Command } from "./command.ts"

const spec = {
  command: "renorm",
  options: { target: { kind: "string", repeat: true }, instrument: { kind: "string", repeat: true }, periods: { kind: "string" }, format: formatOption("table", "csv", "json") },
  positionals: { min: 1, max: 1, name: "the scenario or model file (plancast renorm <file> --target V=x --instrument I)" },
} as const

export const renormCommand: Command = {
  name: "renorm",
  help: `usage: plancast renorm <scenario> --target V=x[,x...] ... --instrument I ... [--periods P,P...] [--format table|csv|json]

Finds the values of the instruments at which every target variable takes its target value in
every chosen period, at the scenario's deterministic solution: n targets need n instruments.
All unknowns are solved together by Newton's method on the whole model, to 1e-10 relative.
  --target V=x[,x...]  an endogenous variable and its value in each chosen period (one value:
                       the same in every period); repeatable
  --instrument I       an exogenous series (its value in each period), a parameter (one value
                       for the horizon) or an endogenous variable (its add-factor in each
                       period, in the variable's units); repeatable
  --periods P,P...     the target periods (default: every period of the horizon)
  --format F           table (default), csv (period, then <V>_target and <V>_reached per
                       target and one column per instrument; a parameter's value on the first
                       row) or json ({periods, instruments, targets, iterations, residual})
`,
  run: async (argv) => {
    const args = parseArgs(spec, argv)
    if (args.help) return print(renormCommand.help), 0
    const targetArgs = optionList(args, "target")
    const instruments = optionList(args, "instrument")
    if (targetArgs.length === 0) throw new UsageError({ command: "renorm", problem: "missing --target V=x (a variable and its target value)" })
    if (instruments.length === 0) throw new UsageError({ command: "renorm", problem: "missing --instrument I (what may move to meet the targets)" })
    const scenario = await loadScenarioStrict(args.positionals[0]!)
    const periodsArg = optionString(args, "periods")
    const periods = periodsArg !== undefined ? periodsArg.split(",").map((p) => p.trim()) : scenario.compiled.periods.slice()
    const targets = targetArgs.map((t) => {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(t)
      if (m === null) throw new UsageError({ command: "renorm", problem: `--target ${t}: write V=x or V=x1,x2,... (one value per period)` })
      const values = m[2]!.split(",").map((x) => Number(x.trim()))
      if (values.some((x) => !Number.isFinite(x))) throw new UsageError({ command: "renorm", problem: `--target ${t}: the values must be numbers` })
      return { variable: m[1]!, values: values.length === 1 ? periods.map(() => values[0]!) : values }
    })
    const result = withConvergenceLocated(scenario.model, () => renorm(scenario.compiled, scenario.state, { periods, targets, instruments }))
    const format = optionString(args, "format")
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
  },
}
