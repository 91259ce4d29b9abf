// `plancast compare <scenario>...`: several scenarios projected with the same draws and seed,
// side by side. JSON: `{ "scenarios": [<projection>, ...] }` in the order given. Shell.
import type { CompareInput } from "../configs/analysis.ts"
import { compareTable, projectionCsv } from "../format.ts"
import { loadScenarioStrict } from "../../files/load.ts"
import { DEFAULT_DRAWS, DEFAULT_SEED, print, printJson, projectScenario, writeProjectionReport } from "./command.ts"

/** Runs `plancast compare` on its parsed options; resolves with the exit status. */
export const runCompare = async (args: CompareInput): Promise<number> => {
  const draws = args.draws ?? DEFAULT_DRAWS
  const seed = args.seed ?? DEFAULT_SEED
  const projections = []
  for (const file of args.scenarios) projections.push(projectScenario(await loadScenarioStrict(file), draws, seed))
  const report = args.report
  if (report) await writeProjectionReport(report, projections)
  const models = new Set(projections.map((p) => p.model))
  const format = args.format ?? "table"
  if (format === "json") printJson({ scenarios: projections })
  else if (format === "csv") print(projectionCsv(projections))
  else print(models.size > 1 ? projections.map((p) => compareTable([p])).join("\n") : compareTable(projections))
  return 0
}
