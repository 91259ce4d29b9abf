// Properties of bands sized from past errors: the resolved sd scales linearly with the errors
// (scaling every past error by c scales the sd by |c|), for per-period and annual errors alike,
// and does not depend on the errors' order or signs.
import { fc, test } from "@fast-check/vitest"
import { expect } from "vitest"
import { compile, decodeModel, rmsOfErrors } from "../../../engine/index.ts"

const errors = fc.array(fc.double({ min: -20, max: 20, noNaN: true }), { minLength: 2, maxLength: 30 })
const scale = fc.double({ min: -50, max: 50, noNaN: true }).filter((c) => Math.abs(c) > 1e-3)

test.prop([errors, scale])("the RMS scales linearly with the errors", (e, c) => {
  const r = rmsOfErrors(e)
  expect(rmsOfErrors(e.map((x) => c * x))).toBeCloseTo(Math.abs(c) * r, 9)
  expect(rmsOfErrors([...e].reverse().map((x) => -x))).toBeCloseTo(r, 12)
})

// Each run compiles two small models: few runs.
test.prop([errors.filter((e) => rmsOfErrors(e) > 1e-6), scale, fc.constantFrom("period", "year"), fc.double({ min: 0, max: 1, noNaN: true })], { numRuns: 12 })(
  "the resolved sd of a model scales linearly with its past errors",
  (e, c, of, persistence) => {
    const sd = (list: number[]): number => {
      const m = decodeModel({
        name: "p",
        calendar: { frequency: "quarterly", baseYear: 2023, planYear: 2024 },
        indicators: [{ id: "g", name: "G", kind: "flow", base: { growth: 5 }, error: { dist: "normal", fromErrors: list, of, source: "s" }, persistence }],
        parameters: { a: { value: 0.4 } },
        equations: { g: "2 + a * g(-1)" },
      })
      return (compile(m).model.indicators[0]!.error as { sd: number }).sd
    }
    const base = sd(e)
    expect(sd(e.map((x) => c * x)) / (Math.abs(c) * base)).toBeCloseTo(1, 9)
  },
)
