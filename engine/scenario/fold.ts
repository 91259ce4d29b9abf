// The event fold: scenario state in, one event in, scenario state out. Each event is checked
// against the model (known variables and parameters, periods inside the horizon, observations
// only of indicators in the plan year, possible releases) and against the earlier events
// (retract targets: an unknown one gets the closest retractable ids, engine/suggest.ts), and, given a Judge (admission, engine/project/admit.ts), by the state it
// leaves; then appended whole, or refused whole with an EventError (id, position, field path,
// reason). An id already in the log with the same payload makes the event a
// duplicate: the state comes back unchanged, so replaying a log any number of times gives the
// same state; the same id with another payload is a conflict, refused naming both payloads
// (identity.ts). A second `observe` of the same indicator and period is a revision: the log
// keeps both, the later one is in effect (toInputs reads releases in log order, later wins),
// and retracting it brings the earlier value back. Releases of distinct (indicator, period)
// pairs commute: their order in the log does not change the state's inputs.
// Pure: no I/O, no clock; the same log always folds to the same state.
import type { FieldPath } from "../errors.ts"
import { EventError } from "../errors.ts"
import type { ObserveEvent, ScenarioEvent, ShockEffect } from "../schema/scenario.ts"
import { decodeEvent } from "./decode.ts"
import { payloadDifferences, samePayload } from "./identity.ts"
import { periodRange } from "./periods.ts"
import type { ScenarioModel, ScenarioState } from "./state.ts"
import { appended, emptyState, eventById, stateOfLog } from "./state.ts"
import { baseProfile, segmentsOf, type Release } from "../ytd.ts"
import { didYouMean } from "../suggest.ts"
import { releasedSeries, seriesOf, type ReleasedSeries } from "./series.ts"

/**
 * What the checks read of the log so far. The fold keeps it in mutable maps while it appends;
 * `applyEvent` answers from the state (scans, plus a cached per-state index of releases).
 */
interface LogView {
  event(id: string): ScenarioEvent | undefined
  isRetracted(id: string): boolean
  /** The ids of the log so far, in order (read only to suggest a name when a retract misses). */
  ids(): Iterable<string>
  /** The releases in effect for an indicator, in log order. */
  releases(indicator: string): readonly Release[]
}

/** Releases in effect per indicator, for states built here (immutable once attached), with the model they were read with. */
const releaseIndex = new WeakMap<ScenarioState, { model: ScenarioModel; index: ReadonlyMap<string, readonly Release[]> }>()

/**
 * The releases in effect in a state, per indicator in log order (a revision after the release it
 * revises), each with the horizon position it runs through: kept with the state, and extended
 * from the parent's along a line of states built by applyEvent.
 */
export const releasesInEffect = (m: ScenarioModel, state: ScenarioState): ReadonlyMap<string, readonly Release[]> => {
  const cached = releaseIndex.get(state)
  let index = cached?.model === m ? cached.index : undefined
  if (!index) {
    const built = new Map<string, Release[]>()
    for (const e of state.events) {
      if (e.type === "observe" && !state.retracted.has(e.id)) {
        const r = releaseOf(m, e)
        if (r) built.set(e.indicator, [...(built.get(e.indicator) ?? []), r])
      }
    }
    index = built
    releaseIndex.set(state, { model: m, index })
  }
  return index
}

const releaseOf = (m: ScenarioModel, e: ObserveEvent): Release | undefined => {
  const r = periodRange(m, e.through)
  return r.ok ? { through: r.last, ytd: e.ytd, event: e.id } : undefined
}

class Refusal {
  readonly path: FieldPath
  readonly problem: string
  constructor(path: FieldPath, problem: string) {
    this.path = path
    this.problem = problem
  }
}
const refuse = (path: FieldPath, problem: string): never => {
  throw new Refusal(path, problem)
}

const profiles = new WeakMap<object, Float64Array>()
const profileOf = (indicator: ReleasedSeries, P: number): Float64Array => {
  let b = profiles.get(indicator)
  if (!b || b.length !== P) {
    b = baseProfile(indicator.profile, P)
    profiles.set(indicator, b)
  }
  return b
}

const checkPeriods = (m: ScenarioModel, from: string | undefined, to: string | undefined, at: FieldPath): void => {
  const a = from === undefined ? undefined : periodRange(m, from)
  const b = to === undefined ? undefined : periodRange(m, to)
  if (a && !a.ok) refuse([...at, "from"], a.problem)
  if (b && !b.ok) refuse([...at, "to"], b.problem)
  if (a?.ok && b?.ok && a.first > b.last) refuse([...at, "to"], `"${to}" is before from "${from}"`)
}

const checkEffect = (m: ScenarioModel, e: ShockEffect, at: FieldPath): void => {
  if (!m.endogenous.includes(e.indicator) && !m.exogenous.includes(e.indicator)) {
    refuse([...at, "indicator"], `unknown indicator or variable "${e.indicator}"${didYouMean(e.indicator, [...m.endogenous, ...m.exogenous])}`)
  }
  checkPeriods(m, e.from, e.to, at)
  if (e.sd !== undefined && e.uncertainty !== undefined) refuse([...at, "uncertainty"], "give either sd or uncertainty, not both")
}

