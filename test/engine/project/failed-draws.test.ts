// Monte Carlo draws whose solution fails (here a logarithm of a parameter drawn below zero:
// not finite) are counted in the projection's `failedDraws` and left out: every band and
// probability is that of the other draws, whatever the chunking, with kept draws (the
// ensemble: weight 0) and with bands of variables too; a run where every draw fails is still
// an error. The conditioned paths are in failed-draws-conditioned.test.ts.
import { describe, expect, it } from "vitest"
import { NonFiniteError } from "../../../engine/errors.ts"
import { project, projectEnsemble } from "../../../engine/project/project.ts"
import { emptyState, toInputs } from "../../../engine/scenario/index.ts"
import type { Distribution } from "../../../engine/schema/model.ts"
import { drawnA, failingModel as model } from "./fixtures.ts"

const DRAWS = 2000 // under the sketches' exact size, so quantiles are exact order statistics
const normal: Distribution = { dist: "normal", sd: 1 }

const quantile = (sorted: number[], p: number): number => {
  const h = (sorted.length - 1) * p
  const lo = Math.floor(h)
  return sorted[lo]! + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]!) - sorted[lo]!)
}
const meanOf = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length

describe("failed Monte Carlo draws", () => {
  it("are counted and left out of every band and probability", () => {
    const a = drawnA(5, DRAWS)
    const failed = a.flatMap((x, d) => (x > 0 ? [] : [d]))
    expect(failed.length).toBeGreaterThan(200) // P(a <= 0) is about 16%
    const p = project(model(normal), emptyState, { draws: DRAWS, seed: 5, scenario: "f" })
    expect(p.failedDraws).toMatchObject({ count: failed.length, draws: failed.slice(0, 10) })
    expect(p.failedDraws!.reason).toMatch(/z|not finite|NaN/i)
    const kept = a.filter((x) => x > 0).sort((x, y) => x - y)
    const y = p.indicators[0]!
    expect(y.annual.mean).toBeCloseTo(meanOf(kept), 9)
    for (const [q, at] of [["p05", 0.05], ["p50", 0.5], ["p95", 0.95]] as const) expect(Math.abs(y.annual[q] - quantile(kept, at))).toBeLessThan(1e-3)
    expect(y.probability).toBeCloseTo(kept.filter((x) => x >= 1).length / kept.length, 12)
  })

  it("are the same draws, with the same results, whatever the chunk", () => {
    const a = project(model(normal), emptyState, { draws: DRAWS, seed: 8, scenario: "f" })
    const b = project(model(normal), emptyState, { draws: DRAWS, seed: 8, scenario: "f", chunk: 300 })
    expect(b.failedDraws).toEqual(a.failedDraws)
    expect(b.indicators).toEqual(a.indicators)
  })

  it("is absent when no draw fails", () => {
    expect(project(model(normal, { z: "0" }), emptyState, { draws: 500, seed: 1, scenario: "f" }).failedDraws).toBeUndefined()
  })

  it("are kept with weight 0 in the ensemble, whose projection is project's", () => {
    const c = model(normal)
    const a = drawnA(5, DRAWS)
    const { projection, ensemble } = projectEnsemble(c, toInputs(c, emptyState), { draws: DRAWS, seed: 5, scenario: "f", chunk: 700 })
    expect(projection).toEqual(project(c, emptyState, { draws: DRAWS, seed: 5, scenario: "f" }))
    for (let d = 0; d < DRAWS; d++) {
      if (a[d]! > 0) {
        expect(ensemble.logWeight[d]).toBe(0)
        expect(ensemble.annual[d * 2]).toBe(a[d])
        expect(ensemble.annual[d * 2 + 1]).toBeCloseTo(Math.log(a[d]!), 12)
      } else {
        expect(ensemble.logWeight[d]).toBe(-Infinity)
        expect(ensemble.annual[d * 2]).toBeNaN()
      }
    }
  })

  it("are left out of the bands of variables, which are over the draws that solved", () => {
    const a = drawnA(6, DRAWS)
    const kept = a.filter((x) => x > 0).sort((x, y) => x - y)
    const p = project(model(normal), emptyState, { draws: DRAWS, seed: 6, scenario: "f", bands: ["y", "z"] })
    expect(p.failedDraws!.count).toBe(DRAWS - kept.length)
    const sd = Math.sqrt(kept.reduce((s, x) => s + (x - meanOf(kept)) ** 2, 0) / (kept.length - 1))
    for (const b of p.solution.bands!.variables.y!) {
      expect(b.mean).toBeCloseTo(meanOf(kept), 9)
      expect(b.sd).toBeCloseTo(sd, 9)
      expect(Math.abs(b.p50 - quantile(kept, 0.5))).toBeLessThan(1e-3)
    }
    const logs = kept.map(Math.log)
    for (const b of p.solution.bands!.variables.z!) expect(b.mean).toBeCloseTo(meanOf(logs), 9)
    const chunked = project(model(normal), emptyState, { draws: DRAWS, seed: 6, scenario: "f", bands: ["y", "z"], chunk: 256 })
    expect(chunked.solution.bands).toEqual(p.solution.bands)
    expect(chunked.failedDraws).toEqual(p.failedDraws)
  })

  it("fail the projection when every draw fails, with kept draws and bands too", () => {
    const never = model({ dist: "uniform", min: -3, max: -1 })
    expect(() => project(never, emptyState, { draws: 300, seed: 1, scenario: "f" })).toThrow(NonFiniteError)
    expect(() => project(never, emptyState, { draws: 300, seed: 1, scenario: "f", bands: "all" })).toThrow(NonFiniteError)
    expect(() => projectEnsemble(never, toInputs(never, emptyState), { draws: 300, seed: 1, scenario: "f" })).toThrow(NonFiniteError)
  })
})
