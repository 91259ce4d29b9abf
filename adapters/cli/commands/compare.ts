// `plancast compare <scenario>...`: several scenarios projected with the same draws and seed,
// side by side. JSON: `{ "scenarios": [<projection>, ...] }` in the order given. Shell.
import { parseArgs, optionNumber, optionString } from "../args.ts"
import { compareTable, projectionCsv } from "../format.ts"
import { loadScenarioStrict } from "../../files/load.ts"
import { DEFAULT_DRAWS, DEFAULT_SEED, formatOption, print, printJson, projectScenario, runOptions, writeProjectionReport, type Command } from "./command.ts"

const spec = {
  command: "compare",
  options: { ...runOptions, format: formatOption("table", "json", "csv"), report: { kind: "string" } },
  positionals: { min: 1, max: Number.POSITIVE_INFINITY, name: "scenario files (plancast compare <scenario>...)" },
} as const

export const compareCommand: Command = {
  name: "compare",
  help: `usage: plancast compare <scenario>... [--draws N] [--seed S] [--format table|json|csv] [--report FILE.html]

Projects every scenario with the same draws and seed and shows them side by side: one row per
indicator, one column per scenario (annual growth p50, ✓ target met, ✗ not; with draws, the
probability of meeting the target).

  --draws N        Monte Carlo draws (default 0: deterministic)
  --seed S         seed (default 1)
  --format F       table (default), json ({"scenarios": [projection, ...]}) or csv (as project's)
  --report FILE    also write an HTML report of all of them to FILE
`,
  run: async (argv) => {
    const args = parseArgs(spec, argv)
    if (args.help) return print(compareCommand.help), 0
    const draws = optionNumber(args, "draws") ?? DEFAULT_DRAWS
    const seed = optionNumber(args, "seed") ?? DEFAULT_SEED
    const projections = []
    for (const file of args.positionals) projections.push(projectScenario(await loadScenarioStrict(file), draws, seed))
    const report = optionString(args, "report")
    if (report) await writeProjectionReport(report, projections)
    const models = new Set(projections.map((p) => p.model))
    const format = optionString(args, "format") ?? "table"
    if (format === "json") printJson({ scenarios: projections })
    else if (format === "csv") print(projectionCsv(projections))
    else print(models.size > 1 ? projections.map((p) => compareTable([p])).join("\n") : compareTable(projections))
    return 0
  },
}
