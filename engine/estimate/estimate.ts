// Estimation of a model's behavioural equations (model `estimate:`), as bimets' ESTIMATE: per
// equation, the left-hand side as written is regressed on the right-hand side's terms in the
// coefficients over the sample, by OLS (ols.ts), with its linear restrictions, and with AR(n)
// errors by iterated Cochrane-Orcutt. The regressors come from the equation itself: with the
// coefficients at 0 the right-hand side is an offset, with coefficient k at 1 and the others
// at 0 it is the offset plus regressor k; an equation that is not linear in its coefficients is
// refused. Series are read from the model's data (endogenous) and from its exogenous series as
// data.ts wrote them out (so trends and extensions count). Returns the fits and the model with
// the estimates as its parameter values (what `project` then runs on). Pure; throws ModelError
// at the `estimate` entry (or the equation) that cannot be estimated.
import { ModelError, type FieldPath } from "../errors.ts"
import type { Model } from "../schema/model.ts"
import { labelOf, periodIndex } from "../compile/calendar.ts"
import { seriesData, valueAt, type SeriesData } from "../compile/data.ts"
import { evaluate, type SeriesReader } from "../compile/evaluate.ts"
import { modelEquations, type ModelEquations } from "../compile/index.ts"
import { parseEquation } from "../compile/parse.ts"
import type { Expr } from "../compile/expr.ts"
import { ols, type OlsFit, type Restrictions } from "./ols.ts"

/** One estimated coefficient. */
export interface Coefficient {
  readonly name: string
  readonly value: number
  readonly standardError: number
  readonly t: number
}

/** The estimate of one behavioural equation. */
export interface EquationEstimate {
  readonly variable: string
  readonly equation: string
  readonly sample: { readonly from: string; readonly to: string }
  readonly observations: number
  readonly coefficients: readonly Coefficient[]
  /** AR(n) error coefficients r1..rn (empty without AR errors). */
  readonly ar: readonly Coefficient[]
  readonly restrictions: readonly string[]
  readonly rSquared: number
  readonly adjustedRSquared: number
  /** Standard error of the regression. */
  readonly ser: number
  readonly ssr: number
  readonly durbinWatson: number
  /** Cochrane-Orcutt iterations (1 without AR errors). */
  readonly iterations: number
  readonly residuals: readonly { readonly period: string; readonly value: number }[]
}

/** A model's estimation: every behavioural equation's fit, and the model with the estimates as parameter values. */
export interface Estimation {
  readonly model: string
  readonly equations: readonly EquationEstimate[]
  readonly estimated: Model
}

const CO_TOLERANCE = 1e-10
const CO_MAX_ITERATIONS = 200

/** Reads series at period index t: endogenous from the data, exogenous as data.ts wrote them out; NaN where missing. */
export const seriesReader = (eqs: ModelEquations, data: SeriesData | undefined): ((t: number) => SeriesReader & { missing?: string }) => {
  const { symbols } = eqs
  const exo = (i: number, t: number): number => {
    if (t >= 0) return symbols.exoValues[i]![t] ?? NaN
    const h = symbols.exoHistory[i]!
    return h[h.length + t] ?? NaN
  }
  return (t: number) => {
    const reader: SeriesReader & { missing?: string } = {
      endo: (j, lag) => {
        const v = data === undefined ? NaN : valueAt(data, symbols.endogenous[j]!, t - lag)
        if (Number.isNaN(v) && reader.missing === undefined) reader.missing = `${symbols.endogenous[j]} in ${labelOf(eqs.model.calendar, t - lag)}`
        return v
      },
      exo: (i, lag) => {
        const v = exo(i, t - lag)
        if (Number.isNaN(v) && reader.missing === undefined) reader.missing = `${symbols.exogenous[i]} in ${labelOf(eqs.model.calendar, t - lag)}`
        return v
      },
    }
    return reader
  }
}

/**
 * Estimates the model's behavioural equations (all of `model.estimate`, or those named).
 * @throws ModelError naming the entry and the problem (a sample outside the data, collinear regressors, ...)
 */
export const estimate = (input: Model, only?: readonly string[]): Estimation => {
  const eqs = modelEquations(input)
  const { model, symbols } = eqs
  const data = seriesData(model)
  const names = only ?? Object.keys(model.estimate)
  if (names.length === 0) throw new ModelError({ path: ["estimate"], problem: "the model marks no behavioural equation to estimate (estimate: { <variable>: { coefficients, sample } })" })
  const read = seriesReader(eqs, data)
  const central = Float64Array.from(symbols.parameters, (p) => model.parameters[p]!.value)
  const values = new Map<string, number>()
  const equations = names.map((name) => {
    const spec = model.estimate[name]
    if (spec === undefined) throw new ModelError({ path: ["estimate", name], problem: `"${name}" is not an equation marked to estimate` })
    const j = symbols.endogenous.indexOf(name)
    if (j < 0) throw new ModelError({ path: ["estimate", name], problem: `"${name}" is not an endogenous variable of the model` })
    const fit = estimateEquation(eqs, j, spec, central, read, data)
    for (const c of [...fit.coefficients, ...fit.ar]) values.set(c.name, c.value)
    return fit
  })
  const parameters = Object.fromEntries(Object.entries(input.parameters).map(([p, v]) => [p, values.has(p) ? { ...v, value: values.get(p)! } : v]))
  return { model: model.name, equations, estimated: { ...input, parameters } }
}

