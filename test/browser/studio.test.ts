// The studio in a real browser (Debian's Chromium via playwright-core), on a private copy of
// the Duji scenarios at 10,000 draws: moving a slider changes the probability text in place;
// the page talks to nothing but its own server; no chart label overlaps another; saving writes
// a scenario file and the reloaded page shows the same numbers from it. Also measures the
// time from a slider's input event to the redrawn charts (the page's own timings, each from
// the input that asked for the projection to the frame after the swap) and prints p50/p95:
// a benchmark figure, never asserted (the suite does not depend on timing).
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startStudio, type StudioServer } from "../../adapters/studio/server.ts"
import { StudioSession } from "../../adapters/studio/session.ts"
import { studioFolder } from "../adapters/studio/fixture.ts"
import { launchChromium, skipReason } from "./chromium.ts"
import { labelCollisions } from "./geometry.ts"

const outDir = process.env.PLANCAST_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), "plancast-studio-shots-"))
mkdirSync(outDir, { recursive: true })
const DRAWS = 10_000

const quantile = (xs: readonly number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]
}

/** Sets a control's slider to a value as a drag would (an input event), and waits for the redraw it asked for. */
async function slide(page: Page, kind: string, id: string, value: number): Promise<void> {
  const before = await page.evaluate(() => (globalThis as any).studioTimings.length)
  await page.evaluate(
    ([k, i, v]) => {
      const el = (globalThis as any).document.querySelector(`input[type=range][data-kind="${k}"][data-id="${i}"]`)
      el.value = String(v)
      el.dispatchEvent(new (globalThis as any).Event("input", { bubbles: true }))
    },
    [kind, id, value] as const,
  )
  await page.waitForFunction((n) => (globalThis as any).studioTimings.length > n, before, { timeout: 30_000 })
}

describe.skipIf(skipReason !== undefined)("studio in Chromium", () => {
  const folder = studioFolder()
  let browser: Browser
  let server: StudioServer
  beforeAll(async () => {
    const session = await StudioSession.open(join(folder.dir, "baseline.yaml"), { draws: DRAWS, seed: 1 })
    server = await startStudio(session, { port: 0 })
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    folder.remove()
    if (!process.env.PLANCAST_SCREENSHOTS) rmSync(outDir, { recursive: true, force: true })
  })

  // a generous limit: 31 projections of 10,000 draws on a shared, busy machine (the test never judges their speed)
  it("moves the probability text with a slider, fetches nothing else, saves, and shows the same numbers after a reload", { timeout: 300_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } })
    const origin = new URL(server.url).origin
    const foreign: string[] = []
    const errors: string[] = []
    page.on("request", (r) => {
      if (new URL(r.url()).origin !== origin) foreign.push(r.url())
    })
    page.on("pageerror", (e) => errors.push(e.message))
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text())
    })
    await page.goto(server.url)
    const fai = page.locator(`#projection p.probability[data-indicator="fai"]`)
    const first = await fai.innerText()
    expect(first).toMatch(/Probability of meeting the target \(≥ 10%\): \S+ of 10,000 draws/)

    // The slider of the persistence of 2023's investment shortfall, moved to none of it.
    await slide(page, "parameter", "persist_fai", 0)
    const moved = await fai.innerText()
    expect(moved).not.toBe(first)
    expect(await page.locator(`#news .change`).innerText()).toContain("persist_fai set to 0")
    expect(await page.locator(`input.field[data-id="persist_fai"]`).inputValue()).toBe("0")
    expect(await page.locator("#log li").count()).toBe(1)

    // More moves over parameters and series, each waiting for its redraw: the latency sample.
    const moves: [string, string, number][] = []
    for (let i = 0; i < 10; i++) moves.push(["parameter", "ind_nat", 3 + i * 0.3], ["exogenous", "re_inv", -5 + i], ["parameter", "persist_fai", (i % 5) / 10])
    for (const [k, id, v] of moves) await slide(page, k, id, v)
    const timings: number[] = await page.evaluate(() => (globalThis as any).studioTimings)
    const figure = { draws: DRAWS, samples: timings.length, p50: quantile(timings, 0.5), p95: quantile(timings, 0.95), max: Math.max(...timings) }
    writeFileSync(join(outDir, "studio-latency.json"), JSON.stringify(figure, null, 2))
    console.log(`studio slider-to-redraw at ${DRAWS.toLocaleString("en-US")} draws: p50 ${figure.p50.toFixed(0)} ms, p95 ${figure.p95.toFixed(0)} ms, max ${figure.max.toFixed(0)} ms (${figure.samples} changes)`)
    expect(timings.length).toBe(moves.length + 1)
    expect(await page.locator("#log li").count()).toBe(3) // one event per control, however often it moved

    const collisions = await labelCollisions(page, "#projection svg.fan-chart")
    expect(collisions.charts).toBe(8)
    expect(collisions.collisions).toEqual([])
    await page.screenshot({ path: join(outDir, "studio.png") })

    // Save: the page reloads on the saved scenario, replayed from its file, with the same numbers.
    const shown = await page.locator("#projection p.probability").allInnerTexts()
    await page.fill("#save-name", "desk-browser")
    await Promise.all([page.waitForEvent("load"), page.click(`#save-form button[type=submit]`)])
    expect(existsSync(join(folder.dir, "desk-browser.yaml"))).toBe(true)
    expect(await page.locator("#pick").inputValue()).toBe("desk-browser.yaml")
    expect(await page.locator("#projection p.probability").allInnerTexts()).toEqual(shown)
    expect(await page.locator("#log li").count()).toBe(0)
    await page.reload()
    expect(await page.locator("#projection p.probability").allInnerTexts()).toEqual(shown)

    // The saved scenario is one of the folder's: compare it with the baseline in place.
    await page.locator(`#compare-form input[value="baseline.yaml"]`).check()
    await page.click(`#compare-form button[type=submit]`)
    await page.waitForSelector(`#compare svg.fan-chart g.panel[data-scenario="baseline"]`)
    await expect(page.locator(`#compare svg.fan-chart[data-indicator="fai"] g.panel`).count()).resolves.toBe(2)
    await page.screenshot({ path: join(outDir, "studio-compare.png"), fullPage: true })

    expect(foreign).toEqual([])
    expect(errors).toEqual([])
    await page.close()
  })

  it("shows a refused change as the reason and leaves the page as it was", { timeout: 120_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } })
    await page.goto(server.url)
    const version = await page.locator("#status").getAttribute("data-version")
    await page.selectOption(`#shock-form select[name="from"]`, "2024-06")
    await page.selectOption(`#shock-form select[name="to"]`, "2024-03")
    await page.click(`#shock-form button[type=submit]`)
    await page.waitForSelector(`#status[data-state="error"]`)
    expect(await page.locator("#status").innerText()).toMatch(/before from/)
    expect(await page.locator("#status").getAttribute("data-version")).toBe(version)
    await page.selectOption(`#shock-form select[name="to"]`, "")
    await page.click(`#shock-form button[type=submit]`)
    await page.waitForFunction((v) => (globalThis as any).document.querySelector("#status").getAttribute("data-version") !== v, version)
    expect(await page.locator("#log li").count()).toBe(1)
    await page.close()
  })
})
