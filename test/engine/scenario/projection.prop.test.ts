// Properties of scenario events that need the projection (engine/project/project.ts) of a tiny
// model where fai = ext + 2, ind = 1 + 0.1 ext, construction = beta fai, gdp = 0.5 construction
// + gamma ind (positive coefficients): a positive shock never lowers the shocked indicator nor
// those depending on it and leaves independent ones alone; a zero shock changes nothing;
// observing the value the model already projects changes nothing, and every release is met
// exactly; a retract restores the projection. Deterministic runs (0 draws).
import { fc, test } from "@fast-check/vitest"
import { describe, expect, it } from "vitest"
import { project } from "../../../engine/project/project.ts"
import type { Projection } from "../../../engine/schema/projection.ts"
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
      // With releases the shock starts after the last observed period and runs to the horizon's
      // end: inside an observed segment a shock redistributes the segment's growth (its total is
      // data), which can lower a dependent weighting the segment's periods otherwise; and a shock
      // ending inside observed periods makes their surprise smaller, which carries forward.
      let lastObserved = -1
      for (const e of s.events) if (e.type === "observe" && !s.retracted.has(e.id)) lastObserved = Math.max(lastObserved, tiny.periods.indexOf(e.through))
      const span = hasReleases(s) ? { from: tiny.periods[Math.min(T - 1, Math.max(a, lastObserved + 1))] } : { from: tiny.periods[a], to: tiny.periods[b] }
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

  // Releases of exactly the projected ytd, for one period or for multi-period segments, through
  // periods after the indicator's last release (a release inside an observed segment splits it
  // and redistributes it: see engine/project/observe.ts).
  test.prop([base, fc.nat(), fc.uniqueArray(fc.nat(11), { minLength: 1, maxLength: 3 })])(
    "observing the values the model already projects changes nothing",
    (s, pickIndicator, picks) => {
      const before = run(s)
      const indicator = before.indicators[pickIndicator % before.indicators.length]
      let last = -1
      for (const e of s.events)
        if (e.type === "observe" && e.indicator === indicator.id && !s.retracted.has(e.id)) last = Math.max(last, tiny.periods.indexOf(e.through))
      const throughs = picks.map((k) => last + 1 + (k % (12 - last - 1 || 1))).filter((t) => t > last && t < 12)
      fc.pre(last < 11 && throughs.length > 0)
      const releases = [...new Set(throughs)].map((t) => ({ id: `seen${t}`, type: "observe", indicator: indicator.id, through: tiny.periods[t], ytd: indicator.path[t].ytd.p50 }))
      const r = extend(tiny, s, releases)
      expect(r.rejected).toEqual([])
      const after = run(r.state)
      before.indicators.forEach((i, k) => {
        const j = after.indicators[k]
        expect(Math.abs(j.annual.mean - i.annual.mean)).toBeLessThanOrEqual(TOL)
        i.path.forEach((p, m) => expect(Math.abs(j.path[m].growth - p.growth)).toBeLessThanOrEqual(TOL))
      })
      for (const [v, path] of Object.entries(before.solution.variables)) path.forEach((x, t) => expect(Math.abs(after.solution.variables[v][t] - x)).toBeLessThanOrEqual(TOL))
      for (const t of throughs) expect(after.indicators.find((i) => i.id === indicator.id)!.path[t].observed).toBe(true)
    },
  )

  test.prop([base])("every release in effect is reproduced exactly by the projection's ytd", (s) => {
    const p = run(s)
    const latest = new Map<string, number>()
    for (const e of s.events) if (e.type === "observe" && !s.retracted.has(e.id)) latest.set(`${e.indicator} ${e.through}`, e.ytd)
    for (const [key, ytd] of latest) {
      const [id, through] = key.split(" ")
      const point = p.indicators.find((i) => i.id === id)!.path[tiny.periods.indexOf(through)]
      expect(point.observed).toBe(true)
      expect(Math.abs(point.ytd.p50 - ytd)).toBeLessThanOrEqual(TOL)
    }
  })

  it("Jan-Feb then Jan-May releases of the projected ytds change nothing on an uneven path", () => {
    const s = withEvent(emptyState, { id: "bump", type: "shock", indicator: "ext", value: 3, from: "2024-02", to: "2024-04" })
    const before = run(s)
    for (const indicator of before.indicators) {
      const r = extend(tiny, s, [
        { id: "feb", type: "observe", indicator: indicator.id, through: "2024-02", ytd: indicator.path[1].ytd.p50 },
        { id: "may", type: "observe", indicator: indicator.id, through: "2024-05", ytd: indicator.path[4].ytd.p50 },
      ])
      expect(r.rejected).toEqual([])
      const after = run(r.state)
      for (const [v, path] of Object.entries(before.solution.variables)) path.forEach((x, t) => expect(after.solution.variables[v][t]).toBeCloseTo(x, 10))
    }
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

// Revisions (engine/scenario/fold.ts): a later release of the same indicator and period
// replaces the earlier one. Releases are drawn around one hidden path per indicator, each
// (indicator, period) pair released one to three times; a log the fold refuses (a revision
// implying a negative level) is skipped.
const revisedLog = fc
  .record({
    paths: fc.array(fc.array(fc.integer({ min: -100, max: 150 }).map((x) => x / 10), { minLength: 12, maxLength: 12 }), { minLength: 4, maxLength: 4 }),
    pairs: fc.uniqueArray(fc.record({ i: fc.nat(3), t: fc.nat(11) }), { selector: (p) => `${p.i} ${p.t}`, minLength: 1, maxLength: 8 }),
    revisions: fc.array(fc.array(fc.integer({ min: -20, max: 20 }).map((x) => x / 10), { minLength: 1, maxLength: 3 }), { minLength: 8, maxLength: 8 }),
    keys: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 24, maxLength: 24 }),
  })
  .map(({ paths, pairs, revisions, keys }) => {
    const events: { id: string; type: "observe"; indicator: string; through: string; ytd: number; pair: string }[] = []
    pairs.forEach(({ i, t }, k) => {
      const indicator = tiny.model.indicators[i]
      const path = paths[i]
      // near the path's year-to-date growth (its plain mean: a value to revise around, not a model quantity)
      const ytd = path.slice(0, t + 1).reduce((a, b) => a + b, 0) / (t + 1)
      revisions[k].forEach((d, r) => events.push({ id: `rel-${i}-${t}-${r}`, type: "observe", indicator: indicator.id, through: tiny.periods[t], ytd: ytd + d, pair: `${i} ${t}` }))
    })
    return { events, keys }
  })
