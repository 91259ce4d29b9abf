// Bands sized from history: the one place where an equation error declared from past forecast
// errors (schema PastErrors, `fromErrors`) becomes an ordinary normal distribution. `compile`
// runs it last, so `compiled.model` and everything downstream (draws, conditioning, bands) see
// `{ dist: normal, sd, mean }` only. Pure; throws ModelError with the field path.
//
// Estimator: sd = RMS = sqrt(sum e^2 / n) of the listed errors (no mean removed, no n - 1).
// `of: period`: sd = RMS. `of: year` (an indicator's error): the listed errors are of the annual
// figure, and the sd is scaled so that the annual growth's sd from this error equals RMS. For a
// model affine in its errors (compiled.affine) the annual growth is affine in the error's path
// u[0..P-1] over the plan year's P periods: annual = a0 + sum_t k[t] u[t], with k[t] read off one
// deterministic run per period (a unit add-factor at t, central parameters, no events). The
// error is a stationary AR(1) of persistence rho (u[t] = rho u[t-1] + sqrt(1 - rho^2) x[t]), so
// corr(u[s], u[t]) = rho^|s-t| and var(annual) = sd^2 q with q = sum_s sum_t k[s] k[t] rho^|s-t|;
// hence sd = RMS / sqrt(q). Exact at the central parameter values; a persistence given as a
// parameter is taken at its value; with uncertain coefficients or persistence the annual spread
// varies around it from draw to draw.
import { ModelError, type FieldPath } from "../errors.ts"
import type { Distribution, EquationError, Model, PastErrors, Persistence, ResolvedModel } from "../schema/model.ts"
import { annualGrowth, indicatorProfile } from "../ytd.ts"
import type { CompiledModel, SimulationInput } from "./compiled.ts"

/** A compiled model before its past-error bands are resolved (what the equation compilers return). */
export type UnresolvedCompiled = Omit<CompiledModel, "model"> & { readonly model: Model }

const isPastErrors = (e: EquationError | undefined): e is PastErrors => e !== undefined && "fromErrors" in e

/**
 * The root mean square of past forecast errors, sqrt(sum e^2 / n): the sd of a centred normal
 * whose spread matches theirs. Needs at least two finite errors (the schema refuses fewer).
 * @throws RangeError with fewer than two errors
 */
export const rmsOfErrors = (errors: readonly number[]): number => {
  if (errors.length < 2) throw new RangeError(`a band from past errors needs at least 2 errors, not ${errors.length}`)
  let sum = 0
  for (const e of errors) sum += e * e
  return Math.sqrt(sum / errors.length)
}

/**
 * q = sum_s sum_t k[s] k[t] rho^|s-t|: the variance of sum_t k[t] u[t] for a unit-variance
 * stationary AR(1) u of persistence rho (rho = 1: one draw, q = (sum k)^2; rho = 0: sum k^2).
 */
export const ar1Variance = (k: ArrayLike<number>, rho: number): number => {
  let q = 0
  for (let s = 0; s < k.length; s++) for (let t = 0; t < k.length; t++) q += k[s]! * k[t]! * rho ** Math.abs(s - t)
  return q
}

const normal = (sd: number, mean: number | undefined): Distribution => (mean === undefined ? { dist: "normal", sd } : { dist: "normal", sd, mean })

/**
 * The compiled model with every PastErrors error replaced by its normal distribution; the
 * same object when there is none.
 * @throws ModelError for `of: year` on a variable, in a model not affine in its errors, with a
 *   horizon shorter than the plan year, or where the error does not reach the annual growth
 */
