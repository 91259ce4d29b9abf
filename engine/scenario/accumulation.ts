// The accumulation of a scenario state's events in effect: the sums of shocks and measures per
// shocked column, the uncertain shocks in log order, each parameter's overrides and each
// indicator's releases, extended event by event from the parent state's (a retract withdraws
// its target from a checkpoint, columns.ts) so that an event's cost does not grow with the log.
// inputs.ts reads it into a projection's inputs. Pure; caches each state's accumulation.
import type { Distribution } from "../schema/model.ts"
import type { ScenarioEvent, ShockEffect } from "../schema/scenario.ts"
import { spanOf, periodRange } from "./periods.ts"
import type { ScenarioModel, ScenarioState } from "./state.ts"
import { eventById, forgetParent, parentOf, positionOf } from "./state.ts"
import { CHUNK, emptyLog, itemAt, prefix, pushed, type Log } from "./log.ts"
import { emptyColumn, withContribution, withoutEvent, type Column } from "./columns.ts"
import { type Release } from "../ytd.ts"

/** Where a shock lands: an endogenous variable (add-factor) or an exogenous series (added to its values). */
export type ShockTarget =
  | { readonly kind: "endogenous"; readonly variable: string; readonly index: number }
  | { readonly kind: "exogenous"; readonly variable: string; readonly index: number }

/**
 * One uncertain shock: per draw, one value from `distribution` is added to the shocked variable
 * in every period first..last (one draw per term and Monte Carlo draw, the same in all its
 * periods). `sd: s` on an event stands for `{ dist: "normal", sd: s }`. The distribution is
 * added as it is: a normal or triangular without mean/mode is centred on 0; `uniform` gives its
 * own bounds. The central value of the shock is already in `addFactors`/`exoShift`.
 */
export interface UncertainShock {
  readonly event: string
  /** Position of the effect within a `measure`'s `effects`; absent for a `shock`. */
  readonly effect?: number
  readonly target: ShockTarget
  readonly first: number
  readonly last: number
  readonly distribution: Distribution
}

/** Normal with the event's `sd`, or its distribution; undefined when the shock is certain (no sd, or sd 0). */
const distributionOf = (e: ShockEffect): Distribution | undefined =>
  e.uncertainty ?? (e.sd !== undefined && e.sd > 0 ? { dist: "normal", sd: e.sd } : undefined)

/**
 * A parameter's distribution moved by `delta` with the value it qualifies (see inputs.ts ParameterOverride):
 * absolute parts (bounds, an explicit mean, mode or median) move by delta, parts that default
 * to the central value follow it by themselves. Returns `d` itself when nothing is absolute.
 */
const shifted = (d: Distribution, delta: number): Distribution => {
  switch (d.dist) {
    case "normal":
      return d.mean === undefined ? d : { ...d, mean: d.mean + delta }
    case "lognormal":
      return d.median === undefined ? d : { ...d, median: d.median + delta }
    case "uniform":
      return { ...d, min: d.min + delta, max: d.max + delta }
    case "triangular":
      return { ...d, min: d.min + delta, max: d.max + delta, ...(d.mode === undefined ? {} : { mode: d.mode + delta }) }
  }
}

/** A parameter's overrides so far (see inputs.ts ParameterOverride). */
export interface OverrideSoFar {
  value?: number
  uncertainty?: Distribution
  shift?: number
  uncertaintyEvent?: string
  events: string[]
}

/**
 * The sums and lists of a state's events in effect, in log order: what toInputs reads. A state
 * that extends its parent by one event (state.ts `appended`) extends the parent's accumulation,
 * so the cost of an event does not grow with its log: an event in effect adds to it; a retract
 * takes its target out (`withdraw`: the target's columns refolded from a checkpoint, columns.ts;
 * its uncertain terms cut from the persistent list; its parameter's or indicator's entries
 * rebuilt from their own events), at a cost in the events after the target on the same
 * variables, not in the log. A state built otherwise is accumulated from its whole log. Every
 * sum is the left fold in log order of the events in effect, however it was reached, so both
 * ways give the same bits. Copy on write: an accumulation never changes once cached; a list or
 * entry shared with the parent is copied before it changes.
 */
interface Accumulation {
  readonly addFactors: Float64Array
  readonly exoShift: Float64Array
  /** The uncertain shocks in log order, and the log position of each one's event. */
  uncertain: Log<UncertainShock>
  uncertainAt: Log<number>
  /** Per shocked column ("e<j>" endogenous, "x<k>" exogenous): its contributions (columns.ts). */
  readonly columns: Map<string, Column>
  readonly overrideOf: Map<string, OverrideSoFar>
  readonly releases: Map<string, Release[]>
  applied: number
  /** What this accumulation may change in place: its own copies, not its parent's. */
  readonly owns: { readonly keys: Set<string> }
}

