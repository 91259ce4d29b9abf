// Unit tests of the report's render functions (adapters/report/projection-report.ts and
// explain-report.ts): one chart per indicator with its median and target line, escaping of
// everything user-supplied, indicators without targets, projections without uncertainty,
// missing and non-finite values, empty input, comparisons, waterfalls, self-containment.
import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { renderExplainReport, renderProjectionReport, renderScenarioSection, type ReportExplain, type ReportProjection } from "../../../adapters/report/index.ts"
import { EXPORT_SCRIPT } from "../../../adapters/report/export.ts"

const fixture = <T = ReportProjection>(name: string): T => JSON.parse(readFileSync(new URL(`../../fixtures/${name}.json`, import.meta.url), "utf8"))
const baseline = fixture("projection-baseline")
const count = (html: string, re: RegExp) => (html.match(new RegExp(re.source, re.flags.includes("g") ? re.flags : re.flags + "g")) ?? []).length

/** The page without its one, known script (the chart export), so what remains can be checked for any other. */
const withoutExport = (html: string): string => {
  const own = `<script>${EXPORT_SCRIPT}</script>`
  expect(html.split(own).length - 1).toBe(1)
  return html.replace(own, "")
}

/** The markup of the section (or svg) of one indicator. */
function sectionOf(html: string, id: string): string {
  const m = new RegExp(`<section class="indicator( wide)?" data-indicator="${id}"`).exec(html)
  const start = m ? m.index : -1
  expect(start, `section of ${id}`).toBeGreaterThanOrEqual(0)
  return html.slice(start, html.indexOf("</section>", start))
}

/** Remote fetches the page would make by itself (the acceptance check's rule). */
function remoteLoads(html: string): string[] {
  const out: string[] = []
  const remote = String.raw`\s*["']?\s*(?:https?:)?//[^\s"'>)]*`
  for (const m of html.matchAll(new RegExp(String.raw`<([a-z][\w:-]*)\b[^>]*?\s((?:xlink:)?href|src|srcset|poster|data)\s*=` + remote, "gi")))
    if (m[1].toLowerCase() !== "a") out.push(m[0])
  for (const m of html.matchAll(new RegExp(String.raw`url\(` + remote + "|@import" + remote, "gi"))) out.push(m[0])
  return out
}

