// Scenario files with events through the command line: refused events exit 2 listing each
// (file, line, index, id, reason) and nothing is projected; shocks move the projection; a base
// chain and a duplicate id behave. Uses the Duji model.
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, relative } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { BASELINE, plancast, ROOT, STACK_LINE } from "./run.ts"

let dir: string
let model: string
let base: string
const scenario = (name: string, events: unknown[], text?: string): string => {
  const file = join(dir, `${name}.yaml`)
  writeFileSync(file, text ?? JSON.stringify({ name, model, base, events }, null, 2))
  return file
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "plancast-events-"))
  model = relative(dir, join(ROOT, "scenarios/duji-2024/model.yaml"))
  base = relative(dir, join(ROOT, BASELINE))
})

const annual = async (file: string): Promise<Record<string, number>> => {
  const r = await plancast(["project", file, "--format", "json"])
  expect(r.stderr).toBe("")
  expect(r.status).toBe(0)
  return Object.fromEntries(JSON.parse(r.stdout).indicators.map((i: { id: string; annual: { p50: number } }) => [i.id, i.annual.p50]))
}

describe("events in scenario files", () => {
  it("refuses a file with bad events: status 2, each refused event with file, line, id and reason, nothing printed", async () => {
    const file = scenario(
      "bad",
      [],
      `name: bad
model: ${model}
events:
  - { id: fine, type: shock, indicator: fai, value: -1 }
  - id: bad-1
    type: shock
    indicator: nonexistent_ind
    value: 1
  - { id: bad-2, type: shock, indicator: fai, value: .nan }
  - { id: bad-3, type: retract, event: never-was }
`,
    )
    const r = await plancast(["project", file, "--format", "json"])
    expect(r.status).toBe(2)
    expect(r.stdout).toBe("")
    expect(r.stderr).not.toMatch(STACK_LINE)
    const lines = r.stderr.trimEnd().split("\n")
    expect(lines).toHaveLength(3)
    expect(lines[0]).toMatch(/bad\.yaml:7: events\[1\]\.indicator: event "bad-1" refused: .*nonexistent_ind/)
    expect(lines[1]).toMatch(/bad\.yaml:9: events\[2\]\.value: event "bad-2" refused: /)
    expect(lines[2]).toMatch(/bad\.yaml:10: events\[3\].*event "bad-3" refused: .*never-was/)
    const v = await plancast(["validate", file])
    expect(v.status).toBe(2)
    expect(v.stderr).toBe(r.stderr)
  })

  it("applies shocks on top of the base, a duplicate id once", async () => {
    const b = await annual(join(ROOT, BASELINE))
    const shock = { id: "s1", type: "shock", indicator: "fai", value: -10 }
    const once = await annual(scenario("once", [shock]))
    expect(once.fai).toBeLessThan(b.fai! - 5)
    expect(once.gdp).toBeLessThan(b.gdp!)
    expect(await annual(scenario("twice", [shock, shock]))).toEqual(once)
  })

  it("counts the events applied, its base's included", async () => {
    writeFileSync(join(dir, "parent.json"), JSON.stringify({ name: "parent", model, base, events: [{ id: "p1", type: "shock", indicator: "trade", value: 1 }] }))
    const child = join(dir, "child.json")
    writeFileSync(child, JSON.stringify({ name: "child", model, base: "parent.json", events: [{ id: "c1", type: "shock", indicator: "fai", value: 1 }, { id: "p1", type: "shock", indicator: "trade", value: 1 }] }))
    const r = await plancast(["project", child, "--format", "json"])
    expect(r.status).toBe(0)
    expect(JSON.parse(r.stdout).events).toEqual({ applied: 2, rejected: 0 })
  })
})
