// Tests of adapters/batch/output-format.ts (CSV and NDJSON rows) and progress.ts (the bar's text and
// its throttled drawing on a stream).
import { Writable } from "node:stream"
import { describe, expect, it } from "vitest"
import type { BatchRow } from "../../../engine/batch/index.ts"
import { csvHeader, csvRow, ndjsonLine } from "../../../adapters/batch/output-format.ts"
import { progressBar, progressLine } from "../../../adapters/batch/progress.ts"

const row: BatchRow = {
  scenario: 'odd, "name"',
  point: "fai=-15;industry_va=2",
  indicator: "gdp",
  mean: 6.1,
  p05: 4.9,
  p50: 6.1,
  p95: 7.3,
  probability: 0.31,
  required: null,
  met: false,
}

describe("row encoders", () => {
  it("writes CSV with a header, quoting where needed and empty cells for null", () => {
    expect(csvHeader()).toBe("scenario,point,indicator,mean,p05,p50,p95,probability,required,met\n")
    expect(csvRow(row)).toBe('"odd, ""name""",fai=-15;industry_va=2,gdp,6.1,4.9,6.1,7.3,0.31,,false\n')
  })
  it("writes NDJSON with the columns in order", () => {
    expect(ndjsonLine(row)).toBe(
      '{"scenario":"odd, \\"name\\"","point":"fai=-15;industry_va=2","indicator":"gdp","mean":6.1,"p05":4.9,"p50":6.1,"p95":7.3,"probability":0.31,"required":null,"met":false}\n',
    )
  })
})

describe("progress bar", () => {
  it("shows the share, the count and an estimate of the time left", () => {
    expect(progressLine(25, 100, 5)).toBe(`batch [${"#".repeat(8)}${".".repeat(22)}]  25% 25/100 projections eta 15s`)
    expect(progressLine(25, 100)).toBe(`batch [${"#".repeat(8)}${".".repeat(22)}]  25% 25/100 projections`)
    expect(progressLine(100, 100, 5)).toBe(`batch [${"#".repeat(30)}] 100% 100/100 projections`)
  })
  it("draws at most ten times a second, always the last update, and erases itself", () => {
    let text = ""
    const stream = new Writable({ write: (chunk, _enc, done) => ((text += String(chunk)), done()) })
    let now = 0
    const bar = progressBar(stream, 10, () => now)
    bar.update(1, 10)
    now = 50
    bar.update(2, 10) // too soon: skipped
    now = 200
    bar.update(10, 10)
    bar.done()
    const draws = text.split("\r").filter(Boolean)
    expect(draws).toHaveLength(3)
    expect(draws[0]).toMatch(/ 1\/10 projections\x1b/) // no time left before a rate is known
    expect(draws[1]).toContain("10/10")
    expect(draws[2]).toBe("\x1b[K")
  })
})
