// The Duji 2024 model as data: driven by 2023's figures it reproduces the 2023 outcomes
// (scenarios/duji-2024/README.md §7), every scenario file of the folder loads without a
// refused event, and the baseline's targets are the document's.
import { readdirSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { loadScenarioStrict } from "../../adapters/files/load.ts"
import { project } from "../../engine/index.ts"

const DIR = "scenarios/duji-2024"
const outcomes2023: Record<string, number> = {
  gdp: 5, industry_va: 0, fai: -15, fiscal_revenue: 7, retail_sales: 7.1, trade: 10, urban_income: 5.5, rural_income: 8,
}

describe("the Duji 2024 model", () => {
  it("reproduces every 2023 outcome within 0.01 pp when driven by 2023's figures", async () => {
    const s = await loadScenarioStrict(join(DIR, "checks/calibration-2023.yaml"))
    const p = project(s.compiled, s.state, { draws: 0, seed: 1, scenario: s.name })
    for (const i of p.indicators) expect(Math.abs(i.annual.p50 - outcomes2023[i.id]), i.id).toBeLessThan(0.01)
    expect(p.indicators.map((i) => i.id).sort()).toEqual(Object.keys(outcomes2023).sort())
  })

  it("loads every scenario of the folder with no refused event", async () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith(".yaml") && f !== "model.yaml")
    expect(files).toContain("baseline.yaml")
    for (const f of files) {
      const s = await loadScenarioStrict(join(DIR, f))
      expect(s.rejected, f).toHaveLength(0)
    }
  })

  it("moves the 2024 projection away from 2023 by the model's own assumptions (not a replay)", async () => {
    const s = await loadScenarioStrict(join(DIR, "baseline.yaml"))
    const p = project(s.compiled, s.state, { draws: 0, seed: 1, scenario: s.name })
    const moved = p.indicators.filter((i) => Math.abs(i.annual.p50 - outcomes2023[i.id]) > 0.1)
    expect(moved.length).toBeGreaterThan(4)
  })
})
