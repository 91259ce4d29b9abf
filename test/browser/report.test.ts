// The static report opened in a real browser (Debian's Chromium via playwright-core): every
// indicator's chart is drawn with its median, target line and probability text; the page
// makes no network request and logs no error; screenshots in colour and in grayscale are
// written to a temp dir (kept when $PLANCAST_SCREENSHOTS names a directory) and are not blank.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { renderExplainReport, renderProjectionReport, type ReportExplain, type ReportProjection } from "../../adapters/report/index.ts"
import { launchChromium, skipReason } from "./chromium.ts"

const fixture = <T = ReportProjection>(name: string): T => JSON.parse(readFileSync(new URL(`../fixtures/${name}.json`, import.meta.url), "utf8"))
const outDir = process.env.PLANCAST_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), "plancast-report-"))
mkdirSync(outDir, { recursive: true })

/** Opens an HTML string as a file:// page, recording every request that is not the file itself and every error. */
async function open(browser: Browser, name: string, html: string, width = 1400) {
  const file = join(outDir, `${name}.html`)
  writeFileSync(file, html)
  const page = await browser.newPage({ viewport: { width, height: 900 } })
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

  it("overlays scenarios in a comparison and draws broken input without breaking the page", async () => {
    const cmp = await open(browser, "comparison", renderProjectionReport([fixture("projection-baseline"), fixture("projection-stimulus"), fixture("projection-downturn")]))
    await expect(cmp.page.locator("svg.fan-chart").count()).resolves.toBe(8)
    await expect(cmp.page.locator("svg.fan-chart path.median").count()).resolves.toBe(24)
    await screenshot(cmp.page, "comparison")
    expect(cmp.requests).toEqual([])
    expect(cmp.errors).toEqual([])
    await cmp.page.close()

    const edge = await open(browser, "edge", renderProjectionReport([fixture("projection-edge")]))
    // Nothing from the hostile names ran or became markup.
    await expect(edge.page.locator("img").count()).resolves.toBe(0)
    await expect(edge.page.locator("script").count()).resolves.toBe(0)
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
