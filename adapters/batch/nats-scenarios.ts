// Scenarios as they travel in jobs: a loaded scenario file becomes a self-sufficient
// definition (its model as text, its whole event log with the base chain's events first), and
// a definition becomes the engine's BatchScenario again on a worker, exactly as the local
// batch builds it from the files (same model value, same fold of the same log). The client
// runs the same rebuild before publishing, so a definition that would not rebuild never
// leaves it. Shell (reads files on the client side only).
// Invariants: the model travels as the JSON of the value the client compiled (YAML is a
// superset of JSON), so a worker compiles the very same model; a definition whose model does
// not compile or whose log has a refused event is refused (InvalidInput).
import { checkGridIds, gridPoint, stateAtPoint, type BatchPlan, type BatchScenario } from "../../engine/index.ts"
import { admitEvents } from "../../engine/index.ts"
import { loadScenarioStrict, modelFromText, type LoadedScenario } from "../files/load.ts"
import { InvalidInput } from "../files/located.ts"
import type { ScenarioDefinition } from "./nats-messages.ts"

/** The definition of a loaded scenario (position `index` in its plan). */
export const definitionOf = (loaded: LoadedScenario, index: number): ScenarioDefinition => ({
  index,
  name: loaded.name,
  model: { file: loaded.model.file, text: JSON.stringify(loaded.model.document.value) },
  events: loaded.events.map((e) => JSON.parse(JSON.stringify(e)) as unknown),
})

/** Rebuilds the scenario of a definition: compiles its model, folds its log. Throws InvalidInput. */
export const scenarioFromDefinition = (def: ScenarioDefinition): BatchScenario => {
  const model = modelFromText(def.model.text, def.model.file)
  const { state, rejected } = admitEvents(model.compiled, def.events)
  if (rejected.length > 0)
    throw new InvalidInput({
      issues: rejected.map((e) => ({ file: `scenario ${def.name}`, path: ["events", e.index ?? 0, ...e.path], problem: `event ${e.id !== undefined ? JSON.stringify(e.id) + " " : ""}refused: ${e.problem}` })),
    })
  return { name: def.name, compiled: model.compiled, state }
}

/**
 * Loads every scenario of a plan (as the local batch does: strict, grid ids checked, the first
 * grid point applied), and returns each one's definition and its rebuild from that definition.
 * Throws InvalidInput, OptionError or EventError before anything is published.
 */
export const loadDefinitions = async (plan: BatchPlan): Promise<{ definitions: ScenarioDefinition[]; scenarios: BatchScenario[] }> => {
  const definitions: ScenarioDefinition[] = []
  const scenarios: BatchScenario[] = []
  for (const [index, ref] of plan.scenarios.entries()) {
    const loaded = await loadScenarioStrict(ref.file)
    checkGridIds(plan.grid, [...loaded.compiled.endogenous, ...loaded.compiled.exogenous], loaded.compiled.model.name)
    const def = definitionOf(loaded, index)
    const scenario = scenarioFromDefinition(def)
    if (plan.grid.size > 0) stateAtPoint(scenario, gridPoint(plan.grid, 0))
    definitions.push(def)
    scenarios.push(scenario)
  }
  return { definitions, scenarios }
}

/** The indicator ids a scenario's rows carry, in order. */
export const indicatorIds = (scenario: BatchScenario): string[] => scenario.compiled.model.indicators.map((i) => i.id)
