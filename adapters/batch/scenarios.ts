// Loading the scenarios of a batch plan from disk (each file with its model and base chain,
// every event required to apply) and checking the plan's grid against each model. Run once in
// the main thread (to refuse bad input before any work) and once in each worker (which keeps
// the compiled models for all its chunks). Shell: reads files.
import { checkGridIds, gridPoint, stateAtPoint, type BatchPlan, type BatchScenario } from "../../engine/index.ts"
import { loadScenarioStrict } from "../files/load.ts"

/**
 * Loads every scenario of the plan, in plan order. Throws InvalidInput for a missing or bad
 * file or a refused event, OptionError for a grid id the model lacks, EventError when a grid
 * shock cannot apply.
 */
export const loadBatchScenarios = async (plan: BatchPlan): Promise<BatchScenario[]> => {
  const out: BatchScenario[] = []
  for (const ref of plan.scenarios) {
    const loaded = await loadScenarioStrict(ref.file)
    const compiled = loaded.compiled
    checkGridIds(plan.grid, [...compiled.endogenous, ...compiled.exogenous], compiled.model.name)
    const scenario: BatchScenario = { name: loaded.name, compiled, state: loaded.state }
    if (plan.grid.size > 0) stateAtPoint(scenario, gridPoint(plan.grid, 0)) // refuses a shock the model would, before any work
    out.push(scenario)
  }
  return out
}
