// Unit tests of the attribution (engine/project/attribution.ts): the players, exact Shapley
// values of interacting events, retracts, revisions of releases, groups and the cap, with a
// hand-made projection and with the real deterministic projection of a tiny model.
import { describe, expect, it } from "vitest"
import { attribute, groupByRelease, players, type Run } from "../../../engine/project/attribution.ts"
import { project } from "../../../engine/project/project.ts"
import { extend, fold } from "../../../engine/scenario/fold.ts"
import { toInputs } from "../../../engine/scenario/inputs.ts"
import { emptyState, type ScenarioState } from "../../../engine/scenario/state.ts"
import { OptionError } from "../../../engine/errors.ts"
import { tiny } from "../scenario/fixtures.ts"

const ok = (events: unknown[], from: ScenarioState = emptyState): ScenarioState => {
  const r = extend(tiny, from, events)
  expect(r.rejected).toEqual([])
  return r.state
}
const T = tiny.periods.length
const nEndo = tiny.endogenous.length
const meanAf = (s: ScenarioState, v: string) => {
  const x = toInputs(tiny, s)
  const j = tiny.endogenous.indexOf(v)
  let sum = 0
  for (let t = 0; t < T; t++) sum += x.addFactors[t * nEndo + j]
  return sum / T
}
/** A hand-made projection: gdp = (1 + fai shock)(1 + ind shock) - 1, ind = its shock. */
const productRun: Run = (s) => ({ gdp: (1 + meanAf(s, "fai")) * (1 + meanAf(s, "ind")) - 1, ind: meanAf(s, "ind") })
const realRun: Run = (s) => Object.fromEntries(project(tiny, s, { draws: 0, seed: 1, scenario: "x" }).indicators.map((i) => [i.id, i.annual.mean]))
const shock = (id: string, indicator: string, value: number) => ({ id, type: "shock", indicator, value })
const sumOf = (cs: readonly { value: number }[]) => cs.reduce((s, c) => s + c.value, 0)

describe("players", () => {
  it("added, removed by retract, removed, changed; metadata does not make an event differ", () => {
    const against = ok([shock("a", "fai", 1), shock("b", "fai", 1), shock("c", "ind", 1), { id: "p", type: "set-parameter", parameter: "beta", value: 0.5 }, shock("n", "gdp", 1)])
    const scenario = fold(tiny, [
      shock("a", "fai", 1),
      { ...shock("n", "gdp", 1), note: "same meaning", source: "elsewhere", scenario: "alt" },
      { id: "p", type: "set-parameter", parameter: "beta", value: 0.6 },
      shock("c", "ind", 1),
      { id: "r", type: "retract", event: "c" },
      shock("d", "ind", 2),
    ]).state
    expect(players(against, scenario).map((p) => [p.id, p.change, p.retracts])).toEqual([
      ["b", "removed", undefined],
      ["r", "removed", "c"],
      ["p", "changed", undefined],
      ["d", "added", undefined],
    ])
  })
})