describe("renderProjectionReport: one scenario", () => {
  const html = renderProjectionReport([baseline])
  const ids = baseline.indicators!.map((i) => i.id)

  it("is one HTML document with a summary table row per indicator", () => {
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true)
    expect(count(html, /<table class="summary"/)).toBe(1)
    for (const id of ids) expect(html).toContain(`<tr class="first" data-indicator="${id}">`)
  })

  it("draws a fan chart per indicator with a median path, both bands, a target line and probability text", () => {
    expect(count(html, /<svg[^>]*class="fan-chart"/)).toBe(ids.length)
    for (const ind of baseline.indicators!) {
      const s = sectionOf(html, ind.id)
      expect(count(s, /<path[^>]*class="median"[^>]*d="M[^"]+"/)).toBe(1)
      expect(count(s, /class="band band-90"/)).toBe(1)
      expect(count(s, /class="band band-50"/)).toBe(1)
      expect(count(s, /<line[^>]*class="target-line"/)).toBe(1)
      const pct = `${Math.round(ind.probability! * 100)}%`
      expect(s).toMatch(new RegExp(`<p class="probability" data-indicator="${ind.id}"[^>]*>Probability of meeting the target[^<]*<strong>${pct}</strong> of 1,000 draws`))
      expect(s).toContain(`<p class="required">`)
    }
  })

  it("marks observed periods with filled markers, one per observed period", () => {
    const fai = baseline.indicators!.find((i) => i.id === "fai")!
    const observed = fai.path!.filter((p) => p.observed).length
    expect(observed).toBe(3)
    expect(count(sectionOf(html, "fai"), /class="point observed"/)).toBe(observed)
    expect(count(sectionOf(html, "fai"), /class="point projected"/)).toBe(12 - observed)
    expect(sectionOf(html, "fai")).toContain(`class="observed-region"`)
    expect(sectionOf(html, "gdp")).not.toContain(`class="observed-region"`)
  })

  it("draws the target by kind: a band for around, a hatched side for atLeast", () => {
    expect(sectionOf(html, "gdp")).toMatch(/class="target-zone" data-kind="around"/)
    expect(count(sectionOf(html, "gdp"), /class="target-band-edge"/)).toBe(2)
    expect(sectionOf(html, "fai")).toMatch(/class="target-zone" data-kind="atLeast"/)
    expect(sectionOf(html, "fai")).not.toContain("target-band-edge")
  })

  it("labels in Chinese and English when the projection names indicators in Chinese", () => {
    expect(html).toContain(`<span class="zh" lang="zh-CN">固定资产投资</span>`)
    expect(html).toContain("达成概率")
    const english = renderProjectionReport([fixture("projection-deterministic")])
    expect(english).not.toContain("达成概率")
    expect(english).not.toContain("已公布")
  })

  it("loads nothing from the network and runs no script but its own chart export, allowed by its hash", () => {
    expect(remoteLoads(html)).toEqual([])
    expect(withoutExport(html)).not.toMatch(/<script/i)
    expect(html).not.toMatch(/<link\b|@font-face|<img\b/i)
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1]
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+';/)
    expect(csp).not.toContain("unsafe-inline'; connect")
  })

  it("gives every chart an SVG and PNG button and a CSV of the numbers behind it", () => {
    for (const ind of baseline.indicators!) {
      const s = sectionOf(html, ind.id)
      expect(s).toContain(`<button type="button" data-export="svg"`)
      expect(s).toContain(`<button type="button" data-export="png"`)
      const href = /<a class="csv" data-export="csv" download="baseline-[^"]+\.csv" href="data:text\/csv;charset=utf-8,([^"]+)"/.exec(s)![1]
      const rows = decodeURIComponent(href).trim().split("\n")
      expect(rows[0]).toBe("scenario,indicator,period,observed,ytd_p05,ytd_p25,ytd_p50,ytd_p75,ytd_p95,probability,required")
      expect(rows).toHaveLength(1 + 12 + 1)
      const annual = rows[13].split(",")
      expect(annual.slice(0, 3)).toEqual([baseline.scenario, ind.id, "annual"])
      expect(Number(annual[6])).toBeCloseTo(ind.annual!.p50!, 5)
      expect(Number(annual[9])).toBeCloseTo(ind.probability!, 5)
    }
  })

  it("is a pure function of its input", () => {
    expect(renderProjectionReport([baseline])).toBe(html)
  })
})

