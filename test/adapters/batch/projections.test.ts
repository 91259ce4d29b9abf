// Tests of adapters/batch/local-runner.ts (the async iterable over worker threads) on the Duji
// model: rows identical whatever the number of workers (0 = in-process, 1, 2, tiny chunks),
// a fixed order (scenario, grid point, indicator in model order), grid points that really
// shift the projection, common random numbers across points, and bad input refused before
// any row. Few draws and few points keep it quick; worker start-up dominates.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { planBatch, type BatchRow } from "../../../engine/batch/index.ts"
import { batchProjections } from "../../../adapters/batch/local-runner.ts"

const BASELINE = "scenarios/duji-2024/baseline.yaml"
const IDS = ["gdp", "industry_va", "fai", "fiscal_revenue", "retail_sales", "trade", "urban_income", "rural_income"]
const dir = mkdtempSync(join(tmpdir(), "plancast-batch-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

// a second scenario on the same model, with an uncertain shock of its own
const other = join(dir, "export-push.yaml")
writeFileSync(
  other,
  JSON.stringify({ name: "export-push", model: resolve("scenarios/duji-2024/model.yaml"), events: [{ id: "push", type: "shock", indicator: "trade", value: 3, sd: 1 }] }),
)

const collect = async (rows: AsyncIterable<BatchRow>): Promise<BatchRow[]> => {
  const out: BatchRow[] = []
  for await (const r of rows) out.push(r)
  return out
}

const plan = planBatch({ scenarios: [BASELINE, other], grids: ["fai=-10:10:10", "industry_va=0,2"], draws: 40, seed: 7 })

describe("batchProjections", () => {
  it("gives the same rows, in the same order, with 0, 1 and 2 workers and any chunking", async () => {
    const inProcess = await collect(batchProjections(plan, { workers: 0 }))
    const one = await collect(batchProjections(plan, { workers: 1 }))
    const two = await collect(batchProjections(plan, { workers: 2, chunkSize: 1 }))
    expect(inProcess).toHaveLength(2 * 6 * IDS.length)
    expect(one).toEqual(inProcess)
    expect(two).toEqual(inProcess)
  }, 180_000)

  it("orders rows by scenario, then grid point (last grid fastest), then indicator", async () => {
    const rows = await collect(batchProjections(plan, { workers: 0 }))
    const points = ["fai=-10;industry_va=0", "fai=-10;industry_va=2", "fai=0;industry_va=0", "fai=0;industry_va=2", "fai=10;industry_va=0", "fai=10;industry_va=2"]
    const expected = ["baseline", "export-push"].flatMap((s) => points.flatMap((p) => IDS.map((i) => `${s}|${p}|${i}`)))
    expect(rows.map((r) => `${r.scenario}|${r.point}|${r.indicator}`)).toEqual(expected)
    for (const r of rows) {
      expect(r.p05).toBeLessThanOrEqual(r.p50)
      expect(r.p50).toBeLessThanOrEqual(r.p95)
      if (r.probability !== null) expect(r.probability >= 0 && r.probability <= 1).toBe(true)
    }
  })

  it("applies each grid point as a shock: fai's mean moves by the shock exactly (common random numbers)", async () => {
    const rows = await collect(batchProjections(planBatch({ scenarios: [BASELINE], grids: ["fai=0,5"], draws: 30, seed: 3 }), { workers: 0 }))
    const fai = rows.filter((r) => r.indicator === "fai")
    // fai has no lag of itself and the same draws at both points, so every draw moves by 5 pp
    expect(fai[1]!.mean - fai[0]!.mean).toBeCloseTo(5, 9)
    expect(fai[1]!.p50 - fai[0]!.p50).toBeCloseTo(5, 6)
    const gdp = rows.filter((r) => r.indicator === "gdp")
    expect(gdp[1]!.mean).toBeGreaterThan(gdp[0]!.mean)
  })

  it("without a grid, one point per scenario with an empty label", async () => {
    const rows = await collect(batchProjections(planBatch({ scenarios: [BASELINE] }), { workers: 0 }))
    expect(rows.map((r) => r.point)).toEqual(IDS.map(() => ""))
    expect(rows.every((r) => r.p05 === r.p95)).toBe(true) // deterministic by default
  })

  it("refuses an unknown grid id and a missing file before any row", async () => {
    await expect(collect(batchProjections(planBatch({ scenarios: [BASELINE], grids: ["nonexistent_xyz=0:1:1"] }), { workers: 0 }))).rejects.toMatchObject({
      _tag: "OptionError",
      option: "--grid",
    })
    await expect(collect(batchProjections(planBatch({ scenarios: [join(dir, "missing.yaml")] }), { workers: 2 }))).rejects.toMatchObject({ _tag: "InvalidInput" })
  }, 120_000)
})
