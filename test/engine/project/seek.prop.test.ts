// Property test of goal-seek: for any scenario of shocks, a deterministic answer applied as a
// shock event reaches its target within 1e-6 pp and meets it; only a shock that cannot move
// the target may find none.
import { fc, test } from "@fast-check/vitest"
import { expect } from "vitest"
import { project } from "../../../engine/project/project.ts"
import { seek } from "../../../engine/project/seek.ts"
import { targetBoundary } from "../../../engine/target.ts"
import { SeekError } from "../../../engine/errors.ts"
import type { ScenarioEvent } from "../../../engine/schema/scenario.ts"
import { compiled, linearModel, stateOf } from "./fixtures.ts"

const model = compiled(linearModel())
const events = fc
  .array(fc.record({ indicator: fc.constantFrom("y", "c", "r", "z"), value: fc.double({ min: -20, max: 20, noNaN: true }) }), { maxLength: 3 })
  .map((xs) => xs.map((x, i): ScenarioEvent => ({ id: `e${i}`, type: "shock", ...x })))

test.prop([events, fc.constantFrom("y", "c", "r"), fc.constantFrom("y", "c", "r", "z")], { numRuns: 60 })(
  "a seek answer fed back as a shock reaches its target",
  (evs, target, shock) => {
    let r
    try {
      r = seek(model, stateOf(...evs), { target, shock, draws: 0, seed: 1 })
    } catch (e) {
      // only a shock that cannot move the target (r moves neither y nor c) may find no answer
      if (e instanceof SeekError && shock === "r" && target !== "r") return
      throw e
    }
    const p = project(model, stateOf(...evs, { id: "answer", type: "shock", indicator: shock, value: r.value }), { draws: 0, seed: 1, scenario: "s" })
    const ind = p.indicators.find((i) => i.id === target)!
    expect(Math.abs(ind.annual.p50 - targetBoundary(ind.target!))).toBeLessThan(1e-6)
    expect(ind.met).toBe(true)
    expect(r.met).toBe(true)
  },
)
