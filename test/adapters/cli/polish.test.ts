// The command line's finish, in process: --version, "did you mean" for commands, options and
// ids (in options and in scenario files), the digits rule of text outputs (12 significant
// digits in CSV, batch NDJSON and seek's messages; JSON at full precision), CSV for every table,
// validate --base (an events file checked as the service takes it) and validate --blocks.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { BASELINE, DUJI_IDS, plancast, ROOT, STACK_LINE } from "./run.ts"

let dir: string
const file = (name: string, text: string): string => {
  const f = join(dir, name)
  writeFileSync(f, text)
  return f
}
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "plancast-polish-"))
})

const MODEL = join(ROOT, "scenarios/duji-2024/model.yaml")
const EVENTS = "scenarios/duji-2024/events.ndjson"

/** Significant digits of every number written in `text` (exponents aside). */
const significantDigits = (text: string): number[] =>
  [...text.matchAll(/-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/gi)].map((m) => m[0].replace(/^-/, "").replace(/e.*$/i, "").replace(".", "").replace(/^0+/, "").length)

const csvRows = (text: string): string[][] => text.trimEnd().split("\n").map((l) => l.split(","))

describe("plancast --version", () => {
  it("prints the package's version, as --version and -V", async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }
    for (const flag of ["--version", "-V"]) {
      const r = await plancast([flag])
      expect(r.status).toBe(0)
      expect(r.stdout).toBe(`plancast ${version}\n`)
    }
    expect((await plancast(["--help"])).stdout).toMatch(/--version/)
  })
})

describe("did you mean", () => {
  it("suggests the command closest to a misspelt one", async () => {
    const r = await plancast(["projet", BASELINE])
    expect(r.status).toBe(2)
    expect(r.stderr.split("\n")[0]).toBe('plancast: unknown command "projet" (did you mean "project"?)')
    const far = await plancast(["frobnicate"])
    expect(far.stderr.split("\n")[0]).toBe('plancast: unknown command "frobnicate"')
  })

  it("suggests the option closest to a misspelt flag", async () => {
    const r = await plancast(["project", BASELINE, "--draw", "10"])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/^plancast project: unknown option --draw \(did you mean --draws\?\)\n/)
    expect((await plancast(["compare", BASELINE, "--fromat=csv"])).stderr).toMatch(/unknown option --fromat \(did you mean --format\?\)/)
    expect((await plancast(["project", BASELINE, "--zzzz"])).stderr).toMatch(/unknown option --zzzz\n/)
  })

  it("suggests the indicator of the model for an unknown one in a scenario file, at its line", async () => {
    const scenario = file("typo.yaml", `name: typo\nmodel: ${MODEL}\nevents:\n  - id: s1\n    type: shock\n    indicator: fia\n    value: -5\n`)
    const r = await plancast(["project", scenario])
    expect(r.status).toBe(2)
    expect(r.stderr).not.toMatch(STACK_LINE)
    expect(r.stderr).toMatch(/typo\.yaml:6: events\[0\]\.indicator: .*unknown indicator or variable "fia" \(did you mean "fai"\?\)/)
    const observe = file("typo-observe.yaml", `name: typo2\nmodel: ${MODEL}\nevents:\n  - { id: o1, type: observe, indicator: retial_sales, through: "2024-02", ytd: 5 }\n`)
    expect((await plancast(["validate", observe])).stderr).toMatch(/unknown indicator or observable "retial_sales" \(did you mean "retail_sales"\?\)/)
  })

  it("suggests ids given as options: seek's target and shock, multipliers' shock, backtest's outcome", async () => {
    const seek = await plancast(["seek", BASELINE, "--target", "fia", "--shock", "fai"])
    expect(seek.status).toBe(2)
    expect(seek.stderr).toMatch(/target: unknown indicator "fia" \(did you mean "fai"\?\)/)
    expect((await plancast(["seek", BASELINE, "--target", "fai", "--shock", "tarde"])).stderr).toMatch(/unknown variable "tarde" \(did you mean "trade"\?\)/)
    expect((await plancast(["multipliers", BASELINE, "--shock", "gpd"])).stderr).toMatch(/unknown variable "gpd" \(did you mean "gdp"\?\)/)
    const bt = await plancast(["backtest", "scenarios/duji-2024/releases-2024.yaml", "--outcome", "fia=-8", "--draws", "1"])
    expect(bt.status).toBe(2)
    expect(bt.stderr).toMatch(/unknown indicator "fia" \(did you mean "fai"\?\)/)
  })
})