const accumulations = new WeakMap<ScenarioState, { readonly model: ScenarioModel; readonly acc: Accumulation }>()

const emptyAccumulation = (model: ScenarioModel): Accumulation => ({
  addFactors: new Float64Array(model.periods.length * model.endogenous.length),
  exoShift: new Float64Array(model.periods.length * model.exogenous.length),
  uncertain: emptyLog,
  uncertainAt: emptyLog,
  columns: new Map(),
  overrideOf: new Map(),
  releases: new Map(),
  applied: 0,
  owns: { keys: new Set() },
})

const copyOf = (a: Accumulation): Accumulation => ({
  addFactors: a.addFactors.slice(),
  exoShift: a.exoShift.slice(),
  uncertain: a.uncertain,
  uncertainAt: a.uncertainAt,
  columns: new Map(a.columns),
  overrideOf: new Map(a.overrideOf),
  releases: new Map(a.releases),
  applied: a.applied,
  owns: { keys: new Set() },
})

export const accumulated = (model: ScenarioModel, state: ScenarioState): Accumulation => {
  const cached = accumulations.get(state)
  if (cached?.model === model) return cached.acc
  const p = parentOf(state)
  const parent = p ? accumulations.get(p.parent) : undefined
  let acc: Accumulation
  if (p && parent?.model === model) {
    acc = copyOf(parent.acc)
    const at = p.parent.log.length
    if (p.event.type === "retract") withdraw(model, acc, p.parent, p.event.event)
    else accumulate(model, acc, p.event, at)
  } else {
    acc = emptyAccumulation(model)
    const log = state.events
    for (let at = 0; at < log.length; at++) {
      const e = log[at]!
      if (e.type !== "retract" && !state.retracted.has(e.id)) accumulate(model, acc, e, at)
    }
  }
  accumulations.set(state, { model, acc })
  forgetParent(state)
  return acc
}

/** Where a shock effect lands, or a defect for an unknown variable. */
const targetOf = (model: ScenarioModel, event: ScenarioEvent, x: ShockEffect): ShockTarget => {
  const j = model.endogenous.indexOf(x.indicator)
  const k = j < 0 ? model.exogenous.indexOf(x.indicator) : -1
  const target: ShockTarget | undefined =
    j >= 0 ? { kind: "endogenous", variable: x.indicator, index: j } : k >= 0 ? { kind: "exogenous", variable: x.indicator, index: k } : undefined
  if (!target) throw new Error(`event ${event.id}: unknown variable "${x.indicator}"`)
  return target
}

/** The effects of a shock or measure, each with its position within a measure (undefined for a shock). */
const effectsOf = (e: ScenarioEvent): readonly (readonly [ShockEffect, number | undefined])[] =>
  e.type === "shock" ? [[e, undefined]] : e.type === "measure" ? e.effects.map((x, i) => [x, i] as const) : []

/** A parameter's override after one more set-parameter event (copied first unless `own`). */
const overridden = (model: ScenarioModel, seen: OverrideSoFar | undefined, own: boolean, e: Extract<ScenarioEvent, { type: "set-parameter" }>): OverrideSoFar => {
  const declared = model.model.parameters[e.parameter]
  const o: OverrideSoFar = seen === undefined ? { events: [] } : own ? seen : { ...seen, events: seen.events.slice() }
  const before = o.value ?? declared?.value ?? 0
  if (e.uncertainty !== undefined) {
    o.uncertainty = e.uncertainty
    o.uncertaintyEvent = e.id
    delete o.shift
  } else if (e.value !== undefined && e.value !== before) {
    const current = o.uncertainty ?? declared?.uncertainty
    const moved = current === undefined ? undefined : shifted(current, e.value - before)
    if (moved !== undefined && moved !== current) {
      o.uncertainty = moved
      o.shift = (o.shift ?? 0) + (e.value - before)
    }
  }
  if (e.value !== undefined) o.value = e.value
  o.events.push(e.id)
  return o
}

