// Failed Monte Carlo draws on the conditioned paths: with releases, a draw whose solution fails
// (y = a, z = log(a), a ~ N(1, 1): exactly the draws with a <= 0) gets weight 0 and is counted
// in `failedDraws`, by each way of conditioning (the closed form, and resample-move for a model
// not affine in its errors); the weights, the effective sample size and every share are over
// the draws that solved, computed here from the drawn values of a; the backtest's steps, which
// keep their draws, are `project` of their prefixes; a run where every draw fails still fails.
import { describe, expect, it } from "vitest"
import { NonFiniteError } from "../../../engine/errors.ts"
import { backtest } from "../../../engine/project/backtest.ts"
import { project } from "../../../engine/project/project.ts"
import { asOf, fold, type ScenarioState } from "../../../engine/scenario/index.ts"
import type { CompiledModel } from "../../../engine/compile/index.ts"
import type { Distribution } from "../../../engine/schema/model.ts"
import type { ScenarioEvent } from "../../../engine/schema/scenario.ts"
import { drawnA, failingModel } from "./fixtures.ts"

const DRAWS = 2000
const normal: Distribution = { dist: "normal", sd: 1 }
const RELEASE = 1.3

const release = (sd: number): ScenarioEvent[] => [{ id: "r1", type: "observe", indicator: "y", through: "2024-03", ytd: RELEASE, sd }]
const released = (c: CompiledModel, sd: number, events: ScenarioEvent[] = release(sd)): ScenarioState => {
  const r = fold(c, events)
  expect(r.rejected).toEqual([])
  return r.state
}

/** The weighted summary of y = a and z = log(a) over the draws with a > 0, each weighted by N(RELEASE; a, sd^2). */
const weighted = (a: readonly number[], sd: number) => {
  const kept = a.filter((x) => x > 0)
  const w = kept.map((x) => Math.exp(-0.5 * ((RELEASE - x) / sd) ** 2))
  const W = w.reduce((s, x) => s + x, 0)
  const mean = (f: (x: number) => number) => kept.reduce((s, x, k) => s + w[k]! * f(x), 0) / W
  return {
    failed: a.flatMap((x, d) => (x > 0 ? [] : [d])),
    y: mean((x) => x),
    z: mean(Math.log),
    met: mean((x) => (x >= 1 ? 1 : 0)),
    ess: (W * W) / w.reduce((s, x) => s + x * x, 0),
  }
}

