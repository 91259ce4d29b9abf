// `plancast backtest` through the command line in process (test/adapters/cli/run.ts): the JSON
// contract on a small quarterly model and on the Duji release calendar, each step equal to
// `plancast project` of the log prefix, outcomes from a file overridden by --outcome, the
// table, CSV and HTML report, and bad input refused with what and where (exit status 2 through
// the command line's failure rule; one spawned run checks the real exit status).
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { Backtest } from "../../../engine/schema/backtest.ts"
import { linearModel } from "../../engine/project/fixtures.ts"
import { plancast, plancastProcess } from "./run.ts"

/** The message and exit status of a refused run, as the command line prints them. */
const failure = async (argv: string[]): Promise<{ status: number | null; message: string }> => {
  const r = await plancast(["backtest", ...argv])
  if (r.status === 0) throw new Error("not refused")
  return { status: r.status, message: r.stderr.trimEnd() }
}

const obs = (id: string, indicator: string, through: string, ytd: number) => ({ id, type: "observe", indicator, through, ytd, sd: 1 })
const EVENTS = [
  { id: "k", type: "shock", indicator: "y", value: 0.5 },
  obs("y1", "y", "2024-Q1", 6.3),
  obs("c1", "c", "2024-Q1", 5.5),
  obs("y2", "y", "2024-Q2", 7.4),
  obs("r3", "r", "2024-Q3", 2.8),
]
let dir: string
let scenario: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "plancast-backtest-"))
  writeFileSync(join(dir, "model.json"), JSON.stringify(linearModel()))
  const scenarioFile = (name: string, events: unknown[]) => {
    const file = join(dir, `${name}.json`)
    writeFileSync(file, JSON.stringify({ name, model: "./model.json", events }))
    return file
  }
  scenario = scenarioFile("quarters", EVENTS)
  scenarioFile("prefix", EVENTS.slice(0, 4))
  scenarioFile("no-releases", EVENTS.slice(0, 1))
  writeFileSync(join(dir, "outcomes.yaml"), 'note: synthetic\noutcomes:\n  y: { value: 9.2, source: "a test" }\n  c: 7.8\n')
  writeFileSync(join(dir, "bad-id.yaml"), "outcomes:\n  y: 9.2\n  gdp: 5\n")
  writeFileSync(join(dir, "bad-value.yaml"), "outcomes:\n  y: nine\n")
})

