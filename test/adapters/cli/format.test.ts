// adapters/cli/format.ts: targets as a plan writes them, the projection table, the comparison,
// CSV with its quoting, attribution and seek tables.
import { describe, expect, it } from "vitest"
import { compareTable, explainTable, meets, newsTable, projectionCsv, projectionTable, renderTable, seekTable, targetText } from "../../../adapters/cli/format.ts"
import type { Projection } from "../../../engine/index.ts"

const band = (x: number) => ({ mean: x, p05: x, p25: x, p50: x, p75: x, p95: x })
const view = (scenario: string, gdp: number, draws = 0): Projection => ({
  model: "m",
  scenario,
  seed: 1,
  draws,
  periods: ["2024-Q1", "2024-Q2"],
  indicators: [
    {
      id: "gdp",
      name: "Gross product, real",
      unit: "%",
      kind: "flow",
      quantileError: 0,
      target: { kind: "around", value: 7, band: 0.5 },
      annual: draws ? { mean: gdp, p05: gdp - 1, p25: gdp - 0.5, p50: gdp, p75: gdp + 0.5, p95: gdp + 1 } : band(gdp),
      probability: draws ? 0.42 : 1,
      outcomes: null,
      required: 7.25,
      met: Math.abs(gdp - 7) <= 0.5,
      path: [
        { period: "2024-Q1", ytd: band(6.5), growth: 6.5, observed: true },
        { period: "2024-Q2", ytd: band(gdp), growth: gdp, observed: false },
      ],
    },
    { id: "fai", name: "Investment", unit: "%", kind: "flow", quantileError: 0, target: null, annual: band(-3), probability: null, outcomes: null, required: null, met: null, path: [] },
  ],
  joint: { targets: 1, all: draws ? 0.42 : 1, count: draws ? [0.58, 0.42] : [0, 1] },
  events: { applied: 2, rejected: 0 },
  solution: { periods: ["2024-Q1", "2024-Q2"], variables: {} },
})

describe("targets", () => {
  it("read as a plan writes them", () => {
    expect(targetText({ kind: "atLeast", value: 10 })).toBe("≥ 10")
    expect(targetText({ kind: "atMost", value: 3 })).toBe("≤ 3")
    expect(targetText({ kind: "around", value: 7, band: 0.5 })).toBe("≈ 7 ± 0.5")
    expect(targetText(null)).toBe("—")
  })
  it("are met at their edges", () => {
    expect(meets({ kind: "atLeast", value: 10 }, 10)).toBe(true)
    expect(meets({ kind: "atMost", value: 3 }, 3.01)).toBe(false)
    expect(meets({ kind: "around", value: 7, band: 0.5 }, 6.5)).toBe(true)
    expect(meets(null, 1)).toBeUndefined()
  })
})

describe("projectionTable", () => {
  it("has one row per indicator with target, annual, met, required and last observed period", () => {
    const lines = projectionTable(view("base", 6.9)).split("\n")
    expect(lines[0]).toBe("m · scenario base · 2024-Q1..2024-Q2 · deterministic · events 2 applied, 0 rejected")
    expect(lines[2]).toMatch(/^indicator\s+target\s+annual\s+met\s+required\s+observed to\s+name$/)
    expect(lines[4]).toMatch(/^gdp\s+≈ 7 ± 0\.5\s+6\.90\s+yes\s+7\.25\s+2024-Q1\s+Gross product, real$/)
    expect(lines[5]).toMatch(/^fai\s+—\s+-3\.00\s+—\s+—\s+—\s+Investment$/)
  })
  it("adds the 90% band and the probability with draws", () => {
    const t = projectionTable(view("base", 6.9, 100))
    expect(t).toMatch(/p05–p95\s+P\(met\)\s+verdict/)
    expect(t).toMatch(/5\.90 – 7\.90\s+42%\s+toss-up/)
  })
  it("shows a growth just under a boundary with the decimals that keep it under", () => {
    const t = projectionTable(view("base", 6.49999))
    expect(t).toMatch(/^gdp\s+≈ 7 ± 0\.5\s+6\.49999\s+no\s/m)
    expect(projectionTable(view("base", 6.5))).toMatch(/^gdp\s+≈ 7 ± 0\.5\s+6\.50\s+yes\s/m)
  })
})

