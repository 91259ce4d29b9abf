// `plancast multipliers <scenario> [--shock ID]`: how much each indicator's annual growth moves
// per percentage point added to one variable's growth (each endogenous variable in turn, or
// the one named), around the scenario: the engine's `multipliers`. Shell.
import { multipliers } from "../../../engine/index.ts"
import type { MultipliersInput } from "../configs/analysis.ts"
import { renderTable } from "../format.ts"
import { loadScenarioStrict, withConvergenceLocated } from "../../files/load.ts"
import { multiplierCsv, multiplierTables } from "../multipliers-table.ts"
import { print, printJson } from "./command.ts"

/** Runs `plancast multipliers` on its parsed options; resolves with the exit status. */
export const runMultipliers = async (args: MultipliersInput): Promise<number> => {
  const scenario = await loadScenarioStrict(args.scenario)
  const shocks = args.shock
  const asked = args.response
  const ids = scenario.compiled.model.indicators.map((i) => i.id)
  const levels = asked.length > 0 || ids.length === 0
  const result = withConvergenceLocated(scenario.model, () =>
    multipliers(scenario.compiled, scenario.state, { shocks: shocks.length > 0 ? shocks : undefined, responses: levels ? (asked.length > 0 ? asked : undefined) : ids }),
  )
  const format = args.format
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
}

const fixed = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? "—" : x.toFixed(3))
