// A model's historical series (`data:`) turned into what the rest of the compiler reads:
// each endogenous variable's and exogenous series' history (the observations before the
// horizon, unless written out), each exogenous series' values over the horizon (its
// observations, then its extension rule past the last one, unless `values` are written), and
// built-in time trends (`trend: "1931"`). Runs before the symbol table, as a rewrite of the
// Model: later stages never see `data`, `trend` or `extend`. Also the series by name and
// period for estimation and static simulation (seriesData). Idempotent: its result has no
// trend or extension left to write out. Pure; throws ModelError.
import { ModelError } from "../errors.ts"
import type { Extension, Model } from "../schema/model.ts"
import { horizonOf, labelOf, periodIndex, periodsPerYear } from "./calendar.ts"

/** The model's data: per series, its values from period `start` (index from the plan year's first period; NaN missing). */
export interface SeriesData {
  readonly start: number
  readonly length: number
  readonly series: ReadonlyMap<string, Float64Array>
}

/** The data of a model, or undefined when it has none. @throws ModelError when `data` is incomplete */
export const seriesData = (model: Model): SeriesData | undefined => {
  const d = model.data
  if (d === undefined) return undefined
  if (d.series === undefined || d.start === undefined)
    throw new ModelError({
      path: ["data"],
      problem: d.file !== undefined ? `data.file (${d.file}) is read by the file loader (loadModelFile); from a script, give data.start and data.series` : "data needs start (the first period) and series",
    })
  const start = periodIndex(model.calendar, d.start)
  if (start === undefined) throw new ModelError({ path: ["data", "start"], problem: `"${d.start}" is not a ${model.calendar.frequency} period` })
  const lengths = new Set(Object.values(d.series).map((v) => v.length))
  const length = Math.max(0, ...lengths)
  const series = new Map<string, Float64Array>()
  for (const [name, v] of Object.entries(d.series)) {
    if (v.length !== length)
      throw new ModelError({ path: ["data", "series", name], problem: `${v.length} values where the longest series has ${length}: give every series one value per period from ${d.start} (null where missing)` })
    series.set(name, Float64Array.from(v, (x) => (x === null ? NaN : x)))
  }
  return { start, length, series }
}

/** The value of a series at period index t (NaN where missing or outside the data). */
export const valueAt = (data: SeriesData, name: string, t: number): number => {
  const s = data.series.get(name)
  const i = t - data.start
  return s === undefined || i < 0 || i >= data.length ? NaN : s[i]!
}

// The observations of a series before period 0, most recent last, as far back as they run without a gap.
const historyOf = (data: SeriesData, name: string): number[] => {
  const h: number[] = []
  for (let t = -1; t >= data.start; t--) {
    const v = valueAt(data, name, t)
    if (Number.isNaN(v)) break
    h.unshift(v)
  }
  return h
}

const extendSeries = (observed: readonly { t: number; v: number }[], rule: Extension, t: number): number => {
  const last = observed[observed.length - 1]!
  if (rule === "constant") return last.v
  if (rule === "linear") {
    const n = observed.length
    if (n < 2) return last.v
    const mt = observed.reduce((s, o) => s + o.t, 0) / n
    const mv = observed.reduce((s, o) => s + o.v, 0) / n
    const sxy = observed.reduce((s, o) => s + (o.t - mt) * (o.v - mv), 0)
    const sxx = observed.reduce((s, o) => s + (o.t - mt) ** 2, 0)
    return mv + (sxy / sxx) * (t - mt)
  }
  const tail = observed.slice(-rule.mean)
  return tail.reduce((s, o) => s + o.v, 0) / tail.length
}

/**
 * The model with its data, trends and extension rules written out as histories and values.
 * A model without data or trends is returned as it is.
 * @throws ModelError naming the series and periods a value is missing for
 */
export const withData = (model: Model): Model => {
  const trends = Object.entries(model.exogenous).some(([, x]) => x.trend !== undefined)
  if (model.data === undefined && !trends) {
    for (const [name, x] of Object.entries(model.exogenous))
      if (x.values === undefined) throw new ModelError({ path: ["exogenous", name, "values"], problem: `"${name}" has no values: give values, a trend, or data` })
    return model
  }
  const data = seriesData(model)
  const T = horizonOf(model.calendar)
  const P = periodsPerYear(model.calendar.frequency)
  const label = (t: number): string => labelOf(model.calendar, t)
  if (data !== undefined)
    for (const name of data.series.keys())
      if (!Object.hasOwn(model.variables, name) && !Object.hasOwn(model.exogenous, name) && !model.indicators.some((i) => i.id === name))
        throw new ModelError({ path: ["data", "series", name], problem: `"${name}" is not a variable or exogenous series of the model` })

  const variables = Object.fromEntries(
    Object.entries(model.variables).map(([name, v]) => {
      if (v.history !== undefined || data === undefined || !data.series.has(name)) return [name, v]
      const h = historyOf(data, name)
      return [name, h.length > 0 ? { ...v, history: h } : v]
    }),
  )
  const exogenous = Object.fromEntries(
    Object.entries(model.exogenous).map(([name, x]) => {
      const path = ["exogenous", name]
      if (x.trend !== undefined) {
        if (x.values !== undefined) throw new ModelError({ path: [...path, "trend"], problem: `"${name}" has both values and a trend: give one` })
        const origin = periodIndex(model.calendar, x.trend)
        if (origin === undefined) throw new ModelError({ path: [...path, "trend"], problem: `"${x.trend}" is not a ${model.calendar.frequency} period` })
        const depth = Math.max(P, data !== undefined ? -data.start : 0)
        const { trend: _, ...rest } = x
        return [name, { ...rest, values: Array.from({ length: T }, (_, t) => t - origin), history: x.history ?? Array.from({ length: depth }, (_, k) => k - depth - origin) }]
      }
      const has = data !== undefined && data.series.has(name)
      if (!has) {
        if (x.values === undefined) throw new ModelError({ path: [...path, "values"], problem: `"${name}" has no values: give values, a trend, or a series in data` })
        return [name, x]
      }
      const history = x.history ?? (historyOf(data!, name).length > 0 ? historyOf(data!, name) : undefined)
      if (x.values !== undefined) return [name, { ...x, history }]
      const observed: { t: number; v: number }[] = []
      for (let t = data!.start; t < data!.start + data!.length; t++) {
        const v = valueAt(data!, name, t)
        if (!Number.isNaN(v)) observed.push({ t, v })
      }
      if (observed.length === 0) throw new ModelError({ path: ["data", "series", name], problem: `"${name}" has no observation` })
      const values = Array.from({ length: T }, (_, t) => {
        const v = valueAt(data!, name, t)
        if (!Number.isNaN(v)) return v
        if (x.extend === undefined || t < observed[observed.length - 1]!.t)
          throw new ModelError({
            path: [...path, x.extend === undefined ? "extend" : "values"],
            problem:
              x.extend === undefined
                ? `"${name}" has data to ${label(observed[observed.length - 1]!.t)} and the horizon runs to ${label(T - 1)}: give an extension rule (extend: constant | linear | { mean: n }) or values`
                : `"${name}" is missing in ${label(t)}, inside its data`,
          })
        return extendSeries(observed, x.extend, t)
      })
      const { extend: _, ...rest } = x
      return [name, { ...rest, values, history }]
    }),
  )
  return { ...model, variables, exogenous }
}
