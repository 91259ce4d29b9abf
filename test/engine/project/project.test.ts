// Unit tests of the projection on tiny hand-written models: the contract's shape, exact
// deterministic values, observed periods and required growth, determinism, Monte Carlo with
// and without uncertainty, option validation and memory-independent chunking.
import { describe, expect, it } from "vitest"
import { project } from "../../../engine/project/project.ts"
import { annualGrowth, baseProfile } from "../../../engine/ytd.ts"
import { emptyState } from "../../../engine/scenario/index.ts"
import { EventError, OptionError, SpecError } from "../../../engine/errors.ts"
import { LINEAR, compiled, linearModel, stateOf } from "./fixtures.ts"

const model = compiled(linearModel())
const certain = compiled(linearModel(false))

/** The linear model solved by hand: y = (k + a + z + a d c(-1)) / (1 - ab), c = b y + d c(-1) + 1. */
const byHand = (shockY = 0) => {
  const { a, b, d, k } = LINEAR
  let cPrev = 4
  const y: number[] = [], c: number[] = [], r: number[] = []
  for (const z of [1, 2, 3, 4]) {
    const yt = (k + a + z + a * d * cPrev + shockY) / (1 - a * b)
    const ct = b * yt + d * cPrev + 1
    y.push(yt); c.push(ct); r.push(0.2 * yt + 1)
    cPrev = ct
  }
  return { y, c, r }
}

