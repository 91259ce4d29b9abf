// Checks of a model against its data, as bimets' STATIC simulation and RESCHECK: the static
// simulation solves each period of a range with every lag read from the data (so each period
// shows the model's one-period-ahead fit, errors do not accumulate); the residual check
// evaluates each equation, as it is solved for its variable, at the data themselves (current
// values included) and reports data minus equation: zero for identities the data satisfy, the
// estimation residuals for behavioural equations in levels. Pure; throws ModelError when the
// range lies outside the data, ConvergenceError when a period does not solve.
import { ModelError } from "../errors.ts"
import type { Model } from "../schema/model.ts"
import { labelOf, periodIndex, periodsPerYear } from "../compile/calendar.ts"
import { seriesData, valueAt } from "../compile/data.ts"
import { evaluate } from "../compile/evaluate.ts"
import { compile, modelEquations, simulateOne } from "../compile/index.ts"
import { seriesReader } from "./estimate.ts"

/** Per endogenous variable and period of the range: a value, or null where it cannot be computed (missing data). */
export interface SeriesTable {
  readonly periods: readonly string[]
  readonly variables: Readonly<Record<string, (number | null)[]>>
}

const range = (model: Model, from: string, to: string): { a: number; b: number } => {
  const a = periodIndex(model.calendar, from)
  const b = periodIndex(model.calendar, to)
  if (a === undefined) throw new ModelError({ path: ["sample", "from"], problem: `"${from}" is not a ${model.calendar.frequency} period` })
  if (b === undefined) throw new ModelError({ path: ["sample", "to"], problem: `"${to}" is not a ${model.calendar.frequency} period` })
  if (b < a) throw new ModelError({ path: ["sample"], problem: `the range ends (${to}) before it starts (${from})` })
  const data = seriesData(model)
  if (data === undefined) throw new ModelError({ path: ["data"], problem: "the model has no data" })
  if (a - 1 < data.start || b >= data.start + data.length)
    throw new ModelError({
      path: ["sample"],
      problem: `${from}..${to} (and the period before it, for the lags) lies outside the data (${labelOf(model.calendar, data.start)}..${labelOf(model.calendar, data.start + data.length - 1)})`,
    })
  return { a, b }
}

/** The default range of the checks: every period of the data but the first. */
export const dataRange = (model: Model): { from: string; to: string } => {
  const data = seriesData(model)
  if (data === undefined) throw new ModelError({ path: ["data"], problem: "the model has no data" })
  return { from: labelOf(model.calendar, data.start + 1), to: labelOf(model.calendar, data.start + data.length - 1) }
}

/**
 * Static simulation over from..to: each period solved with the lags of every endogenous
 * variable read from the data (a variable without data is simulated on from the range's start).
 */
export const staticSimulation = (model: Model, from: string, to: string): SeriesTable => {
  const { a, b } = range(model, from, to)
  const data = seriesData(model)!
  const P = periodsPerYear(model.calendar.frequency)
  // the range as the horizon of the same model: it starts at the year of `from`, lags before it read the data
  const year = Math.floor(a / P)
  const shifted = Model_withCalendar(model, model.calendar.planYear + year, b - year * P + 1)
  const compiled = compile(shifted)
  const T = compiled.periods.length
  const offset = year * P
  const periods: string[] = []
  const variables: Record<string, (number | null)[]> = Object.fromEntries(compiled.endogenous.map((v) => [v, []]))
  for (let t = a - offset; t < T; t++) {
    // everything before t observed at its data (no carried surprise: decay 0)
    const fixed: Record<string, (number | null)[]> = {}
    for (const v of compiled.endogenous) {
      if (!data.series.has(v)) continue
      fixed[v] = Array.from({ length: t }, (_, s) => {
        const x = valueAt(data, v, s + offset)
        return Number.isNaN(x) ? null : x
      })
    }
    const solution = simulateOne(compiled, { fixed })
    periods.push(labelOf(model.calendar, t + offset))
    for (const v of compiled.endogenous) variables[v]!.push(solution[v]![t]!)
  }
  return { periods, variables }
}

// The model with its horizon moved to start in `planYear` and run `horizon` periods, no surprise carried.
const Model_withCalendar = (model: Model, planYear: number, horizon: number): Model => ({
  ...model,
  calendar: { ...model.calendar, baseYear: planYear - 1, planYear, horizon },
  observation: { ...model.observation, decay: 0 },
  // histories come again from the data for the new start
  variables: Object.fromEntries(Object.entries(model.variables).map(([k, v]) => [k, model.data?.series?.[k] !== undefined ? { ...v, history: undefined } : v])),
  exogenous: Object.fromEntries(
    Object.entries(model.exogenous).map(([k, x]) => [k, model.data?.series?.[k] !== undefined ? { ...x, history: undefined, values: undefined, extend: x.extend ?? "constant" } : x]),
  ),
})

/** Residual check over from..to: per endogenous variable with data, data minus its equation evaluated at the data. */
export const residualCheck = (model: Model, from: string, to: string): SeriesTable => {
  const { a, b } = range(model, from, to)
  const eqs = modelEquations(model)
  const data = seriesData(eqs.model)!
  const read = seriesReader(eqs, data)
  const params = Float64Array.from(eqs.symbols.parameters, (p) => eqs.model.parameters[p]!.value)
  const periods = Array.from({ length: b - a + 1 }, (_, s) => labelOf(model.calendar, a + s))
  const variables: Record<string, (number | null)[]> = {}
  eqs.symbols.endogenous.forEach((v, j) => {
    if (!data.series.has(v)) return
    variables[v] = periods.map((_, s) => {
      const t = a + s
      const r = evaluate(eqs.equations[j]!.solved, read(t), params)
      const x = valueAt(data, v, t)
      return Number.isFinite(r) && Number.isFinite(x) ? x - r : null
    })
  })
  return { periods, variables }
}
