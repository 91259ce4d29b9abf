// The command line with an observable (Duji's above-quota retail, scenarios/duji-2024/model.yaml):
// `project` prints it in a table of its own after the indicators and the JSON carries it under
// `observables`, never among the indicators; a release of it is applied, shows as observed, and
// `explain --news` lists it with its expected value and surprise (table, CSV and JSON).
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { plancast, ROOT } from "./run.ts"

let scenario = ""
beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), "plancast-observables-"))
  scenario = join(dir, "above-quota.yaml")
  writeFileSync(
    scenario,
    `name: above-quota\nmodel: ${join(ROOT, "scenarios/duji-2024/model.yaml")}\nbase: ${join(ROOT, "scenarios/duji-2024/baseline.yaml")}\nevents:\n  - { id: aq-02, type: observe, indicator: retail_above_quota, through: "2024-02", ytd: 2.5 }\n`,
  )
})

describe("observables on the command line", () => {
  it("project prints them apart from the indicators, in the table and the JSON", async () => {
    const table = await plancast(["project", scenario, "--draws", "500", "--seed", "1"])
    expect(table.status).toBe(0)
    const [indicators, observables] = table.stdout.split("observed series that are not plan indicators")
    expect(indicators).not.toMatch(/retail_above_quota/)
    expect(observables).toMatch(/^observable\s+annual p50\s+p05–p95\s+observed to\s+name$/m)
    expect(observables).toMatch(/^retail_above_quota\s+-?\d+\.\d+\s+-?\d+\.\d+ – -?\d+\.\d+\s+2024-02\s+Retail sales of above-quota units$/m)
    const json = JSON.parse((await plancast(["project", scenario, "--draws", "500", "--seed", "1", "--format", "json"])).stdout) as {
      indicators: { id: string }[]
      observables: { id: string; observedThrough: string | null; path: { ytd: { p50: number }; observed: boolean }[] }[]
      evidence: { releases: number }
    }
    expect(json.indicators.map((i) => i.id)).not.toContain("retail_above_quota")
    expect(json.observables.map((o) => o.id)).toEqual(["retail_above_quota"])
    expect(json.observables[0].observedThrough).toBe("2024-02")
    expect(json.observables[0].path[1]).toMatchObject({ ytd: { p50: 2.5 }, observed: true })
    expect(json.evidence.releases).toBe(1)
  })

  it("explain --news lists a release of an observable with its surprise", async () => {
    const table = await plancast(["explain", scenario, "--news"])
    expect(table.status).toBe(0)
    expect(table.stdout).toMatch(/^1\s+release\s+retail_above_quota\s+2024-02\s+\d+\.\d+\s+2\.5\d*\s+-\d+\.\d+$/m)
    const csv = (await plancast(["explain", scenario, "--news", "--format", "csv"])).stdout
    expect(csv).toMatch(/^1,release,aq-02,retail_above_quota,,,,2024-02,[\d.]+,2\.5,-[\d.]+$/m)
    const json = JSON.parse((await plancast(["explain", scenario, "--news", "--format", "json"])).stdout) as { steps: { releases: { series: string; surprise: number }[] }[] }
    expect(json.steps[0].releases[0].series).toBe("retail_above_quota")
    expect(json.steps[0].releases[0].surprise).toBeLessThan(0)
  })
})