describe("plancast backtest", () => {
  it("prints the JSON contract: one step per release batch, each equal to `plancast project` of its prefix", async () => {
    const r = await plancast(["backtest", scenario, "--outcome", "y=9.2", "--outcome", "r=2.9", "--draws", "200", "--seed", "3", "--format", "json"])
    expect(r.status).toBe(0)
    const b = Backtest.parse(JSON.parse(r.stdout))
    expect(b).toMatchObject({ scenario: "quarters", draws: 200, seed: 3, outcomes: { y: { value: 9.2, met: true }, r: { value: 2.9, met: true } } })
    expect(b.steps.map((s) => s.asOf)).toEqual([
      { events: ["y1", "c1"], count: 3, through: "2024-Q1", kind: "release" },
      { events: ["y2"], count: 4, through: "2024-Q2", kind: "release" },
      { events: ["r3"], count: 5, through: "2024-Q3", kind: "release" },
    ])
    expect(Object.keys(b.summary)).toEqual(["y", "r"])
    expect(b.summary.y.naive.target).not.toBeNull()
    const p = JSON.parse((await plancast(["project", join(dir, "prefix.json"), "--draws", "200", "--seed", "3", "--format", "json"])).stdout)
    for (const i of b.steps[1].indicators) {
      const q = p.indicators.find((x: { id: string }) => x.id === i.id)
      expect({ p05: i.p05, p50: i.p50, p95: i.p95, probability: i.probability }).toEqual({ p05: q.annual.p05, p50: q.annual.p50, p95: q.annual.p95, probability: q.probability })
    }
  })

  it("reads outcomes from a file with their sources; --outcome overrides the file", async () => {
    const r = await plancast(["backtest", scenario, "--outcomes", join(dir, "outcomes.yaml"), "--outcome", "c=4", "--draws", "50", "--format", "json"])
    const b = JSON.parse(r.stdout)
    expect(b.outcomes).toEqual({ y: { value: 9.2, source: "a test", met: true }, c: { value: 4, met: false } })
  })

  it("prints a table and CSV, and writes an HTML report with one evolution chart per indicator", async () => {
    const html = join(dir, "report.html")
    const table = await plancast(["backtest", scenario, "--outcome", "y=9.2", "--outcome", "c=7.8", "--draws", "50", "--report", html])
    expect(table.stdout).toMatch(/^quarters: backtest as of 3 release batches, 50 draws, seed 1$/m)
    expect(table.stdout).toMatch(/^2024-Q1\s+y\s+9\.20\s/m)
    expect(table.stdout).toMatch(/naive: last year/)
    const page = readFileSync(html, "utf8")
    expect(page.match(/<svg[^>]*class="evolution-chart"/g)).toHaveLength(2)
    expect(page.match(/class="outcome-line"/g)).toHaveLength(2)
    expect(page.match(/class="release"/g)).toHaveLength(6)
    const csv = (await plancast(["backtest", scenario, "--outcome", "y=9.2", "--draws", "50", "--format", "csv"])).stdout.trim().split("\n")
    expect(csv[0]).toBe("scenario,through,kind,count,indicator,outcome,p05,p25,p50,p75,p95,width90,probability,error,crps,pit,inside50,inside90,brier,log_score")
    expect(csv).toHaveLength(4)
    expect(csv[1]).toMatch(/^quarters,2024-Q1,release,3,y,9\.2,/)
  })

  it("backtests the Duji release calendar: 8 batches, February to September", async () => {
    const r = await plancast(["backtest", "scenarios/duji-2024/releases-2024.yaml", "--outcome", "gdp=5.1", "--draws", "100", "--format", "json"])
    const b = JSON.parse(r.stdout)
    expect(b.steps.map((s: { asOf: { through: string } }) => s.asOf.through)).toEqual(["2024-02", "2024-03", "2024-04", "2024-05", "2024-06", "2024-07", "2024-08", "2024-09"])
    expect(b.steps.at(-1).asOf.count).toBe(41)
  }, 60_000)

  it("refuses bad input with what and where, exit status 2", async () => {
    const cases: [string[], RegExp][] = [
      [[scenario, "--outcome", "gdp=5"], /--outcome: unknown indicator "gdp" \(the model's indicators: y, c, r\)/],
      [[scenario, "--outcome", "y=abc"], /--outcome: y: the outcome must be a finite number, not "abc"/],
      [[scenario, "--outcome", "y"], /--outcome: expects ID=VALUE/],
      [[scenario], /--outcome: no outcomes/],
      [[scenario, "--outcome", "y=9", "--draws", "0"], /--draws: .*at least 1/],
      [[join(dir, "no-releases.json"), "--outcome", "y=9"], /no-releases\.json:\d+: events: the scenario has no observe events/],
      [[scenario, "--outcomes", join(dir, "bad-id.yaml")], /bad-id\.yaml:3: outcomes\.gdp: unknown indicator "gdp"/],
      [[scenario, "--outcomes", join(dir, "bad-value.yaml")], /bad-value\.yaml:2: outcomes\.y: /],
      [[scenario, "--outcomes", join(dir, "missing.yaml")], /missing\.yaml: file not found/],
    ]
    for (const [argv, message] of cases) {
      const f = await failure(argv)
      expect(f.message, argv.join(" ")).toMatch(message)
      expect(f.status, argv.join(" ")).toBe(2)
    }
  })

  it("exits with status 2 from the bin (a child process)", () => {
    const r = plancastProcess(["backtest", scenario, "--outcome", "gdp=5"])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/^plancast backtest: --outcome: unknown indicator "gdp"/)
  })
})
