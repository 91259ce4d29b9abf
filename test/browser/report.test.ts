// The static report opened in a real browser (Debian's Chromium via playwright-core): every
// indicator's chart is drawn with its median, target line and probability text; no label of
// any chart overlaps another (measured as Chromium lays them out); a flat line near its target
// is drawn near it; each chart exports as SVG, PNG and CSV; the page makes no network request
// and logs no error; screenshots in colour and in grayscale are
// written to a temp dir (kept when $PLANCAST_SCREENSHOTS names a directory) and are not blank.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { EXPORT_SCRIPT, renderExplainReport, renderProjectionReport, type ReportExplain, type ReportProjection } from "../../adapters/report/index.ts"
import { launchChromium, skipReason } from "./chromium.ts"
import { labelCollisions } from "./geometry.ts"
import { flatNearTarget, longNegative } from "./hard-cases.ts"

const fixture = <T = ReportProjection>(name: string): T => JSON.parse(readFileSync(new URL(`../fixtures/${name}.json`, import.meta.url), "utf8"))
const outDir = process.env.PLANCAST_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), "plancast-report-"))
mkdirSync(outDir, { recursive: true })

/** Opens an HTML string as a file:// page, recording every request that is not the file itself and every error. */
async function open(browser: Browser, name: string, html: string, width = 1400) {
  const file = join(outDir, `${name}.html`)
  writeFileSync(file, html)
  const page = await browser.newPage({ viewport: { width, height: 900 }, acceptDownloads: true })
  const requests: string[] = []
  const errors: string[] = []
  const url = pathToFileURL(file).href
  page.on("request", (r) => {
    if (r.url() !== url) requests.push(r.url())
  })
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") errors.push(m.text())
  })
  page.on("pageerror", (e) => errors.push(e.message))
  await page.goto(url, { waitUntil: "load" })
  return { page, requests, errors }
}

async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(outDir, `${name}.png`)
  await page.screenshot({ path, fullPage: true })
  return path
}

