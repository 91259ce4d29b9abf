// Properties of estimation and targeting on data the model itself generates: OLS recovers the
// coefficients that generated a series exactly (no error term: to rounding), restricted least
// squares satisfies its restriction and recovers coefficients that satisfy it, Cochrane-Orcutt
// recovers the AR(1) coefficient of errors it generated; renorm meets every target of random
// target paths with two instruments.
import fc from "fast-check"
import { describe, expect } from "vitest"
import { it } from "@fast-check/vitest"
import { compile, emptyState, estimate, renorm, simulateOne, Model, type ModelInput } from "../../../engine/index.ts"

const T = 30
const calendar = { frequency: "annual", baseYear: 2000, planYear: 2001, horizon: T } as const
const series = (seed: number, scale: number) => Array.from({ length: T }, (_, t) => scale * (1 + Math.sin(seed + 1.7 * t) + 0.3 * Math.cos(seed * 3 + 0.5 * t * t)))

// generates y from the model, then puts every series into `data` and estimates from it
const generated = (model: ModelInput, names: readonly string[]): Model => {
  const m = Model.parse(model)
  const s = simulateOne(compile(m))
  const exo = Object.fromEntries(Object.entries(m.exogenous).map(([k, x]) => [k, x.values as number[]]))
  const start = String(calendar.planYear)
  return Model.parse({
    ...model,
    data: { start, series: Object.fromEntries(names.map((n) => [n, (s[n] ?? exo[n])!])) },
    exogenous: Object.fromEntries(Object.entries(m.exogenous).map(([k, x]) => [k, { ...x, history: undefined }])),
    variables: Object.fromEntries(Object.entries(m.variables).map(([k, v]) => [k, v])),
  })
}

const coefficient = fc.double({ min: -2, max: 2, noNaN: true }).map((x) => Math.round(x * 1e4) / 1e4)
// a slope the data can identify: away from zero
const slope = fc.double({ min: 0.1, max: 2, noNaN: true }).chain((x) => fc.constantFrom(x, -x)).map((x) => Math.round(x * 1e4) / 1e4)

describe("estimation on model-generated data", () => {
  it.prop([coefficient, slope, fc.double({ min: -0.8, max: 0.8, noNaN: true }), fc.integer({ min: 0, max: 1000 })])(
    "OLS recovers the generating coefficients (a lagged endogenous regressor included)",
    (a, b, c, seed) => {
      const m = generated(
        {
          name: "g",
          calendar,
          variables: { y: { history: 1 } },
          parameters: { a: { value: a }, b: { value: b }, c: { value: c } },
          exogenous: { x: { values: series(seed, 3) } },
          equations: { y: "a + b * x + c * y(-1)" },
          estimate: { y: { coefficients: ["a", "b", "c"], sample: { from: "2002", to: "2030" } } },
        },
        ["y", "x"],
      )
      const start = Model.parse({ ...m, parameters: { a: { value: 0 }, b: { value: 0 }, c: { value: 0 } } })
      const e = estimate(start).equations[0]!
      const got = Object.fromEntries(e.coefficients.map((k) => [k.name, k.value]))
      expect(Math.abs(got.a! - a)).toBeLessThan(1e-7)
      expect(Math.abs(got.b! - b)).toBeLessThan(1e-7)
      expect(Math.abs(got.c! - c)).toBeLessThan(1e-7)
      expect(e.ssr).toBeLessThan(1e-12 * (1 + e.observations))
    },
  )
  it.prop([coefficient, slope, fc.integer({ min: 0, max: 1000 })])("restricted least squares meets its restriction and recovers coefficients that satisfy it", (a, b, seed) => {
    // y = a + b x1 + (1 - b) x2: the restriction b + d = 1 holds in the data
    const m = generated(
      {
        name: "r",
        calendar,
        parameters: { a: { value: a }, b: { value: b }, d: { value: 1 - b } },
        exogenous: { x1: { values: series(seed, 2) }, x2: { values: series(seed + 7, 5) } },
        equations: { y: "a + b * x1 + d * x2" },
        estimate: { y: { coefficients: ["a", "b", "d"], sample: { from: "2002", to: "2030" }, restrict: ["b + d = 1"] } },
      },
      ["y", "x1", "x2"],
    )
    const got = Object.fromEntries(estimate(m).equations[0]!.coefficients.map((k) => [k.name, k.value]))
    expect(Math.abs(got.b! + got.d! - 1)).toBeLessThan(1e-10)
    expect(Math.abs(got.b! - b)).toBeLessThan(1e-7)
    expect(Math.abs(got.a! - a)).toBeLessThan(1e-7)
  })
  it.prop([fc.double({ min: 0.3, max: 0.9, noNaN: true }), coefficient, slope, fc.integer({ min: 0, max: 1000 })], { numRuns: 30 })(
    "Cochrane-Orcutt recovers the coefficients and the AR(1) coefficient of errors u = rho u(-1) the model generates",
    (rho, a, b, seed) => {
      const u = Array.from({ length: T }, (_, t) => 5 * rho ** t)
      const m = generated(
        { name: "ar", calendar, parameters: { a: { value: a }, b: { value: b } }, exogenous: { x: { values: series(seed, 4) }, u: { values: u } }, equations: { y: "a + b * x + u" } },
        ["y", "x"],
      )
      const est = estimate(
        Model.parse({
          ...m,
          variables: { y: { history: 0 } },
          parameters: { a: { value: 0 }, b: { value: 0 }, r: { value: 0 } },
          exogenous: { x: { ...m.exogenous.x!, history: 0 } },
          equations: { y: "a + b * x" },
          estimate: { y: { coefficients: ["a", "b"], sample: { from: "2002", to: "2030" }, ar: ["r"] } },
        }),
      ).equations[0]!
      expect(Math.abs(est.ar[0]!.value - rho)).toBeLessThan(1e-6)
      expect(Math.abs(est.coefficients[0]!.value - a)).toBeLessThan(1e-5)
      expect(Math.abs(est.coefficients[1]!.value - b)).toBeLessThan(1e-6)
    },
  )
})

describe("renorm", () => {
  const model = Model.parse({
    name: "two",
    calendar: { ...calendar, horizon: 4 },
    variables: { y: { history: 100 }, c: { history: 60 } },
    parameters: { a: { value: 10 }, b: { value: 0.6 }, k: { value: 0.2 } },
    exogenous: { g: { values: 20 }, tax: { values: 15 } },
    equations: { y: "c + g + k * y(-1)", c: "a + b * (y - tax)" },
  })
  const compiled = compile(model)
  it.prop([fc.array(fc.double({ min: 80, max: 200, noNaN: true }), { minLength: 4, maxLength: 4 }), fc.array(fc.double({ min: 40, max: 120, noNaN: true }), { minLength: 4, maxLength: 4 })])(
    "meets every target of two target paths with two instruments",
    (ys, cs) => {
      const r = renorm(compiled, emptyState, { periods: compiled.periods, targets: [{ variable: "y", values: ys }, { variable: "c", values: cs }], instruments: ["g", "tax"] })
      for (const t of r.targets) t.reached.forEach((x, s) => expect(Math.abs(x - t.target[s]!)).toBeLessThanOrEqual(1e-10 * (1 + Math.abs(t.target[s]!))))
    },
  )
})
