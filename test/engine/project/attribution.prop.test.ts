// Property tests of the attribution (engine/project/attribution.ts): over random scenarios that
// extend a random base (adding events, retracting base events), the contributions add up to the
// total difference, with a nonlinear hand-made projection and with the real deterministic one;
// an event that changes nothing gets nothing; swapping the two scenarios flips every sign.
import { fc, test } from "@fast-check/vitest"
import { describe, expect } from "vitest"
import { attribute, players, type Run } from "../../../engine/project/attribution.ts"
import { project } from "../../../engine/project/project.ts"
import { extend, fold } from "../../../engine/scenario/fold.ts"
import { toInputs } from "../../../engine/scenario/inputs.ts"
import type { ScenarioState } from "../../../engine/scenario/state.ts"
import { validStream } from "../../support/events.ts"
import { tiny } from "../scenario/fixtures.ts"

/** A base log and a scenario extending it, with at most `max` differing events. */
const pair = (max: number) =>
  validStream(tiny, { maxLength: 8 })
    .chain((base) =>
      validStream(tiny, { maxLength: max, idBase: 100, retractable: base.filter((e) => e.type !== "retract" && !base.some((r) => r.type === "retract" && r.event === e.id)).map((e) => e.id as string) }).map((own) => ({ base, own })),
    )
    .map(({ base, own }) => {
      const b = fold(tiny, base)
      const s = extend(tiny, b.state, own)
      expect(b.rejected).toEqual([])
      expect(s.rejected).toEqual([])
      return { base: b.state, scenario: s.state }
    })

/** A nonlinear function of everything toInputs produces, fast enough for thousands of subsets. */
const nonlinearRun: Run = (s: ScenarioState) => {
  const x = toInputs(tiny, s)
  // each observed period at its segment's mean growth
  const observed = new Float64Array(x.fixed.length)
  for (const o of x.observations) for (const g of o.segments) for (let t = g.first; t <= g.last; t++) observed[t * tiny.endogenous.length + o.index] = g.growth
  const out: Record<string, number> = {}
  tiny.model.indicators.forEach((ind, i) => {
    const j = tiny.endogenous.indexOf(ind.id)
    let v = 0
    for (let t = 0; t < tiny.periodsPerYear; t++) {
      const k = t * tiny.endogenous.length + j
      v += x.fixed[k] ? observed[k] : x.addFactors[k] * (1 + x.exoShift[t] / 10) + x.params[i % x.params.length]
    }
    out[ind.id] = v / tiny.periodsPerYear + Math.sin(v) + x.uncertain.length * 0.01
  })
  return out
}
const realRun: Run = (s) => Object.fromEntries(project(tiny, s, { draws: 0, seed: 1, scenario: "x" }).indicators.map((i) => [i.id, i.annual.mean]))

const checkSums = (r: ReturnType<typeof attribute>) => {
  for (const i of r.indicators) {
    const sum = i.contributions.reduce((a, c) => a + c.value, 0)
    expect(Math.abs(sum - i.total)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(i.total)))
  }
}

describe("attribution properties", () => {
  test.prop([pair(7)])("contributions add up to the total (nonlinear projection)", ({ base, scenario }) => {
    const n = players(base, scenario).length
    fc.pre(n <= 10)
    checkSums(attribute(tiny, base, scenario, nonlinearRun, { scenario: "s", against: "b" }))
  })

  test.prop([pair(4)], { numRuns: 30 })("contributions add up to the total (real projection)", ({ base, scenario }) => {
    checkSums(attribute(tiny, base, scenario, realRun, { scenario: "s", against: "b" }))
  })

  test.prop([pair(5)])("explaining the other way round flips every sign", ({ base, scenario }) => {
    const there = attribute(tiny, base, scenario, nonlinearRun, { scenario: "s", against: "b" })
    const back = attribute(tiny, scenario, base, nonlinearRun, { scenario: "b", against: "s" })
    there.indicators.forEach((i, k) => {
      const j = back.indicators[k]
      expect(j.total).toBeCloseTo(-i.total, 9)
      // the same players (reported under their event's id in each direction), each with the opposite sign
      const sorted = (xs: number[]) => xs.sort((a, b) => a - b)
      const a = sorted(i.contributions.map((c) => -c.value))
      const b = sorted(j.contributions.map((c) => c.value))
      expect(b).toHaveLength(a.length)
      b.forEach((x, m) => expect(x).toBeCloseTo(a[m], 9))
    })
  })

  test.prop([pair(5), fc.nat()])("a zero shock added to the scenario gets a zero contribution", ({ base, scenario }, pick) => {
    const variables = [...tiny.endogenous, ...tiny.exogenous]
    const withZero = extend(tiny, scenario, [{ id: "zero", type: "shock", indicator: variables[pick % variables.length], value: 0 }]).state
    const r = attribute(tiny, base, withZero, nonlinearRun, { scenario: "s", against: "b" })
    for (const i of r.indicators) {
      const z = i.contributions.find((c) => c.event === "zero")!
      expect(z.value).toBe(0)
    }
  })
})
