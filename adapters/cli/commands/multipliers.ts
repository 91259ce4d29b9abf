// `plancast multipliers <scenario> [--shock ID]`: how much each indicator's annual growth moves
// per percentage point added to one variable's growth (each endogenous variable in turn, or
// the one named), around the scenario: the engine's `multipliers`. Shell.
import * as engine from "../../../engine/index.ts"
import { optionString, parseArgs } from "../args.ts"
import { Unavailable } from "../failure.ts"
import { renderTable } from "../format.ts"
import { loadScenarioStrict, locateConvergence } from "../../files/load.ts"
import { formatOption, print, printJson, type Command } from "./command.ts"

const spec = {
  command: "multipliers",
  options: { shock: { kind: "string" }, format: formatOption("table", "json") },
  positionals: { min: 1, max: 1, name: "the scenario file (plancast multipliers <scenario>)" },
} as const

/** The multipliers as the command shows them: per shocked variable, the response of each indicator's annual growth (pp per pp). */
export interface MultipliersView {
  readonly scenario?: string
  readonly shocks: ReadonlyArray<{ readonly shock: string; readonly responses: Readonly<Record<string, number>> }>
}

export const multipliersCommand: Command = {
  name: "multipliers",
  help: `usage: plancast multipliers <scenario> [--shock ID] [--format table|json]

For each endogenous variable (or only --shock ID): the change in every indicator's annual
growth (pp) when 1 pp is added to that variable's growth in every period, deterministic,
around the scenario.
`,
  run: async (argv) => {
    const args = parseArgs(spec, argv)
    if (args.help) return print(multipliersCommand.help), 0
    const scenario = await loadScenarioStrict(args.positionals[0]!)
    const shock = optionString(args, "shock")
    if (shock !== undefined && !scenario.compiled.endogenous.includes(shock))
      throw new engine.OptionError({ option: "--shock", problem: `${JSON.stringify(shock)} is not a variable of ${scenario.compiled.model.name} (${scenario.compiled.endogenous.join(", ")})` })
    const multipliers = (engine as Record<string, unknown>).multipliers as undefined | ((...a: unknown[]) => MultipliersView)
    if (!multipliers) throw new Unavailable({ what: "multipliers (engine multipliers)" })
    let result: MultipliersView
    try {
      result = multipliers(scenario.compiled, scenario.state, { shocks: shock !== undefined ? [shock] : undefined, scenario: scenario.name })
    } catch (e) {
      if ((e as { _tag?: string })._tag === "ConvergenceError") throw locateConvergence(scenario.model, e as never)
      throw e
    }
    if (optionString(args, "format") === "json") printJson(result)
    else {
      const ids = scenario.compiled.model.indicators.map((i) => i.id)
      print(renderTable(["shock (1 pp)", ...ids], result.shocks.map((s) => [s.shock, ...ids.map((id) => (s.responses[id] ?? NaN).toFixed(3))])) + "\nchange in annual growth (pp) of each indicator (columns)\n")
    }
    return 0
  },
}
