// Properties of scenario events that need the projection (engine/project/project.ts) of a tiny
// model where fai = ext + 2, ind = 1 + 0.1 ext, construction = beta fai, gdp = 0.5 construction
// + gamma ind (positive coefficients): a positive shock never lowers the shocked indicator nor
// those depending on it and leaves independent ones alone; a zero shock changes nothing;
// observing the value the model already projects changes nothing; a retract restores the
// projection. Deterministic runs (0 draws).
import { fc, test } from "@fast-check/vitest"
import { describe, expect, it } from "vitest"
import { project, type Projection } from "../../../engine/project/project.ts"
import { extend, fold } from "../../../engine/scenario/fold.ts"
import { emptyState, type ScenarioState } from "../../../engine/scenario/state.ts"
import { validStream } from "../../support/events.ts"
import { tiny } from "./fixtures.ts"

// Base scenarios without set-parameter, so that beta and gamma stay positive.
const base = validStream(tiny, { kinds: ["shock", "zero", "measure", "observe", "retract"] }).map((events) => {
  const r = fold(tiny, events)
  expect(r.rejected).toEqual([])
  return r.state
})
const run = (s: ScenarioState): Projection => project(tiny, s, { draws: 0, seed: 1, scenario: "x" })
const annual = (p: Projection) => Object.fromEntries(p.indicators.map((i) => [i.id, i.annual.mean]))
const withEvent = (s: ScenarioState, e: object): ScenarioState => {
  const r = extend(tiny, s, [e])
  expect(r.rejected).toEqual([])
  return r.state
}
const hasReleases = (s: ScenarioState) => s.events.some((e) => e.type === "observe")
const TOL = 1e-9

/** Who depends on whom with positive coefficients; `independent` must not move. */
const dependents: Record<string, { up: string[]; independent: string[] }> = {
  fai: { up: ["fai", "gdp"], independent: ["ind", "cpi"] },
  ind: { up: ["ind", "gdp"], independent: ["fai", "cpi"] },
  construction: { up: ["gdp"], independent: ["fai", "ind", "cpi"] },
  ext: { up: ["fai", "ind", "gdp"], independent: ["cpi"] },
}

describe("projection properties of events", () => {
  test.prop([base, fc.constantFrom(...Object.keys(dependents)), fc.integer({ min: 1, max: 40 }), fc.nat(), fc.nat()])(
    "a positive shock never lowers the shocked indicator nor its positive dependents",
    (s, variable, size, from, to) => {
      const T = tiny.periods.length
      const [a, b] = [from % T, to % T].sort((x, y) => x - y)
      // A shock ending inside observed periods makes their surprise smaller and that surprise
      // carries forward (the model's stated rule), so with releases the shock runs to the horizon's end.
      const span = hasReleases(s) ? { from: tiny.periods[a] } : { from: tiny.periods[a], to: tiny.periods[b] }
      const before = annual(run(s))
      const after = annual(run(withEvent(s, { id: "up", type: "shock", indicator: variable, value: size / 4, ...span })))
      for (const id of dependents[variable].up) expect(after[id]).toBeGreaterThanOrEqual(before[id] - TOL)
      for (const id of dependents[variable].independent) expect(after[id]).toBeCloseTo(before[id], 12)
    },
  )

  test.prop([base, fc.nat()])("a zero shock changes nothing", (s, pick) => {
    const variables = [...tiny.endogenous, ...tiny.exogenous]
    const before = run(s)
    const after = run(withEvent(s, { id: "zero", type: "shock", indicator: variables[pick % variables.length], value: 0 }))
    expect({ ...after, events: null }).toEqual({ ...before, events: null })
    expect(after.events.applied).toBe(before.events.applied + 1)
  })

  // One release fixes its periods at one common growth, so "the value the model projects" is
  // its year-to-date growth for every period up to the one observed (a release each period).
  test.prop([base, fc.nat(), fc.nat()])("observing the values the model already projects changes nothing", (s, pickIndicator, pickPeriod) => {
    const before = run(s)
    const indicator = before.indicators[pickIndicator % before.indicators.length]
    const through = pickPeriod % before.periods.length
    const releases = indicator.path.slice(0, through + 1).map((p, t) => ({ id: `seen${t}`, type: "observe", indicator: indicator.id, through: p.period, ytd: p.ytd.p50 }))
    const r = extend(tiny, s, releases)
    expect(r.rejected).toEqual([])
    const after = run(r.state)
    before.indicators.forEach((i, k) => {
      const j = after.indicators[k]
      expect(j.annual.mean).toBeCloseTo(i.annual.mean, 8)
      i.path.forEach((p, m) => expect(j.path[m].ytd.p50).toBeCloseTo(p.ytd.p50, 8))
    })
    expect(after.indicators.find((i) => i.id === indicator.id)!.path[through].observed).toBe(true)
  })

  it("one release where the projected growth is flat so far changes nothing", () => {
    // Without events the tiny model's growths are constant, so one release through June suffices.
    const before = run(emptyState)
    for (const indicator of before.indicators) {
      const after = run(withEvent(emptyState, { id: "seen", type: "observe", indicator: indicator.id, through: "2024-06", ytd: indicator.path[5].ytd.p50 }))
      before.indicators.forEach((i, k) => expect(after.indicators[k].annual.mean).toBeCloseTo(i.annual.mean, 10))
    }
  })

  test.prop([base, fc.nat()])("retracting an event restores the projection without it", (s, pick) => {
    const live = s.events.filter((e) => e.type !== "retract" && !s.retracted.has(e.id))
    fc.pre(live.length > 0)
    const target = live[pick % live.length]
    const retracted = run(withEvent(s, { id: "undo", type: "retract", event: target.id }))
    const without = run(fold(tiny, s.events.filter((e) => e.id !== target.id && !(e.type === "retract" && e.event === target.id))).state)
    expect(retracted.indicators).toEqual(without.indicators)
    expect(retracted.events.applied).toBe(without.events.applied)
  })
})
