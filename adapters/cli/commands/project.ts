// `plancast project <scenario>`: one scenario's projection as a table, the JSON contract, or
// CSV, optionally with an HTML report. Refused events in the file make it invalid input (exit 2,
// nothing applied). Shell.
import { parseArgs, optionNumber, optionString, UsageError } from "../args.ts"
import { bandsTable } from "../bands-table.ts"
import { observablesTable, projectionCsv, projectionTable } from "../format.ts"
import { loadScenarioStrict } from "../../files/load.ts"
import { evidenceText } from "../evidence.ts"
import { DEFAULT_DRAWS, DEFAULT_SEED, formatOption, print, printJson, projectScenario, runOptions, writeProjectionReport, type Command } from "./command.ts"

const spec = {
  command: "project",
  options: { ...runOptions, format: formatOption("table", "json", "csv"), report: { kind: "string" }, bands: { kind: "string" } },
  positionals: { min: 1, max: 1, name: "the scenario file (plancast project <scenario>)" },
} as const

export const projectCommand: Command = {
  name: "project",
  help: `usage: plancast project <scenario> [--draws N] [--seed S] [--bands V,V...|all] [--format table|json|csv] [--report FILE.html]

Projects the scenario (a YAML or JSON scenario file: its model, base and events) over the plan
year and shows, per indicator, the target, the projected annual growth, whether the target is
met and the growth required in the periods not yet observed.

  --draws N        Monte Carlo draws (0 = deterministic, the default; at most 10000000)
  --seed S         seed of the random draws (integer, default 1); same seed, same numbers
  --format F       table (default), json (the projection contract) or csv
                   (scenario,indicator,period,ytd_p05,ytd_p50,ytd_p95,observed; plus one
                   "annual" row per indicator)
  --report FILE    also write an HTML report to FILE
  --bands V,V|all  with --draws: the mean, sd and quantiles of these endogenous variables
                   (or all) in every period of the horizon, in their own units (in the
                   JSON: solution.bands)

Exit status: 0 done; 2 invalid input (file, model, event or option); 1 anything else.
`,
  run: async (argv) => {
    const args = parseArgs(spec, argv)
    if (args.help) return print(projectCommand.help), 0
    const scenario = await loadScenarioStrict(args.positionals[0]!)
    const bandsArg = optionString(args, "bands")
    const bands = bandsArg === undefined ? undefined : bandsArg === "all" ? "all" : bandsArg.split(",").map((v) => v.trim())
    const draws = optionNumber(args, "draws") ?? DEFAULT_DRAWS
    if (bands !== undefined && draws === 0) throw new UsageError({ command: "project", problem: "--bands needs --draws N (bands are over Monte Carlo draws)" })
    const projection = projectScenario(scenario, draws, optionNumber(args, "seed") ?? DEFAULT_SEED, bands)
    const report = optionString(args, "report")
    if (report) await writeProjectionReport(report, [projection])
    const format = optionString(args, "format") ?? "table"
    if (format === "json") printJson(projection)
    else if (format === "csv") print(projectionCsv([projection]))
    else print(projectionTable(projection) + observablesTable(projection) + evidenceText(projection) + (projection.solution.bands !== undefined ? bandsTable(projection.solution.bands, projection.solution.periods, projection.draws) : ""))
    return 0
  },
}
