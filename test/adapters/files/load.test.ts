// adapters/files/load.ts: models and scenarios from disk; paths relative to each file, base
// chains, cycles, a base on another model, refused events located in their file and line, and
// every failure an InvalidInput naming file, line and field path.
import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { loadModelFile, loadScenario, loadScenarioStrict, refusedIssues, emptyScenarioOf } from "../../../adapters/files/load.ts"
import { formatIssue } from "../../../adapters/files/located.ts"
import { TINY_MODEL_YAML } from "../../support/models.ts"

const model = TINY_MODEL_YAML

let dir: string
const write = (name: string, text: string): string => {
  const file = join(dir, name)
  writeFileSync(file, text)
  return file
}
const failure = async (p: Promise<unknown>): Promise<{ _tag: string; issues: { file: string; line?: number; path: (string | number)[]; problem: string }[] }> => {
  try {
    await p
  } catch (e) {
    return e as never
  }
  throw new Error("expected a failure")
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "plancast-files-"))
  mkdirSync(join(dir, "models"))
  mkdirSync(join(dir, "other"))
  write("models/tiny.yaml", model)
  write("models/tiny-copy.yaml", model)
})

describe("loadModelFile", () => {
  it("parses, validates and compiles", async () => {
    const m = await loadModelFile(join(dir, "models/tiny.yaml"))
    expect(m.compiled.model.name).toBe("tiny")
    expect(m.compiled.periods).toEqual(["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"])
  })
  it("locates an unknown identifier at its equation's line", async () => {
    const file = write("bad-ident.yaml", model.replace('"beta * c + g"', '"beta * nonexistent_var_xyz + g"'))
    const e = await failure(loadModelFile(file))
    expect(e._tag).toBe("InvalidInput")
    expect(e.issues[0]).toMatchObject({ line: 18, path: ["equations", "y"] })
    expect(e.issues[0]!.problem).toContain("nonexistent_var_xyz")
    expect(formatIssue(e.issues[0]!)).toMatch(/bad-ident\.yaml:18: equations\.y: .*nonexistent_var_xyz/)
  })
  it("locates an unknown field and a wrong type", async () => {
    const e = await failure(loadModelFile(write("bad-field.yaml", model.replace("  beta: { value: 0.5 }", "  beta: { value: high, colour: red }"))))
    expect(e.issues.map((i) => [i.line, i.path.join(".")])).toEqual(
      expect.arrayContaining([
        [14, "parameters.beta.value"],
        [14, "parameters.beta.colour"],
      ]),
    )
  })
  it("gives the line and column of a YAML syntax error", async () => {
    const e = await failure(loadModelFile(write("bad-syntax.yaml", model + "\n: : - [ {\n")))
    expect(e.issues).toHaveLength(1)
    expect(e.issues[0]!.line).toBeGreaterThan(19)
    expect(e.issues[0]!.problem).toMatch(/YAML syntax: .*column \d+/)
  })
  it("says a missing file is missing", async () => {
    const e = await failure(loadModelFile(join(dir, "nope.yaml")))
    expect(e.issues[0]!.problem).toBe("file not found")
  })
  it("says a directory is not a file, naming it once (the issue's file)", async () => {
    const e = await failure(loadModelFile(dir))
    expect(e.issues[0]!.problem).toBe("a directory, not a file")
  })
})

