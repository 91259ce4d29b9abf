// Unit tests of the projection inputs (engine/scenario/inputs.ts, ytd.ts): add-factors and
// exogenous shifts, parameter overrides, uncertain terms, and exact year-to-date releases
// turned into fixed growths.
import { describe, expect, it } from "vitest"
import { fold } from "../../../engine/scenario/fold.ts"
import { toInputs } from "../../../engine/scenario/inputs.ts"
import { stateOfLog } from "../../../engine/scenario/state.ts"
import { decodeEvent } from "../../../engine/scenario/decode.ts"
import { baseProfile, segmentsOf, ytdOf } from "../../../engine/scenario/ytd.ts"
import { quarterly, tiny } from "./fixtures.ts"
import type { ScenarioModel } from "../../../engine/scenario/state.ts"

const inputsOf = (events: unknown[], model: ScenarioModel = tiny) => {
  const r = fold(model, events)
  expect(r.rejected).toEqual([])
  return toInputs(model, r.state)
}
const T = tiny.periods.length
const nEndo = tiny.endogenous.length
const j = (v: string) => tiny.endogenous.indexOf(v)
const seriesOf = (arr: ArrayLike<number>, n: number, k: number, len = T) => Array.from({ length: len }, (_, t) => arr[t * n + k])
const observe = (id: string, indicator: string, through: string, ytd: number) => ({ id, type: "observe", indicator, through, ytd })

describe("toInputs: shocks", () => {
  it("sums central add-factors per variable and period", () => {
    const x = inputsOf([
      { id: "a", type: "shock", indicator: "fai", value: 1 },
      { id: "b", type: "shock", indicator: "fai", value: -0.5, from: "2024-03", to: "2024-04" },
      { id: "c", type: "shock", indicator: "construction", value: 2, from: "2025-Q2" },
    ])
    expect(seriesOf(x.addFactors, nEndo, j("fai"))).toEqual([1, 1, 0.5, 0.5, ...Array(14).fill(1)])
    expect(seriesOf(x.addFactors, nEndo, j("construction"))).toEqual([...Array(15).fill(0), 2, 2, 2])
    expect(seriesOf(x.addFactors, nEndo, j("gdp"))).toEqual(Array(18).fill(0))
    expect(x.addFactors).toHaveLength(T * nEndo)
    expect(x.uncertain).toEqual([])
    expect(x.applied).toBe(3)
  })

  it("adds exogenous shocks to the exogenous values and splits a measure into its effects", () => {
    const x = inputsOf([
      { id: "m", type: "measure", name: "push", effects: [{ indicator: "ext", value: -1, to: "2024-02" }, { indicator: "gdp", value: 0.3, from: "2025-06", sd: 0.2 }] },
    ])
    expect(seriesOf(x.exoShift, 1, 0)).toEqual([-1, -1, ...Array(16).fill(0)])
    expect(seriesOf(x.addFactors, nEndo, j("gdp"))).toEqual([...Array(17).fill(0), 0.3])
    expect(x.uncertain).toEqual([
      { event: "m", effect: 1, target: { kind: "endogenous", variable: "gdp", index: j("gdp") }, first: 17, last: 17, distribution: { dist: "normal", sd: 0.2 } },
    ])
  })

  it("lists uncertain terms: sd as a normal, a distribution as given, sd 0 as certain", () => {
    const x = inputsOf([
      { id: "a", type: "shock", indicator: "fai", value: 0, sd: 2 },
      { id: "b", type: "shock", indicator: "ext", value: 1, uncertainty: { dist: "uniform", min: -1, max: 1 } },
      { id: "c", type: "shock", indicator: "ind", value: 1, sd: 0 },
    ])
    expect(x.uncertain.map((u) => [u.event, u.target.kind, u.distribution])).toEqual([
      ["a", "endogenous", { dist: "normal", sd: 2 }],
      ["b", "exogenous", { dist: "uniform", min: -1, max: 1 }],
    ])
    expect(x.uncertain[0]).not.toHaveProperty("effect")
    expect(seriesOf(x.addFactors, nEndo, j("fai"))).toEqual(Array(18).fill(0))
  })

  it("leaves out retracted events", () => {
    const x = inputsOf([
      { id: "a", type: "shock", indicator: "fai", value: 1, sd: 1 },
      { id: "r", type: "retract", event: "a" },
    ])
    expect(x.addFactors.every((v) => v === 0)).toBe(true)
    expect(x.uncertain).toEqual([])
    expect(x.applied).toBe(0)
  })
})

describe("toInputs: parameters", () => {
  it("keeps the model's values and distributions without events", () => {
    const x = inputsOf([])
    expect(Array.from(x.params)).toEqual([0.4, 1])
    expect(x.paramUncertainty).toEqual([{ dist: "normal", sd: 0.1 }, undefined])
    expect(x.overrides).toEqual([])
  })

  it("set-parameter: later events win field by field", () => {
    const x = inputsOf([
      { id: "p1", type: "set-parameter", parameter: "gamma", value: 2, uncertainty: { dist: "normal", sd: 0.5 } },
      { id: "p2", type: "set-parameter", parameter: "gamma", value: 3 },
      { id: "p3", type: "set-parameter", parameter: "beta", uncertainty: { dist: "uniform", min: 0.2, max: 0.6 } },
    ])
    expect(Array.from(x.params)).toEqual([0.4, 3])
    expect(x.paramUncertainty).toEqual([{ dist: "uniform", min: 0.2, max: 0.6 }, { dist: "normal", sd: 0.5 }])
    expect(x.overrides).toEqual([
      { parameter: "beta", index: 0, uncertainty: { dist: "uniform", min: 0.2, max: 0.6 }, events: ["p3"] },
      { parameter: "gamma", index: 1, value: 3, uncertainty: { dist: "normal", sd: 0.5 }, events: ["p1", "p2"] },
    ])
  })
})

