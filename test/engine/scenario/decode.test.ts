// Unit tests of the event decoder (engine/scenario/decode.ts): shapes accepted, every kind of
// refusal with its id, index, field path and reason; NDJSON lines.
import { describe, expect, it } from "vitest"
import { decodeEvent, decodeNdjsonLine } from "../../../engine/scenario/decode.ts"
import { EventError } from "../../../engine/errors.ts"

const refusal = (f: () => unknown): EventError => {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(EventError)
    return e as EventError
  }
  throw new Error("expected an EventError")
}

describe("decodeEvent", () => {
  it("accepts each event type and freezes the result", () => {
    const events = [
      { id: "s", type: "shock", indicator: "fai", value: -2, from: "2024-04", to: "2024-06", sd: 1 },
      { id: "o", type: "observe", indicator: "ind", through: "2024-02", ytd: -6.5, source: "NBS" },
      { id: "p", type: "set-parameter", parameter: "beta", uncertainty: { dist: "uniform", min: 0, max: 1 } },
      { id: "m", type: "measure", name: "vouchers", effects: [{ indicator: "gdp", value: 0.5 }] },
      { id: "r", type: "retract", event: "s" },
    ]
    for (const raw of events) {
      const e = decodeEvent(raw)
      expect(e).toEqual(raw)
      expect(Object.isFrozen(e)).toBe(true)
    }
    const m = decodeEvent(events[3])
    expect(m.type === "measure" && Object.isFrozen(m.effects[0])).toBe(true)
  })

  it("does not keep a reference to the raw value", () => {
    const raw = { id: "s", type: "shock", indicator: "fai", value: 1 }
    const e = decodeEvent(raw)
    raw.value = 99
    expect(e.type === "shock" && e.value).toBe(1)
  })

  it("refuses a non-object with its index", () => {
    for (const raw of [5, "x", null, [1]]) {
      const err = refusal(() => decodeEvent(raw, { index: 3 }))
      expect(err.index).toBe(3)
      expect(err.id).toBeUndefined()
      expect(err.path).toEqual([])
    }
  })

  it("refuses an unknown type naming the allowed ones", () => {
    const err = refusal(() => decodeEvent({ id: "x1", type: "nudge" }, { index: 0 }))
    expect(err).toMatchObject({ id: "x1", index: 0, path: ["type"] })
    expect(err.problem).toMatch(/shock, observe, set-parameter, measure, retract/)
  })

  it("refuses a missing field with the path", () => {
    const err = refusal(() => decodeEvent({ id: "a", type: "observe", indicator: "fai", through: "2024-03" }, { index: 7 }))
    expect(err).toMatchObject({ id: "a", index: 7, path: ["ytd"], problem: "is required" })
  })

  it("refuses non-finite numbers", () => {
    for (const v of [NaN, Infinity, -Infinity]) {
      const err = refusal(() => decodeEvent({ id: "a", type: "shock", indicator: "fai", value: v }))
      expect(err.path).toEqual(["value"])
      expect(err.problem).toMatch(/finite/)
    }
  })

  it("refuses unknown fields, also inside a measure's effects", () => {
    const err = refusal(() => decodeEvent({ id: "m", type: "measure", name: "x", effects: [{ indicator: "gdp", value: 1, size: 2 }] }))
    expect(err.path).toEqual(["effects", 0])
    expect(err.problem).toMatch(/"size"/)
  })

  it("refuses a bad period label, a set-parameter with neither value nor uncertainty, an empty id", () => {
    expect(refusal(() => decodeEvent({ id: "o", type: "observe", indicator: "fai", through: "2024-13", ytd: 1 })).path).toEqual(["through"])
    expect(refusal(() => decodeEvent({ id: "p", type: "set-parameter", parameter: "beta" })).path).toEqual(["value"])
    expect(refusal(() => decodeEvent({ id: "", type: "retract", event: "x" })).path).toEqual(["id"])
  })

  it("names only a string id", () => {
    expect(refusal(() => decodeEvent({ id: 5, type: "retract", event: "x" })).id).toBeUndefined()
  })

  it("renders a message with id, index, path and reason", () => {
    const err = refusal(() => decodeEvent({ id: "a", type: "shock", indicator: "fai", value: "big" }, { index: 2 }))
    expect(err.message).toBe('event "a" #2: value: must be a number')
  })
})

describe("decodeNdjsonLine", () => {
  it("decodes a line with its scenario", () => {
    const r = decodeNdjsonLine('{"id":"s","type":"shock","indicator":"fai","value":1,"scenario":"alt"}', 4)
    expect(r.scenario).toBe("alt")
    expect(r.event).toMatchObject({ id: "s", type: "shock", value: 1 })
  })

  it("refuses bad JSON with the line's index", () => {
    const err = refusal(() => decodeNdjsonLine("{not json", 9))
    expect(err.index).toBe(9)
    expect(err.problem).toMatch(/^not JSON/)
  })

  it("refuses an empty line", () => {
    expect(refusal(() => decodeNdjsonLine("   ", 1)).problem).toMatch(/empty line/)
  })

  it("refuses a line without a scenario", () => {
    const err = refusal(() => decodeNdjsonLine('{"id":"s","type":"shock","indicator":"fai","value":1}', 2))
    expect(err).toMatchObject({ id: "s", index: 2, path: ["scenario"] })
  })

  it("refuses a schema failure through the same decoder", () => {
    const err = refusal(() => decodeNdjsonLine('{"id":"s","type":"shock","indicator":"fai","scenario":"a"}', 3))
    expect(err).toMatchObject({ id: "s", index: 3, path: ["value"] })
  })
})

describe("decodeEvent: several problems", () => {
  it("names the first problem's path and lists the others", () => {
    const err = refusal(() => decodeEvent({ id: "m", type: "measure", name: "x", effects: [{ indicator: "gdp" }, { value: 1 }] }))
    expect(err.path).toEqual(["effects", 0, "value"])
    expect(err.problem).toBe("is required; effects[1].indicator: is required")
  })
})