const estimateEquation = (
  eqs: ModelEquations,
  j: number,
  spec: Model["estimate"][string],
  central: Float64Array,
  read: (t: number) => SeriesReader & { missing?: string },
  data: SeriesData | undefined,
): EquationEstimate => {
  const { model, symbols } = eqs
  const name = symbols.endogenous[j]!
  const at = (...p: (string | number)[]): FieldPath => ["estimate", name, ...p]
  const eq = eqs.equations[j]!
  const paramIndex = (p: string, path: FieldPath): number => {
    const i = symbols.parameters.indexOf(p)
    if (i < 0) throw new ModelError({ path, problem: `"${p}" is not a parameter of the model: declare it under parameters` })
    return i
  }
  const coef = spec.coefficients.map((p, i) => paramIndex(p, at("coefficients", i)))
  const from = periodIndex(model.calendar, spec.sample.from)
  const to = periodIndex(model.calendar, spec.sample.to)
  if (from === undefined) throw new ModelError({ path: at("sample", "from"), problem: `"${spec.sample.from}" is not a ${model.calendar.frequency} period` })
  if (to === undefined) throw new ModelError({ path: at("sample", "to"), problem: `"${spec.sample.to}" is not a ${model.calendar.frequency} period` })
  if (to < from) throw new ModelError({ path: at("sample"), problem: `the sample ends (${spec.sample.to}) before it starts (${spec.sample.from})` })
  if (data === undefined) throw new ModelError({ path: at("sample"), problem: "the model has no data to estimate from (data: { file } or { start, series })" })
  const p = eq.ar.length
  const first = from - p
  if (first < data.start || to >= data.start + data.length)
    throw new ModelError({
      path: at("sample"),
      problem: `the sample ${spec.sample.from}..${spec.sample.to}${p > 0 ? ` (with ${p} earlier period(s) for the AR errors)` : ""} lies outside the data (${labelOf(model.calendar, data.start)}..${labelOf(model.calendar, data.start + data.length - 1)})`,
    })

  // offset, regressors and dependent variable over [first, to]
  const n = to - first + 1
  const params = Float64Array.from(central)
  for (const i of [...coef, ...eq.ar]) params[i] = 0
  const value = (e: Expr, t: number): number => {
    const r = read(t)
    const v = evaluate(e, r, params)
    if (!Number.isFinite(v))
      throw new ModelError({
        path: at("sample"),
        problem: r.missing !== undefined ? `${r.missing} is missing from the data (needed by ${name}'s equation in ${labelOf(model.calendar, t)})` : `${name}'s equation is not finite in ${labelOf(model.calendar, t)}`,
      })
    return v
  }
  const offset = new Float64Array(n)
  const y = new Float64Array(n)
  for (let s = 0; s < n; s++) {
    offset[s] = value(eq.rhs, first + s)
    y[s] = value(eq.lhs, first + s) - offset[s]!
  }
  const X = coef.map((ci) => {
    params[ci] = 1
    const col = Float64Array.from({ length: n }, (_, s) => value(eq.rhs, first + s) - offset[s]!)
    params[ci] = 0
    return col
  })
  // linear in the coefficients: rhs at a test point equals offset + X b
  coef.forEach((ci, k) => (params[ci] = 0.37 + 0.11 * k))
  for (let s = 0; s < n; s++) {
    const direct = value(eq.rhs, first + s)
    const linear = offset[s]! + coef.reduce((acc, _, k) => acc + (0.37 + 0.11 * k) * X[k]![s]!, 0)
    if (Math.abs(direct - linear) > 1e-8 * (1 + Math.abs(direct)))
      throw new ModelError({ path: ["equations", name], problem: `the equation is not linear in its coefficients (${spec.coefficients.join(", ")}): OLS cannot estimate it` })
  }
  for (const ci of coef) params[ci] = 0
  const restrictions = linearRestrictions(eqs, name, spec.restrict, coef)
  const constant = X.some((col) => col.every((v) => v === col[0]) && col[0] !== 0)

  // Cochrane-Orcutt: transform by the AR polynomial, refit, re-estimate rho from the untransformed residuals
  const rho = new Float64Array(p)
  let fit: OlsFit | undefined
  let rhoFit: OlsFit | undefined
  let iterations = 0
  const m = to - from + 1
  const fitOnce = (): OlsFit => {
    const ys = Float64Array.from({ length: m }, (_, s) => y[s + p]! - Array.from(rho).reduce((acc, r, i) => acc + r * y[s + p - i - 1]!, 0))
    const Xs = X.map((col) => Float64Array.from({ length: m }, (_, s) => col[s + p]! - Array.from(rho).reduce((acc, r, i) => acc + r * col[s + p - i - 1]!, 0)))
    try {
      return ols(ys, Xs, restrictions, constant)
    } catch (e) {
      if (e instanceof RangeError) throw new ModelError({ path: at(), problem: e.message })
      throw e
    }
  }
  for (;;) {
    iterations++
    fit = fitOnce()
    if (p === 0) break
    const u = Float64Array.from({ length: n }, (_, s) => y[s]! - X.reduce((acc, col, k) => acc + col[s]! * fit!.coefficients[k]!, 0))
    const ut = u.subarray(p)
    const lags = Array.from({ length: p }, (_, i) => Float64Array.from({ length: m }, (_, s) => u[s + p - i - 1]!))
    try {
      rhoFit = ols(Float64Array.from(ut), lags, undefined, false)
    } catch (e) {
      if (e instanceof RangeError) throw new ModelError({ path: at("ar"), problem: `the AR errors cannot be estimated: ${e.message}` })
      throw e
    }
    const change = Array.from(rhoFit.coefficients).reduce((mx, r, i) => Math.max(mx, Math.abs(r - rho[i]!)), 0)
    rho.set(rhoFit.coefficients)
    if (change < CO_TOLERANCE) {
      fit = fitOnce()
      break
    }
    if (iterations >= CO_MAX_ITERATIONS) throw new ModelError({ path: at("ar"), problem: `Cochrane-Orcutt did not converge in ${CO_MAX_ITERATIONS} iterations (last change in rho ${change.toExponential(2)})` })
  }
  const coefficient = (names: readonly string[], f: OlsFit, values: ArrayLike<number>): Coefficient[] =>
    names.map((nm, k) => ({ name: nm, value: values[k]!, standardError: f.standardErrors[k]!, t: f.tStatistics[k]! }))
  return {
    variable: name,
    equation: model.equations[name]!,
    sample: { from: spec.sample.from, to: spec.sample.to },
    observations: fit.observations,
    coefficients: coefficient(spec.coefficients, fit, fit.coefficients),
    ar: rhoFit !== undefined ? coefficient(spec.ar, rhoFit, rho) : [],
    restrictions: spec.restrict,
    rSquared: fit.rSquared,
    adjustedRSquared: fit.adjustedRSquared,
    ser: fit.ser,
    ssr: fit.ssr,
    durbinWatson: fit.durbinWatson,
    iterations,
    residuals: Array.from(fit.residuals, (v, s) => ({ period: labelOf(model.calendar, from + s), value: v })),
  }
}

