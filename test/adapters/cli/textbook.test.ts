// A textbook model through the command line as a reader of the README would run it: the model
// file itself projected (no scenario file), its solution as a table and as CSV, with the
// published values of Godley and Lavoie's SIM model (Monetary Economics, 2007, ch. 3).
import { describe, expect, it } from "vitest"
import { plancast } from "./run.ts"

describe("plancast project on a model file without indicators", () => {
  it("prints the SIM model's solution with its published first periods", async () => {
    const r = await plancast(["project", "scenarios/textbook/sim.yaml"])
    expect(r.status).toBe(0)
    const y = r.stdout.split("\n").filter((l) => /^20\d\d /.test(l)).map((l) => Number(l.split(/\s+/)[1]))
    expect(y.slice(0, 3)).toEqual([38.461538, 47.928994, 55.939918])
    expect(r.stdout).toMatch(/2000\.\.2059/)
  })

  it("writes the whole solution as CSV, Hh equal to Hs in every period", async () => {
    const r = await plancast(["project", "scenarios/textbook/sim.yaml", "--format", "csv"])
    expect(r.status).toBe(0)
    const [header, ...rows] = r.stdout.trim().split("\n")
    const cols = header!.split(",")
    expect(rows).toHaveLength(60)
    const at = (row: string, name: string) => Number(row.split(",")[cols.indexOf(name)])
    for (const row of rows) expect(Math.abs(at(row, "Hh") - at(row, "Hs"))).toBeLessThan(1e-9)
    expect(at(rows[59]!, "Y")).toBeCloseTo(100, 2)
  })
})
