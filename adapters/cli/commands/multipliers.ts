// `plancast multipliers <scenario> [--shock ID]`: how much each indicator's annual growth moves
// per percentage point added to one variable's growth (each endogenous variable in turn, or
// the one named), around the scenario: the engine's `multipliers`. Shell.
import { multipliers } from "../../../engine/index.ts"
import { optionString, parseArgs } from "../args.ts"
import { renderTable } from "../format.ts"
import { loadScenarioStrict, withConvergenceLocated } from "../../files/load.ts"
import { formatOption, print, printJson, type Command } from "./command.ts"

const spec = {
  command: "multipliers",
  options: { shock: { kind: "string" }, format: formatOption("table", "json") },
  positionals: { min: 1, max: 1, name: "the scenario file (plancast multipliers <scenario>)" },
} as const

export const multipliersCommand: Command = {
  name: "multipliers",
  help: `usage: plancast multipliers <scenario> [--shock ID] [--format table|json]

For each endogenous variable (or only --shock ID, which may also be an exogenous series): the
change in every indicator's annual growth (pp) when 1 pp is added to that variable in every
period, at the scenario's deterministic solution.
  --format F   table (default) or json (the engine's multipliers: per shocked variable and
               indicator the impact, interim and full matrices over the horizon and the annual)
`,
  run: async (argv) => {
    const args = parseArgs(spec, argv)
    if (args.help) return print(multipliersCommand.help), 0
    const scenario = await loadScenarioStrict(args.positionals[0]!)
    const shock = optionString(args, "shock")
    const ids = scenario.compiled.model.indicators.map((i) => i.id)
    const result = withConvergenceLocated(scenario.model, () =>
      multipliers(scenario.compiled, scenario.state, { shocks: shock !== undefined ? [shock] : undefined, responses: ids }),
    )
    if (optionString(args, "format") === "json") printJson(result)
    else {
      const rows = result.shocks.map((s) => [s.variable, ...ids.map((id) => fixed(s.responses.find((r) => r.variable === id)?.annual))])
      print(
        `${scenario.name}: change in each indicator's annual growth (pp, columns) per 1 pp added to the growth of the shocked variable (rows) in every period\n\n` +
          renderTable(["shock (1 pp)", ...ids], rows),
      )
    }
    return 0
  },
}

const fixed = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? "—" : x.toFixed(3))