describe("toInputs: releases to fixed growths", () => {
  it("flat profile: Jan-Feb release, then March", () => {
    const x = inputsOf([observe("o2", "ind", "2024-02", -6.5), observe("o3", "ind", "2024-03", -5)])
    const fixed = seriesOf(x.fixed, nEndo, j("ind"))
    expect(fixed).toEqual([1, 1, 1, ...Array(15).fill(0)])
    const g = seriesOf(x.fixedValues, nEndo, j("ind"), 3)
    expect(g[0]).toBeCloseTo(-6.5, 12)
    expect(g[1]).toBeCloseTo(-6.5, 12)
    // (0.95 * 3 - 0.935 * 2) / 1 - 1 = -0.02
    expect(g[2]).toBeCloseTo(-2, 12)
    expect(x.observations).toEqual([
      {
        indicator: "ind",
        index: j("ind"),
        releases: [
          { through: 1, ytd: -6.5, event: "o2" },
          { through: 2, ytd: -5, event: "o3" },
        ],
        segments: [
          { first: 0, last: 1, growth: expect.closeTo(-6.5, 12), event: "o2" },
          { first: 2, last: 2, growth: expect.closeTo(-2, 12), event: "o3" },
        ],
      },
    ])
    // only the observed indicator is fixed
    expect(x.fixed.reduce((s, v) => s + v, 0)).toBe(3)
  })

  it("seasonal profile: March weighs twice January", () => {
    // profile 1,1,2,...: through Mar the base sums to 4; 0.95*4 - 0.935*2 = 1.93 on a base of 2.
    const x = inputsOf([observe("o2", "fai", "2024-02", -6.5), observe("o3", "fai", "2024-03", -5)])
    const g = seriesOf(x.fixedValues, nEndo, j("fai"), 3)
    expect(g[0]).toBeCloseTo(-6.5, 12)
    expect(g[2]).toBeCloseTo(-3.5, 12)
    const b = baseProfile(tiny.model.indicators[0], 12)
    expect(ytdOf("flow", b, [g[0], g[1], g[2]], 2)).toBeCloseTo(-5, 12)
  })

  it("a release through an earlier period than an existing one splits its segment", () => {
    const a = inputsOf([observe("o3", "ind", "2024-03", -5), observe("o2", "ind", "2024-02", -6.5)])
    const b = inputsOf([observe("o2", "ind", "2024-02", -6.5), observe("o3", "ind", "2024-03", -5)])
    expect(a.fixedValues).toEqual(b.fixedValues)
    expect(a.fixed).toEqual(b.fixed)
  })

  it("a first release through March fixes Jan-Mar at its ytd", () => {
    const x = inputsOf([observe("o", "fai", "2024-03", 4)])
    expect(seriesOf(x.fixedValues, nEndo, j("fai"), 4).map((v) => +v.toFixed(12))).toEqual([4, 4, 4, 0])
  })

  it("rate indicator: ytd is the average of the growths", () => {
    const x = inputsOf([observe("o2", "cpi", "2024-02", 2), observe("o4", "cpi", "2024-04", 3)])
    expect(seriesOf(x.fixedValues, nEndo, j("cpi"), 5)).toEqual([2, 2, 4, 4, 0])
  })

  it("quarterly model with a profile", () => {
    // profile 1,2,3,4 normalised; Q1 ytd 10 -> 1.1; H1 ytd 7 -> 1.07*3 = 3.21, Q2 level 2.11 on base 2 -> 5.5%
    const x = inputsOf([observe("h1", "gdp", "2024-Q2", 7), observe("q1", "gdp", "2024-Q1", 10)], quarterly)
    expect(Array.from(x.fixed)).toEqual([1, 1, 0, 0])
    expect(x.fixedValues[0]).toBeCloseTo(10, 12)
    expect(x.fixedValues[1]).toBeCloseTo(5.5, 12)
  })

  it("outside the fold a later release for the same period wins (attribution's subsets)", () => {
    const s = stateOfLog([decodeEvent(observe("o1", "ind", "2024-02", 1)), decodeEvent(observe("o2", "ind", "2024-02", 3))])
    const x = toInputs(tiny, s)
    expect(x.fixedValues[j("ind")]).toBeCloseTo(3, 12)
    expect(x.observations[0].releases).toEqual([{ through: 1, ytd: 3, event: "o2" }])
  })

  it("segments reproduce each release's ytd exactly", () => {
    const b = baseProfile(tiny.model.indicators[0], 12)
    const releases = [
      { through: 1, ytd: -6.5, event: "a" },
      { through: 4, ytd: 1.2, event: "b" },
      { through: 11, ytd: 3.3, event: "c" },
    ]
    const g = new Float64Array(12)
    for (const s of segmentsOf("flow", b, releases)) g.fill(s.growth, s.first, s.last + 1)
    for (const r of releases) expect(ytdOf("flow", b, g, r.through)).toBeCloseTo(r.ytd, 12)
  })

  it("is deterministic", () => {
    const events = [observe("o2", "ind", "2024-02", -6.5), { id: "a", type: "shock", indicator: "fai", value: 1, sd: 1 }]
    expect(inputsOf(events)).toEqual(inputsOf(events))
  })
})