describe("digits of numbers in text outputs", () => {
  it("CSV outputs carry at most 12 significant digits; JSON keeps full precision", async () => {
    const outputs = await Promise.all([
      plancast(["project", BASELINE, "--format", "csv"]),
      plancast(["multipliers", BASELINE, "--shock", "fai", "--format", "csv"]),
      plancast(["explain", "scenarios/duji-2024/fai-slump.yaml", "--format", "csv"]),
      plancast(["renorm", "scenarios/textbook/klein-model-1.yaml", "--target", "C=80", "--target", "X=105", "--instrument", "G", "--instrument", "T", "--format", "csv"]),
    ])
    for (const r of outputs) {
      expect(r.status).toBe(0)
      expect(Math.max(...significantDigits(r.stdout))).toBeLessThanOrEqual(12)
    }
    // the noise the rule removes: trade's annual growth is 10.020000000000028 in the JSON, 10.02 in the CSV
    const json = JSON.parse((await plancast(["project", BASELINE, "--format", "json"])).stdout) as { indicators: { id: string; annual: { p50: number } }[] }
    const trade = json.indicators.find((i) => i.id === "trade")!.annual.p50
    expect(String(trade).replace(".", "").length).toBeGreaterThan(12)
    const annualRow = csvRows(outputs[0]!.stdout).find((r) => r[1] === "trade" && r[2] === "annual")!
    expect(annualRow[4]).toBe(String(Number(trade.toPrecision(12))))
  })

  it("batch NDJSON rows follow the same rule as its CSV", async () => {
    const args = ["batch", BASELINE, "--grid", "fai=-1:1:1", "--workers", "1"]
    const nd = await plancast([...args, "--format", "ndjson"])
    expect(nd.status).toBe(0)
    expect(Math.max(...significantDigits(nd.stdout))).toBeLessThanOrEqual(12)
    const csv = await plancast([...args, "--format", "csv"])
    const header = csvRows(csv.stdout)[0]!
    const first = JSON.parse(nd.stdout.split("\n")[0]!) as Record<string, unknown>
    const row = csvRows(csv.stdout)[1]!
    expect(header.map((c, k) => [c, row[k]])).toEqual(header.map((c) => [c, first[c] === null ? "" : String(first[c])]))
  })

  it("seek's messages state figures to 12 significant digits", async () => {
    const r = await plancast(["seek", BASELINE, "--target", "trade", "--shock", "nominal_gdp"])
    expect(r.status).toBe(1)
    // nominal_gdp does not reach trade: the range's two ends give the same growth
    expect(r.stderr).toMatch(/the boundary lies outside the range \(annual growth (\d+\.\d+) to \1\)/)
    expect(Math.max(...significantDigits(r.stderr))).toBeLessThanOrEqual(12)
  })
})

