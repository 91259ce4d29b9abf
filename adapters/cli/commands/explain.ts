// `plancast explain <scenario> [--against <scenario>]`: splits the difference in each
// indicator's annual growth between two scenarios of the same model into one exact share per
// event that differs (Shapley values over deterministic projections, engine `attribute`).
// With --news: the sequential view instead, the scenario's events after the comparison's in log
// order, each release batch against the forecast just before it (engine `news`).
// Default comparison: the scenario's base, else the same model with no events. Shell.
import { attribute, groupByRelease, news, OptionError, project, type Attribution, type ScenarioState } from "../../../engine/index.ts"
import type { ExplainInput } from "../configs/analysis.ts"
import { explainCsv, explainTable, newsCsv, newsTable } from "../format.ts"
import { invalidAt } from "../../files/located.ts"
import { emptyScenarioOf, loadScenarioStrict, withConvergenceLocated, type LoadedScenario } from "../../files/load.ts"
import { DEFAULT_DRAWS, DEFAULT_SEED, print, printJson, writeExplainReport } from "./command.ts"

/** Runs `plancast explain` on its parsed options; resolves with the exit status. */
export const runExplain = async (args: ExplainInput): Promise<number> => {
  const scenario = await loadScenarioStrict(args.scenario)
  const againstFile = args.against
  const against = againstFile !== undefined ? await loadScenarioStrict(againstFile) : (scenario.base ?? emptyScenarioOf(scenario))
  if (against.model.path !== scenario.model.path)
    throw invalidAt(against.file, ["model"], `explain compares scenarios of one model: ${against.file} uses ${against.model.file}, ${scenario.file} uses ${scenario.model.file}`, against.document)
  if (args.news) {
    for (const o of ["group", "report"] as const)
      if (args[o] !== undefined) throw new OptionError({ option: `--${o}`, problem: "goes with the attribution, not with --news" })
    const draws = args.draws ?? DEFAULT_DRAWS
    const seed = args.seed ?? DEFAULT_SEED
    const result = withConvergenceLocated(scenario.model, () => news(scenario.compiled, against.state, scenario.state, { draws, seed, scenario: scenario.name }))
    const format = args.format
    if (format === "json") printJson(result)
    else print(format === "csv" ? newsCsv(result) : newsTable(result, against.name))
    return 0
  }
  for (const o of ["draws", "seed"] as const)
    if (args[o] !== undefined) throw new OptionError({ option: `--${o}`, problem: "goes with --news: the attribution runs deterministic projections" })
  const run = annualOf(scenario)
  const grouped = args.group === "releases"
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
  const report = args.report
  if (report)
    await writeExplainReport(report, explanation, Object.fromEntries(scenario.compiled.model.indicators.map((i) => [i.id, { name: i.name, name_zh: i.name_zh }])))
  const format = args.format
  if (format === "json") printJson(explanation)
  else print(format === "csv" ? explainCsv(explanation) : explainTable(explanation))
  return 0
}

/** The deterministic annual growth of every indicator under a state of the scenario's model. */
const annualOf =
  (s: LoadedScenario) =>
  (state: ScenarioState): Record<string, number> => {
    const p = withConvergenceLocated(s.model, () => project(s.compiled, state, { draws: 0, seed: 1, scenario: s.name }))
    return Object.fromEntries(p.indicators.map((i) => [i.id, i.annual.p50]))
  }
