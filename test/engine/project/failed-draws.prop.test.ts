// Property of failed Monte Carlo draws (engine/project/failures.ts) on every path: which draws
// fail, and every figure of the projection, do not depend on the chunk size, unconditioned,
// with bands, and conditioned on a release by the closed form or by resample-move; the draws
// that fail are exactly those whose parameter a was drawn at or below zero, whether the
// failure is a value that is not finite (z = log(a)) or a block that does not converge
// (z = z / 2 + log(a), simultaneous).
import { fc, test } from "@fast-check/vitest"
import { describe, expect } from "vitest"
import { project, type ProjectOptions } from "../../../engine/project/project.ts"
import { emptyState, stateOfLog } from "../../../engine/scenario/index.ts"
import type { ScenarioEvent } from "../../../engine/schema/scenario.ts"
import { drawnA, failingModel } from "./fixtures.ts"

const release: ScenarioEvent[] = [{ id: "r1", type: "observe", indicator: "y", through: "2024-02", ytd: 1.2, sd: 0.7 }]
const weak: ScenarioEvent[] = [{ id: "r1", type: "observe", indicator: "y", through: "2024-02", ytd: 1.2, sd: 50 }]

describe("failed draws: properties", () => {
  test.prop(
    [
      fc.integer({ min: 0, max: 10_000 }),
      fc.integer({ min: 20, max: 400 }),
      fc.integer({ min: 1, max: 300 }),
      fc.constantFrom("plain", "bands", "kalman", "resample-move"),
      fc.constantFrom("log(a)", "z / 2 + log(a)"),
    ],
    { numRuns: 30 },
  )("which draws fail does not depend on the chunk, and they are those with a <= 0", (seed, draws, chunk, path, z) => {
    const nonlinear = path === "resample-move"
    const c = failingModel({ dist: "normal", sd: 1 }, { z, nonlinear })
    const state = path === "kalman" || nonlinear ? stateOfLog(release) : emptyState
    const opts: ProjectOptions = { draws, seed, scenario: "p", ...(path === "bands" ? { bands: "all" as const } : {}) }
    const a = drawnA(seed, draws, nonlinear ? { events: weak } : undefined)
    const failed = a.flatMap((x, d) => (x > 0 ? [] : [d]))
    if (failed.length === draws) {
      expect(() => project(c, state, opts)).toThrow()
      return
    }
    const whole = project(c, state, opts)
    const chunked = project(c, state, { ...opts, chunk })
    expect(whole.failedDraws?.count ?? 0).toBe(failed.length)
    expect(whole.failedDraws?.draws ?? []).toEqual(failed.slice(0, 10))
    expect(chunked.failedDraws).toEqual(whole.failedDraws)
    expect(chunked.indicators).toEqual(whole.indicators)
    expect(chunked.evidence).toEqual(whole.evidence)
    expect(chunked.solution).toEqual(whole.solution)
  })
})
