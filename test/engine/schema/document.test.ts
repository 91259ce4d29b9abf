// engine/schema/document.ts: YAML and JSON text to a value, field paths to lines, syntax errors
// with line and column.
import { describe, expect, it } from "vitest"
import { parseDocument } from "../../../engine/schema/document.ts"

const yaml = `# a model
name: x
calendar:
  frequency: monthly
indicators:
  - id: gdp
    target: { kind: foo, value: 1 }
  - id: fai
    target:
      kind: atLeast
equations:
  gdp: "a + b"
  fai: >-
    x + y
`

describe("parseDocument", () => {
  const doc = parseDocument(yaml)
  it("reads the value", () => {
    expect(doc.value).toEqual({
      name: "x",
      calendar: { frequency: "monthly" },
      indicators: [
        { id: "gdp", target: { kind: "foo", value: 1 } },
        { id: "fai", target: { kind: "atLeast" } },
      ],
      equations: { gdp: "a + b", fai: "x + y" },
    })
  })
  it.each([
    [[], 2],
    [["name"], 2],
    [["calendar"], 3],
    [["calendar", "frequency"], 4],
    [["indicators", 0], 6],
    [["indicators", 0, "target", "kind"], 7],
    [["indicators", 1, "target", "kind"], 10],
    [["equations", "gdp"], 12],
    [["equations", "fai"], 13],
  ] as const)("puts %j on line %i", (path, line) => {
    expect(doc.lineOf(path)).toBe(line)
  })
  it("maps a path beyond the document to its nearest existing ancestor", () => {
    expect(doc.lineOf(["equations", "nonexistent"])).toBe(11)
    expect(doc.lineOf(["indicators", 7, "id"])).toBe(5)
    expect(doc.lineOf(["calendar", "frequency", "deeper"])).toBe(4)
    expect(doc.lineOf(["name", 0])).toBe(2)
  })
  it("reads JSON, lines included", () => {
    const json = parseDocument('{\n  "name": "s",\n  "events": [\n    {"id": "a"},\n    {"id": "b"}\n  ]\n}\n')
    expect(json.value).toEqual({ name: "s", events: [{ id: "a" }, { id: "b" }] })
    expect(json.lineOf(["events", 1])).toBe(5)
    expect(json.lineOf(["events", 1, "id"])).toBe(5)
  })
  it("has no lines in an empty document", () => {
    const empty = parseDocument("")
    expect(empty.value).toBeNull()
    expect(empty.lineOf(["a"])).toBeUndefined()
  })
  it("refuses a syntax error with its line and column, one issue", () => {
    try {
      parseDocument(yaml + "\n: : - [ {\n", "model")
      expect.unreachable()
    } catch (e: any) {
      expect(e._tag).toBe("SpecError")
      expect(e.what).toBe("model")
      expect(e.issues).toHaveLength(1)
      expect(e.issues[0].line).toBe(16)
      expect(e.issues[0].message).toMatch(/^YAML syntax: .*\(column \d+\)$/)
    }
  })
  it("refuses a key given twice", () => {
    expect(() => parseDocument("a: 1\na: 2\n")).toThrow(/unique/)
  })
})
