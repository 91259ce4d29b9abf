// The live page watched in a real browser (Debian's Chromium via playwright-core): it shows
// every published scenario's charts, and when a new forecast is published the chart and the
// last-event line change in place without a reload; a new scenario appears as a new
// section. The page talks only to its own server.
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startLivePage, type LivePage, type ReportProjection } from "../../adapters/report/index.ts"
import { launchChromium, skipReason } from "./chromium.ts"

const fixture = (name: string): ReportProjection => JSON.parse(readFileSync(new URL(`../fixtures/${name}.json`, import.meta.url), "utf8"))
const outDir = process.env.PLANCAST_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), "plancast-live-"))
mkdirSync(outDir, { recursive: true })

describe.skipIf(skipReason !== undefined)("live page in Chromium", () => {
  let browser: Browser
  let live: LivePage
  beforeAll(async () => {
    browser = await launchChromium()
    live = await startLivePage({ port: 0 })
  })
  afterAll(async () => {
    if (!process.env.PLANCAST_SCREENSHOTS) rmSync(outDir, { recursive: true, force: true })
    await live?.close()
    await browser?.close()
  })

  it("updates a scenario's chart and last event as forecasts arrive, and adds new scenarios", async () => {
    live.publish("baseline", fixture("projection-baseline"), { id: "observe-fai-2024-03", at: "2024-04-16T09:30:00Z" })
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
    const origin = new URL(live.url).origin
    const foreign: string[] = []
    const errors: string[] = []
    page.on("request", (r) => {
      if (new URL(r.url()).origin !== origin) foreign.push(r.url())
    })
    page.on("pageerror", (e) => errors.push(e.message))
    await page.goto(live.url)
    await page.waitForSelector(`#live-status[data-state="open"]`)

    const section = `section.scenario-section[data-scenario="baseline"]`
    const median = () => page.locator(`${section} svg.fan-chart[data-indicator="gdp"] path.median`).getAttribute("d")
    const before = await median()
    expect(before).toMatch(/^M/)
    await expect(page.locator(`${section} [data-role="last-event"]`).innerText()).resolves.toContain("observe-fai-2024-03")
    await expect(page.locator(`${section} svg.fan-chart`).count()).resolves.toBe(8)

    // A new forecast for the same scenario: the page changes in place, no reload.
    await page.evaluate(() => ((globalThis as any).__sameDocument = true))
    live.publish("baseline", fixture("projection-downturn"), { id: "shock-key-firm", at: "2024-04-20T14:05:00Z" })
    await page.waitForFunction(
      (sel) => (globalThis as any).document.querySelector(`${sel} [data-role="last-event"]`)?.getAttribute("data-event-id") === "shock-key-firm",
      section,
    )
    expect(await median()).not.toBe(before)
    await expect(page.locator(`${section} [data-role="last-event"]`).innerText()).resolves.toContain("2024-04-20T14:05:00Z")
    await expect(page.locator("#live-status").innerText()).resolves.toContain("shock-key-firm")
    expect(await page.evaluate(() => (globalThis as any).__sameDocument)).toBe(true)

    // A scenario the page has not seen yet appears as a new section.
    live.publish("stimulus", fixture("projection-stimulus"), { id: "measure-pv", at: "2024-04-21T08:00:00Z" })
    await page.waitForSelector(`section.scenario-section[data-scenario="stimulus"] svg.fan-chart[data-indicator="gdp"] path.median`)
    await expect(page.locator("section.scenario-section").count()).resolves.toBe(2)
    await expect(page.locator("svg.fan-chart line.target-line").count()).resolves.toBe(16)

    await page.screenshot({ path: join(outDir, "live.png"), fullPage: false })
    expect(foreign).toEqual([])
    expect(errors).toEqual([])
    await page.close()
  })

  it("shows a waiting page before the first forecast, then the scenario once published", async () => {
    const empty = await startLivePage({ port: 0 })
    try {
      const page = await browser.newPage()
      await page.goto(empty.url)
      await page.waitForSelector(`#live-status[data-state="open"]`)
      await expect(page.locator("#no-scenarios").innerText()).resolves.toContain("No forecast yet")
      empty.publish("a <b>bold</b> name", fixture("projection-edge"), { id: "<i>x</i>", at: "now" })
      await page.waitForSelector("section.scenario-section svg.fan-chart")
      await expect(page.locator("#no-scenarios").count()).resolves.toBe(0)
      // The names stayed text: no element was made of them.
      const injected = await page.evaluate(() =>
        [...(globalThis as any).document.querySelectorAll("section.scenario-section b, section.scenario-section i")].filter((e: any) => e.textContent === "bold" || e.textContent === "x").length,
      )
      expect(injected).toBe(0)
      await expect(page.locator(`[data-role="last-event"] code`).innerText()).resolves.toBe("<i>x</i>")
      await expect(page.locator("section.scenario-section h2").innerText()).resolves.toBe("a <b>bold</b> name")
      await page.close()
    } finally {
      await empty.close()
    }
  })
})
