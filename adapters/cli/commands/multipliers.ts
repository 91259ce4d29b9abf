// `plancast multipliers <scenario> [--shock ID]`: how much each indicator's annual growth moves
// per percentage point added to one variable's growth (each endogenous variable in turn, or
// the one named), around the scenario: the engine's `multipliers`. Shell.
import { multipliers } from "../../../engine/index.ts"
import { optionList, optionString, parseArgs } from "../args.ts"
import { renderTable } from "../format.ts"
import { loadScenarioStrict, withConvergenceLocated } from "../../files/load.ts"
import { multiplierCsv, multiplierTables } from "../multipliers-table.ts"
import { formatOption, print, printJson, type Command } from "./command.ts"

const spec = {
  command: "multipliers",
  options: { shock: { kind: "string", repeat: true }, response: { kind: "string", repeat: true }, format: formatOption("table", "csv", "json") },
  positionals: { min: 1, max: 1, name: "the scenario file (plancast multipliers <scenario>)" },
} as const

export const multipliersCommand: Command = {
  name: "multipliers",
  help: `usage: plancast multipliers <scenario> [--shock ID]... [--response ID]... [--format table|csv|json]

For each endogenous variable (or only each --shock ID, which may also be an exogenous series):
at the scenario's deterministic solution, with plan indicators and no --response, the change
in every indicator's annual growth (pp) when 1 pp is added to that variable's growth in every
period. With --response (or for a model without indicators, every endogenous variable), the
impact and interim multipliers of each response and the full matrix d response[t] / d shock[s]
over the horizon; the shock is 1 unit added to the level of a variable in levels (an
exogenous series or an endogenous variable's add-factor), 1 pp to an indicator's growth.
  --shock ID     the shocked variable (repeatable)
  --response ID  a responding endogenous variable (repeatable)
  --format F     table (default), csv (shock, response, period, impact, interim, annual,
                 matrix columns; annual: an indicator's number of the table) or json (the engine's multipliers: per shocked variable and response
                 the impact, interim and full matrices over the horizon and the annual)
`,
  run: async (argv) => {
    const args = parseArgs(spec, argv)
    if (args.help) return print(multipliersCommand.help), 0
    const scenario = await loadScenarioStrict(args.positionals[0]!)
    const shocks = optionList(args, "shock")
    const asked = optionList(args, "response")
    const ids = scenario.compiled.model.indicators.map((i) => i.id)
    const levels = asked.length > 0 || ids.length === 0
    const result = withConvergenceLocated(scenario.model, () =>
      multipliers(scenario.compiled, scenario.state, { shocks: shocks.length > 0 ? shocks : undefined, responses: levels ? (asked.length > 0 ? asked : undefined) : ids }),
    )
    const format = optionString(args, "format")
    if (format === "json") printJson(result)
    else if (format === "csv" || levels) print(format === "csv" ? multiplierCsv(result) : `${scenario.name}: dynamic multipliers\n\n${multiplierTables(result, ids)}`)
    else {
      const rows = result.shocks.map((s) => [s.variable, ...ids.map((id) => fixed(s.responses.find((r) => r.variable === id)?.annual))])
      print(
        `${scenario.name}: change in each indicator's annual growth (pp, columns) per unit shock to the variable of each row in every period (1 pp added to an indicator's growth, 1 unit to the level of another variable or exogenous series)\n\n` +
          renderTable(["shock (1 unit)", ...ids], rows),
      )
    }
    return 0
  },
}

const fixed = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? "—" : x.toFixed(3))
