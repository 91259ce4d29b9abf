// `plancast explain <scenario> [--against <scenario>]`: splits the difference in each
// indicator's annual growth between two scenarios of the same model into one exact share per
// event that differs (Shapley values over deterministic projections, engine `attribute`).
// With --news: the sequential view instead, the scenario's events after the comparison's in log
// order, each release batch against the forecast just before it (engine `news`).
// Default comparison: the scenario's base, else the same model with no events. Shell.
import { attribute, groupByRelease, news, OptionError, project, type Attribution, type ScenarioState } from "../../../engine/index.ts"
import { optionFlag, optionNumber, optionString, parseArgs } from "../args.ts"
import { explainCsv, explainTable, newsCsv, newsTable } from "../format.ts"
import { invalidAt } from "../../files/located.ts"
import { emptyScenarioOf, loadScenarioStrict, withConvergenceLocated, type LoadedScenario } from "../../files/load.ts"
import { DEFAULT_DRAWS, DEFAULT_SEED, formatOption, print, printJson, runOptions, writeExplainReport, type Command } from "./command.ts"

const spec = {
  command: "explain",
  options: {
    against: { kind: "string" },
    format: formatOption("table", "csv", "json"),
    group: formatOption("none", "releases"),
    report: { kind: "string" },
    news: { kind: "flag" },
    ...runOptions,
  },
  positionals: { min: 1, max: 1, name: "the scenario file (plancast explain <scenario>)" },
} as const

export const explainCommand: Command = {
  name: "explain",
  help: `usage: plancast explain <scenario> [--against <scenario>] [--format table|csv|json] [--group none|releases]
                        [--report FILE.html]
       plancast explain <scenario> --news [--against <scenario>] [--draws N] [--seed S] [--format table|csv|json]

Splits the difference in each indicator's annual growth (percentage points) between the
scenario and another of the same model into one contribution per event that differs: exact
Shapley values over deterministic projections, so the contributions add up to the total and
do not depend on the order of the events.
  --against FILE   the scenario to compare with (default: the scenario's base, else the model
                   with no events)
  --format F       table (default), csv (scenario, against, indicator, event, pp; a row with
                   event "total" per indicator) or json ({scenario, against, method,
                   indicators: [{id, total, contributions: [{event, value}]}]})
  --group releases count all data releases through the same period as one contribution (for
                   long timelines: at most 12 contributions are computed exactly)
  --report FILE    also write an HTML report (a waterfall per indicator) to FILE

--news: what each data release did to the forecast, in the order it came. The scenario's
events after those of the comparison (its base by default; --against must be an earlier state
of the same log), in log order, each step against the forecast just before it. A step is a
release (consecutive data releases through the same period), a revision (consecutive
re-releases of periods already released, through the same period) or other events. For each
release: expected (the projection's mean year-to-date value of that period just before it),
actual and surprise; for each step: its impact on every indicator's annual mean, p50 and
P(target). start + the impacts = end.
  --draws N, --seed S  Monte Carlo draws and seed of every projection (default 0: deterministic)
  --format csv     step, kind, events, indicator, mean, p50, probability, through, expected,
                   actual, surprise: start (step 0) and end rows the levels, each step's rows
                   its impact, the release columns on the row of the indicator released
  --format json    {scenario, method: "news", draws, seed, start: {id: {mean, p50, probability}},
                   steps: [{events, kind, releases: [{id, series, through, expected, actual,
                   surprise}], impact: {id: {mean, p50, probability}}}], end}
`,
  run: async (argv) => {
    const args = parseArgs(spec, argv)
    if (args.help) return print(explainCommand.help), 0
    const scenario = await loadScenarioStrict(args.positionals[0]!)
    const againstFile = optionString(args, "against")
    const against = againstFile !== undefined ? await loadScenarioStrict(againstFile) : (scenario.base ?? emptyScenarioOf(scenario))
    if (against.model.path !== scenario.model.path)
      throw invalidAt(against.file, ["model"], `explain compares scenarios of one model: ${against.file} uses ${against.model.file}, ${scenario.file} uses ${scenario.model.file}`, against.document)
    if (optionFlag(args, "news")) {
      for (const o of ["group", "report"] as const)
        if (optionString(args, o) !== undefined) throw new OptionError({ option: `--${o}`, problem: "goes with the attribution, not with --news" })
      const draws = optionNumber(args, "draws") ?? DEFAULT_DRAWS
      const seed = optionNumber(args, "seed") ?? DEFAULT_SEED
      const result = withConvergenceLocated(scenario.model, () => news(scenario.compiled, against.state, scenario.state, { draws, seed, scenario: scenario.name }))
      const format = optionString(args, "format")
      if (format === "json") printJson(result)
      else print(format === "csv" ? newsCsv(result) : newsTable(result, against.name))
      return 0
    }
    for (const o of ["draws", "seed"] as const)
      if (optionNumber(args, o) !== undefined) throw new OptionError({ option: `--${o}`, problem: "goes with --news: the attribution runs deterministic projections" })
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
    const format = optionString(args, "format")
    if (format === "json") printJson(explanation)
    else print(format === "csv" ? explainCsv(explanation) : explainTable(explanation))
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