describe.skipIf(skipReason !== undefined)("report in Chromium", () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchChromium()
  })
  afterAll(async () => {
    if (!process.env.PLANCAST_SCREENSHOTS) rmSync(outDir, { recursive: true, force: true })
    await browser?.close()
  })

  it("draws every indicator's fan chart with its median, target line and probability, fetching nothing", async () => {
    const projection = fixture("projection-baseline")
    const { page, requests, errors } = await open(browser, "baseline", renderProjectionReport([projection]))
    for (const ind of projection.indicators!) {
      const chart = page.locator(`svg.fan-chart[data-indicator="${ind.id}"]`)
      await expect(chart.count()).resolves.toBe(1)
      const box = await chart.boundingBox()
      expect(box!.width).toBeGreaterThan(300)
      expect(box!.height).toBeGreaterThan(120)
      // The median and target are really rendered: non-empty geometry inside the chart.
      // (Browser-side code; the project's TypeScript settings carry no DOM types.)
      const geometry = await chart.evaluate((svg: any) => {
        const median = svg.querySelector("path.median")
        const target = svg.querySelector("line.target-line")
        return {
          medianLength: median ? median.getTotalLength() : 0,
          targetWidth: target ? target.getBBox().width : 0,
          observed: svg.querySelectorAll(".point.observed").length,
        }
      })
      expect(geometry.medianLength).toBeGreaterThan(100)
      expect(geometry.targetWidth).toBeGreaterThan(100)
      expect(geometry.observed).toBe(ind.path!.filter((p) => p.observed).length)
      const text = await page.locator(`p.probability[data-indicator="${ind.id}"]`).innerText()
      expect(text).toContain(`${Math.round(ind.probability! * 100)}%`)
      await expect(page.locator(`section.indicator[data-indicator="${ind.id}"] p.required`).isVisible()).resolves.toBe(true)
    }
    expect(requests).toEqual([])
    expect(errors).toEqual([])
    const colour = await screenshot(page, "baseline")
    await page.addStyleTag({ content: "html { filter: grayscale(1); }" })
    const gray = await screenshot(page, "baseline-grayscale")
    for (const png of [colour, gray]) expect(statSync(png).size).toBeGreaterThan(50_000)
    // A blank page compresses to almost nothing; a drawn one does not, and the charts differ from the background.
    const distinct = await page.evaluate(async () => {
      const w = globalThis as any
      const svg = w.document.querySelector("svg.fan-chart")
      const img = new w.Image()
      img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(new w.XMLSerializer().serializeToString(svg))
      await img.decode()
      const canvas = w.document.createElement("canvas")
      canvas.width = 350
      canvas.height = 150
      const ctx = canvas.getContext("2d")!
      ctx.drawImage(img, 0, 0, 350, 150)
      const data = ctx.getImageData(0, 0, 350, 150).data
      const colours = new Set<number>()
      for (let i = 0; i < data.length; i += 4) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2])
      return colours.size
    })
    expect(distinct).toBeGreaterThan(20)
    await page.close()
  })

  it("lays out every label of every chart apart from every other, in a report, a comparison and an explanation", async () => {
    const pages = {
      baseline: renderProjectionReport([fixture("projection-baseline")]),
      deterministic: renderProjectionReport([fixture("projection-deterministic")]),
      comparison: renderProjectionReport([fixture("projection-baseline"), fixture("projection-stimulus"), fixture("projection-downturn"), fixture("projection-deterministic")]),
      explain: renderExplainReport(fixture<ReportExplain>("explain-stimulus")),
      narrow: renderProjectionReport([fixture("projection-baseline")]),
      // the inputs that collided before (see hard-cases.ts)
      flat: renderProjectionReport([flatNearTarget()]),
      "flat-comparison": renderProjectionReport([flatNearTarget(), flatNearTarget("another-long-scenario-name-that-wraps-onto-lines")]),
      "negative-total": renderExplainReport(longNegative),
    }
    for (const [name, html] of Object.entries(pages)) {
      const { page } = await open(browser, `labels-${name}`, html, name === "narrow" ? 480 : 1400)
      const result = await labelCollisions(page, "svg.fan-chart, svg.waterfall")
      expect(result.charts, name).toBeGreaterThan(0)
      expect(result.measured, name).toBeGreaterThan(result.charts * 4)
      expect(result.collisions, name).toEqual([])
      await page.close()
    }
  })

  it("keeps a flat line near its target near it: the y axis spans at least 2 pp", async () => {
    const flat = fixture("projection-deterministic")
    const ind = flat.indicators![0]
    const target = ind.target!.value!
    const value = target + 0.02
    const edited: ReportProjection = {
      ...flat,
      indicators: [{ ...ind, target: { kind: "atLeast", value: target }, path: ind.path!.map((p) => ({ ...p, ytd: { p05: value, p25: value, p50: value, p75: value, p95: value } })) }],
    }
    const { page } = await open(browser, "flat", renderProjectionReport([edited]))
    const gap = await page.evaluate(() => {
      const doc = (globalThis as any).document
      const svg = doc.querySelector("svg.fan-chart")
      const ticks = [...svg.querySelectorAll("text.tick-label:not(.x)")].map((t: any) => Number(t.textContent.replace("−", "-")))
      const median = svg.querySelector("path.median").getBoundingClientRect()
      const target = svg.querySelector("line.target-line").getBoundingClientRect()
      const plot = svg.querySelector("rect.plot-bg").getBoundingClientRect()
      return { span: Math.max(...ticks) - Math.min(...ticks), apart: Math.abs(median.top - target.top) / plot.height }
    })
    expect(gap.span).toBeGreaterThanOrEqual(2)
    expect(gap.apart).toBeLessThan(0.05) // 0.02 pp above the target is drawn on it, not far above it
    await page.close()
  })

  it("exports each chart as SVG, PNG and CSV from the page itself, fetching nothing", async () => {
    const projection = fixture("projection-baseline")
    const { page, requests, errors } = await open(browser, "exports", renderProjectionReport([projection]))
    const figure = page.locator(`figure.chart:has(svg.fan-chart[data-indicator="fai"])`)
    const take = async (what: string) => {
      const [download] = await Promise.all([page.waitForEvent("download"), figure.locator(`[data-export="${what}"]`).click()])
      const path = join(outDir, download.suggestedFilename())
      await download.saveAs(path)
      return { name: download.suggestedFilename(), bytes: readFileSync(path) }
    }
    const svg = await take("svg")
    expect(svg.name).toBe(`${projection.scenario}-fai.svg`)
    const text = svg.bytes.toString("utf8")
    expect(text).toMatch(/^<\?xml[^>]*>\n<svg [^>]*class="fan-chart"[^>]*data-indicator="fai"/)
    expect(text).toContain(`class="median"`)
    const png = await take("png")
    expect(png.name).toBe(`${projection.scenario}-fai.png`)
    expect(png.bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    expect(png.bytes.readUInt32BE(16)).toBe(1400) // twice the chart's 700 px
    expect(png.bytes.length).toBeGreaterThan(20_000)
    const csvFile = await take("csv")
    const rows = csvFile.bytes.toString("utf8").trim().split("\n")
    expect(rows[0]).toMatch(/^scenario,indicator,period,observed,ytd_p05/)
    expect(rows.filter((r) => r.includes(",fai,"))).toHaveLength(13)
    expect(requests).toEqual([])
    expect(errors).toEqual([])
    await page.close()
  })

  it("draws a comparison as one panel per scenario and broken input without breaking the page", async () => {
    const cmp = await open(browser, "comparison", renderProjectionReport([fixture("projection-baseline"), fixture("projection-stimulus"), fixture("projection-downturn")]))
    await expect(cmp.page.locator("svg.fan-chart").count()).resolves.toBe(8)
    await expect(cmp.page.locator("svg.fan-chart g.panel").count()).resolves.toBe(24)
    await expect(cmp.page.locator("svg.fan-chart path.median").count()).resolves.toBe(24)
    await screenshot(cmp.page, "comparison")
    expect(cmp.requests).toEqual([])
    expect(cmp.errors).toEqual([])
    await cmp.page.close()

    const edge = await open(browser, "edge", renderProjectionReport([fixture("projection-edge")]))
    // Nothing from the hostile names ran or became markup: the page's one script is its export.
    await expect(edge.page.locator("img").count()).resolves.toBe(0)
    await expect(edge.page.locator("script").count()).resolves.toBe(1)
    expect(await edge.page.locator("script").innerText()).toBe(EXPORT_SCRIPT)
    await expect(edge.page.locator(`svg.fan-chart[data-indicator="no_target"] line.target-line`).count()).resolves.toBe(0)
    expect(await edge.page.locator(`p.probability[data-indicator="no_target"]`).innerText()).toMatch(/No target/)
    await expect(edge.page.locator("h1").innerText()).resolves.toContain("<script>alert('x')</script>")
    await screenshot(edge.page, "edge")
    expect(edge.requests).toEqual([])
    expect(edge.errors).toEqual([])
    await edge.page.close()

    const det = await open(browser, "deterministic", renderProjectionReport([fixture("projection-deterministic")]))
    await expect(det.page.locator("svg.fan-chart path.band-edge.p05").count()).resolves.toBe(8)
    await screenshot(det.page, "deterministic")
    await det.page.close()
  })

  it("draws the explain waterfall per indicator", async () => {
    const explain = fixture<ReportExplain>("explain-stimulus")
    const { page, requests, errors } = await open(browser, "explain", renderExplainReport(explain))
    for (const ind of explain.indicators!) {
      const chart = page.locator(`svg.waterfall[data-indicator="${ind.id}"]`)
      await expect(chart.locator("rect.contribution").count()).resolves.toBe(ind.contributions!.length)
      const total = await chart.locator("rect.total").boundingBox()
      expect(total!.width).toBeGreaterThan(5)
    }
    await screenshot(page, "explain")
    expect(requests).toEqual([])
    expect(errors).toEqual([])
    await page.close()
  })
})
