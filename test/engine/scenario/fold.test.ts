// Unit tests of the fold (engine/scenario/fold.ts, state.ts): each refusal with its id, index,
// path and reason; duplicates; retract; asOf; a scenario extending a base.
import { describe, expect, it } from "vitest"
import { applyEvent, extend, fold } from "../../../engine/scenario/fold.ts"
import { asOf, appliedCount, effective, emptyState, type ScenarioState } from "../../../engine/scenario/state.ts"
import { decodeEvent } from "../../../engine/scenario/decode.ts"
import { EventError } from "../../../engine/errors.ts"
import { quarterly, tiny, tinyInput, viewOf } from "./fixtures.ts"

const ok = (events: unknown[], from: ScenarioState = emptyState): ScenarioState => {
  const r = fold(tiny, events, from)
  expect(r.rejected).toEqual([])
  return r.state
}
const refused = (events: unknown[], model = tiny): EventError => {
  const r = fold(model, events)
  expect(r.rejected).toHaveLength(1)
  return r.rejected[0]
}
const ids = (s: ScenarioState) => effective(s).map((e) => e.id)

const shock = (id: string, extra: object = {}) => ({ id, type: "shock", indicator: "fai", value: 1, ...extra })
const observe = (id: string, indicator: string, through: string, ytd: number) => ({ id, type: "observe", indicator, through, ytd })

describe("fold: accepted events", () => {
  it("applies shocks on indicators, auxiliary variables and exogenous series", () => {
    const s = ok([shock("a"), shock("b", { indicator: "construction" }), shock("c", { indicator: "ext", from: "2024-03", to: "2025-06" })])
    expect(ids(s)).toEqual(["a", "b", "c"])
    expect(appliedCount(s)).toBe(3)
  })

  it("accepts coarser period labels covering horizon periods", () => {
    ok([shock("q", { from: "2024-Q2", to: "2024-Q3" }), shock("y", { from: "2024", to: "2024" }), observe("o", "ind", "2024-Q1", 3)])
  })

  it("accepts set-parameter, measure, consistent repeated releases and an earlier consistent release", () => {
    const s = ok([
      { id: "p", type: "set-parameter", parameter: "beta", value: 0.5 },
      { id: "m", type: "measure", name: "push", effects: [{ indicator: "gdp", value: 0.3 }, { indicator: "ext", value: -1 }] },
      observe("o3", "ind", "2024-03", 4),
      observe("o3bis", "ind", "2024-03", 4),
      observe("o2", "ind", "2024-02", 2),
    ])
    expect(ids(s)).toEqual(["p", "m", "o3", "o3bis", "o2"])
  })
})

