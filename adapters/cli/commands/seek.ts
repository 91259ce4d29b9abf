// `plancast seek <scenario> --target ID --shock ID [--probability P]`: the shock (pp added to
// one variable's growth in every period) at which one indicator's target is just met: by the
// deterministic projection, or with --probability by that share of Monte Carlo draws. The
// search is the engine's `seek`; here: arguments, checks of the ids, output. Shell.
import { seek } from "../../../engine/index.ts"
import { DEFAULT_SEEK_DRAWS, type SeekInput } from "../configs/analysis.ts"
import { UsageError } from "../failure.ts"
import { seekCsv, seekTable } from "../format.ts"
import { loadScenarioStrict, withConvergenceLocated } from "../../files/load.ts"
import { DEFAULT_SEED, print, printJson } from "./command.ts"


/** Runs `plancast seek` on its parsed options; resolves with the exit status. */
export const runSeek = async (args: SeekInput): Promise<number> => {
  const target = args.target
  const shock = args.shock
  if (target === undefined) throw new UsageError({ command: "seek", problem: "missing --target ID (the indicator whose target must be met)" })
  if (shock === undefined) throw new UsageError({ command: "seek", problem: "missing --shock ID (the variable to shock)" })
  const scenario = await loadScenarioStrict(args.scenario)
  const probability = args.probability
  const draws = args.draws ?? (probability !== undefined ? DEFAULT_SEEK_DRAWS : 0)
  const seed = args.seed ?? DEFAULT_SEED
  const result = withConvergenceLocated(scenario.model, () => seek(scenario.compiled, scenario.state, { target, shock, probability, draws, seed }))
  const format = args.format
  if (format === "json") printJson(result)
  else if (format === "csv") print(seekCsv(result))
  else {
    const m = scenario.compiled.model
    print(seekTable(result, probability, m.indicators.some((i) => i.id === shock) ? "growth" : m.exogenous[shock] !== undefined ? "values" : "level"))
  }
  return 0
}
