// Synthetic models of any size for the scaling bench (bench/scale.ts) and the large-model
// tests: a monthly calendar, recursive chains that read earlier variables and their own lags
// (one to three periods back, one in ten twelve periods back) and, one in five, last period's
// value of a variable defined further on, simultaneous blocks of 2 to 20
// variables (a cycle through the block plus a cross link), a quarter of the equations
// nonlinear (sqrt, log, a logistic ratio, an exponential), exogenous drivers with lags, and every
// equation's intercept and persistence a parameter with a stated uncertainty plus an equation
// error, so a Monte Carlo draws all of them. Coefficients keep every block a contraction and
// every path stable: the values stay near 1 to 10. Deterministic in (size, seed). Pure.
import type { ModelInput } from "../engine/schema/model.ts"

/** A small seeded generator (mulberry32): the same model for the same seed on every machine. */
const generator = (seed: number): (() => number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const round = (x: number): number => Math.round(x * 1000) / 1000

/** What a generated model contains, for reports. */
export interface ScaleModel {
  readonly model: ModelInput
  readonly equations: number
  /** Sizes of its simultaneous blocks. */
  readonly blocks: readonly number[]
  readonly nonlinear: number
}

/**
 * A model of exactly `size` equations (endogenous variables), one indicator (the first
 * variable, a growth rate) and size / 20 exogenous series (at least one).
 */
export const scaleModel = (size: number, seed = 1): ScaleModel => {
  const rnd = generator(seed * 7919 + size)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!
  const names = Array.from({ length: size }, (_, i) => `y${i}`)
  const nx = Math.max(1, Math.floor(size / 20))
  const exogenous: Record<string, { values: number[]; history: number[]; uncertainty: { dist: "normal"; sd: number } }> = {}
  for (let k = 0; k < nx; k++)
    exogenous[`x${k}`] = { values: Array.from({ length: 12 }, (_, t) => round(2 + Math.sin(k + t / 3))), history: [2, 2.1, 2.2], uncertainty: { dist: "normal", sd: 0.1 } }
  const parameters: Record<string, { value: number; uncertainty: { dist: "normal"; sd: number } }> = {}
  const equations: Record<string, string> = {}
  const blocks: number[] = []
  let nonlinear = 0
  // a bounded, smooth term in a current value: nonlinear, derivative at most about 0.5 in size
  const nonlinearTerm = (y: string, w: number): string => {
    switch (Math.floor(rnd() * 4)) {
      case 0:
        return `${w} * sqrt(abs(${y}) + 1)`
      case 1:
        return `${w} * log(abs(${y}) + 2)`
      case 2:
        return `${w} * ${y}^2 / (1 + ${y}^2)`
      default:
        return `${w} * exp(0.1 * ${y}) / 1.5`
    }
  }
  const equation = (i: number, current: readonly string[]): string => {
    const y = names[i]!
    const c = `c${i}`
    const rho = `r${i}`
    parameters[c] = { value: round(0.5 + rnd()), uncertainty: { dist: "normal", sd: 0.05 } }
    parameters[rho] = { value: round(0.2 + 0.2 * rnd()), uncertainty: { dist: "normal", sd: 0.02 } }
    const lag = rnd() < 0.1 ? 12 : 1 + Math.floor(rnd() * 3)
    const terms = [c, `${rho} * ${y}(-${lag})`, `${round(0.05 + 0.1 * rnd())} * x${Math.floor(rnd() * nx)}(-${1 + Math.floor(rnd() * 3)})`]
    // one equation in five reads last period's value of a variable defined further on (feedback through lags)
    if (i < size - 1 && rnd() < 0.2) terms.push(`${round(0.02 + 0.03 * rnd())} * ${names[i + 1 + Math.floor(rnd() * (size - i - 1))]}(-1)`)
    const isNonlinear = current.length > 0 && rnd() < 0.25 / 0.9
    // current-period links: weights summing to at most 0.35, so every block contracts
    current.forEach((z, k) => {
      const w = round((0.3 / current.length) * (0.5 + 0.5 * rnd()))
      if (k === 0 && isNonlinear) terms.push(nonlinearTerm(z, w))
      else terms.push(`${w} * ${z}`)
    })
    if (isNonlinear) nonlinear++
    return terms.join(" + ")
  }
  let i = 0
  while (i < size) {
    const left = size - i
    if (i >= 2 && left >= 2 && rnd() < 0.3) {
      // a simultaneous block of m variables: a cycle through the block plus one cross link
      const m = Math.min(left, 2 + Math.floor(rnd() * 19))
      for (let k = 0; k < m; k++) {
        const links = [names[i + ((k + 1) % m)]!]
        if (m > 2 && rnd() < 0.5) links.push(names[i + Math.floor(rnd() * m)]!)
        if (rnd() < 0.5) links.push(names[Math.floor(rnd() * i)]!)
        equations[names[i + k]!] = equation(i + k, links)
      }
      blocks.push(m)
      i += m
    } else {
      // a recursive equation reading up to two earlier variables
      const links = i === 0 ? [] : Array.from({ length: 1 + Math.floor(rnd() * 2) }, () => pick(names.slice(Math.max(0, i - 50), i)))
      equations[names[i]!] = equation(i, [...new Set(links)])
      i++
    }
  }
  const variables = Object.fromEntries(names.slice(1).map((y) => [y, { history: Array.from({ length: 12 }, () => 2), error: { dist: "normal" as const, sd: 0.05 } }]))
  const model: ModelInput = {
    name: `synthetic-${size}`,
    calendar: { frequency: "monthly", baseYear: 2023, planYear: 2024 },
    indicators: [{ id: "y0", name: "synthetic indicator", kind: "rate", base: { growth: 2 }, history: Array.from({ length: 12 }, () => 2), target: { kind: "atLeast", value: 2 }, error: { dist: "normal", sd: 0.05 } }],
    variables,
    parameters,
    exogenous,
    equations,
  }
  return { model, equations: size, blocks, nonlinear }
}

/**
 * `copies` disjoint copies of the model of size / copies equations (copy k's names end in
 * `_k`; copy 0 keeps its names and the indicator): as large as scaleModel(size), but no
 * equation reads beyond its own copy, so it separates the cost of size alone from that of
 * reads that range over the whole model.
 */
export const copiesModel = (size: number, copies: number): ScaleModel => {
  if (!(Number.isInteger(copies) && copies >= 1 && size % copies === 0 && size / copies >= 2)) throw new RangeError(`copies must divide the size into models of 2 or more: ${copies} of ${size}`)
  const one = scaleModel(size / copies)
  const base = one.model
  const named = (k: number) => (s: string) => (k === 0 ? s : s.replace(/\b([yxcr]\d+)\b/g, `$1_${k}`))
  const each = <V>(r: Record<string, V> | undefined, k: number, value: (v: V) => V = (v) => v) =>
    Object.fromEntries(Object.entries(r ?? {}).map(([n, v]) => [named(k)(n), value(v)]))
  const range = Array.from({ length: copies }, (_, k) => k)
  // the indicator y0 of copy k > 0 becomes a variable like every other
  const firstVariable = base.variables!.y1!
  const model: ModelInput = {
    ...base,
    name: `synthetic-${size}-in-${copies}`,
    variables: Object.assign({}, ...range.map((k) => ({ ...each(base.variables, k), ...(k > 0 ? { [named(k)("y0")]: firstVariable } : {}) }))),
    parameters: Object.assign({}, ...range.map((k) => each(base.parameters, k))),
    exogenous: Object.assign({}, ...range.map((k) => each(base.exogenous, k))),
    equations: Object.assign({}, ...range.map((k) => each(base.equations as Record<string, string>, k, named(k)))),
  }
  return { model, equations: size, blocks: range.flatMap(() => one.blocks), nonlinear: one.nonlinear * copies }
}