describe("attribute", () => {
  it("exact Shapley values of two interacting shocks", () => {
    const base = ok([])
    const scenario = ok([shock("a", "fai", 1), shock("b", "ind", 2)], base)
    // v(0) = 0, v(a) = 1, v(b) = 2, v(ab) = 5: phi_a = (1 + 3)/2 = 2, phi_b = (2 + 4)/2 = 3
    const r = attribute(tiny, base, scenario, productRun, { scenario: "alt", against: "baseline" })
    expect(r).toEqual({
      scenario: "alt",
      against: "baseline",
      method: "shapley",
      indicators: [
        { id: "ind", total: 2, contributions: [{ event: "a", value: 0, change: "added" }, { event: "b", value: 2, change: "added" }] },
        { id: "gdp", total: 5, contributions: [{ event: "a", value: 2, change: "added" }, { event: "b", value: 3, change: "added" }] },
      ],
    })
  })

  it("runs the projection once per subset, the endpoints on the scenarios' own states", () => {
    const base = ok([shock("x", "gdp", 1)])
    const scenario = ok([shock("a", "fai", 1), shock("b", "ind", 2), shock("c", "fai", -1)], base)
    const seen: ScenarioState[] = []
    attribute(tiny, base, scenario, (s) => (seen.push(s), productRun(s)), { scenario: "s", against: "b" })
    expect(seen).toHaveLength(8)
    expect(seen[0]).toBe(base)
    expect(seen[7]).toBe(scenario)
    // every subset keeps the common event
    for (const s of seen) expect(s.events.some((e) => e.id === "x")).toBe(true)
  })

  it("a retracted base event counts under the retract's id, with the opposite sign", () => {
    const base = ok([shock("a", "fai", 1), shock("b", "ind", 2)])
    const scenario = ok([{ id: "r", type: "retract", event: "b" }], base)
    const r = attribute(tiny, base, scenario, productRun, { scenario: "s", against: "base" })
    const gdp = r.indicators.find((i) => i.id === "gdp")!
    // v(base) = 2*3 - 1 = 5; v(scenario) = 2 - 1 = 1
    expect(gdp.total).toBe(-4)
    expect(gdp.contributions).toEqual([{ event: "r", value: -4, change: "removed", retracts: "b" }])
  })

  it("with the real projection: a shock and a parameter change interact through beta * fai", () => {
    const base = ok([])
    const scenario = ok([shock("s", "fai", 1), { id: "p", type: "set-parameter", parameter: "beta", value: 0.8 }], base)
    const r = attribute(tiny, base, scenario, realRun, { scenario: "s", against: "base" })
    const gdp = r.indicators.find((i) => i.id === "gdp")!
    // gdp = 0.5 * beta * fai + ind; fai 5 -> 6, beta 0.4 -> 0.8: v = 0, 0.2, 1.0, 1.4
    expect(gdp.total).toBeCloseTo(1.4, 10)
    expect(gdp.contributions.map((c) => [c.event, +c.value.toFixed(10)])).toEqual([
      ["s", 0.3],
      ["p", 1.1],
    ])
    const fai = r.indicators.find((i) => i.id === "fai")!
    expect(fai.contributions.map((c) => +c.value.toFixed(10))).toEqual([1, 0])
    expect(r.indicators.map((i) => i.id)).toEqual(tiny.model.indicators.map((i) => i.id))
  })

  it("a revised release (retract and new release for the same period) builds valid subsets", () => {
    const base = ok([{ id: "o1", type: "observe", indicator: "ind", through: "2024-03", ytd: 4 }])
    const scenario = ok([{ id: "r1", type: "retract", event: "o1" }, { id: "o2", type: "observe", indicator: "ind", through: "2024-03", ytd: 5 }], base)
    const r = attribute(tiny, base, scenario, realRun, { scenario: "s", against: "base" })
    for (const i of r.indicators) expect(sumOf(i.contributions)).toBeCloseTo(i.total, 10)
    const ind = r.indicators.find((i) => i.id === "ind")!
    expect(ind.total).toBeGreaterThan(0)
    expect(ind.contributions.map((c) => c.event)).toEqual(["r1", "o2"])
  })

  it("a changed parameter event that a common later one overrides in both scenarios contributes nothing", () => {
    // beta is 0.6 in both scenarios (q comes after p in each); only the shock moves gdp
    const setBeta = (id: string, value: number) => ({ id, type: "set-parameter", parameter: "beta", value })
    const base = ok([setBeta("p", 0.5), setBeta("q", 0.6)])
    const scenario = ok([setBeta("p", 0.7), setBeta("q", 0.6), shock("a", "fai", 1)])
    const r = attribute(tiny, base, scenario, realRun, { scenario: "s", against: "base" })
    const gdp = r.indicators.find((i) => i.id === "gdp")!
    // gdp = 0.5 * 0.6 * fai + ind: fai 5 -> 6 adds 0.3
    expect(gdp.total).toBeCloseTo(0.3, 10)
    expect(gdp.contributions.map((c) => [c.event, c.change, +c.value.toFixed(10)])).toEqual([
      ["p", "changed", 0],
      ["a", "added", 0.3],
    ])
  })

  it("a scenario against itself: no contributions, zero totals", () => {
    const s = ok([shock("a", "fai", 1)])
    const r = attribute(tiny, s, s, realRun, { scenario: "s", against: "s" })
    for (const i of r.indicators) expect(i).toMatchObject({ total: 0, contributions: [] })
  })

  it("refuses more events than the cap, and groups them on request", () => {
    const releases = ["2024-01", "2024-02", "2024-03"].flatMap((p, k) =>
      ["fai", "ind", "gdp"].map((ind) => ({ id: `${ind}-${p}`, type: "observe", indicator: ind, through: p, ytd: k + 1 })),
    )
    const base = ok([])
    const scenario = ok(releases, base)
    let err: unknown
    try {
      attribute(tiny, base, scenario, productRun, { scenario: "s", against: "b", maxPlayers: 4 })
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(OptionError)
    expect((err as OptionError).problem).toMatch(/9 events differ/)
    const r = attribute(tiny, base, scenario, realRun, { scenario: "s", against: "b", maxPlayers: 4, groupBy: groupByRelease })
    const gdp = r.indicators.find((i) => i.id === "gdp")!
    expect(gdp.contributions.map((c) => [c.event, c.events])).toEqual([
      ["releases through 2024-01", ["fai-2024-01", "ind-2024-01", "gdp-2024-01"]],
      ["releases through 2024-02", ["fai-2024-02", "ind-2024-02", "gdp-2024-02"]],
      ["releases through 2024-03", ["fai-2024-03", "ind-2024-03", "gdp-2024-03"]],
    ])
    expect(sumOf(gdp.contributions)).toBeCloseTo(gdp.total, 10)
  })

  it("fails loudly when the projection omits an indicator", () => {
    const base = ok([])
    const scenario = ok([shock("a", "fai", 1)], base)
    expect(() => attribute(tiny, base, scenario, (s): Record<string, number> => (s === base ? { gdp: 1 } : { gdp: 1, ind: 2 }), { scenario: "s", against: "b" })).toThrow(/"ind"/)
  })
})
