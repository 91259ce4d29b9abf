// Unit tests of the report's primitives (adapters/report/svg.ts, format.ts, escape.ts):
// nice ticks, scales, gap-breaking paths, label spreading, number formats and escaping.
import { describe, expect, it } from "vitest"
import { esc, idToken } from "../../../adapters/report/escape.ts"
import { fmt, fmtProbability, fmtSigned, fmtTarget, periodLabel, tickDecimals } from "../../../adapters/report/format.ts"
import { bandPath, el, linePath, linearScale, niceTicks, spreadLabels } from "../../../adapters/report/svg.ts"

describe("niceTicks", () => {
  it("covers the range with steps of 1, 2, 2.5 or 5 times a power of ten", () => {
    expect(niceTicks(4.9, 7.3, 5)).toEqual({ ticks: [4.5, 5, 5.5, 6, 6.5, 7, 7.5], step: 0.5, lo: 4.5, hi: 7.5 })
    expect(niceTicks(-2.3, 14.1, 5).ticks).toEqual([-5, 0, 5, 10, 15])
    expect(niceTicks(0, 0.3, 6).step).toBe(0.05)
  })
  it("widens a degenerate range and survives non-finite bounds", () => {
    const t = niceTicks(6, 6)
    expect(t.lo).toBeLessThan(6)
    expect(t.hi).toBeGreaterThan(6)
    expect(niceTicks(Number.NaN, 1).ticks).toEqual([0])
  })
})

describe("scales and paths", () => {
  it("maps linearly and puts a degenerate domain in the middle", () => {
    const s = linearScale([0, 10], [100, 0])
    expect(s(5)).toBe(50)
    expect(linearScale([3, 3], [0, 10])(3)).toBe(5)
  })
  it("breaks lines and bands at missing values", () => {
    expect(linePath([{ x: 0, y: 1 }, { x: 1, y: 2 }, { x: 2, y: null }, { x: 3, y: 4 }])).toBe("M0,1L1,2M3,4")
    expect(linePath([{ x: 0, y: null }])).toBe("")
    expect(bandPath([{ x: 0, lo: 1, hi: 0 }, { x: 1, lo: 2, hi: 1 }, { x: 2, lo: null, hi: 1 }])).toBe("M0,0L1,1L1,2L0,1Z")
    expect(bandPath([{ x: 10, lo: 5, hi: 5 }])).toBe("M7,5H13V5H7Z")
  })
  it("spreads overlapping labels apart within bounds, keeping their order", () => {
    const ys = spreadLabels([50, 52, 51, 200], 12, 0, 100)
    const sorted = [ys[0], ys[2], ys[1]]
    expect(sorted[1] - sorted[0]).toBeGreaterThanOrEqual(12)
    expect(sorted[2] - sorted[1]).toBeGreaterThanOrEqual(12)
    expect(Math.max(...ys)).toBeLessThanOrEqual(100)
  })
})

describe("formats", () => {
  it("writes numbers with true minus signs and a dash for missing values", () => {
    expect(fmt(-2.345)).toBe("−2.3")
    expect(fmt(-0.04)).toBe("0.0")
    expect(fmt(null)).toBe("–")
    expect(fmt(Number.NaN)).toBe("–")
    expect(fmtSigned(0.456, 2)).toBe("+0.46")
    expect(fmtSigned(-0.4, 2)).toBe("−0.40")
  })
  it("never rounds a near-certain probability to 100%", () => {
    expect(fmtProbability(0.996)).toBe(">99%")
    expect(fmtProbability(0.004)).toBe("<1%")
    expect(fmtProbability(1)).toBe("100%")
    expect(fmtProbability(0.314)).toBe("31%")
    expect(fmtProbability(undefined)).toBe("–")
  })
  it("writes targets as a plan does", () => {
    expect(fmtTarget({ kind: "atLeast", value: 10 }, "%")).toBe("≥ 10%")
    expect(fmtTarget({ kind: "around", value: 7, band: 0.5 }, "%")).toBe("7% ± 0.5")
    expect(fmtTarget({ kind: "atMost", value: 3.25 }, "pp")).toBe("≤ 3.25 pp")
    expect(fmtTarget(null, "%")).toBe("no target")
  })
  it("labels periods and tick decimals", () => {
    expect(periodLabel("2024-03")).toBe("Mar")
    expect(periodLabel("2024-Q2")).toBe("Q2")
    expect(periodLabel("2024")).toBe("2024")
    expect([2, 0.5, 0.25, 0.05].map(tickDecimals)).toEqual([0, 1, 2, 2])
  })
})

describe("escaping", () => {
  it("escapes markup characters in text and attributes", () => {
    expect(esc(`<a href="x" onclick='y'>&\`</a>`)).toBe("&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;")
    expect(el("g", { "data-x": `"><script>` }, "")).toBe(`<g data-x="&quot;&gt;&lt;script&gt;"></g>`)
    expect(esc(null)).toBe("")
    expect(esc("a\u0000b")).toBe("ab")
  })
  it("makes id tokens of letters, digits, - and _ only", () => {
    expect(idToken(`a"b c`)).toBe("a_b_c")
    expect(idToken("1x")).toBe("x1x")
  })
})
