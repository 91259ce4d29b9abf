// Unit tests of compile + simulate: exact small sequences for recursive models, add-factors,
// observed (fixed) periods with the decaying surprise, lags into history, simultaneous
// blocks with fixed variables, convergence failures, batch independence and the helpers.
import { describe, expect, it } from "vitest"
import { centralInputs, compile, kernelSource, simulateOne } from "../../../engine/compile/index.ts"
import { ConvergenceError, ModelError } from "../../../engine/errors.ts"
import { Model } from "../../../engine/schema/model.ts"
import { tinyModel } from "../../support/models.ts"

const levels = (over: Record<string, unknown>): Model =>
  Model.parse({ name: "m", calendar: { frequency: "quarterly", baseYear: 2023, planYear: 2024 }, ...over })

describe("compile", () => {
  it("exposes index spaces, periods and blocks", () => {
    const c = compile(tinyModel())
    expect(c.endogenous).toEqual(["gdp", "fai", "construction"])
    expect(c.exogenous).toEqual(["ext"])
    expect(c.parameters).toEqual(["beta"])
    expect(c.periodsPerYear).toBe(12)
    expect(c.periods).toHaveLength(12)
    expect(c.blocks).toEqual([
      { variables: ["construction"], simultaneous: false, linear: true },
      { variables: ["fai"], simultaneous: false, linear: true },
      { variables: ["gdp"], simultaneous: false, linear: true },
    ])
  })
  it("refuses a bad equation with its path and the offending name", () => {
    expect(() => compile(tinyModel({ equations: { gdp: "fai + nonexistent_var_xyz", fai: "1", construction: "2" } }))).toThrowError(
      expect.objectContaining({ _tag: "ModelError", path: ["equations", "gdp"], problem: 'unknown identifier "nonexistent_var_xyz"' }),
    )
    expect(() => compile(tinyModel({ equations: { gdp: "1", fai: "evaluate(1)", construction: "2" } }))).toThrowError(/function "evaluate" is not allowed/)
  })
  it("refuses a lag of an exogenous series without history and one beyond the history", () => {
    const e = (() => {
      try {
        compile(tinyModel({ equations: { gdp: "ext(-1)", fai: "1", construction: "construction(-3)" } }))
      } catch (x) {
        return x as ModelError
      }
    })()!
    expect(e).toBeInstanceOf(ModelError)
    expect(e.path).toEqual(["equations", "gdp"])
    expect(() => compile(tinyModel({ variables: { construction: { history: [1, 2] } }, equations: { gdp: "1", fai: "1", construction: "construction(-3)" } }))).toThrowError(
      /construction\(-3\) is a lag beyond the data: endogenous "construction" has 2 periods of history/,
    )
  })
})

