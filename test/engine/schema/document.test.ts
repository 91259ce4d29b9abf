// engine/schema/document.ts: YAML and JSON text to a value, field paths to lines, syntax errors
// with line and column; a repeated key found in one pass, as the yaml library's own check finds it.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { LineCounter, parseDocument as parseYaml } from "yaml"
import type { SpecError } from "../../../engine/errors.ts"
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
  it("names the line and column of the first repeated key, nested or not", () => {
    const issue = (text: string) => {
      try {
        parseDocument(text, "model")
      } catch (e) {
        return (e as SpecError).issues[0]
      }
      return undefined
    }
    expect(issue("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n")).toMatchObject({ line: 4, message: "YAML syntax: Map keys must be unique (column 3)" })
    expect(issue("a: 1\nb:\n  c: 1\n  d: 2\na: 3\n")).toMatchObject({ line: 5, message: "YAML syntax: Map keys must be unique (column 1)" })
    // keys compare by value: the number 1 and the string "1" are two keys, as in the yaml library
    expect(issue("1: a\n'1': b\n")).toBeUndefined()
    expect(issue("[{x: 1}, {x: 1, y: 2, x: 3}]")).toMatchObject({ line: 1, message: "YAML syntax: Map keys must be unique (column 23)" })
  })
  it("agrees with the yaml library's own check on random maps", () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.constantFrom("a", "b", "c", "d", "e", "f"), { maxLength: 6 }), { minLength: 1, maxLength: 4 }), (maps) => {
        const text = maps.map((keys, m) => `m${m}:\n${keys.map((k, i) => `  ${k}: ${i}`).join("\n") || "  {}"}`).join("\n") + "\n"
        const ours = (() => {
          try {
            parseDocument(text)
            return undefined
          } catch (e) {
            return (e as SpecError).issues[0]!.line
          }
        })()
        const lines = new LineCounter()
        const offsets = parseYaml(text, { uniqueKeys: true, lineCounter: lines }).errors.filter((e) => e.code === "DUPLICATE_KEY").map((e) => e.pos[0])
        expect(ours).toBe(offsets.length === 0 ? undefined : lines.linePos(Math.min(...offsets)).line)
      }),
      { numRuns: 300 },
    )
  })
})
