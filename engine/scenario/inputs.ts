// From a scenario state to what a projection needs: the deterministic (central) add-factors
// and exogenous shifts of the events in effect, the parameter vector with its overrides, the
// uncertain terms to draw per Monte Carlo draw, and which periods data releases fix (with the
// segments and mean growths they imply; the fixed values themselves need the model's own
// projection, so engine/project/observe.ts resolves them). Sits
// between the fold (engine/scenario/fold.ts) and the projection (engine/project), which builds
// the compiled model's SimulationInput from it. Arrays use the compiled model's layouts:
// period-major, `t * n + j` with j the variable's position in `endogenous` / `exogenous`.
// Pure and deterministic: no I/O, no randomness (draws are the projection's).
import type { Distribution } from "../schema/model.ts"
import type { ScenarioEvent, ShockEffect } from "../schema/scenario.ts"
import { spanOf, periodRange } from "./periods.ts"
import type { ScenarioModel, ScenarioState } from "./state.ts"
import { eventById, forgetParent, parentOf, positionOf } from "./state.ts"
import { CHUNK, emptyLog, itemAt, prefix, pushed, toArray, type Log } from "./log.ts"
import { emptyColumn, withContribution, withoutEvent, type Column } from "./columns.ts"
import { releasedSeries, seriesOf } from "./series.ts"
import { indicatorProfile, segmentsOf, type Release, type Segment } from "../ytd.ts"

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

/**
 * A parameter changed by `set-parameter` events, applied in log order:
 * - an event with `uncertainty` sets the distribution as written (bounds and mean/mode/median
 *   it gives are absolute; those it leaves out centre on the central value), and with `value`
 *   the central value too;
 * - an event with only `value` keeps the distribution in effect (the model's or an earlier
 *   event's) and moves it with the value: it is shifted by (new value - previous central value),
 *   so it keeps its shape around the new value. Uniform min/max, triangular min/max and an
 *   explicit mode, an explicit normal mean and an explicit lognormal median all move by that
 *   amount; parts that default to the central value (normal mean, triangular mode, lognormal
 *   median) follow it anyway. E.g. a model's `value: 0.4, uncertainty: uniform 0.2..0.6` with
 *   a set-parameter `value: 0.5` draws from uniform 0.3..0.7.
 */
export interface ParameterOverride {
  readonly parameter: string
  /** Position in the compiled model's `parameters`. */
  readonly index: number
  /** The overriding central value; absent when the events set only an uncertainty. */
  readonly value?: number
  /**
   * The distribution per draw after the events (replaces the value per draw): one an event set,
   * possibly shifted by later value-only events, or the model's shifted by value-only events.
   * Absent when the model's distribution applies unchanged or the parameter stays certain.
   */
  readonly uncertainty?: Distribution
  /** The total shift (pp of the parameter) value-only events applied to the absolute parts of `uncertainty`; absent when none moved it. */
  readonly shift?: number
  /** The last event that set the distribution as written; absent when it is the model's (possibly shifted). */
  readonly uncertaintyEvent?: string
  /** The events that set it, in order. */
  readonly events: readonly string[]
}

/**
 * The data releases of one indicator (or observable) in effect and the segments they fix. Observation rule
 * (add-factor targeting, resolved by engine/project/observe.ts): in a segment (T0, T1] the fixed
 * growth of each period is the model's own projected growth of that period plus one common
 * shift, chosen so that the year-to-date growth through T1 equals the release exactly; so a
 * release equal to what the model projects fixes exactly the projected values and changes
 * nothing.
 */
export interface Observation {
  readonly indicator: string
  /** Position of the indicator in `endogenous`. */
  readonly index: number
  /** Releases sorted by `through` (0-based horizon position), one per position. */
  readonly releases: readonly Release[]
  /** Consecutive segments 0..lastThrough, each with the mean growth (%) the releases imply. */
  readonly segments: readonly Segment[]
}

