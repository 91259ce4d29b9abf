// `plancast batch` through the real command line (node adapters/cli/bin.mjs): exit 2 with a
// clear message on bad input, and the same rows with 1 and 2 workers, in CSV and NDJSON.
// Each case is a process of its own; they run in parallel to keep the suite short.
import { spawn } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"

const BASELINE = "scenarios/duji-2024/baseline.yaml"
const dir = mkdtempSync(join(tmpdir(), "plancast-batch-cli-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const run = (args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["adapters/cli/bin.mjs", "batch", ...args], { stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (b) => (stdout += b))
    child.stderr.on("data", (b) => (stderr += b))
    child.on("error", reject)
    child.on("close", (status) => resolve({ status, stdout, stderr }))
  })

// a few representative cases (each process costs seconds of start-up); grid.test.ts covers the rest of the parsing
const bad: [string, string[], RegExp][] = [
  ["a reversed range", [BASELINE, "--grid", "fai=1:0:1"], /--grid.*from \(1\) must be <= to \(0\)/],
  ["an unknown id", [BASELINE, "--grid", "nonexistent_xyz=0:1:1"], /--grid.*unknown id "nonexistent_xyz"/],
  ["huge draws", [BASELINE, "--draws", "100000000"], /--draws/],
  ["an unknown scenario file", ["no/such/scenario.yaml"], /no\/such\/scenario\.yaml.*not found/],
  // the worker threads already run when the output fails to open: they must be stopped, or the process never exits
  ["an --out in a missing folder", [BASELINE, "--grid", "fai=0,1", "--out", join(dir, "no/such/rows.csv")], /rows\.csv: cannot write \(ENOENT\)/],
]

describe("plancast batch (command line)", () => {
  it("exits 2 with a clear message on bad input", async () => {
    const results = await Promise.all(bad.map(([, args]) => run(args.includes("--workers") ? args : [...args, "--workers", "1"])))
    results.forEach((r, i) => {
      const [what, , message] = bad[i]!
      expect({ what, status: r.status }).toEqual({ what, status: 2 })
      expect(r.stderr).toMatch(message)
      expect(r.stderr).not.toMatch(/\n\s+at /) // no stack trace
      expect(r.stdout).toBe("")
    })
  }, 180_000)

  it("writes the same rows with 1 worker (CSV to standard output) and 2 workers (NDJSON to a file)", async () => {
    const args = [BASELINE, "--grid", "fai=-5,5", "--grid", "industry_va=0:2:2", "--draws", "20", "--seed", "9"]
    const out = join(dir, "rows.ndjson")
    const [one, nd] = await Promise.all([run([...args, "--workers", "1"]), run([...args, "--workers", "2", "--format", "ndjson", "--out", out])])
    for (const r of [one, nd]) expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" })
    expect(nd.stdout).toBe("")
    const lines = one.stdout.trimEnd().split("\n")
    expect(lines[0]).toBe("scenario,point,indicator,mean,p05,p50,p95,probability,required,met")
    expect(lines).toHaveLength(1 + 4 * 8)
    expect(lines[1]).toMatch(/^baseline,fai=-5;industry_va=0,gdp,/)
    // the NDJSON rows of 2 workers carry the very numbers of the CSV rows of 1 worker
    const fromNdjson = readFileSync(out, "utf8")
      .trimEnd()
      .split("\n")
      .map((l) => {
        const r = JSON.parse(l)
        return [r.scenario, r.point, r.indicator, r.mean, r.p05, r.p50, r.p95, r.probability ?? "", r.required ?? "", r.met ?? ""].join(",")
      })
    expect(fromNdjson).toEqual(lines.slice(1))
  }, 180_000)
})
