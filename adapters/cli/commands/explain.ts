// `plancast explain <scenario> [--against <scenario>]`: splits the difference in each
// indicator's annual growth between two scenarios of the same model into one exact share per
// event that differs (Shapley values over deterministic projections, engine `attribute`).
// Default comparison: the scenario's base, else the same model with no events. Shell.
import { attribute, groupByRelease, OptionError, project, type Attribution, type ScenarioState } from "../../../engine/index.ts"
import { optionString, parseArgs } from "../args.ts"
import { explainTable } from "../format.ts"
import { invalidAt } from "../../files/located.ts"
import { emptyScenarioOf, loadScenarioStrict, withConvergenceLocated, type LoadedScenario } from "../../files/load.ts"
import { formatOption, print, printJson, writeExplainReport, type Command } from "./command.ts"

const spec = {
  command: "explain",
  options: { against: { kind: "string" }, format: formatOption("table", "json"), group: formatOption("none", "releases"), report: { kind: "string" } },
  positionals: { min: 1, max: 1, name: "the scenario file (plancast explain <scenario>)" },
} as const

export const explainCommand: Command = {
  name: "explain",
  help: `usage: plancast explain <scenario> [--against <scenario>] [--format table|json] [--group none|releases]
                        [--report FILE.html]

Splits the difference in each indicator's annual growth (percentage points) between the
scenario and another of the same model into one contribution per event that differs: exact
Shapley values over deterministic projections, so the contributions add up to the total.
  --against FILE   the scenario to compare with (default: the scenario's base, else the model
                   with no events)
  --format F       table (default) or json ({scenario, against, method, indicators: [{id, total,
                   contributions: [{event, value}]}]})
  --group releases count all data releases through the same period as one contribution (for
                   long timelines: at most 12 contributions are computed exactly)
  --report FILE    also write an HTML report (a waterfall per indicator) to FILE
`,
  run: async (argv) => {
    const args = parseArgs(spec, argv)
    if (args.help) return print(explainCommand.help), 0
    const scenario = await loadScenarioStrict(args.positionals[0]!)
    const againstFile = optionString(args, "against")
    const against = againstFile !== undefined ? await loadScenarioStrict(againstFile) : (scenario.base ?? emptyScenarioOf(scenario))
    if (against.model.path !== scenario.model.path)
      throw invalidAt(against.file, ["model"], `explain compares scenarios of one model: ${against.file} uses ${against.model.file}, ${scenario.file} uses ${scenario.model.file}`, against.document)
    const run = annualOf(scenario)
    const grouped = optionString(args, "group") === "releases"
    let explanation: Attribution
    try {
      explanation = attribute(scenario.compiled, against.state, scenario.state, run, {
        scenario: scenario.name,
        against: against.name,
        groupBy: grouped ? groupByRelease : undefined,
      })
    } catch (e) {
      const err = e as { _tag?: string; option?: string; problem?: string }
      // too many differing events: point at the grouping this command offers
      if (err._tag === "OptionError" && err.option === "against" && !grouped)
        throw new OptionError({ option: "--against", problem: `${err.problem} (--group releases counts all data releases through one period as one event)` })
      throw e
    }
    const report = optionString(args, "report")
    if (report)
      await writeExplainReport(report, explanation, Object.fromEntries(scenario.compiled.model.indicators.map((i) => [i.id, { name: i.name, name_zh: i.name_zh }])))
    if (optionString(args, "format") === "json") printJson(explanation)
    else print(explainTable(explanation))
    return 0
  },
}

/** The deterministic annual growth of every indicator under a state of the scenario's model. */
const annualOf =
  (s: LoadedScenario) =>
  (state: ScenarioState): Record<string, number> => {
    const p = withConvergenceLocated(s.model, () => project(s.compiled, state, { draws: 0, seed: 1, scenario: s.name }))
    return Object.fromEntries(p.indicators.map((i) => [i.id, i.annual.p50]))
  }
