// Tests of engine/batch/grid.ts and plan.ts: grid axes parsed from `--grid` text (good and
// bad), the cartesian product's order and labels, the plan's option checks and job order.
import { describe, expect, it } from "vitest"
import { checkGridIds, gridPoint, MAX_GRID_POINTS, parseGrid, parseGridAxis } from "../../../engine/batch/grid.ts"
import { jobAt, jobCount, planBatch } from "../../../engine/batch/plan.ts"

const optionProblem = (f: () => unknown): { tag: string; option: string; problem: string } => {
  try {
    f()
  } catch (e) {
    const x = e as { _tag: string; option: string; problem: string }
    return { tag: x._tag, option: x.option, problem: x.problem }
  }
  throw new Error("expected an OptionError")
}

describe("parseGridAxis", () => {
  it("expands a range, both ends included", () => {
    expect(parseGridAxis("fai=-15:15:5")).toMatchObject({ id: "fai", values: [-15, -10, -5, 0, 5, 10, 15] })
  })
  it("gives the decimals a reader expects", () => {
    expect(parseGridAxis("gdp=0:1:0.1").values).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1])
  })
  it("stops before a `to` the steps do not land on", () => {
    expect(parseGridAxis("x=0:10:4").values).toEqual([0, 4, 8])
  })
  it("takes a single value and an explicit list", () => {
    expect(parseGridAxis("fai=2").values).toEqual([2])
    expect(parseGridAxis("fai=-1,2.5,1e1").values).toEqual([-1, 2.5, 10])
  })
  it("allows from = to", () => {
    expect(parseGridAxis("fai=3:3:1").values).toEqual([3])
  })
  it.each([
    ["fai=1:0:1", /from \(1\) must be <= to \(0\)/],
    ["fai=0:1:0", /step must be > 0/],
    ["fai=0:1:-1", /step must be > 0/],
    ["fai=a:1:1", /from "a" is not a number/],
    ["fai=0:1", /three numbers/],
    ["fai=0:1:1:2", /three numbers/],
    ["fai", /expected ID=from:to:step/],
    ["=0:1:1", /is not a variable id/],
    ["1x=0:1:1", /is not a variable id/],
    ["fai=", /no values/],
    ["fai=0:Infinity:1", /is not a number/],
    ["fai=0:1e400:1", /not a finite number/],
    ["fai=1,1", /listed twice/],
    ["fai=0:2000000:1", /more than the 1,000,000 points/],
  ])("refuses %s", (spec, message) => {
    const e = optionProblem(() => parseGridAxis(spec))
    expect(e.tag).toBe("OptionError")
    expect(e.option).toBe("--grid")
    expect(e.problem).toMatch(message)
  })
})

describe("parseGrid and gridPoint", () => {
  it("is the cartesian product, last axis fastest, with labels", () => {
    const grid = parseGrid(["fai=-15:15:15", "industry_va=0:2:2"])
    expect(grid.size).toBe(6)
    const labels = Array.from({ length: grid.size }, (_, i) => gridPoint(grid, i).label)
    expect(labels).toEqual([
      "fai=-15;industry_va=0",
      "fai=-15;industry_va=2",
      "fai=0;industry_va=0",
      "fai=0;industry_va=2",
      "fai=15;industry_va=0",
      "fai=15;industry_va=2",
    ])
    expect(gridPoint(grid, 3).shocks).toEqual([
      { id: "fai", value: 0 },
      { id: "industry_va", value: 2 },
    ])
  })
  it("has one empty point without grids", () => {
    const grid = parseGrid([])
    expect(grid.size).toBe(1)
    expect(gridPoint(grid, 0)).toEqual({ index: 0, shocks: [], label: "" })
  })
  it("refuses the same id twice", () => {
    expect(optionProblem(() => parseGrid(["fai=0:1:1", "fai=2"])).problem).toMatch(/more than one --grid/)
  })
  it("refuses a product over the limit without building it", () => {
    const e = optionProblem(() => parseGrid(["a=1:1000:1", "b=1:1000:1", "c=1:2:1"]))
    expect(e.problem).toMatch(/more than 1,000,000 points/)
    expect(parseGrid(["a=1:1000:1", "b=1:1000:1"]).size).toBe(MAX_GRID_POINTS)
  })
  it("refuses ids the model does not have", () => {
    const grid = parseGrid(["fai=0:1:1", "nonexistent=0"])
    expect(() => checkGridIds(grid, ["fai", "gdp"], "m")).toThrow(/unknown id "nonexistent"/)
    expect(() => checkGridIds(parseGrid(["fai=0"]), ["fai", "gdp"], "m")).not.toThrow()
  })
  it("refuses a point outside the grid", () => {
    expect(() => gridPoint(parseGrid(["fai=0:1:1"]), 2)).toThrow(RangeError)
  })
})

describe("planBatch", () => {
  it("orders jobs scenario-major, then grid point", () => {
    const plan = planBatch({ scenarios: ["a.yaml", "b.yaml"], grids: ["fai=0:2:1"], draws: 10, seed: 3 })
    expect(jobCount(plan)).toBe(6)
    expect([0, 1, 2, 3, 4, 5].map((k) => [jobAt(plan, k).scenario, jobAt(plan, k).point.label])).toEqual([
      [0, "fai=0"],
      [0, "fai=1"],
      [0, "fai=2"],
      [1, "fai=0"],
      [1, "fai=1"],
      [1, "fai=2"],
    ])
    expect(plan).toMatchObject({ draws: 10, seed: 3 })
    expect(() => jobAt(plan, 6)).toThrow(RangeError)
    expect(() => jobAt(plan, -1)).toThrow(RangeError)
  })
  it("defaults to the deterministic projection with seed 1", () => {
    expect(planBatch({ scenarios: ["a.yaml"] })).toMatchObject({ draws: 0, seed: 1 })
  })
  it.each([
    [{ draws: -1 }, "--draws", /whole number >= 0/],
    [{ draws: 1.5 }, "--draws", /whole number >= 0/],
    [{ draws: 1e9 }, "--draws", /more than the 10,000,000 draws/],
    [{ seed: 0.5 }, "--seed", /whole number/],
    [{ seed: 2 ** 60 }, "--seed", /\|seed\| < 2\^53/],
  ])("refuses %o", (opts, option, message) => {
    const e = optionProblem(() => planBatch({ scenarios: ["a.yaml"], ...opts }))
    expect(e.option).toBe(option)
    expect(e.problem).toMatch(message)
  })
  it("refuses no scenario, and scenarios times points over the limit", () => {
    expect(optionProblem(() => planBatch({ scenarios: [] })).problem).toMatch(/at least one scenario/)
    expect(optionProblem(() => planBatch({ scenarios: ["a", "b"], grids: ["a=1:1000:1", "b=1:1000:1"] })).problem).toMatch(/make more than/)
  })
})