describe("project, deterministic", () => {
  const p = project(model, emptyState, { draws: 0, seed: 1, scenario: "base" })

  it("follows the projection contract", () => {
    expect(Object.keys(p)).toEqual(["model", "scenario", "seed", "draws", "periods", "indicators", "joint", "events", "solution"])
    expect(p).toMatchObject({ model: "tiny-linear", scenario: "base", seed: 1, draws: 0, periods: ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"] })
    expect(p.events).toEqual({ applied: 0, rejected: 0 })
    const y = p.indicators[0]
    expect(Object.keys(y)).toEqual(expect.arrayContaining(["id", "name", "name_zh", "unit", "target", "annual", "probability", "outcomes", "required", "met", "path"]))
    expect(y).toMatchObject({ id: "y", name: "Output", name_zh: "产出", unit: "%", target: { kind: "atLeast", value: 9 } })
    expect(y.path.map((x) => x.period)).toEqual(p.periods)
    expect(Object.keys(y.path[0])).toEqual(["period", "ytd", "growth", "observed"])
    expect(JSON.parse(JSON.stringify(p))).toEqual(p)
  })

  it("gives the hand-solved values, ytd and annual growth", () => {
    const h = byHand()
    expect(p.solution.periods).toEqual(p.periods)
    for (const [id, path] of Object.entries(h)) p.solution.variables[id].forEach((x, t) => expect(x).toBeCloseTo(path[t], 10))
    const y = p.indicators[0]
    y.path.forEach((pt, t) => expect(pt.growth).toBeCloseTo(h.y[t], 10))
    const annualY = annualGrowth("flow", baseProfile([1, 2, 3, 4], 4), h.y)
    expect(y.annual.mean).toBeCloseTo(annualY, 10)
    const m = y.annual.mean
    expect(y.annual).toEqual({ mean: m, p05: m, p25: m, p50: m, p75: m, p95: m })
    expect(y.path[3].ytd.p50).toBe(y.annual.p50)
    const r = p.indicators[2]
    expect(r.annual.p50).toBeCloseTo(h.r.reduce((s, x) => s + x, 0) / 4, 10)
  })

  it("judges targets on the deterministic run: probability 0 or 1", () => {
    for (const ind of p.indicators) {
      expect(ind.probability).toBe(ind.met ? 1 : 0)
      expect(ind.quantileError).toBe(0)
    }
    const y = p.indicators[0]
    expect(y.met).toBe(y.annual.p50 >= 9)
    const r = p.indicators[2]
    expect(r.met).toBe(r.annual.p50 <= 3)
  })

  it("with nothing observed, the required growth is the target's boundary (around: the band's lower edge)", () => {
    expect(p.indicators[0].required).toBeCloseTo(9, 10)
    expect(p.indicators[1].required).toBeCloseTo(4.5, 10)
    expect(p.indicators[2].required).toBeCloseTo(3, 10)
  })

  it("an around target reports its outcome; every projection reports the joint count of targets met", () => {
    const c = p.indicators[1]
    const side = c.annual.p50 < 4.5 ? "below" : c.annual.p50 > 5.5 ? "above" : "inside"
    expect(c.outcomes).toEqual({ below: 0, inside: 0, above: 0, [side]: 1 })
    expect(p.indicators[0].outcomes).toBeNull()
    const met = p.indicators.filter((i) => i.met).length
    expect(p.joint.targets).toBe(3)
    expect(p.joint.count).toEqual([0, 1, 2, 3].map((k) => (k === met ? 1 : 0)))
    expect(p.joint.all).toBe(met === 3 ? 1 : 0)
  })

  it("is deterministic: the same inputs give the same bits", () => {
    expect(JSON.stringify(project(model, stateOf(), { draws: 0, seed: 1, scenario: "base" }))).toBe(JSON.stringify(p))
    // the seed does not matter without draws, except as echoed (a state of its own: none kept)
    expect(project(model, stateOf(), { draws: 0, seed: 99, scenario: "base" }).indicators).toEqual(p.indicators)
  })

  it("asked again of the state it projected last, gives the projection it kept, under the labels asked for", () => {
    const state = stateOf({ id: "s1", type: "shock", indicator: "y", value: 1 })
    const first = project(model, state, { draws: 0, seed: 1, scenario: "admission" })
    const again = project(model, state, { draws: 0, seed: 7, scenario: "x", rejected: 3 })
    // no second solve: the same figures, by reference
    expect(again.indicators).toBe(first.indicators)
    expect(again.solution).toBe(first.solution)
    expect(again).toEqual({ ...first, scenario: "x", seed: 7, events: { applied: 1, rejected: 3 } })
    // another model's projection of the same state is its own, and keeps this model's
    expect(project(certain, state, { draws: 0, seed: 1, scenario: "x" }).indicators).not.toBe(first.indicators)
    expect(project(model, state, { draws: 0, seed: 1, scenario: "x" }).indicators).toBe(first.indicators)
    // another state projected since (the same events, afresh, with the labels of `again`): equal, and made afresh
    expect(JSON.stringify(project(model, stateOf(...state.events), { draws: 0, seed: 7, scenario: "x", rejected: 3 }))).toBe(JSON.stringify(again))
    expect(project(model, state, { draws: 0, seed: 1, scenario: "x" }).indicators).not.toBe(first.indicators)
    // options are checked on a kept projection too
    expect(() => project(model, state, { draws: 0, seed: 1, scenario: "x", rejected: -1 })).toThrow(OptionError)
  })

  it("applies a shock event and counts events", () => {
    const s = project(model, stateOf({ id: "s1", type: "shock", indicator: "y", value: 1 }), { draws: 0, seed: 1, scenario: "x", rejected: 2 })
    expect(s.events).toEqual({ applied: 1, rejected: 2 })
    const h = byHand(1)
    s.solution.variables.y.forEach((x, t) => expect(x).toBeCloseTo(h.y[t], 10))
  })

  it("marks observed periods and requires growth only of the rest; required growth fed back meets the target", () => {
    const state = stateOf({ id: "o1", type: "observe", indicator: "y", through: "2024-Q2", ytd: 6 })
    const s = project(model, state, { draws: 0, seed: 1, scenario: "obs" })
    const y = s.indicators[0]
    expect(y.path.map((x) => x.observed)).toEqual([true, true, false, false])
    expect(y.path[1].ytd.p50).toBeCloseTo(6, 10)
    const req = y.required!
    // fed back: the observed growths, then the required growth in every later period, give the target exactly
    const filled = y.path.map((x) => (x.observed ? x.growth : req))
    expect(annualGrowth("flow", baseProfile([1, 2, 3, 4], 4), filled)).toBeCloseTo(9, 10)
    // and the observed growths are those the release implies: ytd through Q2 is 6
    expect(annualGrowth("flow", baseProfile([1, 2], 2), filled.slice(0, 2))).toBeCloseTo(6, 10)
  })

  it("gives required null when every period of the year is observed", () => {
    const s = project(model, stateOf({ id: "o", type: "observe", indicator: "c", through: "2024-Q4", ytd: 5.2 }), { draws: 0, seed: 1, scenario: "all" })
    expect(s.indicators[1].required).toBeNull()
    expect(s.indicators[1].annual.p50).toBeCloseTo(5.2, 10)
    expect(s.indicators[1].met).toBe(true)
  })
})

describe("project, Monte Carlo", () => {
  it("with zero uncertainty equals the deterministic projection exactly", () => {
    const det = project(certain, emptyState, { draws: 0, seed: 1, scenario: "s" })
    const mc = project(certain, emptyState, { draws: 300, seed: 1, scenario: "s" })
    mc.indicators.forEach((ind, i) => {
      const d = det.indicators[i]
      expect(ind.annual.p05).toBe(d.annual.p05)
      expect(ind.annual.p50).toBe(d.annual.p50)
      expect(ind.annual.p95).toBe(d.annual.p95)
      expect(ind.annual.mean).toBeCloseTo(d.annual.mean, 12)
      expect(ind.probability).toBe(d.probability)
    })
  })

  it("has bands, ordered quantiles, probabilities in [0, 1], and the deterministic fields unchanged", () => {
    const det = project(model, emptyState, { draws: 0, seed: 1, scenario: "s" })
    const mc = project(model, emptyState, { draws: 5000, seed: 3, scenario: "s" })
    expect(mc.draws).toBe(5000)
    mc.indicators.forEach((ind, i) => {
      expect(ind.annual.p05).toBeLessThan(ind.annual.p95)
      expect(ind.annual.p05).toBeLessThanOrEqual(ind.annual.p50)
      expect(ind.annual.p50).toBeLessThanOrEqual(ind.annual.p95)
      expect(ind.probability).toBeGreaterThanOrEqual(0)
      expect(ind.probability).toBeLessThanOrEqual(1)
      expect(ind.required).toBe(det.indicators[i].required)
      expect(ind.met).toBe(det.indicators[i].met)
      expect(ind.path.map((x) => x.growth)).toEqual(det.indicators[i].path.map((x) => x.growth))
      // the Monte Carlo mean is near the deterministic value (the model is linear, errors centred except r's triangular)
      if (ind.id !== "r") expect(Math.abs(ind.annual.mean - det.indicators[i].annual.mean)).toBeLessThan(0.3)
    })
    // r's triangular error (min -1, max 2, mode 0) has mean 1/3
    expect(mc.indicators[2].annual.mean - det.indicators[2].annual.mean).toBeCloseTo(1 / 3, 1)
  })

  it("reports the quartiles p25 and p75 from the same sketches, between p05 and p95", () => {
    const mc = project(model, emptyState, { draws: 3000, seed: 4, scenario: "s" })
    for (const ind of mc.indicators) {
      for (const b of [ind.annual, ...ind.path.map((x) => x.ytd)]) {
        expect(Object.keys(b)).toEqual(["mean", "p05", "p25", "p50", "p75", "p95"])
        expect(b.p05).toBeLessThanOrEqual(b.p25)
        expect(b.p25).toBeLessThanOrEqual(b.p50)
        expect(b.p50).toBeLessThanOrEqual(b.p75)
        expect(b.p75).toBeLessThanOrEqual(b.p95)
      }
    }
    // y's annual growth is about normal: its interquartile range is about 1.349 / 3.290 of its 90% range
    const y = mc.indicators[0].annual
    expect((y.p75 - y.p25) / (y.p95 - y.p05)).toBeCloseTo(1.349 / 3.29, 1)
  })

  it("counts the share meeting the target with its own semantics", () => {
    const mc = project(model, emptyState, { draws: 4000, seed: 5, scenario: "s" })
    // y ~ det + N(0, 1/(1-ab)) roughly; check against the empirical share implied by the quantiles
    const y = mc.indicators[0]
    const p = y.probability!
    expect(p > 0 && p < 1).toBe(true)
    // atLeast 9: if p50 >= 9 then at least half meet it
    if (y.annual.p50 >= 9) expect(p).toBeGreaterThanOrEqual(0.5)
    else expect(p).toBeLessThanOrEqual(0.5)
  })

  it("around: met at or above the band's lower edge, its outcomes add up; the joint count agrees with the per-target shares", () => {
    const mc = project(model, emptyState, { draws: 4000, seed: 6, scenario: "s" })
    const c = mc.indicators[1]
    const o = c.outcomes!
    expect(o.below + o.inside + o.above).toBeCloseTo(1, 12)
    expect(c.probability).toBeCloseTo(o.inside + o.above, 12)
    expect(o.below > 0 && o.inside > 0).toBe(true)
    // the share below the lower edge is about the share of draws whose annual growth lies under 4.5
    if (c.annual.p50 >= 4.5) expect(o.below).toBeLessThanOrEqual(0.5)
    const { joint } = mc
    expect(joint.count).toHaveLength(4)
    expect(joint.count.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12)
    expect(joint.all).toBe(joint.count[3])
    // E[number met] = the sum of the per-target probabilities, exactly (the same draws)
    const expected = joint.count.reduce((a, p, k) => a + k * p, 0)
    expect(expected).toBeCloseTo(mc.indicators.reduce((a, i) => a + i.probability!, 0), 12)
    expect(joint.all).toBeLessThanOrEqual(Math.min(...mc.indicators.map((i) => i.probability!)))
    // the same with another chunking
    expect(project(model, emptyState, { draws: 4000, seed: 6, scenario: "s", chunk: 97 }).joint).toEqual(joint)
  })

  it("gives the same bits for the same seed and chunking, and another sample for another seed", () => {
    const a = project(model, emptyState, { draws: 3000, seed: 7, scenario: "s" })
    const b = project(model, emptyState, { draws: 3000, seed: 7, scenario: "s", chunk: 333 })
    const c = project(model, emptyState, { draws: 3000, seed: 8, scenario: "s" })
    expect(JSON.stringify(b)).toBe(JSON.stringify(a))
    expect(JSON.stringify(c.indicators)).not.toBe(JSON.stringify(a.indicators))
  })

  it("uses common random numbers: an added certain shock shifts a linear model's draws exactly", () => {
    const a = project(model, emptyState, { draws: 2000, seed: 9, scenario: "s" })
    const s = project(model, stateOf({ id: "k", type: "shock", indicator: "r", value: 0.5 }), { draws: 2000, seed: 9, scenario: "s" })
    // r = 0.2 y + 1 + af: a shock on r only moves r, by exactly 0.5 in every draw
    expect(s.indicators[2].annual.mean - a.indicators[2].annual.mean).toBeCloseTo(0.5, 10)
    expect(s.indicators[0].annual).toEqual(a.indicators[0].annual)
  })

  it("samples uncertain shocks and set-parameter uncertainty", () => {
    const base = project(certain, emptyState, { draws: 2000, seed: 1, scenario: "s" })
    const s = project(certain, stateOf({ id: "u", type: "shock", indicator: "r", value: 0, sd: 1 }), { draws: 2000, seed: 1, scenario: "s" })
    expect(base.indicators[2].annual.p95 - base.indicators[2].annual.p05).toBe(0)
    expect(s.indicators[2].annual.p95 - s.indicators[2].annual.p05).toBeGreaterThan(2.5)
    const sp = project(certain, stateOf({ id: "p", type: "set-parameter", parameter: "k", uncertainty: { dist: "uniform", min: 1, max: 3 } }), { draws: 2000, seed: 1, scenario: "s" })
    expect(sp.indicators[0].annual.p95).toBeGreaterThan(sp.indicators[0].annual.p05)
  })

  it("draws an uncertain shock the same whatever was projected before: its term, kept per seed, is keyed by the seed asked for", () => {
    const events = [
      { id: "u", type: "shock", indicator: "r", value: 0, sd: 1 },
      { id: "v", type: "shock", indicator: "y", value: 0.5, sd: 0.3 },
    ] as const
    const state = stateOf(...events)
    const run = (seed: number) => JSON.stringify(project(certain, state, { draws: 200, seed, scenario: "s" }))
    const first = run(1)
    const other = run(2)
    expect(other).not.toBe(first)
    expect(run(1)).toBe(first)
    // and the same as a state of its own, projected afresh
    expect(JSON.stringify(project(certain, stateOf(...events), { draws: 200, seed: 2, scenario: "s" }))).toBe(other)
  })
})

describe("project, bad options", () => {
  const bad = (opts: { draws: number; seed: number }, option: string) => {
    try {
      project(model, emptyState, { ...opts, scenario: "s" })
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(OptionError)
      expect((e as OptionError).option).toBe(option)
    }
  }
  it("refuses draw counts that are negative, fractional or huge, and seeds that are not safe integers", () => {
    bad({ draws: -1, seed: 1 }, "draws")
    bad({ draws: 1.5, seed: 1 }, "draws")
    bad({ draws: 10_000_001, seed: 1 }, "draws")
    bad({ draws: Number.NaN, seed: 1 }, "draws")
    bad({ draws: 10, seed: 0.5 }, "seed")
    bad({ draws: 10, seed: 2 ** 60 }, "seed")
  })

  it("refuses invalid distributions: the model's as SpecError, an event's as EventError", () => {
    const m = compiled(linearModel(false, { parameters: { a: { value: -1, uncertainty: { dist: "lognormal", sigma: 0.1 } }, b: { value: 0.6 }, d: { value: 0.3 }, k: { value: 2 } } }))
    expect(() => project(m, emptyState, { draws: 10, seed: 1, scenario: "s" })).toThrow(SpecError)
    const e = stateOf({ id: "bad", type: "shock", indicator: "y", value: 1, uncertainty: { dist: "lognormal", sigma: 1 } })
    try {
      project(certain, e, { draws: 10, seed: 1, scenario: "s" })
      expect.unreachable()
    } catch (err) {
      expect(err).toBeInstanceOf(EventError)
      expect((err as EventError).id).toBe("bad")
    }
  })

  it("names the set-parameter event, and its field, whose value or distribution makes a parameter's draws impossible", () => {
    // a's lognormal has no median: it is centred on the value, which must stay positive
    const m = compiled(linearModel(false, { parameters: { a: { value: 0.5, uncertainty: { dist: "lognormal", sigma: 0.1 } }, b: { value: 0.6 }, d: { value: 0.3 }, k: { value: 2 } } }))
    const blamed = (...events: object[]) => {
      try {
        project(m, stateOf(...(events as Parameters<typeof stateOf>)), { draws: 10, seed: 1, scenario: "s" })
      } catch (e) {
        expect(e).toBeInstanceOf(EventError)
        return [(e as EventError).id, (e as EventError).path]
      }
      throw new Error("expected an EventError")
    }
    const lognormal = { dist: "lognormal", sigma: 0.1 }
    // the model's distribution, moved by the event's value
    expect(blamed({ id: "v", type: "set-parameter", parameter: "a", value: -1 })).toEqual(["v", ["value"]])
    // an earlier event's distribution, moved by a later event's value
    expect(blamed({ id: "u", type: "set-parameter", parameter: "a", uncertainty: lognormal }, { id: "v", type: "set-parameter", parameter: "a", value: -1 })).toEqual(["v", ["value"]])
    // a distribution and value set together
    expect(blamed({ id: "u", type: "set-parameter", parameter: "a", value: -1, uncertainty: lognormal })).toEqual(["u", ["uncertainty", "median"]])
  })
})
