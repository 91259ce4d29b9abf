// The waterfall chart of one indicator's explanation: how each event moves annual growth,
// bar after bar from zero to the total difference (percentage points). Horizontal bars so
// that long event ids stay readable (the label column is as wide as the longest id needs,
// up to a cap, and longer ids wrap onto a second line, never cut); increases are solid,
// decreases hatched, so the sign reads without colour; each bar carries its value as a
// direct label, outside the bar's end when it fits there, else inside the bar, else on its
// other side, so a value never runs into the label column or off the chart.
// Invariants: one <svg class="waterfall" data-indicator=...>; one rect.contribution per
// event with a finite value, one rect.total; when the contributions do not add up to the
// total a "residual" row closes the gap, so the last bar always ends at the total.
// Pure: no I/O.
import { esc } from "./escape.ts"
import { textLines, textWidth, wrapText } from "./frame.ts"
import { fmt, fmtSigned, tickDecimals } from "./format.ts"
import { el, linearScale, niceTicks, text } from "./svg.ts"
import { num } from "./types.ts"

/** What a waterfall needs: the indicator, its contributions in order, and the total. */
export interface WaterfallInput {
  readonly id: string
  readonly title: string
  readonly contributions: readonly { readonly event: string; readonly value?: number | null }[]
  readonly total?: number | null
  /** Prefix for ids inside the SVG (patterns); unique within the page. */
  readonly idPrefix: string
}

const W = 700
const M = { right: 16, top: 12, bottom: 34 }
const LABEL_SIZE = 12.5
const VALUE_SIZE = 12
const MAX_LABEL_COLUMN = 240
const UP = "#0b5394"
const DOWN = "#c2410c"

/** Where a value label goes: its x, anchor and colour, given the bar [a, b] and the plot's [lo, hi]. */
function valuePlace(a: number, b: number, up: boolean, width: number, lo: number, hi: number, dark = up): { x: number; anchor: "start" | "end"; fill: string } {
  if (up ? b + 4 + width <= hi : a - 4 - width >= lo) return up ? { x: b + 4, anchor: "start", fill: "#111" } : { x: a - 4, anchor: "end", fill: "#111" }
  if (b - a >= width + 8) return up ? { x: b - 4, anchor: "end", fill: dark ? "#fff" : "#111" } : { x: a + 4, anchor: "start", fill: dark ? "#fff" : "#111" }
  return up ? { x: a - 4, anchor: "end", fill: "#111" } : { x: b + 4, anchor: "start", fill: "#111" }
}

