// The estimate and renorm commands as a user runs them on Klein's Model I: the printed
// estimates and a copy of the model written with them (comments kept), and bad input refused
// with exit status 2 and its reason (a sample outside the data, a singular instrument set,
// unmatched counts). What needs no process (CSV errors, the tables) is tested in process.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { plancast, ROOT } from "./run.ts"

const KLEIN = "scenarios/textbook/klein-model-1.yaml"
const kleinCopy = (edit: (yaml: string, csv: string) => [string, string]): string => {
  const dir = mkdtempSync(join(tmpdir(), "plancast-klein-"))
  const [yaml, csv] = edit(readFileSync(join(ROOT, KLEIN), "utf8"), readFileSync(join(ROOT, "scenarios/textbook/klein-model-1.csv"), "utf8"))
  writeFileSync(join(dir, "klein-model-1.yaml"), yaml)
  writeFileSync(join(dir, "klein-model-1.csv"), csv)
  return join(dir, "klein-model-1.yaml")
}

describe("plancast estimate", () => {
  it("prints each equation's coefficients, fit and residuals, and writes a model that keeps its comments", async () => {
    const file = kleinCopy((y, c) => [y.replace("a1: { value: 16.236600271904308 }", "a1: { value: 0 }"), c])
    const out = file.replace(".yaml", "-estimated.yaml")
    copyFileSync(file.replace(".yaml", ".csv"), out.replace(".yaml", ".csv"))
    const r = await plancast(["estimate", file, "--out", out, "--rescheck"])
    expect(r.stderr).toBe("")
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/a1\s+16\.236600\s+1\.302698\s+12\.464/)
    expect(r.stdout).toMatch(/Durbin-Watson 1\.367/)
    expect(r.stdout).toMatch(/largest \|residual\|: .*X \d\.\d+e-1[2-6]/)
    const written = readFileSync(out, "utf8")
    expect(written).toMatch(/# Klein's Model I/)
    expect(written).toMatch(/a1: \{ value: 16\.2366002719043\d* \}/)
  })
  it("refuses a sample outside the data with exit status 2, naming the entry and the data's range", async () => {
    const file = kleinCopy((y, c) => [y.replace(/(C: \{ coefficients: \[ ?a1, a2, a3, a4 ?\], sample: \{ from: )"1921"/, '$1"1915"'), c])
    const r = await plancast(["estimate", file])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/klein-model-1\.yaml:\d+: estimate\.C\.sample: the sample 1915\.\.1941 lies outside the data \(1920\.\.1941\)/)
  })
})

describe("plancast renorm", () => {
  it("refuses a singular instrument set and unmatched counts with exit status 2", async () => {
    const s = await plancast(["renorm", KLEIN, "--target", "C=80", "--target", "X=105", "--instrument", "G", "--instrument", "X", "--periods", "1942"])
    expect(s.status).toBe(2)
    expect(s.stderr).toMatch(/instrument: the instruments \(G, X\) cannot move the targets \(C, X\) independently in 1942/)
    const c = await plancast(["renorm", KLEIN, "--target", "C=80", "--instrument", "G", "--instrument", "T"])
    expect(c.status).toBe(2)
    expect(c.stderr).toMatch(/3 target values .* and 6 instrument values/)
  })
})
