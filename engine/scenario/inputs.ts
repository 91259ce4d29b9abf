// From a scenario state to what a projection needs: the deterministic (central) add-factors
// and exogenous shifts of the events in effect, the parameter vector with its overrides, the
// uncertain terms to draw per Monte Carlo draw, and the growths fixed by data releases. Sits
// between the fold (engine/scenario/fold.ts) and the projection (engine/project), which builds
// the compiled model's SimulationInput from it. Arrays use the compiled model's layouts:
// period-major, `t * n + j` with j the variable's position in `endogenous` / `exogenous`.
// Pure and deterministic: no I/O, no randomness (draws are the projection's).
import type { Distribution } from "../spec/model.ts"
import type { Effect, ScenarioEvent } from "../spec/scenario.ts"
import { spanOf, periodRange } from "./periods.ts"
import type { ScenarioModel, ScenarioState } from "./state.ts"
import { appliedCount, effective } from "./state.ts"
import { baseProfile, segmentsOf, type Release, type Segment } from "./ytd.ts"

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

/** A parameter changed by `set-parameter` events (later ones win field by field). */
export interface ParameterOverride {
  readonly parameter: string
  /** Position in the compiled model's `parameters`. */
  readonly index: number
  /** The overriding central value; absent when the events set only an uncertainty. */
  readonly value?: number
  /** The overriding distribution (replaces the value per draw, centred on the central value); absent when only the value is set. */
  readonly uncertainty?: Distribution
  /** The events that set it, in order. */
  readonly events: readonly string[]
}

/** The data releases of one indicator in effect and the growths they fix. */
export interface Observation {
  readonly indicator: string
  /** Position of the indicator in `endogenous`. */
  readonly index: number
  /** Releases sorted by `through` (0-based horizon position), one per position. */
  readonly releases: readonly Release[]
  /** Consecutive segments 0..lastThrough, each with the common growth (%) the releases imply. */
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
  /** Uncertain shock terms, in log order (and effect order within a measure). */
  readonly uncertain: readonly UncertainShock[]
  /** T * nEndo: 1 where the value is fixed by a data release (observed indicator periods). */
  readonly fixed: Uint8Array
  /** T * nEndo: the fixed growth (%) where `fixed` is 1, 0 elsewhere. */
  readonly fixedValues: Float64Array
  /** Per observed indicator, its releases and segments, in the model's indicator order. */
  readonly observations: readonly Observation[]
}

/** Normal with the event's `sd`, or its distribution; undefined when the shock is certain (no sd, or sd 0). */
const distributionOf = (e: Effect): Distribution | undefined =>
  e.uncertainty ?? (e.sd !== undefined && e.sd > 0 ? { dist: "normal", sd: e.sd } : undefined)

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
  const nExo = model.exogenous.length
  const endoIndex = new Map(model.endogenous.map((v, j) => [v, j]))
  const exoIndex = new Map(model.exogenous.map((v, j) => [v, j]))
  const addFactors = new Float64Array(T * nEndo)
  const exoShift = new Float64Array(T * nExo)
  const uncertain: UncertainShock[] = []
  const overrideOf = new Map<string, { value?: number; uncertainty?: Distribution; events: string[] }>()
  const releases = new Map<string, Release[]>()

  const shock = (event: ScenarioEvent, e: Effect, effect: number | undefined): void => {
    const j = endoIndex.get(e.indicator)
    const k = exoIndex.get(e.indicator)
    const target: ShockTarget | undefined =
      j !== undefined ? { kind: "endogenous", variable: e.indicator, index: j } : k !== undefined ? { kind: "exogenous", variable: e.indicator, index: k } : undefined
    if (!target) throw new Error(`event ${event.id}: unknown variable "${e.indicator}"`)
    const { first, last } = spanOf(model, e.from, e.to)
    const [arr, n] = target.kind === "endogenous" ? [addFactors, nEndo] : [exoShift, nExo]
    if (e.value !== 0) for (let t = first; t <= last; t++) arr[t * n + target.index] += e.value
    const distribution = distributionOf(e)
    if (distribution) uncertain.push({ event: event.id, ...(effect === undefined ? {} : { effect }), target, first, last, distribution })
  }

  for (const e of effective(state)) {
    switch (e.type) {
      case "shock":
        shock(e, e, undefined)
        break
      case "measure":
        e.effects.forEach((x, i) => shock(e, x, i))
        break
      case "set-parameter": {
        const o = overrideOf.get(e.parameter) ?? { events: [] }
        if (e.value !== undefined) o.value = e.value
        if (e.uncertainty !== undefined) o.uncertainty = e.uncertainty
        o.events.push(e.id)
        overrideOf.set(e.parameter, o)
        break
      }
      case "observe": {
        const r = periodRange(model, e.through)
        if (!r.ok) throw new Error(`event ${e.id}: ${r.problem}`)
        const list = releases.get(e.indicator) ?? []
        list.push({ through: r.last, ytd: e.ytd, event: e.id })
        releases.set(e.indicator, list)
        break
      }
      case "retract":
        break
    }
  }

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
  const fixedValues = new Float64Array(T * nEndo)
  const observations: Observation[] = []
  for (const indicator of model.model.indicators) {
    const list = releases.get(indicator.id)
    if (!list) continue
    const j = endoIndex.get(indicator.id)
    if (j === undefined) throw new Error(`indicator "${indicator.id}" is not an endogenous variable of the compiled model`)
    const segments = segmentsOf(indicator.kind, baseProfile(indicator, model.periodsPerYear), list)
    for (const s of segments) {
      for (let t = s.first; t <= s.last; t++) {
        fixed[t * nEndo + j] = 1
        fixedValues[t * nEndo + j] = s.growth
      }
    }
    const byThrough = new Map<number, Release>()
    for (const r of list) byThrough.set(r.through, r)
    observations.push({ indicator: indicator.id, index: j, releases: [...byThrough.values()].sort((a, b) => a.through - b.through), segments })
  }
  for (const id of releases.keys()) if (!model.model.indicators.some((i) => i.id === id)) throw new Error(`unknown indicator "${id}"`)

  return { applied: appliedCount(state), addFactors, exoShift, params, paramUncertainty, overrides, uncertain, fixed, fixedValues, observations }
}
