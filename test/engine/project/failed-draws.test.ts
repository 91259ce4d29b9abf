// Monte Carlo draws whose solution fails (here a logarithm of a parameter drawn below zero:
// not finite) are counted in the projection's `failedDraws` and left out: every band and
// probability is that of the other draws, whatever the chunking; a run where every draw fails
// is still an error, and so is one that keeps its draws.
import { describe, expect, it } from "vitest"
import { compile } from "../../../engine/compile/index.ts"
import { NonFiniteError } from "../../../engine/errors.ts"
import { project, projectEnsemble } from "../../../engine/project/project.ts"
import { emptyState, toInputs } from "../../../engine/scenario/index.ts"
import { Model } from "../../../engine/schema/model.ts"
import type { Distribution } from "../../../engine/schema/model.ts"

const model = (uncertainty: Distribution, z = "log(a)") =>
  compile(
    Model.parse({
      name: "fails",
      calendar: { frequency: "monthly", baseYear: 2023, planYear: 2024 },
      indicators: [
        { id: "y", name: "y", kind: "rate", base: { growth: 1 }, target: { kind: "atLeast", value: 1 } },
        { id: "z", name: "z", kind: "rate", base: { growth: 0 } },
      ],
      parameters: { a: { value: 1, uncertainty } },
      equations: { y: "a", z },
    }),
  )
const DRAWS = 2000 // under the sketches' exact size, so quantiles are exact order statistics
const normal: Distribution = { dist: "normal", sd: 1 }

/** The drawn values of `a`, draw by draw: the same model without the logarithm (same seed, same source). */
const drawnA = (seed: number): number[] => {
  const c = model(normal, "0")
  const { ensemble } = projectEnsemble(c, toInputs(c, emptyState), { draws: DRAWS, seed, scenario: "a" })
  return Array.from({ length: DRAWS }, (_, d) => ensemble.annual[d * 2]!)
}

const quantile = (sorted: number[], p: number): number => {
  const h = (sorted.length - 1) * p
  const lo = Math.floor(h)
  return sorted[lo]! + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]!) - sorted[lo]!)
}

describe("failed Monte Carlo draws", () => {
  it("are counted and left out of every band and probability", () => {
    const a = drawnA(5)
    const failed = a.flatMap((x, d) => (x > 0 ? [] : [d]))
    expect(failed.length).toBeGreaterThan(200) // P(a <= 0) is about 16%
    const p = project(model(normal), emptyState, { draws: DRAWS, seed: 5, scenario: "f" })
    expect(p.failedDraws).toMatchObject({ count: failed.length, draws: failed.slice(0, 10) })
    expect(p.failedDraws!.reason).toMatch(/z|not finite|NaN/i)
    const kept = a.filter((x) => x > 0).sort((x, y) => x - y)
    const y = p.indicators[0]!
    expect(y.annual.mean).toBeCloseTo(kept.reduce((s, x) => s + x, 0) / kept.length, 9)
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
    expect(project(model(normal, "0"), emptyState, { draws: 500, seed: 1, scenario: "f" }).failedDraws).toBeUndefined()
  })

  it("fail the projection when every draw fails, or when the draws are kept", () => {
    const never = model({ dist: "uniform", min: -3, max: -1 })
    expect(() => project(never, emptyState, { draws: 300, seed: 1, scenario: "f" })).toThrow(NonFiniteError)
    const c = model(normal)
    expect(() => projectEnsemble(c, toInputs(c, emptyState), { draws: DRAWS, seed: 5, scenario: "f" })).toThrow(NonFiniteError)
  })
})
