// Large generated models (bench/scale-models.ts: recursive chains, lags up to a year,
// simultaneous blocks of 2 to 20 variables, a quarter of the equations nonlinear) compile into
// several small group functions, some called period by period, and solve to what an
// independent reference gives: every equation evaluated by mathjs, the whole system iterated
// by Gauss-Seidel period after period until nothing moves; and a batch of draws equals the
// draws run one at a time; disjoint copies of a model solve, copy by copy, to its own solution.
import { describe, expect, it } from "vitest"
import { centralInputs, compile, kernelSource, simulateOne } from "../../../engine/compile/index.ts"
import { Model } from "../../../engine/schema/model.ts"
import { copiesModel, scaleModel } from "../../../bench/scale-models.ts"
import { lagsToSymbols } from "../../support/models.ts"

// Period by period, Gauss-Seidel over all equations in file order from last period's values.
const reference = (model: Model): Record<string, number[]> => {
  const endo = [...model.indicators.map((i) => i.id), ...Object.keys(model.variables)]
  const series = new Set([...endo, ...Object.keys(model.exogenous)])
  const code = endo.map((y) => lagsToSymbols(model.equations[y]!, (name) => series.has(name)).compile())
  const history = (name: string): number[] => {
    const h = model.variables[name]?.history ?? model.indicators.find((i) => i.id === name)?.history ?? model.exogenous[name]?.history
    return typeof h === "number" ? Array(12).fill(h) : [...(h ?? [])]
  }
  const past: Record<string, number[]> = Object.fromEntries([...series].map((s) => [s, history(s)]))
  const scope: Record<string, number> = Object.fromEntries(Object.entries(model.parameters).map(([k, p]) => [k, p.value]))
  const out: Record<string, number[]> = Object.fromEntries(endo.map((y) => [y, []]))
  const lagged = [...new Set(Object.values(model.equations).flatMap((text) => [...text.matchAll(/(\w+)\(-(\d+)\)/g)].map((m) => [m[1]!, Number(m[2])] as const)).map((x) => x.join(":")))].map((x) => x.split(":"))
  for (let t = 0; t < 12; t++) {
    for (const [name, v] of Object.entries(model.exogenous)) scope[name] = (v.values as number[])[t]!
    for (const [name, k] of lagged) scope[`${name}__lag_${k}`] = past[name!]!.at(-Number(k))!
    for (const y of endo) scope[y] ??= past[y]!.at(-1) ?? 1
    for (let sweep = 0; ; sweep++) {
      let moved = 0
      endo.forEach((y, j) => {
        const v = code[j]!.evaluate(scope) as number
        moved = Math.max(moved, Math.abs(v - scope[y]!) / (1 + Math.abs(v)))
        scope[y] = v
      })
      if (moved < 1e-14) break
      if (sweep > 500) throw new Error("reference did not converge")
    }
    for (const y of endo) out[y]!.push(scope[y]!)
    for (const s of series) past[s]!.push(scope[s]!)
  }
  return out
}

describe("large generated models", () => {
  const generated = scaleModel(400, 3)
  const model = Model.parse(generated.model)
  const compiled = compile(model)

  it("are cut into several group functions, with simultaneous blocks of many sizes", () => {
    expect(generated.blocks.length).toBeGreaterThan(5)
    expect(Math.max(...generated.blocks)).toBeGreaterThan(10)
    expect(generated.nonlinear).toBeGreaterThan(400 * 0.15)
    const src = kernelSource(model)
    const groups = src.match(/function group\d+/g) ?? []
    expect(groups.length).toBeGreaterThan(3)
    // each group function is small enough for V8's optimising tier
    for (const part of src.split(/"use strict";/).filter((s) => s.includes("function group"))) expect(part.length).toBeLessThan(100_000)
  })

  it("solve to the reference evaluation in every period", () => {
    const r = simulateOne(compiled)
    const ref = reference(model)
    for (const [y, values] of Object.entries(ref)) values.forEach((v, t) => expect(Math.abs(r[y]![t]! - v)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(v))))
  })

  // more draws than the kernel solves side by side (codegen.ts's lanes: at most 8), so batches of lanes follow one another
  it("give each draw of a batch what it gives alone", () => {
    const D = 19
    const T = compiled.periods.length
    const n = compiled.endogenous.length
    const np = compiled.parameters.length
    const nx = compiled.exogenous.length
    const input = centralInputs(compiled, D)
    for (let d = 0; d < D; d++) for (let i = 0; i < np; i++) input.params[d * np + i]! *= 1 + 0.01 * (d - 9)
    for (let i = 0; i < input.addFactors.length; i++) input.addFactors[i] = 0.01 * Math.sin(i)
    for (let i = 0; i < input.exo.length; i++) input.exo[i]! += 0.05 * Math.cos(i)
    const out = new Float64Array(D * T * n)
    compiled.simulate(input, out)
    for (let d = 0; d < D; d++) {
      const one = centralInputs(compiled, 1)
      one.params.set(input.params.subarray(d * np, (d + 1) * np))
      one.addFactors.set(input.addFactors.subarray(d * T * n, (d + 1) * T * n))
      one.exo.set(input.exo.subarray(d * T * nx, (d + 1) * T * nx))
      const single = new Float64Array(T * n)
      compiled.simulate(one, single)
      expect(Array.from(out.subarray(d * T * n, (d + 1) * T * n))).toEqual(Array.from(single))
    }
  })
})

describe("disjoint copies of a generated model (bench/scale-models.ts copiesModel)", () => {
  it("solve, copy by copy, to the one model's own solution", () => {
    const one = compile(Model.parse(scaleModel(30).model))
    const four = compile(Model.parse(copiesModel(120, 4).model))
    expect(four.endogenous).toHaveLength(120)
    const solve = (c: typeof one) => {
      const out = new Float64Array(12 * c.endogenous.length)
      c.simulate(centralInputs(c, 1), out)
      return (name: string, t: number) => out[t * c.endogenous.length + c.endogenous.indexOf(name)]!
    }
    const a = solve(one)
    const b = solve(four)
    for (const name of one.endogenous)
      for (let k = 0; k < 4; k++) for (let t = 0; t < 12; t++) expect(b(k === 0 ? name : `${name}_${k}`, t)).toBe(a(name, t))
  })
})
