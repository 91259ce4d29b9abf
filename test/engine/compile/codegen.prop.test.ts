// Property: a compiled kernel computes exactly what mathjs computes for the same equation
// text (relative 1e-12; where mathjs's result is not a real number the kernel gives NaN), for
// random expressions over parameters, exogenous values and lags, in the history periods and
// after them.
import { fc, test } from "@fast-check/vitest"
import { expect } from "vitest"
import { compile, simulateOne } from "../../../engine/compile/index.ts"
import { Model } from "../../../engine/schema/model.ts"
import { close, evaluateWithLags, expression, plainNumber } from "../../support/models.ts"

const value = plainNumber(-5, 5)

test.prop([expression({ symbols: ["p0", "p1", "p2", "x0"], lagged: ["h", "x0"], maxLag: 2 }, 5), fc.tuple(value, value, value), fc.tuple(value, value, value), fc.tuple(value, value)], {
  numRuns: 300,
})("kernel = math.evaluate on random expressions", (text, params, x0, hist) => {
  const model = Model.parse({
    name: "expr",
    calendar: { frequency: "annual", baseYear: 2023, planYear: 2024, horizon: 3 },
    variables: { y: {}, h: { history: hist } },
    parameters: { p0: { value: params[0] }, p1: { value: params[1] }, p2: { value: params[2] } },
    exogenous: { x0: { values: x0, history: [0.25, 0.5] } },
    equations: { y: text, h: "0" },
  })
  const r = simulateOne(compile(model))
  for (const t of [0, 1, 2]) {
    const lag = (name: string, k: number): number => (name === "h" ? (t - k >= 0 ? 0 : hist[hist.length + t - k]!) : t - k >= 0 ? x0[t - k]! : [0.25, 0.5][2 + t - k]!)
    const expected = evaluateWithLags(text, { p0: params[0], p1: params[1], p2: params[2], x0: x0[t]! }, lag, new Set(["h", "x0"]))
    const actual = r.y[t]!
    if (!close(actual, expected)) expect.fail(`${text} at t=${t}: kernel ${actual}, mathjs ${expected}`)
  }
})