// "a2 = a3", "b1 + b2 = 1": rows of R b = r over the equation's coefficients.
const linearRestrictions = (eqs: ModelEquations, name: string, texts: readonly string[], coef: readonly number[]): Restrictions | undefined => {
  if (texts.length === 0) return undefined
  const R: number[][] = []
  const r: number[] = []
  const none: SeriesReader = { endo: () => NaN, exo: () => NaN }
  texts.forEach((text, i) => {
    const path = ["estimate", name, "restrict", i]
    const sides = text.split("=")
    if (sides.length !== 2) throw new ModelError({ path, problem: `a restriction is one equation "left = right" in the coefficients, e.g. "a2 = a3"` })
    const g: Expr = { kind: "bin", op: "-", left: parseEquation(sides[0]!, eqs.symbols.scope, path), right: parseEquation(sides[1]!, eqs.symbols.scope, path) }
    let onlyCoefficients = true
    const walkParams = (e: Expr): void => {
      if (e.kind === "param" && !coef.includes(e.index)) onlyCoefficients = false
      if (e.kind === "endo" || e.kind === "exo") onlyCoefficients = false
      if (e.kind === "neg") walkParams(e.arg)
      if (e.kind === "bin") (walkParams(e.left), walkParams(e.right))
      if (e.kind === "call") e.args.forEach(walkParams)
      if (e.kind === "cond") onlyCoefficients = false
    }
    walkParams(g)
    if (!onlyCoefficients) throw new ModelError({ path, problem: `a restriction may use only numbers and the equation's coefficients` })
    const params = new Float64Array(eqs.symbols.parameters.length)
    const g0 = evaluate(g, none, params)
    const row = coef.map((ci) => {
      params[ci] = 1
      const v = evaluate(g, none, params) - g0
      params[ci] = 0
      return v
    })
    coef.forEach((ci, k) => (params[ci] = 0.37 + 0.11 * k))
    const test = evaluate(g, none, params)
    if (Math.abs(test - (g0 + row.reduce((acc, v, k) => acc + v * (0.37 + 0.11 * k), 0))) > 1e-9 * (1 + Math.abs(test)))
      throw new ModelError({ path, problem: "the restriction is not linear in the coefficients" })
    R.push(row)
    r.push(-g0)
  })
  return { R, r }
}
