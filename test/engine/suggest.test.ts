// Unit tests of the "did you mean" rule (engine/suggest.ts): the distance counts a swap of two
// neighbours as one edit, a suggestion needs to be close relative to the name's length, the
// closest come first, and the suggestion text quotes as asked.
import { describe, expect, it } from "vitest"
import { closestNames, didYouMean, editDistance } from "../../engine/suggest.ts"

describe("editDistance", () => {
  it("counts insertions, deletions, substitutions and neighbour swaps", () => {
    expect(editDistance("fai", "fai")).toBe(0)
    expect(editDistance("fia", "fai")).toBe(1)
    expect(editDistance("projet", "project")).toBe(1)
    expect(editDistance("draw", "draws")).toBe(1)
    expect(editDistance("gdp", "gpd")).toBe(1)
    expect(editDistance("kitten", "sitting")).toBe(3)
    expect(editDistance("", "abc")).toBe(3)
    expect(editDistance("abc", "")).toBe(3)
  })

  it("is symmetric", () => {
    for (const [a, b] of [["retail", "retial"], ["seek", "sek"], ["industry_va", "industy_av"]] as const) expect(editDistance(a, b)).toBe(editDistance(b, a))
  })
})

describe("closestNames and didYouMean", () => {
  const ids = ["gdp", "industry_va", "fai", "fiscal_revenue", "retail_sales", "trade", "urban_income", "rural_income"]

  it("suggests the close names, closest first, and nothing for a far or exact one", () => {
    expect(closestNames("fia", ids)).toEqual(["fai"])
    expect(closestNames("urban_incme", ids)).toEqual(["urban_income", "rural_income"])
    expect(closestNames("rual_income", ids)).toEqual(["rural_income", "urban_income"])
    expect(closestNames("population", ids)).toEqual([])
    expect(closestNames("fai", ids)).toEqual([])
    expect(closestNames("FAI", ids)).toEqual(["fai"])
  })

  it("never suggests a one-letter name for another one-letter name", () => {
    expect(closestNames("x", ["y", "C", "xy"])).toEqual(["xy"])
  })

  it("writes the suggestion as the message quotes names", () => {
    expect(didYouMean("fia", ids)).toBe(' (did you mean "fai"?)')
    expect(didYouMean("draw", ["draws", "seed", "format"], (n) => `--${n}`)).toBe(" (did you mean --draws?)")
    expect(didYouMean("tarde", ["trade", "tared"])).toBe(' (did you mean "trade" or "tared"?)')
    expect(didYouMean("zzz", ids)).toBe("")
  })
})