describe("loadScenario", () => {
  it("resolves model and base relative to each file and folds the base's events first", async () => {
    write("base.yaml", `name: base\nmodel: models/tiny.yaml\nevents:\n  - { id: b1, type: shock, indicator: y, value: 1 }\n`)
    write("other/child.json", JSON.stringify({ name: "child", model: "../models/tiny.yaml", base: "../base.yaml", events: [{ id: "c1", type: "shock", indicator: "c", value: -1 }] }))
    const s = await loadScenario(join(dir, "other/child.json"))
    expect(s.name).toBe("child")
    expect(s.base?.name).toBe("base")
    expect(s.state.events.map((e) => e.id)).toEqual(["b1", "c1"])
    expect(s.rejected).toEqual([])
    expect(s.origins.map((o) => [o.file.endsWith("base.yaml"), o.index, o.line])).toEqual([
      [true, 0, 4],
      [false, 0, 1],
    ])
    expect(s.compiled).toBe(s.base?.compiled)
    expect(emptyScenarioOf(s).state.events).toEqual([])
  })
  it("refuses a cycle of bases, naming it", async () => {
    write("cy-a.yaml", "name: a\nmodel: models/tiny.yaml\nbase: cy-b.yaml\n")
    write("cy-b.yaml", "name: b\nmodel: models/tiny.yaml\nbase: cy-a.yaml\n")
    const e = await failure(loadScenario(join(dir, "cy-a.yaml")))
    expect(e.issues[0]).toMatchObject({ path: ["base"], line: 3 })
    expect(e.issues[0]!.problem).toMatch(/cycle: .*cy-a\.yaml -> .*cy-b\.yaml -> .*cy-a\.yaml/)
  })
  it("refuses a scenario that is its own base", async () => {
    const e = await failure(loadScenario(write("self.yaml", "name: self\nmodel: models/tiny.yaml\nbase: self.yaml\n")))
    expect(e.issues[0]!.problem).toMatch(/cycle/)
  })
  it("refuses a base on another model file", async () => {
    write("base-copy.yaml", "name: bc\nmodel: models/tiny-copy.yaml\n")
    const e = await failure(loadScenario(write("mixed.yaml", "name: mixed\nmodel: models/tiny.yaml\nbase: base-copy.yaml\n")))
    expect(e.issues[0]).toMatchObject({ path: ["base"], line: 3 })
    expect(e.issues[0]!.problem).toMatch(/must be the same/)
  })
  it("names the scenario field whose file is missing", async () => {
    const e = await failure(loadScenario(write("nomodel.yaml", "name: x\nmodel: models/missing.yaml\n")))
    expect(e.issues[0]).toMatchObject({ path: ["model"], line: 2 })
    expect(e.issues[0]!.problem).toMatch(/file not found: .*missing\.yaml/)
  })
  it("refuses unknown scenario fields at their line", async () => {
    const e = await failure(loadScenario(write("unknown.yaml", "name: x\nmodel: models/tiny.yaml\ncolour: red\n")))
    expect(e.issues[0]).toMatchObject({ path: ["colour"], line: 3 })
  })
  it("returns refused events with their file, index and line; strict loading refuses the file", async () => {
    const file = write(
      "refused.yaml",
      `name: r
model: models/tiny.yaml
events:
  - { id: ok-1, type: shock, indicator: y, value: 1 }
  - id: bad-1
    type: shock
    indicator: nonexistent_ind
    value: 1
  - { id: bad-2, type: shock, indicator: y }
`,
    )
    const s = await loadScenario(file)
    expect(s.rejected.map((r) => [r.error.id, r.index])).toEqual([
      ["bad-1", 1],
      ["bad-2", 2],
    ])
    const issues = refusedIssues(s)
    expect(issues[0]!.line).toBe(7)
    expect(issues[1]!.line).toBe(9)
    expect(formatIssue(issues[0]!)).toMatch(/refused\.yaml:7: events\[1\]\.indicator: event "bad-1" refused: .*nonexistent_ind/)
    const e = await failure(loadScenarioStrict(file))
    expect(e._tag).toBe("InvalidInput")
    expect(e.issues).toHaveLength(2)
  })

  it("refuses another payload under an id seen in the base, naming both, at the event's line", async () => {
    write("conflict-base.yaml", "name: b\nmodel: models/tiny.yaml\nevents:\n  - { id: k, type: shock, indicator: y, value: 1 }\n")
    const file = write("conflict.yaml", "name: c\nmodel: models/tiny.yaml\nbase: conflict-base.yaml\nevents:\n  - { id: k, type: shock, indicator: y, value: 1 }\n  - { id: k, type: shock, indicator: y, value: 2 }\n")
    const s = await loadScenario(file)
    expect(s.rejected.map((r) => r.error.id)).toEqual(["k"])
    const [issue] = refusedIssues(s)
    expect(issue!.line).toBe(6)
    expect(formatIssue(issue!)).toMatch(/conflict\.yaml:6: .*event "k" refused: conflicts with the event already in the log under this id \(value: 1 in the log, 2 here\)/)
    expect((await failure(loadScenarioStrict(file)))._tag).toBe("InvalidInput")
  })
})
