// `plancast backtest <scenario> --outcome ID=VALUE ... [--outcomes FILE.yaml] [--draws N]
// [--seed S] [--format table|json|csv] [--report FILE.html]`: how the scenario's forecasts fared
// against the year's outcomes, as of each release batch of its log (engine backtest). Outcomes
// from the file first, then --outcome, which overrides the file's for the same indicator. Bad
// input (an unknown indicator, a value that is not a number, a scenario without releases) is
// refused with what and where, exit status 2. Shell.
import { backtest, checkOutcomes, OptionError, outcomeProblem, releaseBatches, type ActualOutcome, type CompiledModel } from "../../../engine/index.ts"
import { optionList, optionNumber, optionString, parseArgs } from "../args.ts"
import { backtestCsv, backtestTable } from "../backtest-table.ts"
import { invalidAt } from "../../files/located.ts"
import { loadScenarioStrict, withConvergenceLocated } from "../../files/load.ts"
import { loadOutcomes } from "../../files/outcomes.ts"
import { DEFAULT_SEED, formatOption, print, printJson, writeBacktestReport, type Command } from "./command.ts"

/** Draws of each step's projection unless --draws says otherwise. */
export const DEFAULT_BACKTEST_DRAWS = 2000

const spec = {
  command: "backtest",
  options: {
    outcome: { kind: "string", repeat: true },
    outcomes: { kind: "string" },
    draws: { kind: "draws" },
    seed: { kind: "seed" },
    format: formatOption("table", "json", "csv"),
    report: { kind: "string" },
  },
  positionals: { min: 1, max: 1, name: "the scenario file (plancast backtest <scenario>)" },
} as const

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

export const backtestCommand: Command = {
  name: "backtest",
  help: `usage: plancast backtest <scenario> --outcome ID=VALUE ... [--outcomes FILE.yaml] [--draws N] [--seed S]
                         [--format table|json|csv] [--report FILE.html]

How good were the forecasts, as of each release? Replays the scenario's log as of each release
batch (the prefix of the log that ends with the observe events sharing a through period, in log
order; a batch of revisions too), projects each prefix with the same draws and seed (each step
is \`plancast project\` of that prefix), and scores every indicator with an outcome: the error
of p50, the CRPS of the (release-weighted) draws, the PIT of the outcome, whether it lies in the
50% and 90% bands, P(target) with its Brier and log score against whether the outcome meets the
target, and the width of the 90% band. Beside it, naive benchmarks scored the same way: the
target's value, and the base year's growth, each as the median with the model's own spread.

  --outcome ID=VALUE  an indicator's actual annual growth (%); repeat for each indicator
  --outcomes FILE     outcomes from a YAML file: outcomes: { ID: VALUE, ID: { value, source } };
                      --outcome overrides it for the same indicator
  --draws N           draws of every step's projection (default ${DEFAULT_BACKTEST_DRAWS}, at least 1)
  --seed S            seed (default 1)
  --format F          table (default), json ({scenario, draws, seed, outcomes, steps: [{asOf:
                      {events, count, through, kind}, indicators: [{id, outcome, p05, p25, p50,
                      p75, p95, width90, probability, error, crps, pit, inside50, inside90,
                      brier, logScore}]}], summary: {id: {error, crps, brier, logScore,
                      coverage50, coverage90, naive: {target, lastYear}}}}) or csv (one row per
                      step and indicator)
  --report FILE       also write an HTML report: per indicator the evolution of its annual
                      forecast (p50, 50% and 90% bands) as of each release, the outcome and
                      the target, and P(target) under it

Exit status: 0 done; 2 invalid input (file, model, event, outcome or option); 1 anything else.
`,
  run: async (argv) => {
    const args = parseArgs(spec, argv)
    if (args.help) return print(backtestCommand.help), 0
    const scenario = await loadScenarioStrict(args.positionals[0]!)
    if (releaseBatches(scenario.compiled, scenario.state).length === 0)
      throw invalidAt(scenario.file, ["events"], "the scenario has no observe events (its base's included): a backtest replays the log as of each release batch", scenario.document)
    const file = optionString(args, "outcomes")
    const outcomes = {
      ...(file !== undefined ? await loadOutcomes(file, scenario.compiled) : {}),
      ...parseOutcomeArgs(scenario.compiled, optionList(args, "outcome")),
    }
    checkOutcomes(scenario.compiled, outcomes, "--outcome")
    const draws = optionNumber(args, "draws") ?? DEFAULT_BACKTEST_DRAWS
    if (draws < 1) throw new OptionError({ option: "--draws", problem: "a backtest scores the spread of the draws: at least 1" })
    const seed = optionNumber(args, "seed") ?? DEFAULT_SEED
    const result = withConvergenceLocated(scenario.model, () => backtest(scenario.compiled, scenario.state, outcomes, { draws, seed, scenario: scenario.name }))
    const report = optionString(args, "report")
    if (report) await writeBacktestReport(report, result, scenario.compiled)
    const format = optionString(args, "format") ?? "table"
    if (format === "json") printJson(result)
    else if (format === "csv") print(backtestCsv(result))
    else print(backtestTable(result))
    return 0
  },
}