/** Renders the waterfall of one indicator as an <svg> string. */
export function renderWaterfall(input: WaterfallInput): string {
  const rows: { label: string; value: number | null; kind: "contribution" | "residual" }[] = input.contributions.map((c) => ({
    label: String(c?.event ?? ""),
    value: num(c?.value),
    kind: "contribution",
  }))
  const sum = rows.reduce((s, r) => s + (r.value ?? 0), 0)
  const total = num(input.total) ?? sum
  if (Math.abs(total - sum) > 1e-6) rows.push({ label: "residual (interactions)", value: total - sum, kind: "residual" })

  const column = Math.min(MAX_LABEL_COLUMN, Math.max(60, ...rows.map((r) => textWidth(r.label, LABEL_SIZE))))
  const lines = rows.map((r) => wrapText(r.label, column, LABEL_SIZE).slice(0, 3))
  const ROW = Math.max(...lines.map((l) => l.length), 1) > 1 ? 16 * Math.max(...lines.map((l) => l.length)) + 8 : 26
  const left = column + 16
  const H = M.top + (rows.length + 1) * ROW + M.bottom
  let cum = 0
  const spans = rows.map((r) => {
    const start = cum
    if (r.value !== null) cum += r.value
    return { start, end: cum }
  })
  // room for the value labels at both ends of the axis
  const valueRoom = Math.max(textWidth(`${fmtSigned(total, 2)} pp`, 13), ...rows.map((r) => textWidth(fmtSigned(r.value, 2), VALUE_SIZE))) + 8
  const ends = [0, total, ...spans.flatMap((s) => [s.start, s.end])]
  const nice = niceTicks(Math.min(...ends), Math.max(...ends), 6)
  const plotLo = left + valueRoom
  const plotHi = W - M.right - valueRoom
  const xs = linearScale([nice.lo, nice.hi], [plotLo, plotHi])
  const id = (s: string) => `${input.idPrefix}-${s}`
  const parts: string[] = []
  parts.push(
    el(
      "defs",
      {},
      el(
        "pattern",
        { id: id("down"), width: 5, height: 5, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" },
        el("rect", { width: 5, height: 5, fill: "#fbe3d6" }) + el("line", { x1: 0, y1: 0, x2: 0, y2: 5, stroke: DOWN, "stroke-width": 1.6 }),
      ),
    ),
  )
  const plotBottom = M.top + (rows.length + 1) * ROW
  const decimals = tickDecimals(nice.step)
  for (const t of nice.ticks) {
    const x = xs(t)
    const zero = Math.abs(t) < nice.step * 1e-6
    parts.push(el("line", { class: zero ? "zero-line" : "grid", x1: x, x2: x, y1: M.top, y2: plotBottom, stroke: zero ? "#555" : "#ddd", "stroke-width": zero ? 1.2 : 0.75 }))
    parts.push(text({ class: "tick-label", x, y: plotBottom + 14, "text-anchor": "middle", "font-size": 12, fill: "#333" }, fmt(t, decimals)))
  }
  parts.push(text({ class: "axis-title", x: (plotLo + plotHi) / 2, y: plotBottom + 29, "text-anchor": "middle", "font-size": 12, fill: "#333" }, "contribution to annual growth, percentage points"))

  const rowLabel = (i: number, ls: readonly string[], attrs: Record<string, string | number | undefined>) => {
    const y = M.top + i * ROW + ROW / 2 + 4 - ((ls.length - 1) * 16) / 2
    return textLines({ class: "event-label", x: left - 8, y, "text-anchor": "end", "font-size": LABEL_SIZE, fill: "#222", ...attrs }, ls, 16)
  }
  rows.forEach((r, i) => {
    const y = M.top + i * ROW
    parts.push(el("g", {}, el("title", {}, esc(r.label)) + rowLabel(i, lines[i], { "font-style": r.kind === "residual" ? "italic" : undefined })))
    const s = spans[i]
    if (r.value === null) {
      parts.push(text({ class: "value-label", x: xs(s.start) + 4, y: y + ROW / 2 + 4, "font-size": VALUE_SIZE, fill: "#555" }, "– (no value)"))
      return
    }
    const a = xs(Math.min(s.start, s.end))
    const b = xs(Math.max(s.start, s.end))
    const up = r.value >= 0
    parts.push(
      el(
        "rect",
        {
          class: r.kind === "residual" ? "contribution residual" : "contribution",
          "data-event": r.label,
          "data-value": String(r.value),
          x: a,
          y: y + 4,
          width: Math.max(b - a, 1.5),
          height: ROW - 8,
          fill: up ? UP : `url(#${id("down")})`,
          "fill-opacity": up ? 0.85 : 1,
          stroke: up ? UP : DOWN,
          "stroke-width": 1,
        },
        el("title", {}, esc(`${r.label}: ${fmtSigned(r.value, 2)} pp`)),
      ),
    )
    const value = fmtSigned(r.value, 2)
    const place = valuePlace(a, b, up, textWidth(value, VALUE_SIZE), left, W - M.right)
    parts.push(text({ class: "value-label", x: place.x, y: y + ROW / 2 + 4, "text-anchor": place.anchor, "font-size": VALUE_SIZE, fill: place.fill }, value))
    // Connector to where the next bar (or the total) starts.
    const xEnd = xs(s.end)
    parts.push(el("line", { class: "connector", x1: xEnd, x2: xEnd, y1: y + ROW - 4, y2: y + ROW + 4, stroke: "#666", "stroke-dasharray": "2 2" }))
  })
  const ty = M.top + rows.length * ROW
  const a = xs(Math.min(0, total))
  const b = xs(Math.max(0, total))
  parts.push(el("line", { x1: 4, x2: W - M.right, y1: ty + 1, y2: ty + 1, stroke: "#999", "stroke-width": 0.6 }))
  parts.push(text({ class: "event-label", x: left - 8, y: ty + ROW / 2 + 4, "text-anchor": "end", "font-size": 13, "font-weight": "bold", fill: "#111" }, "total"))
  parts.push(
    el(
      "rect",
      { class: "total", "data-value": String(total), x: a, y: ty + 4, width: Math.max(b - a, 1.5), height: ROW - 8, fill: "#333", stroke: "#000" },
      el("title", {}, esc(`total: ${fmtSigned(total, 2)} pp`)),
    ),
  )
  const totalText = `${fmtSigned(total, 2)} pp`
  const place = valuePlace(a, b, total >= 0, textWidth(totalText, 13), left, W - M.right, true)
  parts.push(text({ class: "value-label total-label", x: place.x, y: ty + ROW / 2 + 4, "text-anchor": place.anchor, "font-size": 13, "font-weight": "bold", fill: place.fill }, totalText))

  return el(
    "svg",
    {
      xmlns: "http://www.w3.org/2000/svg",
      class: "waterfall",
      "data-indicator": input.id,
      viewBox: `0 0 ${W} ${H}`,
      width: W,
      height: H,
      role: "img",
      "aria-label": `${input.title}: contributions of events to annual growth`,
      "font-family": "inherit",
    },
    el("title", {}, esc(`${input.title}: contributions of events to annual growth`)) + parts.join(""),
  )
}
