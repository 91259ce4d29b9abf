// One batch job: a scenario at one grid point, projected, and turned into rows (one per
// indicator). The grid point becomes shock events `grid:<id>=<value>` (pp on that variable's
// growth over the whole horizon) applied on top of the scenario's own events. Sits under the
// shell's worker pool (adapters/batch), which calls `projectJob` for each job of its chunk;
// pure: the same (scenario, point, draws, seed) always gives the same rows.
import { EventError } from "../errors.ts"
import type { CompiledModel } from "../compile/index.ts"
import { applyEvent, decodeEvent, type ScenarioState } from "../scenario/index.ts"
import { project } from "../project/index.ts"
import type { GridPoint } from "./grid.ts"

/** One row of a batch's output: one indicator of one scenario at one grid point. */
export interface BatchRow {
  /** The scenario's name (its file's `name`). */
  readonly scenario: string
  /** The grid point, `fai=-15;industry_va=2` (empty without a grid). */
  readonly point: string
  readonly indicator: string
  /** Annual growth in percent: mean and quantiles over the draws (all equal with 0 draws). */
  readonly mean: number
  readonly p05: number
  readonly p50: number
  readonly p95: number
  /** Share of draws that meet the target; null when the indicator has no target. */
  readonly probability: number | null
  /** Growth needed in the periods not yet observed for the target to be met; null where none can or no target. */
  readonly required: number | null
  /** Whether the deterministic projection meets the target (as `project` reports it); null without a target. */
  readonly met: boolean | null
}

/** The columns of a batch row, in output order. */
export const BATCH_COLUMNS = ["scenario", "point", "indicator", "mean", "p05", "p50", "p95", "probability", "required", "met"] as const

/** A scenario ready to run: compiled model, folded state, and the name its rows carry. */
export interface BatchScenario {
  readonly name: string
  readonly compiled: CompiledModel
  readonly state: ScenarioState
}

/** The id of the shock event a grid point adds for one axis: `grid:fai=-15`. */
export const gridEventId = (id: string, value: number): string => `grid:${id}=${value}`

/**
 * The scenario's state with the point's shocks applied (each a shock on the whole horizon).
 * Throws EventError when the model refuses one (an id the model does not have).
 */
export const stateAtPoint = (scenario: BatchScenario, point: GridPoint): ScenarioState => {
  let state = scenario.state
  for (const s of point.shocks) {
    const id = gridEventId(s.id, s.value)
    const event = decodeEvent({ id, type: "shock", indicator: s.id, value: s.value })
    const next = applyEvent(scenario.compiled, state, event)
    if (next === state)
      // the scenario already has an event of that id: the grid's shock would silently vanish
      throw new EventError({ id, path: [], problem: `scenario ${scenario.name} already has an event "${id}": the grid point cannot be applied` })
    state = next
  }
  return state
}

/** Projects one job and returns its rows, in the model's indicator order. */
export const projectJob = (scenario: BatchScenario, point: GridPoint, options: { readonly draws: number; readonly seed: number }): BatchRow[] => {
  const state = stateAtPoint(scenario, point)
  const projection = project(scenario.compiled, state, { draws: options.draws, seed: options.seed, scenario: scenario.name })
  return projection.indicators.map(
    (i): BatchRow => ({
      scenario: scenario.name,
      point: point.label,
      indicator: i.id,
      mean: i.annual.mean,
      p05: i.annual.p05,
      p50: i.annual.p50,
      p95: i.annual.p95,
      probability: i.probability,
      required: i.required,
      met: i.met,
    }),
  )
}