describe("fold: refusals", () => {
  const cases: [string, unknown[], { index: number; id?: string; path: (string | number)[]; problem: RegExp }][] = [
    ["unknown variable", [shock("a", { indicator: "nope" })], { index: 0, id: "a", path: ["indicator"], problem: /unknown indicator or variable "nope"/ }],
    ["unknown variable in a measure", [{ id: "m", type: "measure", name: "x", effects: [{ indicator: "gdp", value: 1 }, { indicator: "zz", value: 1 }] }], { index: 0, id: "m", path: ["effects", 1, "indicator"], problem: /"zz"/ }],
    ["unknown parameter", [{ id: "p", type: "set-parameter", parameter: "alpha", value: 1 }], { index: 0, id: "p", path: ["parameter"], problem: /unknown parameter "alpha"/ }],
    ["from outside the horizon", [shock("a", { from: "2023-12" })], { index: 0, id: "a", path: ["from"], problem: /outside the horizon 2024-01..2025-06/ }],
    ["to outside the horizon", [shock("a", { to: "2025-07" })], { index: 0, id: "a", path: ["to"], problem: /outside the horizon/ }],
    ["quarter partly outside the horizon", [shock("a", { to: "2025-Q3" })], { index: 0, id: "a", path: ["to"], problem: /outside the horizon/ }],
    ["from after to", [shock("a", { from: "2024-05", to: "2024-04" })], { index: 0, id: "a", path: ["to"], problem: /before/ }],
    ["sd and uncertainty together", [shock("a", { sd: 1, uncertainty: { dist: "normal", sd: 1 } })], { index: 0, id: "a", path: ["uncertainty"], problem: /either/ }],
    ["observe of an auxiliary variable", [observe("o", "construction", "2024-02", 1)], { index: 0, id: "o", path: ["indicator"], problem: /not an indicator/ }],
    ["observe of an exogenous series", [observe("o", "ext", "2024-02", 1)], { index: 0, id: "o", path: ["indicator"], problem: /not an indicator/ }],
    ["observe of an unknown indicator", [observe("o", "xyz", "2024-02", 1)], { index: 0, id: "o", path: ["indicator"], problem: /unknown indicator/ }],
    ["observe after the plan year", [observe("o", "fai", "2025-01", 1)], { index: 0, id: "o", path: ["through"], problem: /after the plan year/ }],
    ["observe outside the horizon", [observe("o", "fai", "2026-01", 1)], { index: 0, id: "o", path: ["through"], problem: /outside the horizon/ }],
    ["a conflicting payload under a seen id", [observe("o1", "ind", "2024-03", 4), observe("o1", "ind", "2024-03", 4.1)], { index: 1, id: "o1", path: [], problem: /^conflicts with the event already in the log under this id \(ytd: 4 in the log, 4.1 here\)/ }],
    ["a shock with other content under a seen id", [shock("a"), shock("a", { value: 99, note: "x" })], { index: 1, id: "a", path: [], problem: /note: absent in the log, "x" here; value: 1 in the log, 99 here/ }],
    ["a conflict with a retracted event", [shock("a"), { id: "r", type: "retract", event: "a" }, shock("a", { value: 2 })], { index: 2, id: "a", path: [], problem: /conflicts/ }],
    ["a revision implying a negative level", [observe("o1", "ind", "2024-02", 10), observe("o2", "ind", "2024-03", 0), observe("o3", "ind", "2024-02", 60)], { index: 2, id: "o3", path: ["ytd"], problem: /negative level in 2024-03..2024-03/ }],
    ["negative level at once", [observe("o", "ind", "2024-02", -100.5)], { index: 0, id: "o", path: ["ytd"], problem: /negative level in 2024-01..2024-02/ }],
    // flat profile: ytd 50 through Feb is a level of 3 base-months; ytd -60 through Mar is 1.2 < 3.
    ["negative level implied by a later release", [observe("o1", "ind", "2024-02", 50), observe("o2", "ind", "2024-03", -60)], { index: 1, id: "o2", path: ["ytd"], problem: /negative level in 2024-03..2024-03/ }],
    ["negative level implied by an earlier release", [observe("o1", "ind", "2024-03", -60), observe("o2", "ind", "2024-02", 50)], { index: 1, id: "o2", path: ["ytd"], problem: /negative level in 2024-03..2024-03/ }],
    ["retract of an unknown id", [{ id: "r", type: "retract", event: "ghost" }], { index: 0, id: "r", path: ["event"], problem: /unknown event "ghost"/ }],
    ["retract of a later event", [{ id: "r", type: "retract", event: "a" }, shock("a")], { index: 0, id: "r", path: ["event"], problem: /unknown event/ }],
    ["retract twice", [shock("a"), { id: "r1", type: "retract", event: "a" }, { id: "r2", type: "retract", event: "a" }], { index: 2, id: "r2", path: ["event"], problem: /already retracted/ }],
    ["retract of a retract", [shock("a"), { id: "r1", type: "retract", event: "a" }, { id: "r2", type: "retract", event: "r1" }], { index: 2, id: "r2", path: ["event"], problem: /a retract cannot be retracted/ }],
    ["schema failure", [shock("a"), { id: "b", type: "shock", indicator: "fai" }], { index: 1, id: "b", path: ["value"], problem: /required/ }],
  ]
  for (const [name, events, expected] of cases) {
    it(name, () => {
      const err = refused(events)
      expect(err).toMatchObject({ _tag: "EventError", index: expected.index, id: expected.id, path: expected.path })
      expect(err.problem).toMatch(expected.problem)
    })
  }

  it("a misspelt retract target gets the closest retractable ids, in files and through applyEvent alike", () => {
    const events = [shock("fai-slump"), shock("fai-boost"), { id: "r0", type: "retract", event: "fai-boost" }, { id: "r", type: "retract", event: "fai-slmup" }]
    const r = fold(tiny, events)
    expect(r.rejected).toHaveLength(1)
    // fai-boost is already retracted and r0 is a retract: neither is offered
    expect(r.rejected[0]!.problem).toBe('unknown event "fai-slmup" (did you mean "fai-slump"?): only an earlier event can be retracted')
    const s = ok(events.slice(0, 3))
    const err = (() => {
      try {
        applyEvent(tiny, s, decodeEvent({ id: "r", type: "retract", event: "fai-slmup" }))
      } catch (x) {
        return x as EventError
      }
    })()
    expect(err?.problem).toBe(r.rejected[0]!.problem)
    expect(refused([shock("a"), { id: "r", type: "retract", event: "fai-boots" }]).problem).toBe('unknown event "fai-boots": only an earlier event can be retracted')
    expect(refused([shock("fai-boost"), { id: "r0", type: "retract", event: "fai-boost" }, { id: "r", type: "retract", event: "fai-boots" }]).problem).toMatch(/^unknown event "fai-boots": /)
  })

  it("a rate indicator may go below -100 (no level)", () => {
    ok([observe("o", "cpi", "2024-02", -150)])
  })

  it("refuses a monthly label in a quarterly model, accepts quarter and year labels", () => {
    expect(refused([observe("o", "gdp", "2024-03", 1)], quarterly)).toMatchObject({ path: ["through"] })
    expect(refused([observe("o", "gdp", "2024-03", 1)], quarterly).problem).toMatch(/write 2024-Q1/)
    expect(fold(quarterly, [observe("o", "gdp", "2024-Q2", 1), { id: "s", type: "shock", indicator: "gdp", value: 1, from: "2024" }]).rejected).toEqual([])
  })

  it("a refused event leaves nothing: applyEvent throws and the old state is intact", () => {
    const s = ok([shock("a")])
    const bad = decodeEvent({ id: "m", type: "measure", name: "x", effects: [{ indicator: "gdp", value: 1 }, { indicator: "zz", value: 1 }] })
    expect(() => applyEvent(tiny, s, bad, { index: 5 })).toThrow(EventError)
    expect(ids(s)).toEqual(["a"])
    expect(s.events).toHaveLength(1)
  })

  it("goes on after a refusal and reports each with its index", () => {
    const r = fold(tiny, [shock("a"), 42, shock("b", { indicator: "q" }), shock("c")])
    expect(ids(r.state)).toEqual(["a", "c"])
    expect(r.rejected.map((e) => e.index)).toEqual([1, 2])
  })
})

