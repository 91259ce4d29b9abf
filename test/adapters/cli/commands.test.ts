// The other commands end to end on the Duji scenarios: compare, explain (adds up, default
// against = the base), seek, multipliers, start, the HTML report, and the dispatch of serve,
// publish and batch (usage errors exit 2 before any connection is tried).
import { mkdtempSync, readFileSync } from "node:fs"
import { createServer, type AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { BASELINE, DUJI_IDS, plancast, plancastProcess, STACK_LINE } from "./run.ts"

const SLUMP = "scenarios/duji-2024/fai-slump.yaml"

describe("compare", () => {
  it("projects scenarios side by side: JSON in the order given, a table with one column each", async () => {
    const json = await plancast(["compare", BASELINE, SLUMP, "--format", "json"])
    expect(json.status).toBe(0)
    const doc = JSON.parse(json.stdout)
    expect(doc.scenarios.map((p: { scenario: string }) => p.scenario)).toEqual(["baseline", "fai-slump"])
    const table = await plancast(["compare", BASELINE, SLUMP])
    expect(table.status).toBe(0)
    expect(table.stdout).toMatch(/indicator\s+target\s+baseline\s+fai-slump/)
    for (const id of DUJI_IDS) expect(table.stdout).toMatch(new RegExp(`^${id}\\s`, "m"))
  })
})

describe("explain", () => {
  it("attributes the difference to the base by default, and the shares add up", async () => {
    const r = await plancast(["explain", SLUMP, "--format", "json"])
    expect(r.status).toBe(0)
    const x = JSON.parse(r.stdout)
    expect(x).toMatchObject({ scenario: "fai-slump", against: "baseline" })
    const base = JSON.parse((await plancast(["project", BASELINE, "--format", "json"])).stdout)
    const slump = JSON.parse((await plancast(["project", SLUMP, "--format", "json"])).stdout)
    for (const i of x.indicators) {
      const sum = i.contributions.reduce((a: number, c: { value: number }) => a + c.value, 0)
      expect(sum).toBeCloseTo(i.total, 9)
      const annual = (p: any) => p.indicators.find((y: { id: string }) => y.id === i.id).annual.p50
      expect(i.total).toBeCloseTo(annual(slump) - annual(base), 9)
    }
    expect(x.indicators.find((i: { id: string }) => i.id === "fai").contributions[0].event).toBe("fai-slump-persist")
  })
  it("prints a table and writes an HTML report", async () => {
    const html = join(mkdtempSync(join(tmpdir(), "plancast-explain-")), "x.html")
    const r = await plancast(["explain", SLUMP, "--against", BASELINE, "--report", html])
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/fai-slump against baseline/)
    expect(r.stdout).toMatch(/exact Shapley attribution: order-free/)
    expect(r.stdout).toMatch(/^fai\s+fai-slump-persist\s+-\d/m)
    expect(readFileSync(html, "utf8")).toMatch(/^<!doctype html>/i)
  })
  it("--news: the releases of releases-2024 in log order against the baseline, adding up to its projection", async () => {
    const r = await plancast(["explain", "scenarios/duji-2024/releases-2024.yaml", "--news", "--draws", "200", "--format", "json"])
    expect(r.status).toBe(0)
    const n = JSON.parse(r.stdout)
    expect(n).toMatchObject({ scenario: "releases-2024", method: "news", draws: 200, seed: 1 })
    expect(n.steps.map((s: { releases: { through: string }[] }) => s.releases[0].through)).toEqual(["2024-02", "2024-03", "2024-04", "2024-05", "2024-06", "2024-07", "2024-08", "2024-09"])
    expect(n.steps.every((s: { kind: string }) => s.kind === "release")).toBe(true)
    const end = JSON.parse((await plancast(["project", "scenarios/duji-2024/releases-2024.yaml", "--draws", "200", "--format", "json"])).stdout)
    for (const i of end.indicators) {
      expect(n.end[i.id]).toEqual({ mean: i.annual.mean, p50: i.annual.p50, probability: i.probability })
      const sum = n.steps.reduce((a: number, s: { impact: Record<string, { mean: number }> }) => a + s.impact[i.id]!.mean, n.start[i.id].mean)
      expect(Math.abs(sum - i.annual.mean)).toBeLessThanOrEqual(1e-9)
    }
    const table = await plancast(["explain", "scenarios/duji-2024/releases-2024.yaml", "--news"])
    expect(table.status).toBe(0)
    expect(table.stdout).toMatch(/not the order-free Shapley attribution/)
    expect(table.stdout).toMatch(/^1\s+release\s+fai\s+2024-02\s+-?\d+\.\d\d\s+-12\.00\s+-\d/m)
    expect((await plancast(["explain", SLUMP, "--draws", "10"])).status).toBe(2)
  })
})

