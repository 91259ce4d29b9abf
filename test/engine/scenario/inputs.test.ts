// Unit tests of the projection inputs (engine/scenario/inputs.ts, ytd.ts): add-factors and
// exogenous shifts, parameter overrides, uncertain terms, and exact year-to-date releases
// turned into observed periods and segments.
import { describe, expect, it } from "vitest"
import { fold } from "../../../engine/scenario/fold.ts"
import { toInputs } from "../../../engine/scenario/inputs.ts"
import { stateOfLog } from "../../../engine/scenario/state.ts"
import { decodeEvent } from "../../../engine/scenario/decode.ts"
import { baseProfile, segmentsOf, ytdAt } from "../../../engine/ytd.ts"
import { quarterly, tiny, tinyInput } from "./fixtures.ts"
import { compile } from "../../../engine/compile/index.ts"
import { Model } from "../../../engine/schema/model.ts"
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

  it("set-parameter with only a value shifts the model's bounded distribution with it", () => {
    const m = compile(
      Model.parse({
        ...tinyInput,
        parameters: {
          beta: { value: 0.4, uncertainty: { dist: "uniform", min: 0.2, max: 0.6 } },
          gamma: { value: 1, uncertainty: { dist: "triangular", min: 0.5, max: 2 } },
          u: { value: 1, uncertainty: { dist: "triangular", min: 0, max: 3, mode: 1.5 } },
          v: { value: 2, uncertainty: { dist: "normal", mean: 2.5, sd: 1 } },
          w: { value: 2, uncertainty: { dist: "lognormal", sigma: 0.1 } },
          x: { value: 2, uncertainty: { dist: "normal", sd: 0.3 } },
        },
        equations: { ...tinyInput.equations, cpi: "u + v + w + x" },
      }),
    )
    const x = inputsOf(
      [
        { id: "p1", type: "set-parameter", parameter: "beta", value: 0.5 },
        { id: "p2", type: "set-parameter", parameter: "gamma", value: 1.5 },
        { id: "p3", type: "set-parameter", parameter: "u", value: 0 },
        { id: "p4", type: "set-parameter", parameter: "v", value: 3 },
        { id: "p5", type: "set-parameter", parameter: "w", value: 4 },
        { id: "p6", type: "set-parameter", parameter: "x", value: 5 },
        { id: "p7", type: "set-parameter", parameter: "beta", value: 0.3 },
      ],
      m,
    )
    const at = (p: string) => m.parameters.indexOf(p)
    expect(x.params[at("beta")]).toBe(0.3)
    const beta = x.paramUncertainty[at("beta")] as { dist: "uniform"; min: number; max: number }
    // 0.4 -> 0.5 -> 0.3: shifted by -0.1 in all
    expect(beta.dist).toBe("uniform")
    expect(beta.min).toBeCloseTo(0.1, 14)
    expect(beta.max).toBeCloseTo(0.5, 14)
    expect(x.paramUncertainty[at("gamma")]).toEqual({ dist: "triangular", min: 1, max: 2.5 })
    expect(x.paramUncertainty[at("u")]).toEqual({ dist: "triangular", min: -1, max: 2, mode: 0.5 })
    expect(x.paramUncertainty[at("v")]).toEqual({ dist: "normal", mean: 3.5, sd: 1 })
    // centred on the value by default: the distribution follows the value unchanged
    expect(x.paramUncertainty[at("w")]).toEqual({ dist: "lognormal", sigma: 0.1 })
    expect(x.paramUncertainty[at("x")]).toEqual({ dist: "normal", sd: 0.3 })
    expect(x.overrides.find((o) => o.parameter === "beta")).toMatchObject({ value: 0.3, shift: expect.closeTo(-0.1, 14), events: ["p1", "p7"] })
    expect(x.overrides.find((o) => o.parameter === "gamma")).toEqual({ parameter: "gamma", index: at("gamma"), value: 1.5, uncertainty: { dist: "triangular", min: 1, max: 2.5 }, shift: 0.5, events: ["p2"] })
  })

  it("set-parameter: a distribution set by an event is absolute; a later value-only event shifts it", () => {
    const x = inputsOf([
      { id: "p1", type: "set-parameter", parameter: "gamma", value: 2, uncertainty: { dist: "uniform", min: 1, max: 3 } },
      { id: "p2", type: "set-parameter", parameter: "gamma", value: 2.5 },
      { id: "p3", type: "set-parameter", parameter: "beta", uncertainty: { dist: "uniform", min: 0.2, max: 0.6 } },
      { id: "p4", type: "set-parameter", parameter: "beta", value: 0.4 },
    ])
    expect(x.paramUncertainty).toEqual([
      { dist: "uniform", min: 0.2, max: 0.6 },
      { dist: "uniform", min: 1.5, max: 3.5 },
    ])
    expect(x.overrides[0]).not.toHaveProperty("shift")
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
      { parameter: "beta", index: 0, uncertainty: { dist: "uniform", min: 0.2, max: 0.6 }, uncertaintyEvent: "p3", events: ["p3"] },
      { parameter: "gamma", index: 1, value: 3, uncertainty: { dist: "normal", sd: 0.5 }, uncertaintyEvent: "p1", events: ["p1", "p2"] },
    ])
  })
})

