// Unit tests of the observation rule (engine/project/observe.ts): hand-computed fixed values of
// releases (the model's projected pattern plus one add-factor per segment), across indicators,
// with an equation reading its own lag, refusals of impossible levels, the same fixed values
// in every Monte Carlo draw, goal-seek re-resolving releases at each trial shock, and the
// value-only set-parameter moving a bounded distribution in the draws.
import { describe, expect, it } from "vitest"
import { compile } from "../../../engine/compile/index.ts"
import { project } from "../../../engine/project/project.ts"
import type { Projection } from "../../../engine/schema/projection.ts"
import { resolveObservations } from "../../../engine/project/observe.ts"
import { seek } from "../../../engine/project/seek.ts"
import { fold } from "../../../engine/scenario/fold.ts"
import { toInputs } from "../../../engine/scenario/inputs.ts"
import { emptyState, type ScenarioState } from "../../../engine/scenario/state.ts"
import { EventError } from "../../../engine/errors.ts"
import { annualGrowth, indicatorProfile } from "../../../engine/ytd.ts"
import { Model } from "../../../engine/schema/model.ts"
import type { ScenarioEvent } from "../../../engine/schema/scenario.ts"
import { tiny, tinyInput } from "../scenario/fixtures.ts"
import { compiled, linearModel, stateOf } from "./fixtures.ts"

const observe = (id: string, indicator: string, through: string, ytd: number): ScenarioEvent => ({ id, type: "observe", indicator, through, ytd })
const shock = (id: string, indicator: string, value: number, from?: string, to?: string): ScenarioEvent => ({
  id,
  type: "shock",
  indicator,
  value,
  ...(from ? { from } : {}),
  ...(to ? { to } : {}),
})
const foldOk = (m: typeof tiny, events: unknown[]): ScenarioState => {
  const r = fold(m, events)
  expect(r.rejected).toEqual([])
  return r.state
}
const run = (m: typeof tiny, s: ScenarioState): Projection => project(m, s, { draws: 0, seed: 1, scenario: "t" })
const growthOf = (p: Projection, id: string): number[] => p.solution.variables[id]

