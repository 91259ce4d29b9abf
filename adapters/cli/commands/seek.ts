// `plancast seek <scenario> --target ID --shock ID [--probability P]`: the shock (pp added to
// one variable's growth in every period) at which one indicator's target is just met: by the
// deterministic projection, or with --probability by that share of Monte Carlo draws. The
// search is the engine's `seek`; here: arguments, checks of the ids, output. Shell.
import { seek } from "../../../engine/index.ts"
import { optionNumber, optionString, parseArgs, UsageError } from "../args.ts"
import { seekCsv, seekTable } from "../format.ts"
import { loadScenarioStrict, withConvergenceLocated } from "../../files/load.ts"
import { DEFAULT_SEED, formatOption, print, printJson, runOptions, type Command } from "./command.ts"

/** Draws used with --probability when --draws is not given. */
export const DEFAULT_SEEK_DRAWS = 2000

const spec = {
  command: "seek",
  options: { ...runOptions, target: { kind: "string" }, shock: { kind: "string" }, probability: { kind: "probability" }, format: formatOption("table", "csv", "json") },
  positionals: { min: 1, max: 1, name: "the scenario file (plancast seek <scenario> --target ID --shock ID)" },
} as const

export const seekCommand: Command = {
  name: "seek",
  help: `usage: plancast seek <scenario> --target ID --shock ID [--probability P] [--draws N] [--seed S] [--format table|csv|json]

Finds the shock (added to --shock in every period of the horizon: percentage points of growth
for an indicator, units of level for another variable) at which the indicator --target just
meets its target. Negative: the scenario meets
the target with that much room to spare.
  --target ID      the indicator whose target must be met
  --shock ID       the variable shocked: an indicator (pp added to its growth), another
                   endogenous variable (added to its level) or an exogenous series (added to
                   its values)
  --probability P  meet the target in this share of Monte Carlo draws (0 < P < 1); without it
                   the deterministic projection decides
  --draws N        draws with --probability (default ${DEFAULT_SEEK_DRAWS})
  --seed S         seed (default 1)
  --format F       table (default), csv (target, shock, value, annual, probability, met,
                   draws) or json ({target, shock, value, probability, met, annual, range,
                   draws, seed})
`,
  run: async (argv) => {
    const args = parseArgs(spec, argv)
    if (args.help) return print(seekCommand.help), 0
    const target = optionString(args, "target")
    const shock = optionString(args, "shock")
    if (target === undefined) throw new UsageError({ command: "seek", problem: "missing --target ID (the indicator whose target must be met)" })
    if (shock === undefined) throw new UsageError({ command: "seek", problem: "missing --shock ID (the variable to shock)" })
    const scenario = await loadScenarioStrict(args.positionals[0]!)
    const probability = optionNumber(args, "probability")
    const draws = optionNumber(args, "draws") ?? (probability !== undefined ? DEFAULT_SEEK_DRAWS : 0)
    const seed = optionNumber(args, "seed") ?? DEFAULT_SEED
    const result = withConvergenceLocated(scenario.model, () => seek(scenario.compiled, scenario.state, { target, shock, probability, draws, seed }))
    const format = optionString(args, "format")
    if (format === "json") printJson(result)
    else if (format === "csv") print(seekCsv(result))
    else {
      const m = scenario.compiled.model
      print(seekTable(result, probability, m.indicators.some((i) => i.id === shock) ? "growth" : m.exogenous[shock] !== undefined ? "values" : "level"))
    }
    return 0
  },
}
