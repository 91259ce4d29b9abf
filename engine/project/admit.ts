// Admission: an event enters a scenario's log when the log's own checks pass (the fold's) and
// the scenario it leaves still projects: the deterministic run converges, every value is finite
// (named at its source otherwise), no flow or income falls below -100% (a negative level), and
// each indicator's annual figure stays inside the model's plausible `range` where one is given.
// Judged on the deterministic run only, so admission costs one solve per event (which a
// deterministic forecast of the state right after reuses: project.ts keeps the last one) and a
// Monte Carlo draw cannot refuse an event. Every way into a
// log (files, standard input, NATS, requests, the studio) admits through here; the bare fold
// stays the log's own rules. Pure.
import { ConvergenceError, EventError, NonFiniteError, SpecError } from "../errors.ts"
import type { CompiledModel } from "../compile/index.ts"
import { applyEvent, fold, type FoldResult, type Judge } from "../scenario/fold.ts"
import type { ScenarioEvent } from "../schema/scenario.ts"
import { emptyState, type ScenarioState } from "../scenario/state.ts"
import { project } from "./project.ts"

/** What a projection throws when the scenario, not the engine, is at fault. */
const isRefusal = (e: unknown): e is ConvergenceError | NonFiniteError | EventError | SpecError =>
  e instanceof ConvergenceError || e instanceof NonFiniteError || e instanceof EventError || e instanceof SpecError

/** The judge of a model's events: the problem of the state's deterministic projection, if any. */
export const projectionJudge = (compiled: CompiledModel): Judge => {
  const ranges = compiled.model.indicators.map((i) => i.range)
  return (state) => {
    let projection
    try {
      projection = project(compiled, state, { draws: 0, seed: 1, scenario: "admission", chunk: 1 })
    } catch (e) {
      if (isRefusal(e)) return `the scenario would no longer project: ${e.message}`
      throw e
    }
    for (const [k, ind] of projection.indicators.entries()) {
      const annual = ind.annual.p50
      const range = ranges[k]
      if (!Number.isFinite(annual)) return `the scenario would no longer project: ${ind.id}'s annual figure is ${annual}`
      if (ind.kind !== "rate" && annual < -100) return `${ind.id}'s annual growth would be ${round(annual)}%: below -100% its level is negative`
      if (range && !(annual >= range[0] && annual <= range[1]))
        return `${ind.id}'s annual figure would be ${round(annual)}, outside the model's plausible range [${range[0]}, ${range[1]}] (indicators.${ind.id}.range)`
    }
    return undefined
  }
}

const round = (x: number): string => String(Math.round(x * 100) / 100)

const judges = new WeakMap<CompiledModel, Judge>()
const judgeOf = (compiled: CompiledModel): Judge => {
  let j = judges.get(compiled)
  if (!j) judges.set(compiled, (j = projectionJudge(compiled)))
  return j
}

/** Applies one decoded event as `applyEvent` does, and refuses it (EventError) when its state would not project. */
export const admitEvent = (compiled: CompiledModel, state: ScenarioState, event: ScenarioEvent, at: { index?: number } = {}): ScenarioState =>
  applyEvent(compiled, state, event, at, judgeOf(compiled))

/** Folds raw events as `fold` does, each also judged by its projection: the refused ones are in `rejected`. */
export const admitEvents = (compiled: CompiledModel, events: readonly unknown[], from: ScenarioState = emptyState): FoldResult =>
  fold(compiled, events, from, judgeOf(compiled))
