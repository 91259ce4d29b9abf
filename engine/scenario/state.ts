// The scenario state: what the fold of a scenario's event log produces and the projection
// consumes. Invariants of every state built by `fold`/`applyEvent`: `events` is the log of
// applied events in arrival order with distinct ids (a base scenario's first); every retract in
// it names an earlier non-retract event, and `retracted` is exactly the set of ids those
// retracts name; every prefix of `events` is itself a valid state (so `asOf` needs no model).
// The log is persistent (log.ts): a state built from its parent by one event shares the
// parent's chunks, and the id index of a line of states is extended in place by its newest
// state, so appending an event costs the same at the 50,000th as at the first; `events` as an
// array is built the first time it is read. States are immutable values. Pure: no I/O.
import type { Model } from "../schema/model.ts"
import type { ScenarioEvent } from "../schema/scenario.ts"
import { emptyLog, isPrefix, itemAt, logOf, prefix, pushed, toArray, type Log } from "./log.ts"

/**
 * What the scenario layer needs to know of a compiled model: its validated model, horizon and
 * variable orders. `CompiledModel` (engine/compile) has all of these, so it can be passed as is.
 */
export interface ScenarioModel {
  readonly model: Model
  /** Horizon labels, from the plan year's first period. */
  readonly periods: readonly string[]
  readonly periodsPerYear: number
  /** Endogenous variables (indicators and auxiliary variables) in solution-vector order. */
  readonly endogenous: readonly string[]
  readonly exogenous: readonly string[]
  readonly parameters: readonly string[]
}

/** A scenario as the fold of its events: the applied log in order (distinct ids) and the ids retracted by it. */
export interface ScenarioState {
  /**
   * Applied events in arrival order, ids distinct; retracts included, duplicates and refused
   * events not. Built from `log` the first time it is read (a copy of the whole log), then kept.
   */
  readonly events: readonly ScenarioEvent[]
  /** The same events as a persistent list: what a state built from its parent shares with it. */
  readonly log: Log<ScenarioEvent>
  /** Ids of the events a retract in `events` has withdrawn. */
  readonly retracted: ReadonlySet<string>
}

/** A state of this log and retracted set; `events`, when given, is the log as a frozen array. */
const stateOf = (log: Log<ScenarioEvent>, retracted: ReadonlySet<string>, events?: readonly ScenarioEvent[]): ScenarioState => {
  let array = events
  return Object.freeze({
    log,
    retracted,
    get events(): readonly ScenarioEvent[] {
      return (array ??= Object.freeze(toArray(log)))
    },
  })
}

/**
 * Each state built by `appended` and the state it extends by one event (engine/scenario/inputs.ts
 * extends its inputs so). A state forgets its own parent when it gets a child, and inputs.ts
 * forgets it once it has used it, so a line of states never keeps every earlier state (and its
 * log) alive: at most one parent per state is held.
 */
const lineage = new WeakMap<ScenarioState, { readonly parent: ScenarioState; readonly event: ScenarioEvent }>()

/**
 * The state with one more event at the end of the log (a retract also withdraws the event it
 * names); records the parent it extends. The caller has checked the event against the log.
 */
export function appended(state: ScenarioState, event: ScenarioEvent): ScenarioState {
  const retracted = event.type === "retract" ? new Set(state.retracted).add(event.event) : state.retracted
  const next = stateOf(pushed(state.log, event), retracted)
  lineage.delete(state)
  lineage.set(next, { parent: state, event })
  // the first child extends its parent's id index; another child builds its own when asked
  const index = idIndexes.get(state)
  if (index && index.tip === state) {
    index.positions.set(event.id, state.log.length)
    index.tip = next
    idIndexes.set(next, index)
  }
  return next
}

/**
 * Positions of ids along one line of states: valid for a state for the positions inside its log
 * that hold that id (a longer state of the line may have added more). Extended in place by the
 * line's newest state (`tip`) only.
 */
interface IdIndex {
  readonly positions: Map<string, number>
  tip: ScenarioState
}
const idIndexes = new WeakMap<ScenarioState, IdIndex>()

/** The position in the log of the event with this id, if any: O(1) along a line of `appended` states. */
export function positionOf(state: ScenarioState, id: string): number | undefined {
  let index = idIndexes.get(state)
  if (!index) {
    index = { positions: new Map(state.events.map((e, i) => [e.id, i])), tip: state }
    idIndexes.set(state, index)
  }
  const at = index.positions.get(id)
  return at !== undefined && at < state.log.length && itemAt(state.log, at)!.id === id ? at : undefined
}

/** The event of the log with this id, if any: O(1) along a line of `appended` states. */
export function eventById(state: ScenarioState, id: string): ScenarioEvent | undefined {
  const at = positionOf(state, id)
  return at === undefined ? undefined : itemAt(state.log, at)
}

/** The state a state extends by one event, and that event, when it was built by `appended`. */
export const parentOf = (state: ScenarioState): { readonly parent: ScenarioState; readonly event: ScenarioEvent } | undefined => lineage.get(state)

/** Drops a state's link to its parent (once what was derived from the parent is kept). */
export const forgetParent = (state: ScenarioState): void => void lineage.delete(state)

/** The state of a scenario with no events. */
export const emptyState: ScenarioState = stateOf(emptyLog, new Set<string>())

/** The events in effect, in log order: neither retracts nor retracted. */
export function effective(state: ScenarioState): ScenarioEvent[] {
  return state.events.filter((e) => e.type !== "retract" && !state.retracted.has(e.id))
}

/** The number of events in effect (what a projection reports as `events.applied`). */
export function appliedCount(state: ScenarioState): number {
  let n = 0
  for (const e of state.events) if (e.type !== "retract" && !state.retracted.has(e.id)) n++
  return n
}

/** Builds a state from a log already known to be valid (a prefix of a valid log, for instance). */
export function stateOfLog(events: readonly ScenarioEvent[]): ScenarioState {
  const retracted = new Set<string>()
  for (const e of events) if (e.type === "retract") retracted.add(e.event)
  const copy = Object.freeze(events.slice())
  return stateOf(logOf(copy), retracted, copy)
}

/**
 * The state as of the first `n` applied events of the log (retracts count as events; duplicates
 * and refused events were never in the log). `n` is clamped to [0, events.length].
 */
export function asOf(state: ScenarioState, n: number): ScenarioState {
  const k = Math.max(0, Math.min(state.log.length, Math.floor(n)))
  if (k === state.log.length) return state
  // the prefix's retracted ids: the state's, less those the retracts after the cut name
  const later: string[] = []
  for (let i = k; i < state.log.length; i++) {
    const e = itemAt(state.log, i)!
    if (e.type === "retract") later.push(e.event)
  }
  let retracted = state.retracted
  if (later.length > 0) {
    const kept = new Set(retracted)
    for (const id of later) kept.delete(id)
    retracted = kept
  }
  return stateOf(prefix(state.log, k), retracted)
}

/** Whether `from`'s log is the first events of `to`'s (ids compared; cheap when `to` extends `from`). */
export const isPrefixState = (from: ScenarioState, to: ScenarioState): boolean => isPrefix(from.log, to.log, (a, b) => a.id === b.id)

/** The event at position i of the log (0-based), undefined outside it. */
export const eventAt = (state: ScenarioState, i: number): ScenarioEvent | undefined => itemAt(state.log, i)

/** The ids in the log (applied, retracted or retracts): an event with one of these ids is a duplicate. */
export function hasEvent(state: ScenarioState, id: string): boolean {
  return eventById(state, id) !== undefined
}
