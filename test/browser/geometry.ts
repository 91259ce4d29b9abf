// Browser-test support: the geometry of chart labels as Chromium lays them out. Every <text>
// of every chart matching a selector is measured (its rendered box); two texts of one chart
// whose boxes overlap by more than a hair are a collision, returned with both texts.
import type { Page } from "playwright-core"

/** Overlapping text pairs per chart (empty when no label touches another), and how many texts were measured. */
export async function labelCollisions(page: Page, selector: string): Promise<{ measured: number; charts: number; collisions: string[] }> {
  return page.evaluate((sel) => {
    const doc = (globalThis as any).document
    const charts = [...doc.querySelectorAll(sel)]
    const collisions: string[] = []
    let measured = 0
    for (const svg of charts) {
      const boxes = [...svg.querySelectorAll("text")]
        .map((t: any) => ({ text: t.textContent as string, r: t.getBoundingClientRect() }))
        .filter((b) => b.text.trim() !== "" && b.r.width > 0)
      measured += boxes.length
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i].r
          const b = boxes[j].r
          const w = Math.min(a.right, b.right) - Math.max(a.left, b.left)
          const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top)
          // text boxes include line gaps above and below the glyphs: allow 1.5 px of that to touch
          if (w > 0.5 && h > 1.5) collisions.push(`${svg.getAttribute("data-indicator")}: "${boxes[i].text}" / "${boxes[j].text}"`)
        }
    }
    return { measured, charts: charts.length, collisions }
  }, selector)
}