describe("fold: duplicates and conflicts", () => {
  it("the same event twice is applied once and counted once; the scenario field does not make it another", () => {
    const s = ok([shock("a"), shock("a"), shock("a", { scenario: "elsewhere" }), shock("b")])
    expect(ids(s)).toEqual(["a", "b"])
    expect(s.events).toHaveLength(2)
    expect(appliedCount(s)).toBe(2)
  })

  it("another payload under a seen id is refused, never dropped, and the fold goes on", () => {
    const r = fold(tiny, [shock("a"), shock("a", { value: 99 }), shock("b")])
    expect(ids(r.state)).toEqual(["a", "b"])
    expect(r.rejected).toHaveLength(1)
    expect(r.rejected[0]).toMatchObject({ id: "a", index: 1 })
    expect(r.rejected[0].message).toBe(
      'event "a" #1: conflicts with the event already in the log under this id (value: 1 in the log, 99 here): an id names one event; publish a revision or correction under a new id',
    )
  })

  it("applyEvent throws on a conflict and keeps the state", () => {
    const s = ok([observe("o1", "ind", "2024-03", 4)])
    expect(() => applyEvent(tiny, s, decodeEvent(observe("o1", "ind", "2024-03", 4.5)), { index: 3 })).toThrow(/ytd: 4 in the log, 4.5 here/)
    expect(s.events).toHaveLength(1)
  })

  it("key order does not make a payload another", () => {
    const s = ok([{ id: "m", type: "measure", name: "x", effects: [{ indicator: "gdp", value: 1, from: "2024-02" }] }])
    expect(applyEvent(tiny, s, decodeEvent({ effects: [{ from: "2024-02", value: 1, indicator: "gdp" }], name: "x", type: "measure", id: "m" }))).toBe(s)
  })

  it("applyEvent returns the very same state for a duplicate", () => {
    const s = ok([shock("a")])
    expect(applyEvent(tiny, s, decodeEvent(shock("a")))).toBe(s)
  })

  it("a duplicate of a retracted event does not bring it back", () => {
    const s = ok([shock("a"), { id: "r", type: "retract", event: "a" }, shock("a")])
    expect(ids(s)).toEqual([])
  })

  it("an id first refused can arrive later valid", () => {
    const r = fold(tiny, [shock("a", { indicator: "zz" }), shock("a")])
    expect(r.rejected).toHaveLength(1)
    expect(ids(r.state)).toEqual(["a"])
  })
})