describe("simulate (recursive models)", () => {
  const c = compile(tinyModel())
  it("evaluates equations in dependency order with lags into the history", () => {
    const r = simulateOne(c)
    expect(r.construction).toEqual(Array(12).fill(2))
    // fai = 0.9 fai(-1) + 2 from fai(-1) = -10; gdp = 0.5 fai + 0.5 * 5 + 3
    let fai = -10
    r.fai.forEach((v, t) => {
      fai = 0.9 * fai + 2
      expect(v).toBeCloseTo(fai, 12)
      expect(r.gdp[t]).toBeCloseTo(0.5 * fai + 2.5 + 3, 12)
    })
  })
  it("adds add-factors to the equation and carries them through lags", () => {
    const r = simulateOne(c, { addFactors: { fai: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] } })
    expect(r.fai[0]).toBeCloseTo(-6, 12)
    expect(r.fai[1]).toBeCloseTo(0.9 * -6 + 2, 12)
  })
  it("fixes observed periods and carries the surprise forward times decay^k", () => {
    const r = simulateOne(c, { fixed: { fai: [null, 10] } })
    expect(r.fai[0]).toBeCloseTo(-7, 12)
    expect(r.fai[1]).toBe(10)
    const surprise = 10 - (0.9 * -7 + 2) // 14.3
    expect(r.fai[2]).toBeCloseTo(0.9 * 10 + 2 + surprise * 0.5, 12)
    expect(r.fai[3]).toBeCloseTo(0.9 * r.fai[2]! + 2 + surprise * 0.25, 12)
    expect(r.gdp[1]).toBeCloseTo(0.5 * 10 + 2.5 + 3, 12)
  })
  it("restarts the carry at the latest observed period", () => {
    const r = simulateOne(c, { fixed: { fai: [null, 10, null, 20] } })
    expect(r.fai[2]).toBeCloseTo(0.9 * 10 + 2 + (10 - (0.9 * -7 + 2)) * 0.5, 12)
    expect(r.fai[3]).toBe(20)
    // the new surprise is measured against the equation alone (not the carry still running) and replaces the carry
    expect(r.fai[4]).toBeCloseTo(0.9 * 20 + 2 + (20 - (0.9 * r.fai[2]! + 2)) * 0.5, 12)
  })
  it("measures the surprise net of the add-factor, and decay 0 carries nothing", () => {
    const c0 = compile(tinyModel({ observation: { decay: 0 } }))
    const r = simulateOne(c0, { fixed: { fai: [10] }, addFactors: { fai: 1 } })
    expect(r.fai[0]).toBe(10)
    expect(r.fai[1]).toBeCloseTo(0.9 * 10 + 2 + 1, 12)
    const c1 = compile(tinyModel({ observation: { decay: 1 } }))
    const r1 = simulateOne(c1, { fixed: { fai: [10] }, addFactors: { fai: 1 } })
    const surprise = 10 - (0.9 * -10 + 2) - 1
    expect(r1.fai[5]).toBeCloseTo(0.9 * r1.fai[4]! + 2 + 1 + surprise, 12)
  })
  it("reads lagged exogenous series from their history first", () => {
    const m = levels({
      variables: { y: {} },
      exogenous: { x: { values: [10, 20, 30, 40], history: [1, 2] } },
      equations: { y: "x(-2) + 100 * x" },
    })
    expect(simulateOne(compile(m)).y).toEqual([1 + 1000, 2 + 2000, 10 + 3000, 20 + 4000])
  })
  it("runs draws independently, each with its own parameters", () => {
    const input = centralInputs(c, 3)
    input.params.set([0.1, 0.5, 0.9])
    const out = new Float64Array(3 * 12 * 3)
    c.simulate(input, out)
    for (const [d, beta] of [0.1, 0.5, 0.9].entries()) {
      const r = simulateOne(c, { params: { beta } })
      expect(Array.from({ length: 12 }, (_, t) => out[d * 36 + t * 3 + 0])).toEqual(r.gdp)
    }
  })
  it("refuses arrays of the wrong length", () => {
    const input = centralInputs(c, 2)
    expect(() => c.simulate(input, new Float64Array(5))).toThrowError(RangeError)
    expect(() => c.simulate({ ...input, params: new Float64Array(1) }, new Float64Array(72))).toThrowError(/params has length 1, expected 2/)
  })
})

describe("centralInputs and simulateOne", () => {
  it("fills central parameter and exogenous values per draw and zeros elsewhere", () => {
    const m = tinyModel({ calendar: { frequency: "quarterly", baseYear: 2023, planYear: 2024 }, exogenous: { ext: { values: [1, 2, 3, 4] } }, indicators: [
      { id: "gdp", name: "GDP", kind: "flow", base: { growth: 5 } },
      { id: "fai", name: "FAI", kind: "flow", base: { growth: -10 } },
    ], equations: { gdp: "beta * ext", fai: "1", construction: "2" } })
    const i = centralInputs(compile(m), 2)
    expect(Array.from(i.params)).toEqual([0.5, 0.5])
    expect(Array.from(i.exo)).toEqual([1, 2, 3, 4, 1, 2, 3, 4])
    expect(i.addFactors.every((x) => x === 0)).toBe(true)
    expect(i.fixed.length).toBe(12)
  })
  it("refuses overrides of names the model lacks", () => {
    expect(() => simulateOne(compile(tinyModel()), { params: { nope: 1 } })).toThrowError(ModelError)
  })
  it("refuses an exogenous override that is not one value per period, and pads short add-factors with 0", () => {
    const c = compile(tinyModel())
    expect(() => simulateOne(c, { exogenous: { ext: [1, 2, 3] } })).toThrowError(
      expect.objectContaining({ _tag: "ModelError", path: ["exogenous", "ext"], problem: "3 values for a horizon of 12 periods: give one value per period, or a single number" }),
    )
    expect(simulateOne(c, { addFactors: { fai: [1] } })).toEqual(simulateOne(c, { addFactors: { fai: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] } }))
  })
})

