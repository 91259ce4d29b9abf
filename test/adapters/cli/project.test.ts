// `plancast project` on the Duji baseline, end to end through the bin: table, JSON contract,
// CSV, determinism, options refused with status 2.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { BASELINE, DUJI_IDS, plancast, STACK_LINE } from "./run.ts"

describe("plancast project (Duji baseline)", () => {
  it("prints the projection JSON contract, deterministic by default", async () => {
    const r = await plancast(["project", BASELINE, "--format", "json"])
    expect(r.stderr).toBe("")
    expect(r.status).toBe(0)
    const p = JSON.parse(r.stdout)
    expect(p).toMatchObject({ model: "duji-2024", scenario: "baseline", seed: 1, draws: 0, events: { applied: 0, rejected: 0 } })
    expect(p.periods).toEqual(Array.from({ length: 12 }, (_, k) => `2024-${String(k + 1).padStart(2, "0")}`))
    expect(p.indicators.map((i: { id: string }) => i.id).sort()).toEqual([...DUJI_IDS].sort())
    for (const i of p.indicators) {
      expect(typeof i.name).toBe("string")
      expect(i.unit).toBe("%")
      expect(["atLeast", "atMost", "around"]).toContain(i.target.kind)
      for (const k of ["mean", "p05", "p50", "p95"]) expect(Number.isFinite(i.annual[k])).toBe(true)
      expect(i.annual.p05).toBe(i.annual.p50) // no draws: one value
      expect([0, 1]).toContain(i.probability)
      expect(i.required === null || Number.isFinite(i.required)).toBe(true)
      expect(i.path).toHaveLength(12)
      for (const pt of i.path) {
        expect(pt).toMatchObject({ period: expect.any(String), observed: false })
        for (const k of ["p05", "p50", "p95"]) expect(Number.isFinite(pt.ytd[k])).toBe(true)
      }
      expect(i.path[11].ytd.p50).toBeCloseTo(i.annual.p50, 9)
    }
    const targets = Object.fromEntries(p.indicators.map((i: any) => [i.id, [i.target.kind, i.target.value]]))
    expect(targets).toEqual({
      gdp: ["around", 7],
      industry_va: ["atLeast", 10],
      fai: ["atLeast", 10],
      fiscal_revenue: ["atLeast", 6],
      retail_sales: ["around", 7],
      trade: ["atLeast", 10],
      urban_income: ["atLeast", 6.5],
      rural_income: ["atLeast", 8],
    })
  })

  it("gives the same output twice, with draws too", async () => {
    const a = await plancast(["project", BASELINE, "--format", "json", "--draws", "300", "--seed", "7"])
    const b = await plancast(["project", BASELINE, "--format", "json", "--draws", "300", "--seed", "7"])
    expect(a.status).toBe(0)
    expect(a.stdout).toBe(b.stdout)
    const p = JSON.parse(a.stdout)
    expect(p).toMatchObject({ draws: 300, seed: 7 })
    for (const i of p.indicators) expect(i.annual.p05).toBeLessThanOrEqual(i.annual.p95)
  })

  it("prints a table with one row per indicator: target, annual growth, met, required", async () => {
    const r = await plancast(["project", BASELINE])
    expect(r.status).toBe(0)
    const lines = r.stdout.split("\n")
    expect(lines.find((l) => l.startsWith("indicator"))).toMatch(/target\s+annual\s+met\s+required/)
    for (const id of DUJI_IDS) expect(lines.some((l) => l.startsWith(id + " "))).toBe(true)
    expect(lines.find((l) => l.startsWith("gdp "))).toMatch(/≈ 7 ± 0\.5\s+-?\d+\.\d\d\s+(yes|no)\s+-?\d+\.\d\d/)
    expect(lines.find((l) => l.startsWith("fai "))).toMatch(/≥ 10/)
  })

  it("adds the 90% band and the probability to the table with draws", async () => {
    const r = await plancast(["project", BASELINE, "--draws", "200"])
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/annual p50\s+p05–p95\s+P\(met\)\s+verdict/)
    expect(r.stdout).toMatch(/200 draws, seed 1/)
    expect(r.stdout).toMatch(/^gdp\s+≈ 7 ± 0\.5\s+-?\d+\.\d\d\s+-?\d+\.\d\d – -?\d+\.\d\d\s+\d+%\s+(likely|toss-up|unlikely)\s/m)
    expect(r.stdout).toMatch(/^all 8 targets met together: \d+% of draws; exactly k met \(k = 0\.\.8\):( \d+%){9}$/m)
  })

  it("prints CSV: one row per indicator and period, plus the annual row", async () => {
    const r = await plancast(["project", BASELINE, "--format", "csv"])
    expect(r.status).toBe(0)
    const rows = r.stdout.trimEnd().split("\n")
    expect(rows[0]).toBe("scenario,indicator,period,ytd_p05,ytd_p50,ytd_p95,observed")
    expect(rows).toHaveLength(1 + DUJI_IDS.length * 13)
    expect(rows[1]).toMatch(/^baseline,gdp,2024-01,-?[\d.e-]+,-?[\d.e-]+,-?[\d.e-]+,false$/)
    expect(rows[13]).toMatch(/^baseline,gdp,annual,/)
    const json = JSON.parse((await plancast(["project", BASELINE, "--format", "json"])).stdout)
    // CSV carries 12 significant digits (README, "Numbers in outputs"); JSON full precision
    expect(Number(rows[13]!.split(",")[4])).toBe(Number(json.indicators[0].annual.p50.toPrecision(12)))
  })

  // every option kind is unit-tested in options.test.ts; these check they reach the exit status
  it.each([
    [["--draws", "10000001"], /^plancast project: --draws: at most 10000000/],
    [["--format", "xml"], /^plancast project: --format: must be one of table, json, csv/],
    [["--bogus"], /^plancast project: unknown option --bogus/],
  ])("refuses %j with status 2 and no stack", async (extra, message) => {
    const r = await plancast(["project", BASELINE, ...extra])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(r.stderr).not.toMatch(STACK_LINE)
    expect(r.stdout).toBe("")
  })

  it("accepts a negative seed and --name=value", async () => {
    expect((await plancast(["project", BASELINE, "--seed", "-3", "--format=json"])).status).toBe(0)
  })

  it("refuses a missing scenario file with status 2, naming it", async () => {
    const r = await plancast(["project", "scenarios/duji-2024/nope.yaml"])
    expect(r.status).toBe(2)
    expect(r.stderr).toBe("scenarios/duji-2024/nope.yaml: file not found\n")
  })

  it("prints usage with --help, and status 2 without a scenario", async () => {
    const help = await plancast(["project", "--help"])
    expect(help.status).toBe(0)
    expect(help.stdout).toMatch(/^usage: plancast project \[flags\] <scenario>/)
    const none = await plancast(["project"])
    expect(none.status).toBe(2)
    expect(none.stderr).toBe('plancast project: missing <scenario>\nrun "plancast project --help" for its usage\n')
  })
})