describe("seek and multipliers", () => {
  it("finds the boundary shock, deterministic by default", async () => {
    const r = await plancast(["seek", BASELINE, "--target", "gdp", "--shock", "fai", "--format", "json"])
    expect(r.status).toBe(0)
    const s = JSON.parse(r.stdout)
    expect(s).toMatchObject({ target: "gdp", shock: "fai", met: true })
    // gdp's target is 7 ± 0.5 (7%左右): met from the band's lower edge
    expect(s.annual).toBeCloseTo(6.5, 6)
  })
  it("refuses an unknown target and a bad probability with status 2", async () => {
    const r = await plancast(["seek", BASELINE, "--target", "nope", "--shock", "fai"])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/unknown indicator "nope"/)
    const p = await plancast(["seek", BASELINE, "--target", "gdp", "--shock", "fai", "--probability", "1.5"])
    expect(p.status).toBe(2)
    expect(p.stderr).toMatch(/--probability: must be a number strictly between 0 and 1/)
    const m = await plancast(["seek", BASELINE, "--shock", "fai"])
    expect(m.status).toBe(2)
    expect(m.stderr).toMatch(/missing --target/)
  })
  it("prints the multipliers of one shock", async () => {
    const r = await plancast(["multipliers", BASELINE, "--shock", "fai"])
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^fai\s+\d+\.\d{3}\s+\d+\.\d{3}\s+1\.000/m)
  })
})

describe("project --report", () => {
  it("writes an HTML report beside the table", async () => {
    const html = join(mkdtempSync(join(tmpdir(), "plancast-report-")), "p.html")
    const r = await plancast(["project", BASELINE, "--report", html])
    expect(r.status).toBe(0)
    expect(readFileSync(html, "utf8")).toMatch(/^<!doctype html>/i)
    const bad = await plancast(["project", BASELINE, "--report", "/nonexistent-dir/p.html"])
    expect(bad.status).toBe(2)
    expect(bad.stderr).toMatch(/^\/nonexistent-dir\/p\.html: cannot write the report \(ENOENT\)/)
  })
})

describe("start (npm start)", () => {
  it("shows the baseline, then every Duji scenario side by side", async () => {
    const r = await plancast(["start"])
    expect(r.stderr).toBe("")
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/scenario baseline/)
    expect(r.stdout).toMatch(/indicator\s+target\s+baseline\s+.*fai-slump/)
  })
  it("refuses a --dir that is not a folder with status 2 and the option's name, not an internal error", async () => {
    const missing = await plancast(["start", "--dir", "scenarios/no-such-folder"])
    expect({ status: missing.status, stderr: missing.stderr }).toEqual({ status: 2, stderr: "plancast start: --dir: folder not found: scenarios/no-such-folder\n" })
    const file = await plancast(["start", "--dir", BASELINE])
    expect({ status: file.status, stderr: file.stderr }).toEqual({ status: 2, stderr: `plancast start: --dir: not a folder: ${BASELINE}\n` })
  })
})

describe("serve, publish, batch dispatch", () => {
  it("refuses serve without a transport or a base, publish without a server, before connecting", async () => {
    const env = { NATS_URL: "" }
    const a = await plancast(["serve", "--base", BASELINE], { env })
    expect(a.status).toBe(2)
    expect(a.stderr).toMatch(/give --nats URL \(or set NATS_URL\) or --stdio/)
    const b = await plancast(["serve", "--stdio"], { env })
    expect(b.status).toBe(2)
    expect(b.stderr).toMatch(/missing --base/)
    const c = await plancast(["publish", "events.ndjson"], { env })
    expect(c.status).toBe(2)
    expect(c.stderr).toMatch(/missing --nats URL/)
    for (const r of [a, b, c]) expect(r.stderr).not.toMatch(STACK_LINE)
  })
  it("refuses a --http port already in use as an option error (status 2), not an internal error", async () => {
    const taken = createServer()
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve))
    try {
      const port = (taken.address() as AddressInfo).port
      const r = plancastProcess(["serve", "--stdio", "--base", BASELINE, "--http", String(port)], { input: "" })
      expect(r.status).toBe(2)
      expect(r.stderr).toBe(`plancast serve: --http: cannot listen on port ${port} (EADDRINUSE)\n`)
    } finally {
      await new Promise((resolve) => taken.close(resolve))
    }
  })
  it("serves NDJSON on standard input: one projection line per applied batch", async () => {
    const r = plancastProcess(["serve", "--stdio", "--base", BASELINE], {
      input: '{"id":"s1","scenario":"what-if","type":"shock","indicator":"fai","value":-10}\n',
    })
    expect(r.status).toBe(0)
    const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l))
    expect(lines.at(-1)).toMatchObject({ model: "duji-2024", scenario: "what-if" })
  })
  it("hands batch its own arguments", async () => {
    const r = await plancast(["batch", "--help"])
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/usage: plancast batch/)
  })
})
