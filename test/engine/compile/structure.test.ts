// Unit tests of the block structure (engine/compile/structure.ts): recursive blocks are
// evaluated, a simultaneous block names Newton (one step when linear) with its Gauss-Seidel
// fallback or Gauss-Seidel alone when asked, and a forward-looking model is one stacked block
// of every variable in every period.
import { describe, expect, it } from "vitest"
import { compile } from "../../../engine/compile/index.ts"
import { blockStructure } from "../../../engine/compile/structure.ts"
import { Model } from "../../../engine/schema/model.ts"

const annual = (over: Record<string, unknown>): Model =>
  Model.parse({ name: "m", calendar: { frequency: "annual", baseYear: 2023, planYear: 2024, horizon: 4 }, exogenous: { G: { values: 20 } }, ...over })

describe("blockStructure", () => {
  it("lists the blocks in solution order with their kind, solver and size", () => {
    const s = blockStructure(compile(annual({ parameters: { a: { value: 0.6 } }, equations: { C: "a * Y", Y: "C + G", Z: "2 * Y" } })))
    expect(s).toMatchObject({ model: "m", forwardLooking: false, periods: 4, equations: 3, tolerance: 1e-10 })
    expect(s.blocks.map((b) => [b.block, b.variables.toSorted(), b.simultaneous, b.linear, b.solver, b.size])).toEqual([
      [1, ["C", "Y"], true, true, "newton", 2],
      [2, ["Z"], false, true, "evaluation", 1],
    ])
    expect(s.blocks[0]!.method).toBe("Newton, one exact step (linear); Gauss-Seidel fallback, at most 1000 sweeps")
  })

  it("names a nonlinear block's iteration limit, and Gauss-Seidel when the model asks for it", () => {
    const nonlinear = annual({ equations: { C: "0.5 * sqrt(Y)", Y: "C + G" }, solver: { maxIterations: 50 } })
    expect(blockStructure(compile(nonlinear)).blocks[0]).toMatchObject({ linear: false, solver: "newton", method: "Newton, at most 50 iterations; Gauss-Seidel fallback, at most 1000 sweeps" })
    const gs = blockStructure(compile({ ...nonlinear, solver: { method: "gauss-seidel", tolerance: 1e-8, maxIterations: 200 } }))
    expect(gs.blocks[0]).toMatchObject({ solver: "gauss-seidel", method: "Gauss-Seidel, at most 200 sweeps" })
    expect(gs.tolerance).toBe(1e-8)
  })

  it("reports a forward-looking model as one stacked block over the horizon", () => {
    const s = blockStructure(compile(annual({ equations: { p: "0.9 * p(+1) + G" }, variables: { p: { terminal: 200 } } })))
    expect(s.forwardLooking).toBe(true)
    expect(s.blocks).toHaveLength(1)
    expect(s.blocks[0]).toMatchObject({ variables: ["p"], solver: "stacked-newton", size: 4 })
  })
})