describe("simulate (simultaneous blocks)", () => {
  it("solves a self-loop as a linear block of one", () => {
    const c = compile(levels({ variables: { x: {} }, equations: { x: "0.5 * x + 1" } }))
    expect(c.blocks).toEqual([{ variables: ["x"], simultaneous: true, linear: true }])
    expect(simulateOne(c).x).toEqual([2, 2, 2, 2])
  })
  it("solves a linear block whose coefficients change by period (exogenous) and by lag", () => {
    const m = levels({
      variables: { Y: { history: 10 }, C: {} },
      exogenous: { c1: { values: [0.5, 0.6, 0.7, 0.8] }, G: { values: 20 } },
      equations: { Y: "C + G", C: "c1 * Y + 0.01 * Y(-1) * Y" },
    })
    const c = compile(m)
    expect(c.blocks[0]).toMatchObject({ simultaneous: true, linear: true })
    const r = simulateOne(c)
    let prev = 10
    ;[0.5, 0.6, 0.7, 0.8].forEach((c1, t) => {
      const y = 20 / (1 - c1 - 0.01 * prev)
      expect(r.Y[t]).toBeCloseTo(y, 9)
      prev = y
    })
  })
  it("solves linear blocks both with the inverse in locals (small) and in a scratch array (large)", () => {
    for (const size of [3, 12]) {
      const equations = Object.fromEntries(Array.from({ length: size }, (_, i) => [`x${i}`, `0.3 * x${(i + 1) % size} + a`]))
      const c = compile(levels({ variables: Object.fromEntries(Object.keys(equations).map((k) => [k, {}])), parameters: { a: { value: 1 } }, equations }))
      expect(c.blocks).toHaveLength(1)
      expect(kernelSource(c.model)).toContain(size <= 8 ? "b0m0_0" : "S1[")
      const input = centralInputs(c, 2)
      input.params.set([1, 2])
      const out = new Float64Array(2 * 4 * size)
      c.simulate(input, out)
      for (let d = 0; d < 2; d++) for (let i = 0; i < size; i++) expect(out[d * 4 * size + 3 * size + i]).toBeCloseTo((d + 1) / 0.7, 12)
    }
  })
  it("solves a nonlinear block by Newton and flags it nonlinear", () => {
    const c = compile(levels({ variables: { x: { history: 1 }, y: {} }, equations: { x: "sqrt(y) + 1", y: "x^2 / 4 + 1" } }))
    expect(c.blocks[0]).toMatchObject({ simultaneous: true, linear: false })
    const r = simulateOne(c)
    for (let t = 0; t < 4; t++) {
      expect(r.x[t]).toBeCloseTo(Math.sqrt(r.y[t]!) + 1, 10)
      expect(r.y[t]).toBeCloseTo(r.x[t]! ** 2 / 4 + 1, 10)
    }
  })
  it("solves a block with one variable fixed for the others and records that variable's surprise", () => {
    const m = levels({
      variables: { Y: {}, C: {}, carry: {} },
      parameters: { c1: { value: 0.6 } },
      exogenous: { G: { values: 20 } },
      equations: { Y: "C + G", C: "c1 * Y", carry: "Y" },
      observation: { decay: 0.5 },
    })
    const c = compile(m)
    const free = simulateOne(c)
    expect(free.Y[0]).toBeCloseTo(50, 10)
    const r = simulateOne(c, { fixed: { Y: [60] } })
    expect(r.Y[0]).toBe(60)
    expect(r.C[0]).toBeCloseTo(36, 10)
    // surprise of Y = 60 - (36 + 20) = 4, carried as 2 into period 1: Y = (20 + 2) / 0.4
    expect(r.Y[1]).toBeCloseTo(55, 10)
    expect(r.Y[2]).toBeCloseTo(52.5, 10)
    const gs = simulateOne(compile({ ...m, solver: { method: "gauss-seidel", tolerance: 1e-13, maxIterations: 500 } }), { fixed: { Y: [60] } })
    gs.Y.forEach((y, t) => expect(y).toBeCloseTo(r.Y[t]!, 9))
  })
  it("throws ConvergenceError naming the block, the period, iterations and residual", () => {
    const c = compile(levels({ variables: { x: {} }, equations: { x: "x^2 + 1" } }))
    try {
      simulateOne(c)
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(ConvergenceError)
      const err = e as ConvergenceError
      expect(err.variables).toEqual(["x"])
      expect(err.period).toBe("2024-Q1")
      expect(err.iterations).toBeGreaterThan(0)
      expect(err.residual === Infinity || Number.isNaN(err.residual) || err.residual > 0.1).toBe(true)
    }
  })
  it("falls back to Gauss-Seidel when the Jacobian is singular", () => {
    // the Jacobian of x = abs(x - 1) / 2 + 1 at the start x = 1 is abs(0)/0: not finite, so Newton fails; Gauss-Seidel converges to 1
    const c = compile(levels({ variables: { x: { history: 1 } }, equations: { x: "abs(x - 1) / 2 + 1" } }))
    expect(simulateOne(c).x).toEqual([1, 1, 1, 1])
  })
})

