// Unit tests of goal-seek on the tiny linear model: deterministic answers fed back as shock
// events meet their targets; probability answers reach their probability with common random
// numbers; unreachable targets and bad requests are refused with the right errors.
import { describe, expect, it } from "vitest"
import { project } from "../../../engine/project/project.ts"
import { seek } from "../../../engine/project/seek.ts"
import { targetBoundary } from "../../../engine/target.ts"
import { emptyState } from "../../../engine/scenario/index.ts"
import { OptionError, SeekError } from "../../../engine/errors.ts"
import type { ScenarioState } from "../../../engine/scenario/index.ts"
import { compiled, linearModel, stateOf } from "./fixtures.ts"

const model = compiled(linearModel())
const withShock = (state: ScenarioState, indicator: string, value: number) => stateOf(...state.events, { id: "fed-back", type: "shock", indicator, value })
const annual = (state: ScenarioState, id: string, draws = 0, seed = 1) => project(model, state, { draws, seed, scenario: "s" }).indicators.find((i) => i.id === id)!

describe("seek, deterministic", () => {
  const cases: [string, string][] = [["y", "y"], ["y", "c"], ["c", "c"], ["c", "y"], ["r", "y"], ["r", "r"], ["y", "z"]]
  for (const [target, shock] of cases) {
    it(`${target} by a shock to ${shock}: fed back as an event, the target is just met`, () => {
      const r = seek(model, emptyState, { target, shock, draws: 0, seed: 1 })
      expect(r).toMatchObject({ target, shock, met: true, probability: 1 })
      const ind = annual(withShock(emptyState, shock, r.value), target)
      expect(Math.abs(ind.annual.p50 - targetBoundary(ind.target!))).toBeLessThan(1e-6)
      expect(ind.met).toBe(true)
      expect(ind.annual.p50).toBe(r.annual)
    })
  }

  it("after a data release, the answer still works when fed back (observed periods stay fixed)", () => {
    const state = stateOf({ id: "o", type: "observe", indicator: "y", through: "2024-Q1", ytd: 7 })
    const r = seek(model, state, { target: "y", shock: "y", draws: 0, seed: 1 })
    const ind = annual(withShock(state, "y", r.value), "y")
    expect(Math.abs(ind.annual.p50 - 9)).toBeLessThan(1e-6)
    expect(ind.annual.p50).toBeGreaterThanOrEqual(9)
  })

  it("is negative where the scenario meets the target with room to spare", () => {
    const easy = stateOf({ id: "boost", type: "shock", indicator: "y", value: 10 })
    const r = seek(model, easy, { target: "y", shock: "y", draws: 0, seed: 1 })
    expect(r.value).toBeLessThan(0)
    expect(annual(easy, "y").met).toBe(true)
  })

  it("refuses a target no shock in the range can reach, naming the range and the best reached", () => {
    const low = stateOf({ id: "slump", type: "shock", indicator: "y", value: -30 })
    expect(annual(low, "y").met).toBe(false)
    try {
      seek(model, low, { target: "y", shock: "r", draws: 0, seed: 1 })
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(SeekError)
      expect((e as SeekError).message).toContain("[-100, 100]")
      expect((e as SeekError).message).toContain("best reached")
    }
    expect(() => seek(model, low, { target: "y", shock: "y", draws: 0, seed: 1, range: [-1, 0] })).toThrow(SeekError)
    // a range where every shock meets the target says so
    expect(() => seek(model, emptyState, { target: "y", shock: "r", draws: 0, seed: 1 })).toThrow(/every shock/)
  })

  it("an around target is sought at its band's lower edge, where it is met", () => {
    const r = seek(model, emptyState, { target: "c", shock: "c", draws: 0, seed: 1 })
    expect(r.annual).toBeCloseTo(4.5, 9)
    expect(r.annual).toBeGreaterThanOrEqual(4.5)
    expect(r.met).toBe(true)
    // a shock that meets the band's lower edge everywhere in the range says so, overshooting included
    const high = stateOf({ id: "high", type: "shock", indicator: "c", value: r.value + 3 })
    expect(annual(high, "c").met).toBe(true)
    expect(() => seek(model, high, { target: "c", shock: "r", draws: 0, seed: 1 })).toThrow(/every shock/)
  })

  it("refuses unknown ids, a probability outside (0, 1), a probability without draws, and a bad range", () => {
    const option = (f: () => unknown, name: string) => {
      try {
        f()
        expect.unreachable()
      } catch (e) {
        expect(e).toBeInstanceOf(OptionError)
        expect((e as OptionError).option).toBe(name)
      }
    }
    option(() => seek(model, emptyState, { target: "nope", shock: "y", draws: 0, seed: 1 }), "target")
    option(() => seek(model, emptyState, { target: "y", shock: "nope", draws: 0, seed: 1 }), "shock")
    option(() => seek(model, emptyState, { target: "y", shock: "y", draws: 10, seed: 1, probability: 1 }), "probability")
    option(() => seek(model, emptyState, { target: "y", shock: "y", draws: 10, seed: 1, probability: 0 }), "probability")
    option(() => seek(model, emptyState, { target: "y", shock: "y", draws: 0, seed: 1, probability: 0.5 }), "draws")
    option(() => seek(model, emptyState, { target: "y", shock: "y", draws: 0, seed: 1, range: [1, -1] }), "range")
  })
})

describe("seek, with a probability", () => {
  for (const [target, shock, P] of [["y", "y", 0.8], ["r", "y", 0.3], ["y", "c", 0.5], ["c", "c", 0.2]] as const) {
    it(`${target} with probability ${P} by a shock to ${shock}: the share reached is P, and just below the answer it is not`, () => {
      const draws = 1500
      const r = seek(model, emptyState, { target, shock, draws, seed: 4, probability: P })
      expect(r.probability).toBeGreaterThanOrEqual(P)
      const at = annual(withShock(emptyState, shock, r.value), target, draws, 4)
      expect(at.probability).toBe(r.probability)
      // a step of 1e-6 pp back toward the failing side loses the probability
      // r is atMost (met by lowering it); y and c (around) are met from below
      const dir = target === "r" ? 1 : -1
      const before = annual(withShock(emptyState, shock, r.value + dir * 1e-6), target, draws, 4)
      expect(before.probability!).toBeLessThan(P)
      // the same seed gives the same answer
      expect(seek(model, emptyState, { target, shock, draws, seed: 4, probability: P, chunk: 100 })).toEqual(r)
    })
  }
})