const observables = (m: ScenarioModel): boolean => Object.keys(m.model.observables ?? {}).length > 0

const checkObserve = (m: ScenarioModel, log: LogView, e: ObserveEvent): void => {
  const indicator = seriesOf(m.model, e.indicator)
  if (!indicator) {
    refuse(
      ["indicator"],
      m.endogenous.includes(e.indicator) || m.exogenous.includes(e.indicator)
        ? `"${e.indicator}" is not an indicator${observables(m) ? " or an observable: only those are" : ": only indicators are"} observed`
        : `unknown indicator${observables(m) ? " or observable" : ""} "${e.indicator}"${didYouMean(e.indicator, releasedSeries(m.model).map((i) => i.id))}`,
    )
    return
  }
  const r = periodRange(m, e.through)
  if (!r.ok) return refuse(["through"], r.problem)
  const P = m.periodsPerYear
  if (r.last >= P) refuse(["through"], `"${e.through}" is after the plan year: releases are year-to-date within ${m.periods[0]}..${m.periods[P - 1]}`)
  // a release of a period already released is a revision: it replaces the earlier value (later wins in segmentsOf)
  const earlier = log.releases(e.indicator)
  if (indicator.kind !== "rate") {
    const segments = segmentsOf(indicator.kind, profileOf(indicator, P), [...earlier, { through: r.last, ytd: e.ytd, event: e.id }])
    const bad = segments.find((s) => s.growth < -100 - 1e-9)
    if (bad) {
      refuse(
        ["ytd"],
        `implies a negative level in ${m.periods[bad.first]}..${m.periods[bad.last]} (growth ${bad.growth.toFixed(2)}%), given the other releases`,
      )
    }
  }
}

/** Checks one event against the model and the log; throws a Refusal. */
const check = (m: ScenarioModel, log: LogView, e: ScenarioEvent): void => {
  switch (e.type) {
    case "shock":
      return checkEffect(m, e, [])
    case "measure":
      e.effects.forEach((x, i) => checkEffect(m, x, ["effects", i]))
      return
    case "set-parameter": {
      if (!m.parameters.includes(e.parameter)) refuse(["parameter"], `unknown parameter "${e.parameter}"${didYouMean(e.parameter, m.parameters)}`)
      const range = m.model.parameters[e.parameter]?.range
      if (range && e.value !== undefined && !(e.value >= range[0] && e.value <= range[1]))
        refuse(["value"], `${e.value} is outside the model's plausible range [${range[0]}, ${range[1]}] for ${e.parameter} (parameters.${e.parameter}.range)`)
      return
    }
    case "observe":
      return checkObserve(m, log, e)
    case "retract": {
      const target = log.event(e.event)
      if (!target) {
        // the suggestions are the events a retract could still withdraw
        const retractable = [...log.ids()].filter((id) => log.event(id)?.type !== "retract" && !log.isRetracted(id))
        return refuse(["event"], `unknown event "${e.event}"${didYouMean(e.event, retractable)}: only an earlier event can be retracted`)
      }
      if (target.type === "retract") refuse(["event"], `"${e.event}" is a retract: a retract cannot be retracted`)
      if (log.isRetracted(e.event)) refuse(["event"], `"${e.event}" is already retracted`)
      return
    }
  }
}

/**
 * An event whose id is already in the log: undefined when it is a duplicate (same payload),
 * else the EventError of a conflict naming both payloads.
 */
const conflict = (seen: ScenarioEvent, incoming: ScenarioEvent, index: number | undefined): EventError | undefined => {
  if (samePayload(seen, incoming)) return undefined
  return new EventError({
    id: incoming.id,
    index,
    path: [],
    problem: `conflicts with the event already in the log under this id (${payloadDifferences(seen, incoming).join("; ")}): an id names one event; publish a revision or correction under a new id`,
  })
}

/**
 * A check of the state an event would leave, run after the log's own checks pass: the problem
 * that refuses the event, or undefined. Admission (engine/project/admit.ts) judges the state's
 * deterministic projection so. It reads the state only while it runs (the fold hands it a
 * view that it goes on extending).
 */
export type Judge = (state: ScenarioState, event: ScenarioEvent) => string | undefined

const judged = (judge: Judge | undefined, state: ScenarioState, e: ScenarioEvent, index: number | undefined): void => {
  const problem = judge?.(state, e)
  if (problem !== undefined) throw new EventError({ id: e.id, index, path: [], problem })
}

/** Runs the checks, turning a refusal into an EventError naming the event and its position. */
const checked = (m: ScenarioModel, log: LogView, e: ScenarioEvent, index: number | undefined): void => {
  try {
    check(m, log, e)
  } catch (x) {
    if (x instanceof Refusal) throw new EventError({ id: e.id, index, path: x.path, problem: x.problem })
    throw x
  }
}