describe("failed draws conditioned on releases", () => {
  it("get weight 0 in the closed form: weights, ESS and shares over the draws that solved", () => {
    const c = failingModel(normal)
    const state = released(c, 0.5)
    const p = project(c, state, { draws: DRAWS, seed: 11, scenario: "f" })
    const exact = weighted(drawnA(11, DRAWS), 0.5)
    expect(p.evidence?.method).toBe("kalman")
    expect(exact.failed.length).toBeGreaterThan(200)
    expect(p.failedDraws).toMatchObject({ count: exact.failed.length, draws: exact.failed.slice(0, 10) })
    expect(p.failedDraws!.reason).toMatch(/equation of z gives NaN.*\(draw \d+\)/)
    expect(p.evidence!.ess).toBeCloseTo(exact.ess, 6)
    expect(p.indicators[0]!.annual.mean).toBeCloseTo(exact.y, 9)
    expect(p.indicators[1]!.annual.mean).toBeCloseTo(exact.z, 9)
    expect(p.indicators[0]!.probability).toBeCloseTo(exact.met, 9)
    expect(p.posterior![0]!.posterior.mean).toBeCloseTo(exact.y, 9)
    const chunked = project(c, state, { draws: DRAWS, seed: 11, scenario: "f", chunk: 333 })
    expect(chunked.failedDraws).toEqual(p.failedDraws)
    expect(chunked.indicators).toEqual(p.indicators)
    expect(chunked.evidence).toEqual(p.evidence)
  })

  it("get weight 0 from the start with resample-move, and stay out when no resampling happens", () => {
    const c = failingModel(normal, { nonlinear: true })
    const p = project(c, released(c, 50), { draws: DRAWS, seed: 12, scenario: "f" })
    // a release of sd 50 hardly moves the weights: no resampling, so draw d is particle d throughout
    const exact = weighted(drawnA(12, DRAWS, { events: release(50) }), 50)
    expect(p.evidence).toMatchObject({ method: "resample-move", resamplings: 0 })
    expect(p.failedDraws).toMatchObject({ count: exact.failed.length, draws: exact.failed.slice(0, 10) })
    expect(p.evidence!.ess).toBeCloseTo(exact.ess, 6)
    expect(p.indicators[0]!.annual.mean).toBeCloseTo(exact.y, 9)
    expect(p.indicators[1]!.annual.mean).toBeCloseTo(exact.z, 9)
    expect(p.indicators[0]!.probability).toBeCloseTo(exact.met, 9)
  })

  it("are dropped by resampling, and moves that would fail are refused", () => {
    const c = failingModel(normal, { nonlinear: true })
    const state = released(c, 0.1)
    const p = project(c, state, { draws: DRAWS, seed: 13, scenario: "f" })
    expect(p.evidence!.method).toBe("resample-move")
    expect(p.evidence!.resamplings).toBeGreaterThan(0)
    expect(p.failedDraws!.count).toBe(weighted(drawnA(13, DRAWS, { events: release(50) }), 0.1).failed.length)
    // the posterior of a: N(1, 1) times N(1.3; a, 0.1^2), its mass below 0 negligible
    const mean = (1 + RELEASE * 100) / 101
    const sd = Math.sqrt(1 / 101)
    expect(Math.abs(p.indicators[0]!.annual.mean - mean)).toBeLessThan((5 * sd) / Math.sqrt(p.evidence!.ess))
    // every particle left solved: z = log(a) is finite in every band
    for (const q of ["p05", "p50", "p95"] as const) expect(Number.isFinite(p.indicators[1]!.annual[q])).toBe(true)
    const chunked = project(c, state, { draws: DRAWS, seed: 13, scenario: "f", chunk: 450 })
    expect(chunked.failedDraws).toEqual(p.failedDraws)
    expect(chunked.indicators).toEqual(p.indicators)
  })

  it("fail the projection when every draw fails, by either method", () => {
    for (const nonlinear of [false, true]) {
      const c = failingModel({ dist: "uniform", min: -3, max: -1 }, { nonlinear })
      expect(() => project(c, released(c, 0.5), { draws: 300, seed: 1, scenario: "f" })).toThrow(NonFiniteError)
    }
  })

  it("leave the backtest's steps equal to project of their prefixes, scored over the draws that solved", () => {
    for (const nonlinear of [false, true]) {
      const c = failingModel(normal, { nonlinear })
      const state = released(c, 0.5, [
        { id: "r1", type: "observe", indicator: "y", through: "2024-01", ytd: 1.2 },
        { id: "r2", type: "observe", indicator: "y", through: "2024-02", ytd: 1.25 },
      ])
      const b = backtest(c, state, { y: { value: 1.25 }, z: { value: 0.2 } }, { draws: 500, seed: 4, scenario: "f" })
      expect(b.steps).toHaveLength(2)
      for (const step of b.steps) {
        const p = project(c, asOf(state, step.asOf.count), { draws: 500, seed: 4, scenario: "f" })
        expect(p.failedDraws!.count).toBeGreaterThan(30)
        expect(step.failedDraws).toEqual(p.failedDraws)
        step.indicators.forEach((s, k) => {
          const annual = p.indicators[k]!.annual
          expect([s.p05, s.p25, s.p50, s.p75, s.p95]).toEqual([annual.p05, annual.p25, annual.p50, annual.p75, annual.p95])
          expect(Number.isFinite(s.crps) && s.pit >= 0 && s.pit <= 1).toBe(true)
        })
        expect(step.indicators[0]!.probability).toBe(p.indicators[0]!.probability)
      }
    }
  })
})
