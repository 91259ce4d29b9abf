// Monte Carlo bands of any endogenous variable (project's `bands` option): per variable and
// period, a linear transform of a drawn variable has the transformed mean, sd and quantiles;
// the mean and sd agree with the drawn distribution; bands are opt-in, refuse unknown names,
// and do not change anything else of the projection.
import { describe, expect, it } from "vitest"
import { compile, emptyState, project, Model } from "../../../engine/index.ts"

const model = Model.parse({
  name: "b",
  calendar: { frequency: "annual", baseYear: 2000, planYear: 2001, horizon: 3 },
  variables: { z: {}, y: {}, k: { history: 1 } },
  parameters: { p: { value: 3, uncertainty: { dist: "normal", sd: 2 } } },
  equations: { z: "p", y: "2 * z + 1", k: "k(-1) + z" },
})

describe("solution bands", () => {
  const compiled = compile(model)
  const run = (bands?: readonly string[] | "all") => project(compiled, emptyState, { draws: 3000, seed: 7, scenario: "s", ...(bands ? { bands } : {}) })
  it("follow a linear transform exactly and the drawn distribution statistically", () => {
    const b = run("all").solution.bands!
    expect(Object.keys(b.variables)).toEqual(["z", "y", "k"])
    expect(b.quantileError).toBe(0)
    for (let t = 0; t < 3; t++) {
      const z = b.variables.z![t]!
      const y = b.variables.y![t]!
      expect(y.mean).toBeCloseTo(2 * z.mean + 1, 10)
      expect(y.sd).toBeCloseTo(2 * z.sd, 10)
      for (const q of ["p05", "p25", "p50", "p75", "p95"] as const) expect(y[q]).toBeCloseTo(2 * z[q] + 1, 10)
      expect(Math.abs(z.mean - 3)).toBeLessThan((4 * 2) / Math.sqrt(3000))
      expect(Math.abs(z.sd - 2)).toBeLessThan(0.15)
      // k accumulates z: k[t] = 1 + (t + 1) z
      expect(b.variables.k![t]!.sd).toBeCloseTo((t + 1) * z.sd, 9)
    }
  })
  it("are opt-in, named variables only, and leave the rest of the projection as it was", () => {
    const plain = run()
    const some = run(["y"])
    expect(plain.solution.bands).toBeUndefined()
    expect(Object.keys(some.solution.bands!.variables)).toEqual(["y"])
    expect({ ...some, solution: { ...some.solution, bands: undefined } }).toEqual({ ...plain, solution: { ...plain.solution, bands: undefined } })
    expect(() => run(["nope"])).toThrowError(expect.objectContaining({ _tag: "OptionError", option: "bands" }))
  })
})
