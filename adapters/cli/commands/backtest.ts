// `plancast backtest <scenario> --outcome ID=VALUE ... [--outcomes FILE.yaml] [--draws N]
// [--seed S] [--format table|json|csv] [--report FILE.html]`: how the scenario's forecasts fared
// against the year's outcomes, as of each release batch of its log (engine backtest). Outcomes
// from the file first, then --outcome, which overrides the file's for the same indicator. Bad
// input (an unknown indicator, a value that is not a number, a scenario without releases) is
// refused with what and where, exit status 2. Shell.
import { backtest, checkOutcomes, OptionError, outcomeProblem, releaseBatches, type ActualOutcome, type CompiledModel } from "../../../engine/index.ts"
import { DEFAULT_BACKTEST_DRAWS, type BacktestInput } from "../configs/analysis.ts"
import { backtestCsv, backtestTable } from "../backtest-table.ts"
import { invalidAt } from "../../files/located.ts"
import { loadScenarioStrict, withConvergenceLocated } from "../../files/load.ts"
import { loadOutcomes } from "../../files/outcomes.ts"
import { DEFAULT_SEED, print, printJson, writeBacktestReport } from "./command.ts"


/** The outcomes of `--outcome ID=VALUE` arguments. Throws OptionError (--outcome) naming the bad one. */
export const parseOutcomeArgs = (compiled: CompiledModel, args: readonly string[]): Record<string, ActualOutcome> => {
  const outcomes: Record<string, ActualOutcome> = {}
  for (const arg of args) {
    const eq = arg.indexOf("=")
    if (eq <= 0) throw new OptionError({ option: "--outcome", problem: `expects ID=VALUE (an indicator id and its annual growth, %), got ${JSON.stringify(arg)}` })
    const id = arg.slice(0, eq).trim()
    const raw = arg.slice(eq + 1).trim()
    const value = raw === "" ? Number.NaN : Number(raw)
    const problem = outcomeProblem(compiled, id, Number.isFinite(value) ? value : raw)
    if (problem !== undefined) throw new OptionError({ option: "--outcome", problem })
    outcomes[id] = { value }
  }
  return outcomes
}

/** Runs `plancast backtest` on its parsed options; resolves with the exit status. */
export const runBacktest = async (args: BacktestInput): Promise<number> => {
  const scenario = await loadScenarioStrict(args.scenario)
  if (releaseBatches(scenario.compiled, scenario.state).length === 0)
    throw invalidAt(scenario.file, ["events"], "the scenario has no observe events (its base's included): a backtest replays the log as of each release batch", scenario.document)
  const file = args.outcomes
  const outcomes = {
    ...(file !== undefined ? await loadOutcomes(file, scenario.compiled) : {}),
    ...parseOutcomeArgs(scenario.compiled, args.outcome),
  }
  checkOutcomes(scenario.compiled, outcomes, "--outcome")
  const draws = args.draws ?? DEFAULT_BACKTEST_DRAWS
  if (draws < 1) throw new OptionError({ option: "--draws", problem: "a backtest scores the spread of the draws: at least 1" })
  const seed = args.seed ?? DEFAULT_SEED
  const result = withConvergenceLocated(scenario.model, () => backtest(scenario.compiled, scenario.state, outcomes, { draws, seed, scenario: scenario.name }))
  const report = args.report
  if (report) await writeBacktestReport(report, result, scenario.compiled)
  const format = args.format ?? "table"
  if (format === "json") printJson(result)
  else if (format === "csv") print(backtestCsv(result))
  else print(backtestTable(result))
  return 0
}