/** Everything a projection takes from a scenario. T = periods.length, nEndo/nExo/nParam from the compiled model. */
export interface ScenarioInputs {
  /** Number of events in effect (the projection's `events.applied`). */
  readonly applied: number
  /** T * nEndo: summed central add-factors (pp) of shocks and measure effects on endogenous variables. */
  readonly addFactors: Float64Array
  /** T * nExo: summed central shocks added to the exogenous series' values. */
  readonly exoShift: Float64Array
  /** nParam: central parameter values, the model's with the overrides applied. */
  readonly params: Float64Array
  /** nParam: each parameter's distribution per draw (the model's unless overridden), undefined when certain. */
  readonly paramUncertainty: readonly (Distribution | undefined)[]
  /** The set-parameter overrides, in the compiled model's parameter order. */
  readonly overrides: readonly ParameterOverride[]
  /** Uncertain shock terms, in log order (and effect order within a measure): built from `uncertainLog` the first time it is read. */
  readonly uncertain: readonly UncertainShock[]
  /** The same terms as a persistent list (log.ts), shared with the inputs of the states before: what a projection reads without copying. */
  readonly uncertainLog: Log<UncertainShock>
  /**
   * T * nEndo: 1 where a data release fixes the value (observed indicator periods). The values
   * are resolved by the projection from `observations` (engine/project/observe.ts).
   */
  readonly fixed: Uint8Array
  /** Per observed indicator or observable, its releases and segments: indicators in model order, then observables (scenario/series.ts). */
  readonly observations: readonly Observation[]
}

/** Normal with the event's `sd`, or its distribution; undefined when the shock is certain (no sd, or sd 0). */
const distributionOf = (e: ShockEffect): Distribution | undefined =>
  e.uncertainty ?? (e.sd !== undefined && e.sd > 0 ? { dist: "normal", sd: e.sd } : undefined)

/**
 * A parameter's distribution moved by `delta` with the value it qualifies (see ParameterOverride):
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

/** A parameter's overrides so far (see ParameterOverride). */
interface OverrideSoFar {
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

const accumulated = (model: ScenarioModel, state: ScenarioState): Accumulation => {
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

/**
 * The projection inputs of a state's events in effect. Deterministic: the same state gives the
 * same arrays. Total on any state whose events name known variables, parameters and horizon
 * periods; a state built outside the fold (attribution's subsets) may hold two releases for the
 * same indicator and period, and then the later one in the log wins. Events referring to
 * unknown names (impossible after the fold's checks) are a defect and throw.
 */
export function toInputs(model: ScenarioModel, state: ScenarioState): ScenarioInputs {
  const T = model.periods.length
  const nEndo = model.endogenous.length
  const endoIndex = new Map(model.endogenous.map((v, j) => [v, j]))
  const { addFactors, exoShift, uncertain, overrideOf, releases, applied } = accumulated(model, state)

  const params = new Float64Array(model.parameters.length)
  const paramUncertainty: (Distribution | undefined)[] = []
  const overrides: ParameterOverride[] = []
  model.parameters.forEach((p, i) => {
    const declared = model.model.parameters[p]
    const o = overrideOf.get(p)
    params[i] = o?.value ?? declared?.value ?? 0
    paramUncertainty.push(o?.uncertainty ?? declared?.uncertainty)
    if (o) overrides.push({ parameter: p, index: i, ...o })
  })
  for (const p of overrideOf.keys()) if (!model.parameters.includes(p)) throw new Error(`unknown parameter "${p}"`)

  const fixed = new Uint8Array(T * nEndo)
  const observations: Observation[] = []
  for (const indicator of releasedSeries(model.model)) {
    const list = releases.get(indicator.id)
    if (!list) continue
    const j = endoIndex.get(indicator.id)
    if (j === undefined) throw new Error(`series "${indicator.id}" is not an endogenous variable of the compiled model`)
    const segments = segmentsOf(indicator.kind, indicatorProfile(indicator, model.model.calendar, model.periodsPerYear), list)
    for (const s of segments) for (let t = s.first; t <= s.last; t++) fixed[t * nEndo + j] = 1
    const byThrough = new Map<number, Release>()
    for (const r of list) byThrough.set(r.through, r)
    observations.push({ indicator: indicator.id, index: j, releases: [...byThrough.values()].sort((a, b) => a.through - b.through), segments })
  }
  for (const id of releases.keys()) if (seriesOf(model.model, id) === undefined) throw new Error(`unknown indicator or observable "${id}"`)

  let list: UncertainShock[] | undefined
  return {
    applied,
    addFactors: addFactors.slice(),
    exoShift: exoShift.slice(),
    params,
    paramUncertainty,
    overrides,
    get uncertain(): readonly UncertainShock[] {
      return (list ??= toArray(uncertain))
    },
    uncertainLog: uncertain,
    fixed,
    observations,
  }
}