describe("CSV for every table", () => {
  it("explain: one row per contribution and a total per indicator, the JSON's numbers", async () => {
    const args = ["explain", "scenarios/duji-2024/fai-slump.yaml", "--against", BASELINE]
    const csv = await plancast([...args, "--format", "csv"])
    expect(csv.status).toBe(0)
    const rows = csvRows(csv.stdout)
    expect(rows[0]).toEqual(["scenario", "against", "indicator", "event", "pp"])
    const json = JSON.parse((await plancast([...args, "--format", "json"])).stdout) as { indicators: { id: string; total: number; contributions: { event: string; value: number }[] }[] }
    expect(rows.slice(1)).toEqual(
      json.indicators.flatMap((i) => [
        ...i.contributions.map((c) => ["fai-slump", "baseline", i.id, c.event, String(Number(c.value.toPrecision(12)))]),
        ["fai-slump", "baseline", i.id, "total", String(Number(i.total.toPrecision(12)))],
      ]),
    )
  })

  it("explain --news: start, each step's impact and end, per indicator, with the step's release", async () => {
    const r = await plancast(["explain", "scenarios/duji-2024/releases-2024.yaml", "--news", "--format", "csv"])
    expect(r.status).toBe(0)
    const rows = csvRows(r.stdout)
    expect(rows[0]).toEqual(["step", "kind", "events", "indicator", "mean", "p50", "probability", "through", "expected", "actual", "surprise"])
    expect(rows.slice(1, 9).map((x) => [x[0], x[1], x[3]])).toEqual(DUJI_IDS.map((id) => ["0", "start", id]))
    expect(rows.at(-1)![1]).toBe("end")
    const fai = rows.find((x) => x[0] === "1" && x[3] === "fai")!
    expect(fai.slice(7)).toEqual(["2024-02", fai[8]!, "-12", String(Number((-12 - Number(fai[8])).toPrecision(12)))])
  })

  it("seek, calibrate, estimate and multipliers print CSV with a header", async () => {
    const seek = await plancast(["seek", BASELINE, "--target", "fai", "--shock", "fai", "--format", "csv"])
    expect(csvRows(seek.stdout)).toEqual([["target", "shock", "value", "annual", "probability", "met", "draws"], ["fai", "fai", expect.any(String), "10", "1", "true", "0"]])
    const cal = await plancast(["calibrate", "scenarios/duji-2024/releases-2024.yaml", "--worlds", "4", "--draws", "20", "--format", "csv"])
    expect(cal.status).toBe(0)
    const calRows = csvRows(cal.stdout)
    expect(calRows[0]).toEqual(["indicator", "coverage50", "coverage90", "brier", ...Array.from({ length: 10 }, (_, k) => `pit_${k + 1}`)])
    expect(calRows.slice(1).map((x) => x[0])).toEqual(DUJI_IDS)
    const est = await plancast(["estimate", "scenarios/textbook/klein-model-1.yaml", "--format", "csv"])
    expect(est.status).toBe(0)
    const estRows = csvRows(est.stdout)
    expect(estRows[0]).toEqual(["table", "variable", "row", "column", "value"])
    // Greene's estimate of the consumption intercept, to the published digits
    expect(Number(estRows.find((x) => x[0] === "coefficients" && x[1] === "C" && x[2] === "a1" && x[3] === "estimate")![4]).toFixed(4)).toBe("16.2366")
    expect(estRows.some((x) => x[0] === "statistics" && x[2] === "durbin_watson")).toBe(true)
    const mult = await plancast(["multipliers", BASELINE, "--shock", "fai", "--format", "csv"])
    const multRows = csvRows(mult.stdout)
    expect(multRows[0]!.slice(0, 6)).toEqual(["shock", "response", "period", "impact", "interim", "annual"])
    const table = await plancast(["multipliers", BASELINE, "--shock", "fai"])
    const gdpAnnual = Number(multRows.find((x) => x[1] === "gdp")![5])
    expect(table.stdout).toMatch(new RegExp(`^fai\\s+${gdpAnnual.toFixed(3)}`, "m"))
  })
})