export const resolveErrorBands = (compiled: UnresolvedCompiled): CompiledModel => {
  const model = compiled.model
  const pending = model.indicators.some((i) => isPastErrors(i.error)) || Object.values(model.variables).some((v) => isPastErrors(v.error))
  if (!pending) return compiled as CompiledModel
  const indicators = model.indicators.map((ind, i) => {
    const e = ind.error
    if (!isPastErrors(e)) return ind as ResolvedModel["indicators"][number]
    const path = ["indicators", i, "error"]
    const rms = rmsOfErrors(e.fromErrors)
    const sd = e.of === "period" ? rms : rms / Math.sqrt(annualVariance(compiled, ind.id, ind.persistence ?? model.observation.persistence, path))
    return { ...ind, error: normal(sd, e.mean) }
  })
  const variables = Object.fromEntries(
    Object.entries(model.variables).map(([name, v]) => {
      const e = v.error
      if (!isPastErrors(e)) return [name, v]
      if (e.of === "year")
        throw new ModelError({ path: ["variables", name, "error", "of"], problem: "errors of the annual figure size an indicator's error only (a variable has no annual figure): give its per-period errors with of: period" })
      return [name, { ...v, error: normal(rmsOfErrors(e.fromErrors), e.mean) }]
    }),
  ) as ResolvedModel["variables"]
  return { ...compiled, model: { ...model, indicators, variables } }
}

// q of the indicator's annual growth in its own error (see the header), from P + 1 deterministic runs.
const annualVariance = (compiled: UnresolvedCompiled, id: string, persistence: Persistence, path: FieldPath): number => {
  const model = compiled.model
  const P = compiled.periodsPerYear
  const T = compiled.periods.length
  const n = compiled.endogenous.length
  if (!compiled.affine)
    throw new ModelError({ path: [...path, "of"], problem: "of: year scales the sd by the model's linear response of the annual growth to the error, and this model is not affine in its errors: give per-period errors with of: period" })
  if (T < P) throw new ModelError({ path: [...path, "of"], problem: `of: year needs the whole plan year in the horizon (${P} periods, not ${T})` })
  const j = compiled.endogenous.indexOf(id)
  const np = compiled.parameters.length
  const nx = compiled.exogenous.length
  const draws = P + 1
  const params = new Float64Array(draws * np)
  compiled.parameters.forEach((name, i) => {
    for (let d = 0; d < draws; d++) params[d * np + i] = model.parameters[name]!.value
  })
  const exo = new Float64Array(draws * T * nx)
  compiled.exogenous.forEach((name, i) => {
    const values = model.exogenous[name]!.values!
    for (let t = 0; t < T; t++) for (let d = 0; d < draws; d++) exo[(d * T + t) * nx + i] = typeof values === "number" ? values : values[t]!
  })
  // draw 0: no error; draw 1 + t: a unit error at period t
  const addFactors = new Float64Array(draws * T * n)
  for (let t = 0; t < P; t++) addFactors[((1 + t) * T + t) * n + j] = 1
  const input: SimulationInput = { draws, params, exo, addFactors, fixed: new Uint8Array(T * n), fixedValues: new Float64Array(T * n) }
  const out = new Float64Array(draws * T * n)
  compiled.simulate(input, out)
  const indicator = model.indicators.find((i) => i.id === id)!
  const b = indicatorProfile(indicator, model.calendar, P)
  const annualOf = (d: number): number => annualGrowth(indicator.kind, b, Float64Array.from({ length: P }, (_, t) => out[(d * T + t) * n + j]!))
  const a0 = annualOf(0)
  const k = Float64Array.from({ length: P }, (_, t) => annualOf(1 + t) - a0)
  const named = typeof persistence === "string" ? model.parameters[persistence] : undefined
  if (typeof persistence === "string" && named === undefined)
    throw new ModelError({ path: [...path.slice(0, -1), "persistence"], problem: `"${persistence}" is not a parameter of the model: a persistence is a number in [0, 1] or a parameter's name` })
  // a persistence parameter is clamped to [0, 1] per draw (draws.ts): its central value likewise
  const rho = typeof persistence === "number" ? persistence : Math.min(1, Math.max(0, named!.value))
  const q = ar1Variance(k, rho)
  if (!(q > 0) || !Number.isFinite(q)) throw new ModelError({ path: [...path, "of"], problem: "the error does not move the indicator's annual growth, so no sd can give it the past errors' spread" })
  return q
}