describe("plancast (no command, unknown command, help)", () => {
  it("lists the commands", async () => {
    const r = await plancast(["--help"])
    expect(r.status).toBe(0)
    for (const c of ["project", "compare", "explain", "seek", "validate", "serve", "publish", "batch"]) expect(r.stdout).toContain(c)
  })
  it("refuses an unknown command with status 2", async () => {
    const r = await plancast(["frobnicate"])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/unknown command "frobnicate"/)
  })

  it("says how many draws failed and were left out, in the table and the JSON", async () => {
    const dir = mkdtempSync(join(tmpdir(), "plancast-failed-"))
    try {
      const file = join(dir, "fails.yaml")
      writeFileSync(
        file,
        [
          "name: fails",
          "calendar: { frequency: monthly, baseYear: 2023, planYear: 2024 }",
          "indicators:",
          "  - { id: y, name: y, kind: rate, base: { growth: 1 }, target: { kind: atLeast, value: 1 } }",
          "  - { id: z, name: z, kind: rate, base: { growth: 0 } }",
          "parameters:",
          "  a: { value: 1, uncertainty: { dist: normal, sd: 1 } }",
          'equations: { y: "a", z: "log(a)" }',
          "",
        ].join("\n"),
      )
      const table = await plancast(["project", file, "--draws", "1000"])
      expect(table.status).toBe(0)
      const json = JSON.parse((await plancast(["project", file, "--draws", "1000", "--format", "json"])).stdout)
      expect(json.failedDraws.count).toBeGreaterThan(100)
      expect(table.stdout).toContain(`${json.failedDraws.count} of 1000 draws failed and are left out of every figure (the first: draw ${json.failedDraws.draws[0]}, the equation of z gives NaN`)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it("says how many draws failed with a release too: they are left out of the conditioned figures", async () => {
    const dir = mkdtempSync(join(tmpdir(), "plancast-failed-"))
    try {
      writeFileSync(
        join(dir, "fails.yaml"),
        [
          "name: fails",
          "calendar: { frequency: monthly, baseYear: 2023, planYear: 2024 }",
          "indicators:",
          "  - { id: y, name: y, kind: rate, base: { growth: 1 }, target: { kind: atLeast, value: 1 }, release: { sd: 0.5 } }",
          "  - { id: z, name: z, kind: rate, base: { growth: 0 } }",
          "parameters:",
          "  a: { value: 1, uncertainty: { dist: normal, sd: 1 } }",
          'equations: { y: "a", z: "log(a)" }',
          "",
        ].join("\n"),
      )
      const scenario = join(dir, "released.json")
      writeFileSync(scenario, JSON.stringify({ name: "released", model: "./fails.yaml", events: [{ id: "r1", type: "observe", indicator: "y", through: "2024-03", ytd: 1.3 }] }))
      const table = await plancast(["project", scenario, "--draws", "1000"])
      expect(table.status).toBe(0)
      const r = await plancast(["project", scenario, "--draws", "1000", "--format", "json"])
      expect(r.status).toBe(0)
      const json = JSON.parse(r.stdout)
      expect(json.evidence.method).toBe("kalman")
      expect(json.failedDraws.count).toBeGreaterThan(100)
      expect(json.failedDraws.count).toBeLessThan(300)
      expect(table.stdout).toContain(`${json.failedDraws.count} of 1000 draws failed and are left out of every figure (the first: draw ${json.failedDraws.draws[0]}, the equation of z gives NaN`)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
