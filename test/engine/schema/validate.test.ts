// The committed JSON Schema files (scenarios/schema/) equal what the zod schemas export now, so
// editors check files against the schema the engine really applies. On failure: `npm run schema`.
import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { decodeModel, decodeScenarioFile, documentKind, jsonSchemaFiles, specIssues } from "../../../engine/schema/validate.ts"
import { Model } from "../../../engine/schema/model.ts"

const dir = new URL("../../../scenarios/schema/", import.meta.url)

describe("JSON Schema files", () => {
  for (const [name, text] of Object.entries(jsonSchemaFiles())) {
    it(`${name} is what the zod schema exports (regenerate: npm run schema)`, () => {
      expect(readFileSync(new URL(name, dir), "utf8")).toBe(text)
    })
  }
  it("are draft 2020-12 schemas of objects that refuse unknown fields", () => {
    const model = JSON.parse(jsonSchemaFiles()["model.schema.json"])
    expect(model.$schema).toBe("https://json-schema.org/draft/2020-12/schema")
    expect(model.additionalProperties).toBe(false)
    expect(Object.keys(model.properties)).toEqual(expect.arrayContaining(["name", "calendar", "indicators", "equations"]))
    const scenario = JSON.parse(jsonSchemaFiles()["scenario.schema.json"])
    expect(scenario.properties.events.items.oneOf).toHaveLength(5)
  })
})

const minimal = { name: "m", calendar: { frequency: "quarterly", baseYear: 2023, planYear: 2024 }, equations: { y: "1" } }

describe("decodeModel", () => {
  it("fills defaults", () => {
    const m = decodeModel(minimal)
    expect(m.solver).toEqual({ method: "newton", tolerance: 1e-10, maxIterations: 100 })
    expect(m.observation.decay).toBe(0.5)
  })
  it("makes one issue per unknown field, at that field's path", () => {
    try {
      decodeModel({ ...minimal, bogus_a: 1, calendar: { ...minimal.calendar, bogus_b: 2 } })
      expect.unreachable()
    } catch (e: any) {
      expect(e._tag).toBe("SpecError")
      expect(e.issues).toEqual(
        expect.arrayContaining([
          { path: ["bogus_a"], message: 'unknown field "bogus_a"' },
          { path: ["calendar", "bogus_b"], message: 'unknown field "bogus_b"' },
        ]),
      )
    }
  })
  it("names a target kind that does not exist and the kinds that do", () => {
    const raw = { ...minimal, indicators: [{ id: "y", name: "Y", kind: "flow", base: { growth: 1 }, target: { kind: "nearly", value: 1 } }] }
    try {
      decodeModel(raw)
      expect.unreachable()
    } catch (e: any) {
      expect(e.issues).toEqual([{ path: ["indicators", 0, "target", "kind"], message: 'unknown value "nearly": expected one of atLeast, atMost, around' }])
    }
  })
  it("names the expected type and the value given, with the full path", () => {
    const raw = { ...minimal, calendar: { ...minimal.calendar, baseYear: "x" } }
    const r = Model.safeParse(raw)
    expect(specIssues(r.error!, raw)).toEqual([{ path: ["calendar", "baseYear"], message: 'must be a number, not "x"' }])
    const { calendar: _, ...noCalendar } = minimal
    const r2 = Model.safeParse(noCalendar)
    expect(specIssues(r2.error!, noCalendar)).toEqual([{ path: ["calendar"], message: "is required (an object)" }])
  })
})

describe("specIssues in the words of YAML and JSON", () => {
  const issues = (raw: unknown) => specIssues(Model.safeParse(raw).error!, raw)
  it("calls maps objects, sequences lists and integers integers", () => {
    expect(issues({ ...minimal, equations: [] })).toEqual([{ path: ["equations"], message: "must be an object, not []" }])
    const { equations: _, ...noEquations } = minimal
    expect(issues(noEquations)).toEqual([{ path: ["equations"], message: "is required (an object)" }])
    expect(issues({ ...minimal, parameters: { a: { value: 1, range: 3 } } })).toEqual([{ path: ["parameters", "a", "range"], message: "must be a list, not 3" }])
    expect(issues({ ...minimal, calendar: { ...minimal.calendar, horizon: 1.5 } })).toEqual([{ path: ["calendar", "horizon"], message: "must be an integer, not 1.5" }])
  })
  it("says what each branch of a union wanted, or follows the one branch whose type the value has", () => {
    expect(issues({ ...minimal, exogenous: { x: { values: "a" } } })).toEqual([{ path: ["exogenous", "x", "values"], message: 'must be a number or a list, not "a"' }])
    expect(issues({ ...minimal, exogenous: { x: { values: [1, "b"] } } })).toEqual([{ path: ["exogenous", "x", "values", 1], message: 'must be a number, not "b"' }])
    const [name] = issues({ ...minimal, name: "bad name!" })
    expect(name!.path).toEqual(["name"])
    expect(name!.message).toMatch(/must be a name of letters, digits, _ \. -/)
  })
})

describe("decodeScenarioFile and documentKind", () => {
  it("decodes a scenario with events left raw", () => {
    expect(decodeScenarioFile({ name: "s", model: "m.yaml" })).toEqual({ name: "s", model: "m.yaml", events: [] })
  })
  it("tells models, scenarios and events apart by their fields", () => {
    expect(documentKind(minimal)).toBe("model")
    expect(documentKind({ name: "s", model: "m.yaml" })).toBe("scenario")
    expect(documentKind({ id: "e", type: "shock" })).toBe("event")
    expect(documentKind([1])).toBeUndefined()
    expect(documentKind("text")).toBeUndefined()
  })
})
