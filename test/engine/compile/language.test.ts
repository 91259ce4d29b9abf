// The model language end to end through compile + simulate: lags of expressions and series
// functions give the values written out by hand, a left-hand side function is solved for its
// variable, and conditionals inside a simultaneous block are solved exactly on both sides of
// the switch (the solution satisfies the equations as written to the solver tolerance).
import { describe, expect, it } from "vitest"
import { compile, simulateOne } from "../../../engine/compile/index.ts"
import { Model } from "../../../engine/schema/model.ts"

const annual = (over: Record<string, unknown>): Model => Model.parse({ name: "m", calendar: { frequency: "annual", baseYear: 2000, planYear: 2001, horizon: 6 }, ...over })

describe("the model language", () => {
  it("lags of expressions and series functions equal the same equations written with lags", () => {
    const x = { values: [1, 4, 2, 8, 5, 7], history: [3, 6, 2] }
    const run = (eq: string, hand: string) => {
      const a = simulateOne(compile(annual({ exogenous: { x }, equations: { y: eq } }))).y!
      const b = simulateOne(compile(annual({ exogenous: { x }, equations: { y: hand } }))).y!
      expect(a).toEqual(b)
      return a
    }
    run("(x + 2 * x(-1))(-1)", "x(-1) + 2 * x(-2)")
    run("tsdelta(x, 2)", "x - x(-2)")
    run("tsdeltap(x)", "100 * ((x - x(-1)) / x(-1))")
    run("tsdeltalog(x)", "log(x) - log(x(-1))")
    expect(run("movavg(x, 3)", "(x + x(-1) + x(-2)) / 3")[0]).toBeCloseTo((1 + 2 + 6) / 3, 14)
    run("movsum(x(-1), 2)", "x(-1) + x(-2)")
  })
  it("a left-hand side function is solved for its variable", () => {
    const m = annual({
      variables: { i: { history: 10 }, k: { history: 100 } },
      exogenous: { g: { values: [1, 2, 3, 4, 5, 6] } },
      equations: { i: "log(i) = 0.5 + 0.1 * g", k: "tsdeltap(k) = 2 + g" },
    })
    const s = simulateOne(compile(m))
    s.i!.forEach((v, t) => expect(Math.log(v)).toBeCloseTo(0.5 + 0.1 * (t + 1), 12))
    let prev = 100
    s.k!.forEach((v, t) => {
      expect((100 * (v - prev)) / prev).toBeCloseTo(2 + (t + 1), 10)
      prev = v
    })
  })
  it("a conditional inside a simultaneous block: Newton is exact on each side of the switch", () => {
    // y = c + g; c = y > 10 ? 0.5 * y + 3 : 0.8 * y (a kink at y = 10): y = 5g for g <= 2, else 2(3 + g)
    const g = [0.5, 1, 2, 2.5, 3, 6]
    const m = annual({ exogenous: { g: { values: g } }, equations: { y: "c + g", c: "y > 10 ? 0.5 * y + 3 : 0.8 * y" } })
    const c = compile(m)
    expect(c.blocks).toEqual([{ variables: ["y", "c"], simultaneous: true, linear: false }])
    const s = simulateOne(c)
    s.y!.forEach((y, t) => {
      const cons = y > 10 ? 0.5 * y + 3 : 0.8 * y
      expect(Math.abs(s.c![t]! - cons)).toBeLessThan(1e-9)
      expect(Math.abs(y - (s.c![t]! + g[t]!))).toBeLessThan(1e-9)
    })
    // both regimes, and the switch point itself
    ;[2.5, 5, 10, 11, 12, 18].forEach((y, t) => expect(s.y![t]).toBeCloseTo(y, 9))
  })
  it("a conditional on lagged values switches the equation period by period", () => {
    const m = annual({ variables: { y: { history: 1 } }, equations: { y: "y(-1) < 4 ? 2 * y(-1) : y(-1) - 3" } })
    expect(simulateOne(compile(m)).y).toEqual([2, 4, 1, 2, 4, 1])
  })
})