describe("plancast validate --base", () => {
  it("passes the shipped events file against the Duji baseline, as the service would take it", async () => {
    const r = await plancast(["validate", "--base", BASELINE, EVENTS])
    expect(r.stderr).toBe("")
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^scenarios\/duji-2024\/events\.ndjson: ok: events file: 7 events admitted, 3 scenarios \(fai-down, releases, consumption\) on base baseline/)
  })

  it("reports every line the service would refuse as file:line: event \"id\" refused: reason, exit 2", async () => {
    const events = file(
      "refused.ndjson",
      [
        '{"scenario":"a","id":"s1","type":"shock","indicator":"fia","value":-5}',
        '{"scenario":"bad name","id":"s2","type":"shock","indicator":"fai","value":-5}',
        '{"scenario":"a","id":"s3","type":"shock","indicator":"fai","value":-500}',
        "",
        '{"scenario":"a","id":"s4","type":"shock","indicator":"fai","value":-5}',
        '{"scenario":"a","id":"s4","type":"shock","indicator":"fai","value":-6}',
        '{"scenario":"b","id":"s4","type":"shock","indicator":"fai","value":-6}',
        '{"scenario":"a","id":"s4","type":"shock","indicator":"fai","value":-5}',
      ].join("\n") + "\n",
    )
    // the schema alone passes every line but the scenario name
    const schemaOnly = await plancast(["validate", events])
    expect(schemaOnly.stderr.trimEnd().split("\n")).toHaveLength(1)
    const r = await plancast(["validate", "--base", BASELINE, events])
    expect(r.status).toBe(2)
    expect(r.stdout).toBe("")
    expect(r.stderr).not.toMatch(STACK_LINE)
    const lines = r.stderr.trimEnd().split("\n")
    expect(lines).toHaveLength(4)
    expect(lines[0]).toBe(`${events}:1: event "s1" refused: indicator: unknown indicator or variable "fia" (did you mean "fai"?)`)
    expect(lines[1]).toMatch(new RegExp(`^${events}:2: event "s2" refused: scenario: "bad name" is not a valid scenario name`))
    // admission: the deterministic projection of the scenario the event would leave
    expect(lines[2]).toMatch(new RegExp(`^${events}:3: event "s3" refused: fai's annual growth would be -\\d+(\\.\\d+)?%: below -100% its level is negative$`))
    expect(lines[3]).toMatch(new RegExp(`^${events}:6: event "s4" refused: conflicts with the event already in the log`))
  })

  it("checks the base itself, and wants a base scenario", async () => {
    const events = file("one.ndjson", '{"scenario":"a","id":"s1","type":"shock","indicator":"fai","value":-1}\n')
    const r = await plancast(["validate", "--base", join(dir, "missing.yaml"), events])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/missing\.yaml/)
  })
})

describe("plancast validate --blocks", () => {
  it("prints the Duji model's blocks in solution order with their solver and size", async () => {
    const r = await plancast(["validate", "--blocks", "scenarios/duji-2024/model.yaml"])
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^duji-2024: \d+ equations in \d+ blocks \(\d+ simultaneous\), 12 periods; tolerance 1e-10\n/)
    expect(r.stdout).toMatch(/simultaneous\s+yes\s+5\s+Newton, one exact step \(linear\); Gauss-Seidel fallback, at most 1000 sweeps\s+gdp urban_income rural_income retail_sales services/)
    const json = JSON.parse((await plancast(["validate", "--blocks", BASELINE, "--format", "json"])).stdout) as { equations: number; blocks: { variables: string[]; size: number; solver: string }[] }
    // every endogenous variable (those of the projection's solution) in exactly one block
    const solution = (JSON.parse((await plancast(["project", BASELINE, "--format", "json"])).stdout) as { solution: { variables: Record<string, unknown> } }).solution
    expect(json.blocks.flatMap((b) => b.variables).toSorted()).toEqual(Object.keys(solution.variables).toSorted())
    expect(json.blocks.reduce((n, b) => n + b.size, 0)).toBe(json.equations)
    expect(json.blocks.filter((b) => b.size > 1).every((b) => b.solver === "newton")).toBe(true)
  })

  it("CSV of the blocks, and the stacked block of a forward-looking model", async () => {
    const csv = await plancast(["validate", "--blocks", "scenarios/textbook/klein-model-1.yaml", "--format", "csv"])
    const rows = csvRows(csv.stdout)
    expect(rows[0]).toEqual(["block", "simultaneous", "linear", "solver", "size", "variables"])
    expect(rows.slice(1).every((x) => ["evaluation", "newton"].includes(x[3]!))).toBe(true)
    const fwd = await plancast(["validate", "--blocks", "scenarios/textbook/asset-price.yaml", "--format", "json"])
    const s = JSON.parse(fwd.stdout) as { forwardLooking: boolean; periods: number; blocks: { solver: string; size: number; variables: string[] }[] }
    expect(s.forwardLooking).toBe(true)
    expect(s.blocks).toEqual([expect.objectContaining({ solver: "stacked-newton", size: s.periods * s.blocks[0]!.variables.length })])
  })

  it("--format goes with --blocks only", async () => {
    const r = await plancast(["validate", BASELINE, "--format", "csv"])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/--format goes with --blocks/)
  })
})
