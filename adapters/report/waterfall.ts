// The waterfall chart of one indicator's explanation: how each event moves annual growth,
// bar after bar from zero to the total difference (percentage points). Horizontal bars so
// that long event ids stay readable; increases are solid, decreases hatched, so the sign
// reads without colour; each bar carries its value as a direct label.
// Invariants: one <svg class="waterfall" data-indicator=...>; one rect.contribution per
// event with a finite value, one rect.total; when the contributions do not add up to the
// total a "residual" row closes the gap, so the last bar always ends at the total.
// Pure: no I/O.
import { esc } from "./escape.ts"
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
const ROW = 26
const M = { left: 210, right: 70, top: 12, bottom: 34 }
const UP = "#0b5394"
const DOWN = "#c2410c"

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

  const H = M.top + (rows.length + 1) * ROW + M.bottom
  let cum = 0
  const spans = rows.map((r) => {
    const start = cum
    if (r.value !== null) cum += r.value
    return { start, end: cum }
  })
  const ends = [0, total, ...spans.flatMap((s) => [s.start, s.end])]
  const nice = niceTicks(Math.min(...ends), Math.max(...ends), 6)
  const xs = linearScale([nice.lo, nice.hi], [M.left, W - M.right])
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
    parts.push(text({ x, y: plotBottom + 14, "text-anchor": "middle", "font-size": 12, fill: "#333" }, fmt(t, decimals)))
  }
  parts.push(text({ x: (M.left + W - M.right) / 2, y: plotBottom + 29, "text-anchor": "middle", "font-size": 12, fill: "#333" }, "contribution to annual growth, percentage points"))

  rows.forEach((r, i) => {
    const y = M.top + i * ROW
    const label = r.label.length > 32 ? `${r.label.slice(0, 31)}…` : r.label
    parts.push(el("text", { x: M.left - 8, y: y + ROW / 2 + 4, "text-anchor": "end", "font-size": 12.5, fill: "#222", "font-style": r.kind === "residual" ? "italic" : null }, el("title", {}, esc(r.label)) + esc(label)))
    const s = spans[i]
    if (r.value === null) {
      parts.push(text({ x: xs(s.start) + 4, y: y + ROW / 2 + 4, "font-size": 12, fill: "#555" }, "– (no value)"))
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
    const vx = up ? b + 4 : a - 4
    parts.push(text({ class: "value-label", x: vx, y: y + ROW / 2 + 4, "text-anchor": up ? "start" : "end", "font-size": 12, fill: "#111" }, fmtSigned(r.value, 2)))
    // Connector to where the next bar (or the total) starts.
    const xEnd = xs(s.end)
    parts.push(el("line", { class: "connector", x1: xEnd, x2: xEnd, y1: y + ROW - 4, y2: y + ROW + 4, stroke: "#666", "stroke-dasharray": "2 2" }))
  })
  const ty = M.top + rows.length * ROW
  const a = xs(Math.min(0, total))
  const b = xs(Math.max(0, total))
  parts.push(el("line", { x1: M.left - 200, x2: W - M.right, y1: ty + 1, y2: ty + 1, stroke: "#999", "stroke-width": 0.6 }))
  parts.push(text({ x: M.left - 8, y: ty + ROW / 2 + 4, "text-anchor": "end", "font-size": 13, "font-weight": "bold", fill: "#111" }, "total"))
  parts.push(
    el(
      "rect",
      { class: "total", "data-value": String(total), x: a, y: ty + 4, width: Math.max(b - a, 1.5), height: ROW - 8, fill: "#333", stroke: "#000" },
      el("title", {}, esc(`total: ${fmtSigned(total, 2)} pp`)),
    ),
  )
  parts.push(text({ class: "value-label total-label", x: total >= 0 ? b + 4 : a - 4, y: ty + ROW / 2 + 4, "text-anchor": total >= 0 ? "start" : "end", "font-size": 13, "font-weight": "bold", fill: "#111" }, `${fmtSigned(total, 2)} pp`))

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