describe("compareTable", () => {
  it("puts scenarios in columns with ✓/✗", () => {
    const t = compareTable([view("a", 6.9), view("b", 5)])
    expect(t).toMatch(/^indicator\s+target\s+a\s+b$/m)
    expect(t).toMatch(/^gdp\s+≈ 7 ± 0\.5\s+6\.90 ✓\s+5\.00 ✗$/m)
  })
})

describe("projectionCsv", () => {
  it("writes one row per scenario, indicator and period, then the annual row, quoting as needed", () => {
    const csv = projectionCsv([view('say "hi", all', 6.9)]).split("\n")
    expect(csv[0]).toBe("scenario,indicator,period,ytd_p05,ytd_p50,ytd_p95,observed")
    expect(csv[1]).toBe('"say ""hi"", all",gdp,2024-Q1,6.5,6.5,6.5,true')
    expect(csv[3]).toBe('"say ""hi"", all",gdp,annual,6.9,6.9,6.9,')
    expect(csv[4]).toBe('"say ""hi"", all",fai,annual,-3,-3,-3,')
  })
})

describe("explain and seek tables", () => {
  it("list each contribution and the total", () => {
    const t = explainTable({ scenario: "s", against: "b", indicators: [{ id: "gdp", total: -0.5, contributions: [{ event: "e1", value: -0.75 }, { event: "e2", value: 0.25 }] }] })
    expect(t).toMatch(/^gdp\s+e1\s+-0\.750$/m)
    expect(t).toMatch(/^gdp\s+e2\s+\+0\.250$/m)
    expect(t).toMatch(/^gdp\s+total\s+-0\.500$/m)
  })
  it("shows the boundary shock", () => {
    expect(seekTable({ target: "gdp", shock: "fai", value: 2.5, probability: 1, met: true, annual: 7 })).toMatch(/^gdp\s+fai\s+\+2\.500\s+7\.00\s+yes$/m)
    expect(seekTable({ target: "gdp", shock: "fai", value: 2.5, probability: 0.8, met: false, annual: 6.4, draws: 500 }, 0.8)).toMatch(/^gdp\s+fai\s+\+2\.500\s+6\.40\s+80%\s+likely$/m)
  })
  it("aligns wide characters", () => {
    expect(renderTable(["a", "b"], [["地区", "1"]])).toBe("a     b\n────  ─\n地区  1\n")
  })
})

describe("newsTable", () => {
  it("lists each release with expected, actual and surprise, then impacts between start and end", () => {
    const f = (mean: number, probability: number | null) => ({ mean, p50: mean, probability })
    const t = newsTable(
      {
        scenario: "rel",
        method: "news",
        draws: 0,
        seed: 1,
        start: { gdp: f(5, 0), fai: f(-6, null) },
        steps: [
          { events: ["a", "b"], kind: "release" as const, releases: [{ id: "a", series: "gdp", through: "2024-03", expected: 5, actual: 5.5, surprise: 0.5 }], impact: { gdp: f(0.25, 1), fai: f(-1, null) } },
          { events: ["k"], kind: "other" as const, releases: [], impact: { gdp: f(-0.05, 0), fai: f(0, null) } },
        ],
        end: { gdp: f(5.2, 1), fai: f(-7, null) },
      },
      "base",
    )
    expect(t).toMatch(/^news of rel from base, in log order/)
    expect(t).toMatch(/^1\s+release\s+gdp\s+2024-03\s+5\.00\s+5\.50\s+\+0\.500$/m)
    expect(t).toMatch(/^\s+start\s+base\s+5\.00\s+-6\.00$/m)
    expect(t).toMatch(/^1\s+release\s+2 events\s+\+0\.250\s+-1\.000$/m)
    expect(t).toMatch(/^2\s+other\s+k\s+-0\.050\s+0\.000$/m)
    expect(t).toMatch(/^\s+end\s+rel\s+5\.20\s+-7\.00$/m)
    expect(t).toMatch(/^1\s+release\s+2 events\s+\+100\s+—$/m)
  })
})