describe("large models", () => {
  it("are cut into several group functions, with the same results", () => {
    const N = 250
    const equations = Object.fromEntries(Array.from({ length: N }, (_, i) => [`v${i}`, i === 0 ? "0.5 * v0(-12) + 1" : `0.3 * v${i - 1} + 0.2 * v${i}(-1) + 1`]))
    const m = levels({ calendar: { frequency: "monthly", baseYear: 2023, planYear: 2024, horizon: 15 }, variables: Object.fromEntries(Object.keys(equations).map((k) => [k, { history: 2 }])), equations })
    expect((kernelSource(m).match(/function group\d+/g) ?? []).length).toBeGreaterThan(1)
    const r = simulateOne(compile(m))
    const prev = Array(N).fill(2)
    const first: number[] = []
    for (let t = 0; t < 15; t++) {
      const now: number[] = []
      for (let i = 0; i < N; i++) now.push(i === 0 ? 0.5 * (t >= 12 ? first[t - 12]! : 2) + 1 : 0.3 * now[i - 1]! + 0.2 * prev[i]! + 1)
      first.push(now[0]!)
      for (let i = 0; i < N; i += 37) expect(r[`v${i}`]![t]).toBeCloseTo(now[i]!, 12)
      prev.splice(0, N, ...now)
    }
  })
})

describe("kernel source", () => {
  const src = kernelSource(tinyModel({ equations: { gdp: "beta * fai^2 + (fai + 1)^2 + fai^0.5", fai: "0.9 * fai(-1) + construction", construction: "2" } }))
  it("expands squares into products and keeps other powers as Math.pow", () => {
    expect(src).toContain("v1 * v1")
    expect(src).toMatch(/q\d+ = \(v1 \+ 1\), q\d+ \* q\d+/)
    expect(src).toContain("Math.pow(v1, 0.5)")
  })
  it("allocates nothing in the loops", () => {
    // every function's body past its declarations: no allocation, closure or nested function
    for (const part of src.split(/return function \w+\(/).slice(1)) expect(part.slice(part.indexOf("{"))).not.toMatch(/\bnew\b|\[\]|=>|function/)
  })
  it("reads parameters once per draw into locals", () => {
    expect(src).toMatch(/p0 = P\[d \* 1 \+ 0\];/)
  })
})

describe("variables defined by their equations", () => {
  it("compiles a model whose equations' left-hand sides are declared nowhere else (the Keynesian cross)", () => {
    const model = Model.parse({
      name: "cross",
      calendar: { frequency: "annual", baseYear: 2000, planYear: 2001, horizon: 2 },
      parameters: { c0: { value: 10 }, c1: { value: 0.8 } },
      exogenous: { G: { values: 20 } },
      equations: { Y: "C + G", C: "c0 + c1 * Y" },
    })
    const c = compile(model)
    expect(Object.keys(c.model.variables).sort()).toEqual(["C", "Y"])
    expect(simulateOne(c).Y[1]).toBeCloseTo(150, 12)
  })
  it("still refuses an indicator left without an equation by a misspelt left-hand side", () => {
    expect(() => compile(tinyModel({ equations: { gdpp: "1", fai: "1", construction: "2" } }))).toThrowError(/"gdp" has no equation/)
  })
})
