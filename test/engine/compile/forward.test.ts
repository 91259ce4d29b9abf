// The forward-looking solver (forward.ts, solve/stacked.ts): the present-value asset-price model
// (scenarios/textbook/asset-price.yaml) against its closed form in every period; a lead past
// the horizon without terminal values refused with its reason; leads whose coefficient is a
// literal 0 give the backward solution bit for bit, and a coefficient that is a parameter set
// to 0 gives it to the solver tolerance (properties over random coefficients and shocks).
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { parse } from "yaml"
import fc from "fast-check"
import { describe, expect } from "vitest"
import { it } from "@fast-check/vitest"
import { compile, simulateOne } from "../../../engine/compile/index.ts"
import { Model } from "../../../engine/schema/model.ts"

const asset = Model.parse(parse(readFileSync(fileURLToPath(new URL("../../../scenarios/textbook/asset-price.yaml", import.meta.url)), "utf8")))

describe("stacked-time solution of a forward-looking model", () => {
  it("reproduces the present-value closed form p = 20 + 0.8^t / 0.25 in all 40 periods", () => {
    const s = simulateOne(compile(asset))
    s.p!.forEach((p, t) => expect(Math.abs(p - (20 + 0.8 ** t / 0.25))).toBeLessThan(1e-10))
  })
  it("answers a change of the required return as the closed form does (terminal value moved with it)", () => {
    const r = 0.1
    const m = Model.parse({ ...asset, parameters: { ...asset.parameters, r: { value: r } }, variables: { ...asset.variables, p: { terminal: 10 + 0.8 ** 40 / (1 + r - 0.8) } } })
    simulateOne(compile(m)).p!.forEach((p, t) => expect(Math.abs(p - (10 + 0.8 ** t / (1 + r - 0.8)))).toBeLessThan(1e-10))
  })
  it("refuses a lead past the horizon without terminal values, naming the variable and how many are needed", () => {
    const m = Model.parse({ ...asset, variables: { d: asset.variables.d! }, equations: { ...asset.equations, p: "(d + p(+2)) / (1 + r)" } })
    expect(() => compile(m)).toThrowError(expect.objectContaining({ _tag: "ModelError", path: ["equations", "p"], problem: expect.stringMatching(/p\(\+2\) reads 2 period\(s\) past the horizon: give variables\.p\.terminal/) }))
  })
})

// a backward model with a simultaneous block and lags, and the same with lead terms added
const backward = (a: number, b: number, g: readonly number[]) => ({
  name: "b",
  calendar: { frequency: "annual", baseYear: 2000, planYear: 2001, horizon: 6 },
  variables: { y: { history: 10, terminal: 10 }, c: { history: 6 } },
  parameters: { a: { value: a }, b: { value: b }, z: { value: 0 } },
  exogenous: { g: { values: [...g] } },
  equations: { y: "c + g", c: "a + b * y + 0.1 * c(-1)" },
})
const coefficients = fc.tuple(fc.double({ min: 0, max: 5, noNaN: true }), fc.double({ min: 0.1, max: 0.8, noNaN: true }), fc.array(fc.double({ min: 1, max: 30, noNaN: true }), { minLength: 6, maxLength: 6 }))

describe("leads with zero coefficients", () => {
  it.prop([coefficients])("a literal 0 gives the backward solution bit for bit", ([a, b, g]) => {
    const m = backward(a, b, g)
    const plain = simulateOne(compile(Model.parse(m)))
    const led = simulateOne(compile(Model.parse({ ...m, equations: { y: "c + g + 0 * y(+1)", c: "a + b * y + 0.1 * c(-1) - 0 * (y + c)(+1)" } })))
    expect(led).toEqual(plain)
  })
  it.prop([coefficients])("a parameter set to 0 gives it to the solver tolerance (solved by stacked time)", ([a, b, g]) => {
    const m = backward(a, b, g)
    const plain = simulateOne(compile(Model.parse(m)))
    const compiled = compile(Model.parse({ ...m, equations: { y: "c + g + z * y(+1)", c: "a + b * y + 0.1 * c(-1)" } }))
    expect(compiled.blocks).toEqual([{ variables: ["y", "c"], simultaneous: true, linear: false }])
    const led = simulateOne(compiled)
    for (const v of ["y", "c"]) led[v]!.forEach((x, t) => expect(Math.abs(x - plain[v]![t]!)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(x))))
  })
})
