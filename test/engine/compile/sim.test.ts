// Golden test of Godley and Lavoie's SIM model (scenarios/textbook/sim.yaml and
// sim-gd30.yaml): the published first periods from zero stocks, the steady state Y = Gd/theta,
// the redundant equation Hh = Hs in every period, and the Gd = 30 experiment.
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { parse } from "yaml"
import { describe, expect, it } from "vitest"
import { compile, simulateOne } from "../../../engine/compile/index.ts"
import { Model } from "../../../engine/schema/model.ts"

const load = (file: string): Model =>
  Model.parse(parse(readFileSync(fileURLToPath(new URL(`../../../scenarios/textbook/${file}`, import.meta.url)), "utf8")))

describe("SIM (Godley and Lavoie 2007, ch. 3)", () => {
  const sim = load("sim.yaml")

  it("solves the eight current-period equations as one linear block", () => {
    const c = compile(sim)
    const block = c.blocks.find((b) => b.simultaneous)!
    expect([...block.variables].sort()).toEqual(["Cd", "Cs", "Nd", "Ns", "TXd", "TXs", "Y", "YD"])
    expect(block.linear).toBe(true)
    expect(c.blocks.filter((b) => b.simultaneous)).toHaveLength(1)
    expect(c.periods.slice(0, 3)).toEqual(["2000", "2001", "2002"])
  })

  for (const method of ["newton", "gauss-seidel"] as const) {
    it(`reproduces Y = 38.461538, 47.928994, 55.939918 from zero stocks (${method})`, () => {
      const r = simulateOne(compile({ ...sim, solver: { ...sim.solver, method, maxIterations: 200 } }))
      expect(r.Y[0]).toBeCloseTo(38.461538, 6)
      expect(r.Y[1]).toBeCloseTo(47.928994, 6)
      expect(r.Y[2]).toBeCloseTo(55.939918, 6)
      // closed form Y = (Gd + a2 Hh(-1)) / (1 - a1 (1 - theta)) every period
      r.Y.forEach((y, t) => expect(y).toBeCloseTo((20 + 0.4 * (t > 0 ? r.Hh[t - 1]! : 0)) / (1 - 0.6 * 0.8), 9))
    })
  }

  it("keeps Hh = Hs in every period (the redundant equation)", () => {
    const r = simulateOne(compile(sim))
    r.Hh.forEach((h, t) => expect(Math.abs(h - r.Hs[t]!)).toBeLessThan(1e-9))
  })

  it("converges to the steady state Y = Gd / theta = 100, Hh = 80", () => {
    const long = { ...sim, calendar: { ...sim.calendar, horizon: 400 } }
    const r = simulateOne(compile(long))
    expect(r.Y[399]).toBeCloseTo(100, 9)
    expect(r.Hh[399]).toBeCloseTo(80, 9)
    expect(r.YD[399]).toBeCloseTo(80, 9)
  })

  it("raising Gd to 30 from the steady state gives Y = 119.230769, 123.964497, 127.969959 towards 150", () => {
    const r = simulateOne(compile(load("sim-gd30.yaml")))
    expect(r.Y[0]).toBeCloseTo(119.230769, 6)
    expect(r.Y[1]).toBeCloseTo(123.964497, 6)
    expect(r.Y[2]).toBeCloseTo(127.969959, 6)
    expect(r.Y[59]).toBeGreaterThan(149.9)
    expect(r.Y[59]).toBeLessThan(150)
  })

  it("gives the same experiment as an exogenous override of sim.yaml's steady state", () => {
    const steady = { ...sim, variables: { ...sim.variables, Hh: { history: 80 }, Hs: { history: 80 } } }
    const r = simulateOne(compile(steady), { exogenous: { Gd: 30 } })
    expect(r.Y[0]).toBeCloseTo(119.230769, 6)
    const base = simulateOne(compile(steady))
    base.Y.forEach((y) => expect(y).toBeCloseTo(100, 9))
  })
})