// tiny (decay 0.5): fai = ext + 2 = 5, profile 1,1,2,2,2,3,3,3,4,4,4,6; ind = 1.3 (flat);
// gdp = 0.5 * 0.4 * fai + 1 * ind = 0.2 fai + 1.3; cpi = 2 (rate).
describe("releases to fixed values", () => {
  it("Jan-Feb, then Mar-Jun: the second segment keeps the carried surprise's pattern, shifted once", () => {
    const p = run(tiny, foldOk(tiny, [observe("o2", "fai", "2024-02", -6.5), observe("o6", "fai", "2024-06", 0)]))
    const g = growthOf(p, "fai")
    expect(g[0]).toBeCloseTo(-6.5, 12)
    expect(g[1]).toBeCloseTo(-6.5, 12)
    // surprise in Feb: -6.5 - 5 = -11.5, carried times 0.5^k: Mar..Jun projected -0.75, 2.125, 3.5625, 4.28125.
    // Through Jun the base sums to 11 (level 11 at ytd 0), Jan-Feb hold 2 * 0.935 = 1.87, so Mar-Jun
    // (base 2+2+2+3 = 9) hold 9.13: mean growth 13/9 %. The b-weighted mean of the projection is
    // 22.71875/9, so s = (13 - 22.71875)/9.
    const s = (13 - 22.71875) / 9
    const expected = [-0.75 + s, 2.125 + s, 3.5625 + s, 4.28125 + s]
    expected.forEach((x, k) => expect(g[2 + k]).toBeCloseTo(x, 12))
    // the flat rule would have fixed 13/9 in each of Mar..Jun
    expect(Math.abs(g[2] - 13 / 9)).toBeGreaterThan(1)
    const fai = p.indicators.find((i) => i.id === "fai")!
    expect(fai.path[1].ytd.p50).toBeCloseTo(-6.5, 12)
    expect(fai.path[5].ytd.p50).toBeCloseTo(0, 12)
    // after June the surprise of June, 4.28125 + s - 5, decays
    const r = 4.28125 + s - 5
    for (let t = 6; t < 10; t++) expect(g[t]).toBeCloseTo(5 + r * 0.5 ** (t - 5), 12)
  })

  it("a release of exactly the projected ytd keeps an uneven projected path", () => {
    // a shock of +4 in February only: fai 5, 9, 5; through March (base 1,1,2) ytd (5 + 9 + 10)/4 = 6
    const base = foldOk(tiny, [shock("s", "fai", 4, "2024-02", "2024-02")])
    const seen = foldOk(tiny, [shock("s", "fai", 4, "2024-02", "2024-02"), observe("o", "fai", "2024-03", 6)])
    const a = run(tiny, base)
    const b = run(tiny, seen)
    expect(growthOf(b, "fai").slice(0, 3).map((x) => +x.toFixed(12))).toEqual([5, 9, 5])
    for (const id of tiny.endogenous) growthOf(b, id).forEach((x, t) => expect(x).toBeCloseTo(growthOf(a, id)[t], 12))
    expect(b.indicators[0].path[2].observed).toBe(true)
  })

  it("a release of another indicator resolved first feeds the projection a later-starting one adjusts", () => {
    // fai Jan-Feb at 2 (projected 5, s = -3); March fai = 5 - 3 * 0.5 = 3.5. gdp projected with
    // that: 0.2 * (2, 2, 3.5) + 1.3 = 1.7, 1.7, 2.0; released 3 through March (flat): s = 1.2.
    const events = [observe("g", "gdp", "2024-03", 3), observe("f", "fai", "2024-02", 2)]
    const p = run(tiny, foldOk(tiny, events))
    expect(growthOf(p, "gdp").slice(0, 3).map((x) => +x.toFixed(12))).toEqual([2.9, 2.9, 3.2])
    expect(growthOf(p, "fai").slice(0, 3).map((x) => +x.toFixed(12))).toEqual([2, 2, 3.5])
    // the order of the events does not matter
    const q = run(tiny, foldOk(tiny, [...events].reverse()))
    expect(q.solution).toEqual(p.solution)
  })

  it("an equation reading its own lag responds to the segment's add-factor inside the segment", () => {
    const m = compile(
      Model.parse({
        name: "own-lag",
        calendar: { frequency: "monthly", baseYear: 2023, planYear: 2024 },
        indicators: [{ id: "x", name: "X", kind: "flow", base: { growth: 2 } }],
        equations: { x: "0.5 * x(-1) + 1" },
      }),
    )
    // projected 2 every month. With s on Jan-Feb: x = 2 + s, then 0.5 (2 + s) + 1 + s = 2 + 1.5 s;
    // their mean 2 + 1.25 s = 4.5 gives s = 2: x = 4, 5. March: 0.5 * 5 + 1 + 2 * 0.5 = 4.5; April 0.5 * 4.5 + 1 + 2 * 0.25 = 3.75.
    const p = run(m, foldOk(m, [observe("o", "x", "2024-02", 4.5)]))
    expect(growthOf(p, "x").slice(0, 4).map((v) => +v.toFixed(12))).toEqual([4, 5, 4.5, 3.75])
    const r = resolveObservations(m, toInputs(m, foldOk(m, [observe("o", "x", "2024-02", 4.5)])), {
      params: new Float64Array(0),
      exo: new Float64Array(0),
      addFactors: new Float64Array(12),
    })
    expect(r.segments.map((s) => [s.first, s.last, +s.shift.toFixed(12)])).toEqual([[0, 1, 2]])
  })

  it("a quarterly release in a monthly model and a rate indicator", () => {
    const p = run(tiny, foldOk(tiny, [observe("q", "ind", "2024-Q1", 2), observe("c", "cpi", "2024-Q2", 3)]))
    expect(growthOf(p, "ind").slice(0, 3).map((x) => +x.toFixed(12))).toEqual([2, 2, 2])
    expect(growthOf(p, "cpi").slice(0, 6).map((x) => +x.toFixed(12))).toEqual([3, 3, 3, 3, 3, 3])
    expect(p.indicators.find((i) => i.id === "cpi")!.path[5].ytd.p50).toBeCloseTo(3, 12)
  })

  it("refuses a release whose resolved growth would imply a negative level, naming it", () => {
    // fai 155, 5 (a shock of +150 in January); Jan-Feb ytd -60 needs s = -140: February -135 %
    const s = foldOk(tiny, [shock("s", "fai", 150, "2024-01", "2024-01"), observe("o", "fai", "2024-02", -60)])
    try {
      run(tiny, s)
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(EventError)
      expect((e as EventError).id).toBe("o")
      expect((e as EventError).path).toEqual(["ytd"])
      expect((e as EventError).problem).toMatch(/negative level of fai in 2024-02/)
    }
  })
})