describe("fold: retract", () => {
  it("withdraws the event and keeps the retract in the log", () => {
    const s = ok([shock("a"), shock("b"), { id: "r", type: "retract", event: "a" }])
    expect(ids(s)).toEqual(["b"])
    expect(s.events.map((e) => e.id)).toEqual(["a", "b", "r"])
    expect([...s.retracted]).toEqual(["a"])
  })

  it("retracting a revision brings the earlier value back", () => {
    const s = ok([observe("o1", "ind", "2024-03", 4), observe("o2", "ind", "2024-03", 4.5), { id: "r", type: "retract", event: "o2" }])
    expect(ids(s)).toEqual(["o1"])
  })

  it("a retracted release can be revised by a new one", () => {
    const s = ok([observe("o1", "ind", "2024-03", 4), { id: "r", type: "retract", event: "o1" }, observe("o2", "ind", "2024-03", 4.5)])
    expect(ids(s)).toEqual(["o2"])
  })
})

describe("fold: revisions", () => {
  it("a later release of the same indicator and period is accepted and the log keeps both", () => {
    const s = ok([observe("o1", "ind", "2024-03", 4), observe("o2", "ind", "2024-03", 4.1), observe("o3", "ind", "2024-Q1", 5)])
    expect(ids(s)).toEqual(["o1", "o2", "o3"])
    expect(appliedCount(s)).toBe(3)
  })
})

describe("asOf and extend", () => {
  it("asOf(n) is the state after the first n applied events", () => {
    const events = [shock("a"), shock("b"), { id: "r", type: "retract", event: "a" }, shock("c")]
    const s = ok(events)
    expect(ids(asOf(s, 0))).toEqual([])
    expect(ids(asOf(s, 2))).toEqual(["a", "b"])
    expect(asOf(s, 3)).toEqual(ok(events.slice(0, 3)))
    expect(asOf(s, 4)).toBe(s)
    expect(asOf(s, 100)).toBe(s)
  })

  it("a scenario extending a base: base first, then its own; it may retract a base event", () => {
    const base = ok([shock("a"), shock("b")])
    const own = [shock("a"), { id: "r", type: "retract", event: "b" }, shock("c")]
    const r = extend(tiny, base, own)
    expect(r.rejected).toEqual([])
    expect(ids(r.state)).toEqual(["a", "c"])
    expect(extend(tiny, base, [shock("a", { value: 7 })]).rejected[0]?.problem).toMatch(/conflicts .*value: 1 in the log, 7 here/)
    expect(r.state).toEqual(ok([shock("a"), shock("b"), ...own]))
    expect(ids(base)).toEqual(["a", "b"])
  })
})

describe("the scenario layer's view of a compiled model", () => {
  it("the compiler's horizon and names are the ones the fold checks against", () => {
    const view = viewOf(tinyInput)
    expect(tiny.periods).toEqual(view.periods)
    expect(tiny.periodsPerYear).toBe(12)
    expect([...tiny.endogenous].sort()).toEqual([...view.endogenous].sort())
    expect([...tiny.exogenous].sort()).toEqual(view.exogenous)
    expect([...tiny.parameters].sort()).toEqual(view.parameters)
  })
})
