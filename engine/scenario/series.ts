// The released series of a model: the series an `observe` event may name, the plan's
// indicators first (model order), then the observables (file order). Each carries what the
// year-to-date rules (engine/ytd.ts), the fold's checks and the evidence read of it: its id, kind,
// base profile, calendar-day option and release noise. One list per model object, built once, so
// its entries are stable keys for per-series caches. Pure.
import type { Model, ReleaseNoise, Target } from "../schema/model.ts"
import type { IndicatorKind } from "../ytd.ts"

/** A series that releases can name: a plan indicator or an observable. */
export interface ReleasedSeries {
  readonly id: string
  readonly name: string
  readonly name_zh?: string
  readonly unit: string
  readonly kind: IndicatorKind
  readonly profile?: number[]
  readonly days?: boolean
  readonly release?: ReleaseNoise
  /** The plan's target (indicators only). */
  readonly target?: Target
  /** True for an observable, which is not a plan indicator. */
  readonly observable: boolean
}

const built = new WeakMap<object, readonly ReleasedSeries[]>()

/** The model's released series: its indicators (model order), then its observables. */
export const releasedSeries = (model: Pick<Model, "indicators" | "observables">): readonly ReleasedSeries[] => {
  let list = built.get(model)
  if (list === undefined) {
    list = [
      ...model.indicators.map((ind): ReleasedSeries => ({ ...ind, observable: false })),
      ...Object.entries(model.observables ?? {}).map(([id, o]): ReleasedSeries => {
        const { expression: _expression, noise: _noise, persistence: _persistence, base: _base, source: _source, ...shown } = o
        return { id, ...shown, observable: true }
      }),
    ]
    built.set(model, list)
  }
  return list
}

/** The released series of that id, if the model has one. */
export const seriesOf = (model: Pick<Model, "indicators" | "observables">, id: string): ReleasedSeries | undefined => releasedSeries(model).find((s) => s.id === id)
