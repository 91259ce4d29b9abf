// The studio's draft (adapters/studio/draft.ts): a change becomes one scenario event, a
// control owns at most one event, a value back at the scenario's own removes it, ids never
// repeat, measures switch off by a retract and on again by dropping it; the controls offer a
// slider per uncertain parameter (over its declared range) and per exogenous series.
import { describe, expect, it } from "vitest"
import { extend, fold } from "../../../engine/index.ts"
import { loadScenarioStrict } from "../../../adapters/files/load.ts"
import { applyChange, controlsOf, emptyDraft, sliderStep, type Draft } from "../../../adapters/studio/draft.ts"

const slump = await loadScenarioStrict(new URL("../../../scenarios/duji-2024/consumption-push.yaml", import.meta.url).pathname)
const compiled = slump.compiled
const picked = slump.state
const ids = (d: Draft) => d.entries.map((e) => e.event.id)

describe("applyChange", () => {
  it("turns a parameter move into one set-parameter, replaced by the next move and removed at the scenario's value", () => {
    let d = applyChange(compiled, picked, emptyDraft, { kind: "parameter", parameter: "persist_fai", value: 0.9 }).draft
    d = applyChange(compiled, picked, d, { kind: "exogenous", series: "re_inv", shift: -3 }).draft
    const moved = applyChange(compiled, picked, d, { kind: "parameter", parameter: "persist_fai", value: 1 })
    expect(moved.draft.entries.map((e) => e.event.type)).toEqual(["shock", "set-parameter"])
    expect(moved.added).toMatchObject({ type: "set-parameter", parameter: "persist_fai", value: 1 })
    expect(new Set(ids(moved.draft)).size).toBe(2)
    expect(ids(moved.draft)).not.toContain(ids(d)[0]) // a replaced event's id is not reused
    const back = applyChange(compiled, picked, moved.draft, { kind: "parameter", parameter: "persist_fai", value: 0.5 })
    expect(back.added).toBeUndefined()
    expect(back.draft.entries.map((e) => e.event.type)).toEqual(["shock"])
    // promo is set by the scenario itself: its value there is the slider's base
    expect(applyChange(compiled, picked, emptyDraft, { kind: "parameter", parameter: "promo", value: 0.5 }).draft.entries).toEqual([])
  })

  it("shifts an exogenous series by a shock over the whole horizon, and a shift of 0 removes it", () => {
    const d = applyChange(compiled, picked, emptyDraft, { kind: "exogenous", series: "re_inv", shift: 2 }).draft
    expect(d.entries[0].event).toMatchObject({ type: "shock", indicator: "re_inv", value: 2 })
    expect(d.entries[0].event).not.toHaveProperty("from")
    expect(applyChange(compiled, picked, d, { kind: "exogenous", series: "re_inv", shift: 0 }).draft.entries).toEqual([])
  })

  it("switches a scenario's measure off with a retract and on again by dropping it; a measure of another file is copied in", () => {
    const off = applyChange(compiled, picked, emptyDraft, { kind: "measure", event: "consumption-vouchers", on: false })
    expect(off.added).toMatchObject({ type: "retract", event: "consumption-vouchers" })
    expect(extend(compiled, picked, off.draft.entries.map((e) => e.event)).rejected).toEqual([])
    expect(applyChange(compiled, picked, off.draft, { kind: "measure", event: "consumption-vouchers", on: true }).draft.entries).toEqual([])
    const library = controlsOf(compiled, picked, emptyDraft).measures.map((m) => ({ ...m, from: "other.yaml" }))
    const base = fold(compiled, []).state
    const on = applyChange(compiled, base, emptyDraft, { kind: "measure", event: "consumption-new-stores", on: true }, library)
    expect(on.added).toMatchObject({ type: "measure", id: "consumption-new-stores" })
    expect(controlsOf(compiled, base, on.draft, library).measures.find((m) => m.event.id === "consumption-new-stores")?.on).toBe(true)
  })

  it("keeps every shock and release from the forms, with fresh ids that avoid the scenario's", () => {
    let d = emptyDraft
    for (let i = 0; i < 3; i++) d = applyChange(compiled, picked, d, { kind: "shock", indicator: "fai", value: -1, from: "2024-03" }).draft
    d = applyChange(compiled, picked, d, { kind: "release", indicator: "fai", through: "2024-02", ytd: -20 }).draft
    expect(d.entries).toHaveLength(4)
    expect(new Set(ids(d)).size).toBe(4)
    for (const id of ids(d)) expect(picked.events.some((e) => e.id === id)).toBe(false)
    expect(extend(compiled, picked, d.entries.map((e) => e.event)).rejected).toEqual([])
  })

  it("refuses what names nothing known, and removes only its own events", () => {
    expect(() => applyChange(compiled, picked, emptyDraft, { kind: "parameter", parameter: "nope", value: 1 })).toThrow(/unknown parameter "nope"/)
    expect(() => applyChange(compiled, picked, emptyDraft, { kind: "exogenous", series: "gdp", shift: 1 })).toThrow(/unknown exogenous series "gdp"/)
    expect(() => applyChange(compiled, picked, emptyDraft, { kind: "remove", event: "consumption-vouchers" })).toThrow(/no event/)
  })
})

describe("controlsOf", () => {
  it("offers a slider per uncertain parameter over its declared range, and per exogenous series", () => {
    const c = controlsOf(compiled, picked, emptyDraft)
    const declared = Object.entries(compiled.model.parameters).filter(([, p]) => p.uncertainty && !(p.uncertainty.dist === "normal" && p.uncertainty.sd === 0))
    expect(c.parameters.map((p) => p.id)).toEqual(declared.map(([id]) => id))
    const fai = c.parameters.find((p) => p.id === "persist_fai")!
    expect([fai.min, fai.max, fai.value]).toEqual([0, 1, 0.5])
    expect(c.parameters.find((p) => p.id === "promo")!.value).toBe(0.5) // the scenario's own value
    expect(c.exogenous.map((x) => x.id)).toEqual(Object.keys(compiled.model.exogenous))
    expect(c.periods).toHaveLength(12)
    expect(c.measures.map((m) => [m.event.id, m.on])).toEqual([
      ["consumption-vouchers", true],
      ["consumption-new-stores", true],
    ])
  })
  it("steps sliders at 1, 2 or 5 times a power of ten", () => {
    expect([sliderStep(1), sliderStep(0.04), sliderStep(40), sliderStep(0)]).toEqual([0.005, 0.0002, 0.2, 0.01])
  })
})