describe("toInputs: releases to observed periods and segments", () => {
  // toInputs marks the observed periods and gives each segment's mean growth (the one common
  // growth that reproduces the release); the fixed values themselves are the projection's
  // (test/engine/project/observe.test.ts).
  const segmentsOfInputs = (x: ReturnType<typeof toInputs>, indicator: string) => x.observations.find((o) => o.indicator === indicator)!.segments

  it("flat profile: Jan-Feb release, then March", () => {
    const x = inputsOf([observe("o2", "ind", "2024-02", -6.5), observe("o3", "ind", "2024-03", -5)])
    const fixed = seriesOf(x.fixed, nEndo, j("ind"))
    expect(fixed).toEqual([1, 1, 1, ...Array(15).fill(0)])
    // (0.95 * 3 - 0.935 * 2) / 1 - 1 = -0.02
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
    expect(x).not.toHaveProperty("fixedValues")
  })

  it("seasonal profile: March weighs twice January", () => {
    // profile 1,1,2,...: through Mar the base sums to 4; 0.95*4 - 0.935*2 = 1.93 on a base of 2.
    const x = inputsOf([observe("o2", "fai", "2024-02", -6.5), observe("o3", "fai", "2024-03", -5)])
    const [a, b] = segmentsOfInputs(x, "fai")
    expect(a.growth).toBeCloseTo(-6.5, 12)
    expect(b.growth).toBeCloseTo(-3.5, 12)
    const w = baseProfile(tiny.model.indicators[0].profile, 12)
    expect(ytdAt("flow", w, [a.growth, a.growth, b.growth], 0, 1, 3)).toBeCloseTo(-5, 12)
  })

  it("a release through an earlier period than an existing one splits its segment", () => {
    const a = inputsOf([observe("o3", "ind", "2024-03", -5), observe("o2", "ind", "2024-02", -6.5)])
    const b = inputsOf([observe("o2", "ind", "2024-02", -6.5), observe("o3", "ind", "2024-03", -5)])
    expect(a.observations).toEqual(b.observations)
    expect(a.fixed).toEqual(b.fixed)
  })

  it("a first release through March makes one segment Jan-Mar with its ytd as mean growth", () => {
    const x = inputsOf([observe("o", "fai", "2024-03", 4)])
    expect(seriesOf(x.fixed, nEndo, j("fai"), 4)).toEqual([1, 1, 1, 0])
    expect(segmentsOfInputs(x, "fai")).toEqual([{ first: 0, last: 2, growth: expect.closeTo(4, 12), event: "o" }])
  })

  it("a quarter's label in a monthly model is a release through its last month", () => {
    const x = inputsOf([observe("q", "ind", "2024-Q1", 2)])
    expect(segmentsOfInputs(x, "ind")).toEqual([{ first: 0, last: 2, growth: expect.closeTo(2, 12), event: "q" }])
  })

  it("rate indicator: ytd is the average of the growths", () => {
    const x = inputsOf([observe("o2", "cpi", "2024-02", 2), observe("o4", "cpi", "2024-04", 3)])
    expect(seriesOf(x.fixed, nEndo, j("cpi"), 5)).toEqual([1, 1, 1, 1, 0])
    // through Apr the growths sum to 12, through Feb to 4: Mar-Apr average 4
    expect(segmentsOfInputs(x, "cpi").map((g) => g.growth)).toEqual([2, 4])
  })

  it("quarterly model with a profile", () => {
    // profile 1,2,3,4 normalised; Q1 ytd 10 -> 1.1; H1 ytd 7 -> 1.07*3 = 3.21, Q2 level 2.11 on base 2 -> 5.5%
    const x = inputsOf([observe("h1", "gdp", "2024-Q2", 7), observe("q1", "gdp", "2024-Q1", 10)], quarterly)
    expect(Array.from(x.fixed)).toEqual([1, 1, 0, 0])
    const [q1, q2] = segmentsOfInputs(x, "gdp")
    expect(q1.growth).toBeCloseTo(10, 12)
    expect(q2.growth).toBeCloseTo(5.5, 12)
  })

  it("outside the fold a later release for the same period wins (attribution's subsets)", () => {
    const s = stateOfLog([decodeEvent(observe("o1", "ind", "2024-02", 1)), decodeEvent(observe("o2", "ind", "2024-02", 3))])
    const x = toInputs(tiny, s)
    expect(segmentsOfInputs(x, "ind")[0].growth).toBeCloseTo(3, 12)
    expect(x.observations[0].releases).toEqual([{ through: 1, ytd: 3, event: "o2" }])
  })

  it("segments' mean growths reproduce each release's ytd exactly", () => {
    const b = baseProfile(tiny.model.indicators[0].profile, 12)
    const releases = [
      { through: 1, ytd: -6.5, event: "a" },
      { through: 4, ytd: 1.2, event: "b" },
      { through: 11, ytd: 3.3, event: "c" },
    ]
    const g = new Float64Array(12)
    for (const s of segmentsOf("flow", b, releases)) g.fill(s.growth, s.first, s.last + 1)
    for (const r of releases) expect(ytdAt("flow", b, g, 0, 1, r.through + 1)).toBeCloseTo(r.ytd, 12)
  })

  it("is deterministic", () => {
    const events = [observe("o2", "ind", "2024-02", -6.5), { id: "a", type: "shock", indicator: "fai", value: 1, sd: 1 }]
    expect(inputsOf(events)).toEqual(inputsOf(events))
  })
})