const strip = ({ pair: _p, ...e }: { pair: string } & Record<string, unknown>) => e

describe("revisions", () => {
  test.prop([revisedLog])("a revised value replaces the old one: the projection equals the log with only the latest value of each pair", ({ events }) => {
    const all = fold(tiny, events.map(strip))
    fc.pre(all.rejected.length === 0)
    const latest = new Map(events.map((e) => [e.pair, e]))
    const only = fold(tiny, [...latest.values()].map(strip))
    expect(only.rejected).toEqual([])
    expect(run(all.state).indicators).toEqual(run(only.state).indicators)
    expect(all.state.events).toHaveLength(events.length)
  })

  test.prop([revisedLog])("replaying the log in any order of distinct (indicator, period) pairs gives the same projection", ({ events, keys }) => {
    const all = fold(tiny, events.map(strip))
    fc.pre(all.rejected.length === 0)
    // shuffle the pairs, keeping each pair's own releases in their order
    const order = [...new Set(events.map((e) => e.pair))].map((pair, k) => ({ pair, key: keys[k % keys.length] + k * 1e-9 })).sort((a, b) => a.key - b.key)
    const shuffled = order.flatMap(({ pair }) => events.filter((e) => e.pair === pair))
    const other = fold(tiny, shuffled.map(strip))
    expect(other.rejected).toEqual([])
    const opts = { draws: 64, seed: 3, scenario: "x" }
    expect(project(tiny, other.state, opts).indicators).toEqual(project(tiny, all.state, opts).indicators)
  })

  it("a revision moves the projection to the revised value; retracting it moves it back", () => {
    const first = withEvent(emptyState, { id: "o1", type: "observe", indicator: "ind", through: "2024-03", ytd: 4 })
    const revised = withEvent(first, { id: "o2", type: "observe", indicator: "ind", through: "2024-03", ytd: 5 })
    const ytdOf = (p: Projection) => p.indicators.find((i) => i.id === "ind")!.path[2].ytd.p50
    expect(ytdOf(run(first))).toBeCloseTo(4, 12)
    expect(ytdOf(run(revised))).toBeCloseTo(5, 12)
    expect(run(withEvent(revised, { id: "r", type: "retract", event: "o2" })).indicators).toEqual(run(first).indicators)
  })
})
