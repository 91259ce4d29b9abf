// Unit tests of dynamic multipliers: on the tiny linear model they equal the analytic ones
// (impact, interim, full matrix, annual), and on Godley and Lavoie's SIM model the impact
// multiplier of government spending is the textbook 1 / (1 - a1 (1 - theta)).
import { describe, expect, it } from "vitest"
import { multipliers } from "../../../engine/project/multipliers.ts"
import { emptyState } from "../../../engine/scenario/index.ts"
import { OptionError } from "../../../engine/errors.ts"
import { LINEAR, compiled, linearModel } from "./fixtures.ts"

const model = compiled(linearModel())

/** Responses of (y, c) in period s + k to a unit add-factor on `on` in period s, k = 0..3. */
const analytic = (on: "y" | "c") => {
  const { a, b, d } = LINEAR
  const m = 1 / (1 - a * b)
  let dy = on === "y" ? m : a * m
  let dc = on === "y" ? b * m : m
  const y = [dy], c = [dc]
  for (let k = 1; k < 4; k++) {
    dy = a * d * dc * m
    dc = d * dc * m
    y.push(dy)
    c.push(dc)
  }
  return { y, c, r: y.map((x) => 0.2 * x) }
}

describe("multipliers", () => {
  const mult = multipliers(model, emptyState)

  it("shock every endogenous variable and report every response", () => {
    expect(mult.shocks.map((s) => s.variable)).toEqual(["y", "c", "r"])
    expect(mult.periods).toEqual(["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"])
    for (const s of mult.shocks) expect(s.responses.map((r) => r.variable)).toEqual(["y", "c", "r"])
  })

  for (const on of ["y", "c"] as const) {
    it(`equal the analytic multipliers of a linear model (add-factor on ${on})`, () => {
      const expected = analytic(on)
      const shock = mult.shocks.find((s) => s.variable === on)!
      for (const resp of shock.responses) {
        const g = expected[resp.variable as "y" | "c" | "r"]
        for (let t = 0; t < 4; t++) {
          for (let s = 0; s < 4; s++) expect(resp.matrix[t][s]).toBeCloseTo(t >= s ? g[t - s] : 0, 9)
          expect(resp.impact[t]).toBeCloseTo(g[0], 9)
          expect(resp.interim[t]).toBeCloseTo(g.slice(0, t + 1).reduce((x, y) => x + y, 0), 9)
        }
      }
    })
  }

  it("gives annual multipliers as the profile-weighted (flow) or averaged (rate) interim multipliers", () => {
    const g = analytic("y")
    const interim = g.y.map((_, t) => g.y.slice(0, t + 1).reduce((x, y) => x + y, 0))
    const shock = mult.shocks.find((s) => s.variable === "y")!
    expect(shock.responses[0].annual).toBeCloseTo((1 * interim[0] + 2 * interim[1] + 3 * interim[2] + 4 * interim[3]) / 10, 9)
    const rInterim = interim.map((x) => 0.2 * x)
    expect(shock.responses[2].annual).toBeCloseTo(rInterim.reduce((x, y) => x + y, 0) / 4, 9)
  })

  it("shock an exogenous series like an add-factor (z enters y with coefficient 1)", () => {
    const m = multipliers(model, emptyState, { shocks: ["z"], responses: ["y"] })
    expect(m.shocks[0].responses[0].impact[0]).toBeCloseTo(analytic("y").y[0], 9)
  })

  it("refuse unknown variables and a bad step", () => {
    expect(() => multipliers(model, emptyState, { shocks: ["nope"] })).toThrow(OptionError)
    expect(() => multipliers(model, emptyState, { responses: ["z"] })).toThrow(OptionError)
    expect(() => multipliers(model, emptyState, { step: 0 })).toThrow(OptionError)
  })

  it("reproduce SIM's textbook impact multiplier of government spending", () => {
    const sim = compiled({
      name: "sim",
      calendar: { frequency: "annual", baseYear: 1999, planYear: 2000, horizon: 30 },
      variables: { Y: {}, YD: {}, TXs: {}, TXd: {}, Cs: {}, Cd: {}, Gs: {}, Ns: {}, Nd: {}, Hh: { history: 0 }, Hs: { history: 0 } },
      parameters: { a1: { value: 0.6 }, a2: { value: 0.4 }, theta: { value: 0.2 }, W: { value: 1 } },
      exogenous: { Gd: { values: 20 } },
      equations: {
        TXs: "TXd", YD: "W * Ns - TXs", Cd: "a1 * YD + a2 * Hh(-1)", Hh: "YD - Cd + Hh(-1)", Ns: "Nd", Nd: "Y / W",
        Cs: "Cd", Gs: "Gd", Y: "Cs + Gs", TXd: "theta * W * Ns", Hs: "Gs - TXd + Hs(-1)",
      },
    })
    const m = multipliers(sim, emptyState, { shocks: ["Gd"], responses: ["Y"] })
    const y = m.shocks[0].responses[0]
    expect(y.impact[0]).toBeCloseTo(1 / (1 - 0.6 * 0.8), 9)
    // a sustained rise in Gd raises Y toward the long-run multiplier 1 / theta = 5
    expect(y.interim[29]).toBeGreaterThan(4.9)
    expect(y.interim[29]).toBeLessThan(5 + 1e-9)
    expect(y.annual).toBeNull()
  })
})
