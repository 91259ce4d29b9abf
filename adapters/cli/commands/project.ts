// `plancast project <scenario>`: one scenario's projection as a table, the JSON contract, or
// CSV, optionally with an HTML report. Refused events in the file make it invalid input (exit 2,
// nothing applied). Shell.
import type { ProjectInput } from "../configs/analysis.ts"
import { UsageError } from "../failure.ts"
import { bandsTable } from "../bands-table.ts"
import { observablesTable, projectionCsv, projectionTable } from "../format.ts"
import { loadScenarioStrict } from "../../files/load.ts"
import { evidenceText } from "../evidence.ts"
import { DEFAULT_DRAWS, DEFAULT_SEED, print, printJson, projectScenario, writeProjectionReport } from "./command.ts"

/** Runs `plancast project` on its parsed options; resolves with the exit status. */
export const runProject = async (args: ProjectInput): Promise<number> => {
  const scenario = await loadScenarioStrict(args.scenario)
  const bandsArg = args.bands
  const bands = bandsArg === undefined ? undefined : bandsArg === "all" ? "all" : bandsArg.split(",").map((v) => v.trim())
  const draws = args.draws ?? DEFAULT_DRAWS
  if (bands !== undefined && draws === 0) throw new UsageError({ command: "project", problem: "--bands needs --draws N (bands are over Monte Carlo draws)" })
  const projection = projectScenario(scenario, draws, args.seed ?? DEFAULT_SEED, bands)
  const report = args.report
  if (report) await writeProjectionReport(report, [projection])
  const format = args.format ?? "table"
  if (format === "json") printJson(projection)
  else if (format === "csv") print(projectionCsv([projection]))
  else print(projectionTable(projection) + observablesTable(projection) + evidenceText(projection) + (projection.solution.bands !== undefined ? bandsTable(projection.solution.bands, projection.solution.periods, projection.draws) : ""))
  return 0
}