describe("renderProjectionReport: hostile and broken input", () => {
  const edge = fixture("projection-edge")
  const html = renderProjectionReport([edge], { notes: `<script>alert("notes")</script>`, title: `t"><img src=x onerror=alert(1)>` })

  it("escapes scenario names, indicator names, target notes, options and model names", () => {
    expect(withoutExport(html)).not.toMatch(/<script/i)
    expect(html).not.toMatch(/<img/i)
    expect(html).not.toMatch(/<b>m<\/b>/)
    expect(html).not.toMatch(/<i>assumed/)
    expect(html).toContain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;")
    expect(html).toContain("GDP &lt;img src=x onerror=alert(1)&gt;")
    expect(html).toContain("生产总值&lt;/span&gt;&lt;script&gt;alert(2)&lt;/script&gt;")
    expect(html).toContain("&lt;script&gt;alert(&quot;notes&quot;)&lt;/script&gt;")
  })

  it("draws no target line and no probability for an indicator without a target (or with an unknown kind)", () => {
    for (const id of ["no_target", "odd_target"]) {
      const s = sectionOf(html, id)
      expect(s).not.toContain("target-line")
      expect(s).not.toContain("target-zone")
      expect(s).toMatch(/<p class="probability"[^>]*data-state="no-target">No target set/)
      expect(count(s, /class="median"/)).toBe(1)
    }
    expect(html).toMatch(/<tr class="first" data-indicator="no_target">.*?<td class="target" >no target<\/td>/)
  })

  it("breaks the median line at missing periods instead of drawing zeros", () => {
    const d = /class="median"[^>]*\sd="([^"]+)"/.exec(sectionOf(html, "gdp"))![1]
    expect(count(d, /M/)).toBe(3) // runs: Jan-Feb, Apr-Jun, Sep-Dec
  })

  it("draws an indicator whose values are all missing as an empty chart that says so", () => {
    const s = sectionOf(html, "all_null")
    expect(s).toContain(`class="fan-chart"`)
    expect(s).toContain("no path data")
    expect(s).not.toContain(`class="median"`)
    expect(s).toContain("target-line")
    expect(s).toContain("not available")
    expect(s).not.toContain("No uncertainty")
  })

  it("never writes NaN, Infinity or undefined, whatever the numbers", () => {
    const broken: ReportProjection = {
      scenario: "broken",
      draws: Number.NaN,
      periods: ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"],
      indicators: [
        {
          id: "x",
          name: "X",
          target: { kind: "atLeast", value: Number.NaN },
          annual: { p05: Number.NEGATIVE_INFINITY, p50: Number.NaN, p95: Number.POSITIVE_INFINITY },
          probability: Number.NaN,
          required: Number.POSITIVE_INFINITY,
          path: [
            { period: "2024-Q1", ytd: { p05: 1, p50: 2, p95: 3 }, observed: true },
            { period: "2024-Q2", ytd: { p05: Number.NaN, p50: Number.POSITIVE_INFINITY, p95: 4 } },
            { period: "2024-Q3", ytd: null },
            { period: "2024-Q4", ytd: { p05: 2, p50: 3, p95: 4 } },
          ],
        },
        { id: "y", target: { kind: "around", value: 5, band: Number.NaN }, path: null },
      ],
    }
    const out = renderProjectionReport([broken])
    expect(withoutExport(out)).not.toMatch(/NaN|Infinity|undefined|null/)
    expect(count(out, /class="fan-chart"/)).toBe(2)
    expect(sectionOf(out, "x")).not.toContain("target-line") // a target without a finite value is no target
    expect(sectionOf(out, "y")).toContain("target-line")
    expect(out).toContain(">Q1<")
  })
})

