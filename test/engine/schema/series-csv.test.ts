// Unit tests of the CSV reader of historical series: periods and series read, missing values
// as null, and every refusal at its line (a bad period, a gap, a cell that is not a number, a
// row of the wrong width, a bad header).
import { describe, expect, it } from "vitest"
import { parseSeriesCsv } from "../../../engine/schema/series-csv.ts"

const refusal = (text: string, frequency: "annual" | "quarterly" = "annual") => {
  try {
    parseSeriesCsv(text, frequency)
  } catch (e) {
    return e as { _tag: string; line: number; problem: string }
  }
  throw new Error("accepted")
}

describe("parseSeriesCsv", () => {
  it("reads periods and series, empty cells and NA as missing", () => {
    expect(parseSeriesCsv("year,C,G\n1920,1.5,\n1921,2,NA\n1922,3,4\n", "annual")).toEqual({ start: "1920", series: { C: [1.5, 2, 3], G: [null, null, 4] } })
    expect(parseSeriesCsv("period,x\n2020Q4,1\n2021Q1,2\n", "quarterly")).toEqual({ start: "2020-Q4", series: { x: [1, 2] } })
  })
  it.each([
    ["year,C\n1920,1\n1922,2\n", 3, /1922 does not follow the period before it/],
    ["year,C\n1920,1\n1921,5x\n", 3, /C: "5x" is not a number/],
    ["year,C\n1920,1,2\n", 2, /3 cells where the header has 2/],
    ["year,1C\n1920,1\n", 1, /"1C" is not a series name/],
    ["year,C\n20-1,1\n", 2, /"20-1" is not a annual period/],
    ["year,C,C\n1920,1,2\n", 1, /appears twice/],
  ])("refuses %j at line %i", (text, line, problem) => {
    const e = refusal(text)
    expect(e._tag).toBe("SeriesCsvError")
    expect(e.line).toBe(line)
    expect(e.problem).toMatch(problem)
  })
})
