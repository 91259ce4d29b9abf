// Unit tests of period labels and history expansion.
import { describe, expect, it } from "vitest"
import { expandHistory, horizonOf, periodLabels, periodsPerYear } from "../../../engine/compile/calendar.ts"

describe("calendar", () => {
  it("labels monthly, quarterly and annual periods from the plan year", () => {
    expect(periodLabels({ frequency: "monthly", baseYear: 2023, planYear: 2024 })).toEqual(
      ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"].map((m) => `2024-${m}`),
    )
    expect(periodLabels({ frequency: "quarterly", baseYear: 2023, planYear: 2024, horizon: 6 })).toEqual(["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2"])
    expect(periodLabels({ frequency: "annual", baseYear: 1999, planYear: 2000, horizon: 3 })).toEqual(["2000", "2001", "2002"])
    expect(periodLabels({ frequency: "monthly", baseYear: 2023, planYear: 2024, horizon: 14 }).slice(11)).toEqual(["2024-12", "2025-01", "2025-02"])
  })
  it("defaults the horizon to one plan year", () => {
    expect(horizonOf({ frequency: "quarterly", baseYear: 2023, planYear: 2024 })).toBe(4)
    expect(periodsPerYear("annual")).toBe(1)
  })
  it("expands a number to one year of history and keeps arrays", () => {
    expect(expandHistory(2, 4)).toEqual([2, 2, 2, 2])
    expect(expandHistory([1, 2], 12)).toEqual([1, 2])
    expect(expandHistory(undefined, 12)).toEqual([])
  })
})
