// Properties of compile + simulate on generated models: any acyclic model compiles into
// recursive blocks only and its simulation equals a naive period-by-period evaluation with
// mathjs in a topological order (with random add-factors); and a batch of draws equals the
// draws run one at a time.
import { fc, test } from "@fast-check/vitest"
import { expect } from "vitest"
import { centralInputs, compile } from "../../../engine/compile/index.ts"
import { acyclicModel, close, evaluateWithLags } from "../../support/models.ts"

test.prop([acyclicModel, fc.integer({ min: 0, max: 2 ** 31 - 1 })], { numRuns: 150 })("acyclic models evaluate in dependency order", ({ model, order }, seed) => {
  const c = compile(model)
  expect(c.blocks.every((b) => !b.simultaneous)).toBe(true)
  const T = c.periods.length
  const n = c.endogenous.length
  const input = centralInputs(c, 1)
  let s = seed
  for (let i = 0; i < input.addFactors.length; i++) {
    s = (s * 1103515245 + 12345) % 2 ** 31
    input.addFactors[i] = Math.round(((s / 2 ** 31) * 2 - 1) * 1000) / 1000
  }
  const out = new Float64Array(T * n)
  c.simulate(input, out)

  const series = new Set([...order, "x0"])
  const values: Record<string, number[]> = Object.fromEntries(order.map((y) => [y, []]))
  const history = (name: string): readonly number[] => (name === "x0" ? (model.exogenous.x0!.history as number[]) : (model.variables[name]!.history as number[]))
  const exo = model.exogenous.x0!.values as number[]
  const params = Object.fromEntries(Object.entries(model.parameters).map(([k, p]) => [k, p.value]))
  for (let t = 0; t < T; t++) {
    const lag = (name: string, k: number): number => {
      if (t - k >= 0) return name === "x0" ? exo[t - k]! : values[name]![t - k]!
      const h = history(name)
      return h[h.length + t - k]!
    }
    for (const y of order) {
      const current = Object.fromEntries(order.filter((z) => values[z]!.length > t).map((z) => [z, values[z]![t]!]))
      const j = c.endogenous.indexOf(y)
      const v = evaluateWithLags(model.equations[y]!, { ...params, ...current, x0: exo[t]! }, lag, series) + input.addFactors[t * n + j]!
      values[y]!.push(v)
      const actual = out[t * n + j]!
      if (!close(actual, v, 1e-9)) expect.fail(`${y} = ${model.equations[y]} at t=${t}: kernel ${actual}, naive ${v}`)
    }
  }
})

test.prop([acyclicModel, fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 3, maxLength: 3 })], { numRuns: 50 })(
  "a batch of draws equals the draws run one by one",
  ({ model }, shifts) => {
    const c = compile(model)
    const D = shifts.length
    const T = c.periods.length
    const n = c.endogenous.length
    const np = c.parameters.length
    const batch = centralInputs(c, D)
    shifts.forEach((sh, d) => {
      for (let i = 0; i < np; i++) batch.params[d * np + i]! += sh
    })
    const out = new Float64Array(D * T * n)
    c.simulate(batch, out)
    shifts.forEach((sh, d) => {
      const one = centralInputs(c, 1)
      for (let i = 0; i < np; i++) one.params[i]! += sh
      const o = new Float64Array(T * n)
      c.simulate(one, o)
      expect(Array.from(out.subarray(d * T * n, (d + 1) * T * n))).toEqual(Array.from(o))
    })
  },
)
