// Per indicator, what every part of a projection needs to know: its solution index, kind,
// base profile over the plan year and target; and the plan year's periods within the horizon.
// The series frames add the observables after the indicators (the released series of
// scenario/series.ts, in that order): releases are read through them, while targets, seek and
// multipliers take the indicator frames only.
// Shared by project.ts, condition.ts (and its runners), seek.ts, multipliers.ts and calibrate.ts. Pure.
import type { CompiledModel } from "../compile/index.ts"
import type { Target } from "../schema/model.ts"
import { releasedSeries } from "../scenario/index.ts"
import { indicatorProfile, profilePrefix, type IndicatorKind, type Profile } from "../ytd.ts"

/** What every part of a projection needs to know about one indicator. */
export interface IndicatorFrame {
  readonly index: number // position in the model's released series (scenario/series.ts): its indicators, then its observables
  readonly j: number // position in the solution vector
  readonly kind: IndicatorKind
  readonly b: Profile // base profile (with its calendar-day weights, if any) over the plan-year periods simulated
  readonly target: Target | undefined
}

/** The plan-year periods within the horizon (normally periodsPerYear). */
export const planPeriods = (compiled: CompiledModel): number => Math.min(compiled.periodsPerYear, compiled.periods.length)

/** The plan-year periods the frames' profiles span (0 without indicators). */
export const framePeriods = (frames: readonly IndicatorFrame[]): number => (frames.length > 0 ? frames[0].b.length : 0)

/** Per indicator: its solution index, kind, base profile and target. */
export const indicatorFrames = (compiled: CompiledModel): IndicatorFrame[] => seriesFrames(compiled).slice(0, compiled.model.indicators.length)

/** Per released series (the indicators, then the observables): its solution index, kind, base profile and target (none for an observable). */
export const seriesFrames = (compiled: CompiledModel): IndicatorFrame[] => {
  const P = planPeriods(compiled)
  const at = new Map(compiled.endogenous.map((v, j) => [v, j]))
  return releasedSeries(compiled.model).map((ind, index) => {
    const j = at.get(ind.id)
    if (j === undefined) throw new Error(`series "${ind.id}" is not an endogenous variable of the compiled model`)
    const b = profilePrefix(indicatorProfile(ind, compiled.model.calendar, compiled.periodsPerYear), P)
    return { index, j, kind: ind.kind, b, target: ind.target }
  })
}