/** Adds one event in effect (not a retract), at log position `at`, to an accumulation. */
const accumulate = (model: ScenarioModel, acc: Accumulation, e: ScenarioEvent, at: number): void => {
  const T = model.periods.length
  const nEndo = model.endogenous.length
  const nExo = model.exogenous.length
  for (const [x, effect] of effectsOf(e)) {
    const target = targetOf(model, e, x)
    const { first, last } = spanOf(model, x.from, x.to)
    const [arr, n, key] = target.kind === "endogenous" ? [acc.addFactors, nEndo, `e${target.index}`] : [acc.exoShift, nExo, `x${target.index}`]
    if (x.value !== 0) {
      for (let t = first; t <= last; t++) arr[t * n + target.index] += x.value
      const column = acc.columns.get(key) ?? emptyColumn(T)
      acc.columns.set(key, withContribution(column, { at, first, last, value: x.value }, T, (t) => arr[t * n + target.index]!))
    }
    const distribution = distributionOf(x)
    if (distribution) {
      acc.uncertain = pushed(acc.uncertain, { event: e.id, ...(effect === undefined ? {} : { effect }), target, first, last, distribution })
      acc.uncertainAt = pushed(acc.uncertainAt, at)
    }
  }
  acc.applied++
  switch (e.type) {
    case "set-parameter": {
      const key = `p:${e.parameter}`
      acc.overrideOf.set(e.parameter, overridden(model, acc.overrideOf.get(e.parameter), acc.owns.keys.has(key), e))
      acc.owns.keys.add(key)
      break
    }
    case "observe": {
      const r = periodRange(model, e.through)
      if (!r.ok) throw new Error(`event ${e.id}: ${r.problem}`)
      const key = `r:${e.indicator}`
      const seen = acc.releases.get(e.indicator)
      const list = seen === undefined ? [] : acc.owns.keys.has(key) ? seen : seen.slice()
      acc.owns.keys.add(key)
      list.push({ through: r.last, ytd: e.ytd, event: e.id, ...(e.sd !== undefined ? { sd: e.sd } : {}) })
      acc.releases.set(e.indicator, list)
      break
    }
    case "retract":
      throw new Error(`event ${e.id}: a retract is not an event in effect`)
  }
}

/** Takes the event `id` of `parent`'s log (in effect there) out of an accumulation of `parent`'s, copied (see Accumulation). */
const withdraw = (model: ScenarioModel, acc: Accumulation, parent: ScenarioState, id: string): void => {
  const e = eventById(parent, id)
  const at = positionOf(parent, id)
  if (e === undefined || at === undefined || e.type === "retract") throw new Error(`retract of "${id}": not an event in effect`)
  const T = model.periods.length
  const nEndo = model.endogenous.length
  const nExo = model.exogenous.length
  for (const [x] of effectsOf(e)) {
    const target = targetOf(model, e, x)
    const [arr, n, key] = target.kind === "endogenous" ? [acc.addFactors, nEndo, `e${target.index}`] : [acc.exoShift, nExo, `x${target.index}`]
    const column = acc.columns.get(key)
    const out = column === undefined ? undefined : withoutEvent(column, at, T)
    if (out === undefined) continue
    acc.columns.set(key, out.column)
    for (let t = 0; t < T; t++) arr[t * n + target.index] = out.values[t]!
  }
  if (effectsOf(e).some(([x]) => distributionOf(x) !== undefined)) {
    // its terms are consecutive: cut the lists from the chunk holding the first and append what follows
    let lo = 0
    for (let hi = acc.uncertainAt.length; lo < hi; ) {
      const mid = (lo + hi) >>> 1
      if (itemAt(acc.uncertainAt, mid)! < at) lo = mid + 1
      else hi = mid
    }
    const from = lo - (lo % CHUNK)
    let uncertain = prefix(acc.uncertain, from)
    let uncertainAt = prefix(acc.uncertainAt, from)
    for (let i = from; i < acc.uncertainAt.length; i++) {
      const where = itemAt(acc.uncertainAt, i)!
      if (where === at) continue
      uncertain = pushed(uncertain, itemAt(acc.uncertain, i)!)
      uncertainAt = pushed(uncertainAt, where)
    }
    acc.uncertain = uncertain
    acc.uncertainAt = uncertainAt
  }
  acc.applied--
  if (e.type === "set-parameter") {
    // the parameter's override refolded from its other events, in log order
    let o: OverrideSoFar | undefined
    for (const other of acc.overrideOf.get(e.parameter)?.events ?? []) {
      if (other === id) continue
      const s = eventById(parent, other)
      if (s?.type === "set-parameter") o = overridden(model, o, true, s)
    }
    if (o === undefined) acc.overrideOf.delete(e.parameter)
    else acc.overrideOf.set(e.parameter, o)
    acc.owns.keys.add(`p:${e.parameter}`)
  } else if (e.type === "observe") {
    const list = (acc.releases.get(e.indicator) ?? []).filter((r) => r.event !== id)
    if (list.length === 0) acc.releases.delete(e.indicator)
    else acc.releases.set(e.indicator, list)
    acc.owns.keys.add(`r:${e.indicator}`)
  }
}