describe("releases in Monte Carlo, goal-seek and multipliers", () => {
  const model = compiled(linearModel())
  const certain = compiled(linearModel(false))

  it("forced onto the releases (conditioning: exogenize), every draw sees the same fixed values: observed periods have point bands at the deterministic value", () => {
    const s = stateOf(observe("h1", "y", "2024-Q2", 8))
    const det = project(model, s, { draws: 0, seed: 3, scenario: "s" })
    const mc = project(model, s, { draws: 500, seed: 3, scenario: "s", conditioning: "exogenize" })
    for (const t of [0, 1]) {
      const b = mc.indicators[0].path[t].ytd
      expect(b.p05).toBeCloseTo(det.indicators[0].path[t].ytd.p50, 12)
      expect(b.p95).toBeCloseTo(det.indicators[0].path[t].ytd.p50, 12)
    }
    expect(mc.indicators[0].path[1].ytd.p50).toBeCloseTo(8, 12)
    expect(mc.indicators[0].annual.p95).toBeGreaterThan(mc.indicators[0].annual.p05)
  })

  it("a goal-seek answer fed back as a shock event reproduces the target with releases in the scenario", () => {
    const s = stateOf(observe("q1", "y", "2024-Q1", 7), observe("c2", "c", "2024-Q2", 4))
    for (const variable of ["c", "z", "y"]) {
      const r = seek(certain, s, { target: "y", shock: variable, draws: 0, seed: 1 })
      const back = project(certain, stateOf(...s.events, { id: "answer", type: "shock", indicator: variable, value: r.value }), { draws: 0, seed: 1, scenario: "s" })
      expect(back.indicators[0].annual.p50).toBeCloseTo(9, 7)
    }
  })

  it("set-parameter with only a value moves a uniform parameter's draws with it", () => {
    const m = compiled(linearModel(false, { parameters: { a: { value: 0.5 }, b: { value: 0.6 }, d: { value: 0.3 }, k: { value: 2, uncertainty: { dist: "uniform", min: 1, max: 3 } } } }))
    const base = project(m, emptyState, { draws: 2000, seed: 5, scenario: "s" })
    const moved = project(m, stateOf({ id: "k", type: "set-parameter", parameter: "k", value: 4 }), { draws: 2000, seed: 5, scenario: "s" })
    const centred = project(m, stateOf({ id: "k", type: "set-parameter", parameter: "k", value: 4 }), { draws: 0, seed: 5, scenario: "s" })
    // r = 0.2 y + 1 is linear in k: the whole band moves as the deterministic value does, and keeps its width
    const shiftDet = centred.indicators[2].annual.p50 - project(m, emptyState, { draws: 0, seed: 5, scenario: "s" }).indicators[2].annual.p50
    const b0 = base.indicators[2].annual
    const b1 = moved.indicators[2].annual
    expect(b1.p05 - b0.p05).toBeCloseTo(shiftDet, 9)
    expect(b1.p95 - b0.p95).toBeCloseTo(shiftDet, 9)
    expect(b1.mean - b0.mean).toBeCloseTo(shiftDet, 9)
  })
})

describe("releases with calendar-day weights (calendar.days)", () => {
  // tiny with a leap day: fai's profile 1,1,... so Jan-Feb's base is 2 and its 2024 weight 1 + 29/28
  const leapInput = { ...tinyInput, calendar: { ...tinyInput.calendar, days: true } }
  const leap = compile(Model.parse(leapInput))
  const ytdOf = (p: Projection, id: string, t: number): number => p.indicators.find((i) => i.id === id)!.path[t]!.ytd.p50

  it("shows the leap day in the deterministic Jan-Feb ytd and fixes per-day growth from a release", () => {
    const none = run(leap, emptyState)
    // fai = 5% per day: Jan-Feb level (1 + 29/28) * 1.05 over base 2
    expect(ytdOf(none, "fai", 1)).toBeCloseTo(100 * (((1 + 29 / 28) * 1.05) / 2 - 1), 12)
    expect(ytdOf(none, "fai", 0)).toBeCloseTo(5, 12)
    expect(ytdOf(run(tiny, emptyState), "fai", 1)).toBeCloseTo(5, 12)
    const p = run(leap, foldOk(leap, [observe("o2", "fai", "2024-02", -6.5)]))
    expect(ytdOf(p, "fai", 1)).toBeCloseTo(-6.5, 10)
    const g = growthOf(p, "fai")
    expect(g[0]).toBeCloseTo(100 * ((2 * 0.935) / (1 + 29 / 28) - 1), 10)
    expect(g[1]).toBeCloseTo(g[0]!, 10)
  })

  it("weighs draws by a release on the published (day-weighted) ytd: the posterior annual follows the per-day growth it implies", () => {
    const withError = compile(
      Model.parse({
        ...leapInput,
        indicators: leapInput.indicators!.map((i) => (i.id === "fai" ? { ...i, error: { dist: "normal" as const, sd: 5 }, release: { sd: 0.05 } } : i)),
      }),
    )
    const p = project(withError, foldOk(withError, [observe("o2", "fai", "2024-02", -6.5)]), { draws: 2000, seed: 7, scenario: "t" })
    // the error persists (one draw per run), so the release pins the per-day growth of every month
    // and the annual: a constant per-day growth g with (1 + g)(1 + 29/28) / 2 = 0.935
    const g = 100 * ((2 * 0.935) / (1 + 29 / 28) - 1)
    const b = indicatorProfile(withError.model.indicators[0]!, withError.model.calendar, 12)
    const annual = annualGrowth("flow", b, new Array(12).fill(g))
    expect(Math.abs(p.indicators.find((i) => i.id === "fai")!.annual.p50 - annual)).toBeLessThan(0.1)
  })
})
