// From a scenario state to what a projection needs: the deterministic (central) add-factors
// and exogenous shifts of the events in effect, the parameter vector with its overrides, the
// uncertain terms to draw per Monte Carlo draw, and which periods data releases fix (with the
// segments and mean growths they imply; the fixed values themselves need the model's own
// projection, so engine/project/observe.ts resolves them), read from the state's accumulation
// (accumulation.ts). Sits
// between the fold (engine/scenario/fold.ts) and the projection (engine/project), which builds
// the compiled model's SimulationInput from it. Arrays use the compiled model's layouts:
// period-major, `t * n + j` with j the variable's position in `endogenous` / `exogenous`.
// Pure and deterministic: no I/O, no randomness (draws are the projection's).
import type { Distribution } from "../schema/model.ts"
import type { ScenarioModel, ScenarioState } from "./state.ts"
import { toArray, type Log } from "./log.ts"
import { releasedSeries, seriesOf } from "./series.ts"
import { indicatorProfile, segmentsOf, type Release, type Segment } from "../ytd.ts"
import { accumulated, type UncertainShock } from "./accumulation.ts"

export type { ShockTarget, UncertainShock } from "./accumulation.ts"

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
