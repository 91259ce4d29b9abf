// Unit tests of the multiplier tables: the words follow the shocked variable (pp of growth for a
// plan indicator, units of level otherwise) and the CSV has one row per shock, response and
// period with the matrix columns.
import { describe, expect, it } from "vitest"
import { multiplierCsv, multiplierTables, shockUnit } from "../../../adapters/cli/multipliers-table.ts"

const m = {
  model: "m",
  step: 1e-3,
  periods: ["2024", "2025"],
  shocks: [{ variable: "G", responses: [{ variable: "Y", impact: [2, 2], interim: [2, 3], matrix: [[2, 0], [1, 2]], annual: null }] }],
}

describe("multiplier tables", () => {
  it("speaks of levels for variables in levels and of growth for indicators", () => {
    expect(shockUnit("G", [])).toBe("1 unit added to the level of G")
    expect(shockUnit("gdp", ["gdp"])).toBe("1 pp added to the growth of gdp")
    expect(multiplierTables(m, [])).toMatch(/response of Y to 1 unit added to the level of G/)
  })
  it("writes CSV rows of impact, interim and the matrix", () => {
    expect(multiplierCsv(m)).toBe("shock,response,period,impact,interim,annual,shock_2024,shock_2025\nG,Y,2024,2,2,,2,0\nG,Y,2025,2,3,,1,2\n")
  })
})