/**
 * Applies one decoded event. Returns the new state; the same state (the very object) when the
 * id is already in the log with the same payload (a duplicate, applied once and counted once);
 * throws EventError when the event is refused (a conflicting payload under a seen id included),
 * leaving nothing of it applied. Along a line of states (each the last one's successor) it costs
 * what the event and the model cost, whatever the length of the log.
 */
export function applyEvent(model: ScenarioModel, state: ScenarioState, event: ScenarioEvent, at: { index?: number } = {}, judge?: Judge): ScenarioState {
  const find = (id: string): ScenarioEvent | undefined => eventById(state, id)
  const seen = find(event.id)
  if (seen) {
    const c = conflict(seen, event, at.index)
    if (c) throw c
    return state
  }
  const releases = releasesInEffect(model, state)
  const log: LogView = {
    event: find,
    isRetracted: (id) => state.retracted.has(id),
    ids: () => state.events.map((e) => e.id),
    releases: (i) => releases.get(i) ?? [],
  }
  checked(model, log, event, at.index)

  let next = releases
  if (event.type === "retract") {
    const target = find(event.event)
    if (target?.type === "observe") {
      const copy = new Map(releases)
      copy.set(target.indicator, (releases.get(target.indicator) ?? []).filter((r) => r.event !== target.id))
      next = copy
    }
  } else if (event.type === "observe") {
    const r = releaseOf(model, event)
    if (r) next = new Map(releases).set(event.indicator, [...(releases.get(event.indicator) ?? []), r])
  }
  const result = appended(state, event)
  judged(judge, result, event, at.index)
  releaseIndex.set(result, { model, index: next })
  return result
}

/** What a fold produced: the state and the events refused on the way (each with its position). */
export interface FoldResult {
  readonly state: ScenarioState
  readonly rejected: readonly EventError[]
}

/**
 * Decodes and applies raw events in order, starting from `from` (the empty state by default).
 * Duplicates (a seen id, the same payload) are skipped; refused events are collected with their index in `events` and leave no trace; the fold goes
 * on. A scenario extending a base is the fold of its own events from the base's state (see
 * `extend`), which equals folding the base's events followed by its own.
 */
export function fold(model: ScenarioModel, events: readonly unknown[], from: ScenarioState = emptyState, judge?: Judge): FoldResult {
  const log = from.events.slice()
  const byId = new Map(log.map((e) => [e.id, e]))
  const retracted = new Set(from.retracted)
  const releases = new Map<string, Release[]>([...releasesInEffect(model, from)].map(([k, v]) => [k, v.slice()]))
  const view: LogView = {
    event: (id) => byId.get(id),
    isRetracted: (id) => retracted.has(id),
    ids: () => byId.keys(),
    releases: (i) => releases.get(i) ?? [],
  }
  const rejected: EventError[] = []
  // what the judge sees: the log so far as a state, extended event by event
  let judgedState: ScenarioState = from
  events.forEach((raw, index) => {
    try {
      const e = decodeEvent(raw, { index })
      const seen = byId.get(e.id)
      if (seen) {
        const c = conflict(seen, e, index)
        if (c) throw c
        return
      }
      checked(model, view, e, index)
      // appended, judged, and taken back if the judge refuses it
      const touched = e.type === "observe" ? e.indicator : e.type === "retract" && byId.get(e.event)?.type === "observe" ? (byId.get(e.event) as ObserveEvent).indicator : undefined
      const before = touched === undefined ? undefined : releases.get(touched)
      log.push(e)
      byId.set(e.id, e)
      if (e.type === "observe") {
        const r = releaseOf(model, e)
        if (r) releases.set(e.indicator, [...(before ?? []), r])
      } else if (e.type === "retract") {
        retracted.add(e.event)
        if (touched !== undefined) releases.set(touched, (before ?? []).filter((r) => r.event !== e.event))
      }
      try {
        if (judge) {
          const view = appended(judgedState, e)
          judged(judge, view, e, index)
          judgedState = view
        }
      } catch (refused) {
        log.pop()
        byId.delete(e.id)
        if (e.type === "retract") retracted.delete(e.event)
        if (touched !== undefined) before === undefined ? releases.delete(touched) : releases.set(touched, before)
        throw refused
      }
    } catch (x) {
      if (x instanceof EventError) rejected.push(x)
      else throw x
    }
  })
  const state = stateOfLog(log)
  releaseIndex.set(state, { model, index: releases })
  return { state, rejected }
}

/**
 * A scenario that extends a base: the base's applied events first, then the scenario's own.
 * An own event with an id already in the base is a duplicate (ignored) when its payload is the
 * same, a conflict (refused) when it differs; an own retract may
 * withdraw a base event. Equal to `fold(model, [...baseEvents, ...ownEvents])`.
 */
export function extend(model: ScenarioModel, base: ScenarioState, events: readonly unknown[], judge?: Judge): FoldResult {
  return fold(model, events, base, judge)
}
