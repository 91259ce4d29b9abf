// The per-draw sparse factorisation of small constant linear blocks (engine/compile/solve/block.ts):
// exact on a block that needs fill-in, and handing over to the dense factorisation with
// partial pivoting when a pivot without interchanges would be too small.
import { describe, expect, it } from "vitest"
import { compile, kernelSource, simulateOne } from "../../../../engine/compile/index.ts"
import { Model } from "../../../../engine/schema/model.ts"

const model = (parameters: Record<string, number>, equations: Record<string, string>) =>
  Model.parse({
    name: "block",
    calendar: { frequency: "annual", baseYear: 2023, planYear: 2024, horizon: 3 },
    variables: Object.fromEntries(Object.keys(equations).map((v) => [v, {}])),
    parameters: Object.fromEntries(Object.entries(parameters).map(([k, value]) => [k, { value }])),
    equations,
  })

describe("sparse factorisation of a constant linear block", () => {
  it("solves a cyclic block whose elimination fills in, exactly", () => {
    const m = model({ a: 0.5, b: 0.4, c: 0.3 }, { x: "a * z + 1", y: "b * x + 2", z: "c * y + 3" })
    expect(kernelSource(m)).toMatch(/sp !== 0/)
    const r = simulateOne(compile(m))
    const x = (1 + 0.5 * (2 * 0.3 + 3)) / (1 - 0.5 * 0.4 * 0.3)
    for (let t = 0; t < 3; t++) {
      expect(r.x[t]).toBeCloseTo(x, 12)
      expect(r.y[t]).toBeCloseTo(0.4 * x + 2, 12)
      expect(r.z[t]).toBeCloseTo(0.3 * (0.4 * x + 2) + 3, 12)
    }
  })

  it("hands a block with a small pivot to partial pivoting and still solves it exactly", () => {
    // I - J = [[1, -20], [-20, 1]]: the first pivot is 1/20 of its column, below the threshold
    const m = model({ a: 20, b: 20 }, { x: "a * y + 1", y: "b * x + 2" })
    const r = simulateOne(compile(m))
    const x = (1 + 20 * 2) / (1 - 400)
    expect(r.x[0]).toBeCloseTo(x, 12)
    expect(r.y[0]).toBeCloseTo(20 * x + 2, 11)
  })
})

describe("fallback of a constant linear block", () => {
  it("restarts Gauss-Seidel from the starting point when the sparse step gives non-finite values", () => {
    // the history is the starting point; its residual overflows, so the one step is not finite
    const m = Model.parse({
      name: "block",
      calendar: { frequency: "annual", baseYear: 2023, planYear: 2024, horizon: 2 },
      variables: { x: { history: 1.7e308 }, y: { history: -1.7e308 } },
      parameters: { a: { value: 0.5 }, b: { value: 0.25 } },
      equations: { x: "a * y + 1", y: "b * x + 2" },
    })
    expect(kernelSource(m)).toMatch(/sp !== 0/)
    const r = simulateOne(compile(m))
    const x = (1 + 0.5 * 2) / (1 - 0.125)
    // Gauss-Seidel stops within the model's default tolerance, 1e-10
    expect(r.x[0]).toBeCloseTo(x, 9)
    expect(r.y[0]).toBeCloseTo(0.25 * x + 2, 9)
  })
})
