// `plancast validate` on good and bad files of each kind: model, scenario, NDJSON events.
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { BASELINE, plancast, STACK_LINE } from "./run.ts"

let dir: string
const file = (name: string, text: string): string => {
  const f = join(dir, name)
  writeFileSync(f, text)
  return f
}
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "plancast-validate-"))
})

describe("plancast validate", () => {
  it("accepts the Duji model and baseline, saying what each is", async () => {
    const m = await plancast(["validate", "scenarios/duji-2024/model.yaml"])
    expect(m.status).toBe(0)
    expect(m.stdout).toMatch(/^scenarios\/duji-2024\/model\.yaml: ok: model duji-2024: 8 indicators/)
    const s = await plancast(["validate", BASELINE])
    expect(s.status).toBe(0)
    expect(s.stdout).toMatch(/ok: scenario baseline on model scenarios\/duji-2024\/model\.yaml/)
  })

  it("checks an NDJSON events file line by line, reporting every bad line", async () => {
    const good = file("good.ndjson", '{"id":"a","scenario":"s","type":"shock","indicator":"fai","value":-1}\n\n{"id":"b","scenario":"s","type":"retract","event":"a"}\n')
    const ok = await plancast(["validate", good])
    expect(ok.status).toBe(0)
    expect(ok.stdout).toMatch(/ok: events file: 2 events/)
    const bad = file(
      "bad.ndjson",
      '{"id":"a","scenario":"s","type":"shock","indicator":"fai","value":-1}\n{"id":"b","type":"shock","indicator":"fai","value":1}\nnot json\n{"id":"c","scenario":"s","type":"explode"}\n',
    )
    const r = await plancast(["validate", bad])
    expect(r.status).toBe(2)
    expect(r.stderr).not.toMatch(STACK_LINE)
    const lines = r.stderr.trimEnd().split("\n")
    expect(lines).toHaveLength(3)
    expect(lines[0]).toMatch(/bad\.ndjson:2: scenario: event "b" refused: is required/)
    expect(lines[1]).toMatch(/bad\.ndjson:3: event refused: not JSON/)
    expect(lines[2]).toMatch(/bad\.ndjson:4: type: event "c" refused: must be one of shock, observe/)
  })

  it("takes several JSON lines without the .ndjson extension for an events file", async () => {
    const f = file("events.txt", '{"id":"a","scenario":"s","type":"shock","indicator":"fai","value":-1}\n{"id":"b","scenario":"s","type":"shock","indicator":"gdp","value":1}\n')
    const r = await plancast(["validate", f])
    expect(r.stdout).toMatch(/ok: events file: 2 events/)
    expect(r.status).toBe(0)
  })

  it("refuses a file that is none of the kinds, and a missing file", async () => {
    const r = await plancast(["validate", file("other.yaml", "hello: world\n")])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/other\.yaml:1: not a plancast file/)
    const missing = await plancast(["validate", join(dir, "nope.yaml")])
    expect(missing.status).toBe(2)
    expect(missing.stderr).toMatch(/nope\.yaml: file not found/)
  })

  it("refuses a scenario whose model is missing, at the model field's line", async () => {
    const r = await plancast(["validate", file("s.yaml", "name: s\nmodel: ./missing.yaml\nevents: []\n")])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/s\.yaml:2: model: file not found: .*missing\.yaml/)
  })
})