describe("renderProjectionReport: no uncertainty", () => {
  const det = fixture("projection-deterministic")
  const html = renderProjectionReport([det])

  it("still draws the collapsed band and the median, says so, and skips the p25-p75 band it does not have", () => {
    for (const ind of det.indicators!) {
      const s = sectionOf(html, ind.id)
      expect(count(s, /class="median"/)).toBe(1)
      expect(count(s, /class="band band-90"/)).toBe(1)
      expect(count(s, /class="band-edge p05"[^>]*d="M/)).toBe(1)
      expect(s).not.toContain("band-50")
      expect(s).toContain("No uncertainty in this projection")
      expect(s).toMatch(/data-state="deterministic"/)
      expect(s).toContain(`target-line`)
    }
    expect(html).not.toContain("50% band")
  })
})

describe("renderProjectionReport: empty input", () => {
  it("says there is nothing to chart for an empty indicator list", () => {
    const html = renderProjectionReport([fixture("projection-empty")])
    expect(html).toContain(`data-state="empty"`)
    expect(html).toContain("no indicators")
    expect(html).not.toContain("<svg")
  })

  it("says no projection was given for an empty list", () => {
    const html = renderProjectionReport([])
    expect(html).toContain("No projection was given")
    expect(html.trim().endsWith("</html>")).toBe(true)
  })

  it("renders a scenario section for the live page even without indicators", () => {
    expect(renderScenarioSection({ scenario: "s", indicators: [] }, { idPrefix: "s0", heading: "<s>" })).toContain("<h2>&lt;s&gt;</h2>")
  })
})

describe("renderProjectionReport: comparison", () => {
  const names = ["baseline", "stimulus", "downturn: key firm closes"]
  const list = [baseline, fixture("projection-stimulus"), fixture("projection-downturn")]
  const html = renderProjectionReport(list)

  it("draws one panel per scenario in each indicator's chart, titled with the full scenario name", () => {
    expect(count(html, /class="fan-chart"/)).toBe(8)
    for (const ind of baseline.indicators!) {
      const s = sectionOf(html, ind.id)
      expect(s).toContain(`data-panels="3"`)
      const panels = [...s.matchAll(/<g class="panel" data-scenario="([^"]*)">/g)].map((m) => m[1])
      expect(panels).toEqual(names)
      const medians = [...s.matchAll(/<path class="median"[^>]*data-scenario="([^"]*)"[^>]*>/g)]
      expect(medians.map((m) => m[1])).toEqual(names)
      expect(count(s, /<line[^>]*class="target-line"/)).toBe(3)
      const titles = [...s.matchAll(/<text class="panel-title"[^>]*>(.*?)<\/text>/g)].map((m) => [...m[1].matchAll(/<tspan[^>]*>([^<]*)<\/tspan>/g)].map((t) => t[1]).join(" "))
      expect(titles).toEqual(names)
      expect(s).toMatch(/<p class="probability" data-indicator="[^"]+">Probability of meeting the target .*baseline <strong>\d+%<\/strong>, stimulus <strong>\d+%<\/strong>/)
    }
  })

  it("has a summary row per indicator and scenario, and a legend naming the scenarios", () => {
    expect(count(html, /<tr class="(first|more)" data-indicator=/)).toBe(24)
    const legend = html.slice(html.indexOf(`<div class="legend"`), html.indexOf("</div>", html.indexOf(`<div class="legend"`)))
    for (const n of names) expect(legend).toContain(n)
  })

  it("keeps SVG ids unique within the page", () => {
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1])
    expect(new Set(ids).size).toBe(ids.length)
  })
})

describe("renderExplainReport", () => {
  const explain = fixture<ReportExplain>("explain-stimulus")
  const html = renderExplainReport(explain, { names: { gdp: { name: "Gross domestic product", name_zh: "生产总值" } } })

  it("draws one waterfall per indicator with one bar per event and a total bar ending at the total", () => {
    expect(count(html, /<svg[^>]*class="waterfall"/)).toBe(explain.indicators!.length)
    for (const ind of explain.indicators!) {
      const start = html.indexOf(`data-indicator="${ind.id}"`)
      const s = html.slice(start, html.indexOf("</section>", start))
      expect(count(s, /<rect class="contribution"/)).toBe(ind.contributions!.length)
      expect(s).not.toContain("residual")
      expect(s).toMatch(new RegExp(`<rect class="total" data-value="${ind.total}"`))
    }
    expect(html).toContain("Gross domestic product")
    expect(html).toContain("生产总值")
    expect(remoteLoads(html)).toEqual([])
    expect(withoutExport(html)).not.toMatch(/<script/i)
  })

  it("draws decreases differently from increases (hatched, not only another colour)", () => {
    const neg = /<rect class="contribution" data-event="observe-2024-03"[^>]*fill="([^"]+)"/.exec(html)![1]
    expect(neg).toMatch(/^url\(#/)
  })

  it("escapes event ids and scenario names, skips missing values and closes the gap with a residual", () => {
    const edge = renderExplainReport(fixture<ReportExplain>("explain-edge"))
    expect(edge).not.toMatch(/<svg onload|<b>evt/i)
    expect(edge).toContain("&lt;svg onload=alert(1)&gt;")
    expect(edge).toContain("&lt;b&gt;evt&lt;/b&gt;")
    expect(count(edge, /<rect class="contribution"/)).toBe(2)
    expect(edge).toMatch(/<rect class="contribution residual" data-event="residual \(interactions\)" data-value="0.2/)
    expect(edge).toContain("No event contributes to this indicator")
  })

  it("says there is nothing to chart when there are no indicators", () => {
    expect(renderExplainReport({ scenario: "a", against: "b", indicators: [] })).toContain("nothing to chart")
  })
})
