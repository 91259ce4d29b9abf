// The chart frame every plancast chart is drawn in (the report, the live page and the studio
// share it): text width estimates, the y domain with a minimum span around the target, the
// axes (grid, ticks, a horizontal y-axis title above the plot), the x labels thinned so they
// never touch, text wrapping, and the direct labels of the right margin, spread so none
// overlaps another. Invariants: the y-axis title sits above the plot and left of nothing
// else, so it cannot meet a tick label; x labels are at least one label width plus a gap
// apart; every string written passes through the escaping builders of svg.ts.
// Pure: no I/O.
import { esc } from "./escape.ts"
import { fmt, periodLabel, tickDecimals } from "./format.ts"
import { el, linearScale, niceTicks, spreadLabels, text, type LinearScale } from "./svg.ts"
import type { Target } from "../../engine/index.ts"
import { num } from "./types.ts"

/** The smallest span (in the indicator's unit, pp of growth) a y axis shows, so a flat line near its target reads as near it. */
export const MIN_SPAN = 2

/** Font sizes of the frame (px). */
export const FONT = { tick: 12, title: 12, label: 12, panel: 13 } as const

/**
 * An estimate of a text's rendered width in px at `size` (system sans-serif): CJK characters
 * one em, digits and most letters about 0.6 em, narrow characters less. It errs wide, so
 * layouts that trust it leave room rather than overlap.
 */
export function textWidth(s: string, size: number): number {
  let em = 0
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0
    if (c >= 0x2e80) em += 1.0
    else if ("il.,:;'!|·".includes(ch)) em += 0.32
    else if ("fjrt()[] -".includes(ch)) em += 0.4
    else if ("mwMW%".includes(ch)) em += 0.9
    else if (ch >= "A" && ch <= "Z") em += 0.7
    else em += 0.6
  }
  return em * size
}

/** Splits a text into lines no wider than `width` px, at spaces and hyphens; a longer word is cut by characters. */
export function wrapText(s: string, width: number, size: number): string[] {
  const tokens = s.match(/[^\s-]+-?|\s+|-/g) ?? [s]
  const lines: string[] = []
  let line = ""
  const push = () => {
    if (line.trim()) lines.push(line.trim())
    line = ""
  }
  for (const tok of tokens) {
    if (textWidth((line + tok).trimEnd(), size) <= width) {
      line += tok
      continue
    }
    push()
    let rest = tok.trim()
    while (rest && textWidth(rest, size) > width) {
      let k = rest.length
      while (k > 1 && textWidth(rest.slice(0, k), size) > width) k--
      lines.push(rest.slice(0, k))
      rest = rest.slice(k)
    }
    line = rest
  }
  push()
  return lines.length ? lines : [""]
}

/**
 * The y domain of a growth chart: every value and the target (with its band), widened to at
 * least `minSpan` around their middle, then padded and rounded to nice ticks.
 */
export function yDomain(values: readonly number[], target: Target | null, minSpan = MIN_SPAN): { lo: number; hi: number; ticks: number[]; step: number } {
  const all = values.filter((v) => Number.isFinite(v))
  const band = target?.kind === "around" ? Math.abs(num(target.band) ?? 0) : 0
  if (target) all.push(target.value - band, target.value + band)
  let lo = all.length ? Math.min(...all) : 0
  let hi = all.length ? Math.max(...all) : 1
  if (hi - lo < minSpan) {
    const mid = (lo + hi) / 2
    lo = mid - minSpan / 2
    hi = mid + minSpan / 2
  }
  const pad = (hi - lo) * 0.06
  const nice = niceTicks(lo - pad, hi + pad, 5)
  return { lo: nice.lo, hi: nice.hi, ticks: nice.ticks, step: nice.step }
}

/** A plot area in SVG coordinates. */
export interface PlotBox {
  readonly left: number
  readonly right: number
  readonly top: number
  readonly bottom: number
}

/** The width the y tick labels of a domain need (px), for the left margin. */
export function tickLabelWidth(domain: { ticks: readonly number[]; step: number }): number {
  const d = tickDecimals(domain.step)
  return Math.max(...domain.ticks.map((t) => textWidth(fmt(t, d), FONT.tick)), 10)
}

/** The x positions of n periods in a plot box (a lone period centred): each period's x, their spacing, the span's ends. */
export const periodScale = (box: PlotBox, n: number): { x0: number; x1: number; xAt: (i: number) => number; step: number } => {
  const x0 = box.left + 10
  const x1 = box.right - 8
  const xs = linearScale(n === 1 ? [-1, 1] : [0, n - 1], [x0, x1])
  return { x0, x1, xAt: (i) => (n === 1 ? xs(0) : xs(i)), step: n > 1 ? (x1 - x0) / (n - 1) : (x1 - x0) / 2 }
}

/** The y scale of a plot box over a domain. */
export const yScale = (box: PlotBox, domain: { lo: number; hi: number }): LinearScale => linearScale([domain.lo, domain.hi], [box.bottom, box.top])

/**
 * Grid lines and tick labels of the y axis (labels only with `labels`), the zero line darker.
 * Tick labels end 6 px left of the plot.
 */
export function yAxis(box: PlotBox, domain: { ticks: readonly number[]; step: number; lo: number; hi: number }, labels: boolean): string {
  const ys = yScale(box, domain)
  const decimals = tickDecimals(domain.step)
  const parts: string[] = []
  for (const t of domain.ticks) {
    const y = ys(t)
    const zero = Math.abs(t) < domain.step * 1e-6
    parts.push(el("line", { class: zero ? "zero-line" : "grid", x1: box.left, x2: box.right, y1: y, y2: y, stroke: zero ? "#777" : "#ddd", "stroke-width": zero ? 1 : 0.75 }))
    if (labels) parts.push(text({ class: "tick-label", x: box.left - 6, y: y + 4, "text-anchor": "end", "font-size": FONT.tick, fill: "#333" }, fmt(t, decimals)))
  }
  return parts.join("")
}

/** The y-axis title: horizontal, above the plot's top-left corner (where no tick label goes). */
export function yTitle(box: PlotBox, title: string, x: number): string {
  return text({ class: "axis-title", x, y: box.top - 12, "font-size": FONT.title, fill: "#333" }, title)
}

/**
 * The x axis of a period chart: ticks at every period, labels at every k-th so that
 * neighbours are at least their width plus 6 px apart (the last always), and the year below.
 */
export function xAxis(box: PlotBox, periods: readonly string[], xAt: (i: number) => number, step: number): string {
  const parts: string[] = []
  const n = periods.length
  const widest = Math.max(...periods.map((p) => textWidth(periodLabel(p), FONT.tick)), 1)
  const every = Math.max(1, Math.ceil((widest + 6) / Math.max(step, 1e-9)))
  const shown = new Set<number>()
  for (let i = 0; i < n; i += every) shown.add(i)
  // the last label replaces a shown neighbour too close to it
  if (n > 1 && !shown.has(n - 1)) {
    const prev = Math.floor((n - 1) / every) * every
    if ((n - 1 - prev) * step < widest + 6) shown.delete(prev)
    shown.add(n - 1)
  }
  periods.forEach((p, i) => {
    const x = xAt(i)
    parts.push(el("line", { x1: x, x2: x, y1: box.bottom, y2: box.bottom + 4, stroke: "#555" }))
    if (shown.has(i)) parts.push(text({ class: "tick-label x", x, y: box.bottom + 17, "text-anchor": "middle", "font-size": FONT.tick, fill: "#333" }, periodLabel(p)))
  })
  parts.push(el("line", { x1: box.left, x2: box.right, y1: box.bottom, y2: box.bottom, stroke: "#555" }))
  const year = /^(\d{4})/.exec(periods[0] ?? "")?.[1]
  if (year && periods.some((p) => p !== year)) parts.push(text({ class: "year-label", x: (box.left + box.right) / 2, y: box.bottom + 33, "text-anchor": "middle", "font-size": FONT.tick, fill: "#333" }, year))
  return parts.join("")
}

/** A direct label of the right margin: where its line ends (y), its text and style. */
export interface DirectLabel {
  readonly y: number
  readonly text: string
  readonly colour: string
  readonly cls: string
  readonly weight?: string
}

/** The margin the direct labels need right of the plot (px): the widest label, its leader and a gap. */
export function labelMargin(labels: readonly string[]): number {
  return Math.max(...labels.map((l) => textWidth(l, FONT.label)), 30) + 16
}

/**
 * Direct labels right of the plot at x0, spread vertically (13 px apart at least, kept in
 * order) within top..bottom when they fit, each with a leader from the plot's edge.
 */
export function directLabels(labels: readonly DirectLabel[], x0: number, top: number, bottom: number): string {
  const placed = spreadLabels(
    labels.map((l) => l.y),
    FONT.label + 2,
    top + 4,
    bottom,
  )
  return labels
    .map((l, i) => {
      const ly = placed[i]
      return (
        el("line", { class: "leader", x1: x0 - 8, x2: x0 + 4, y1: l.y, y2: ly, stroke: l.colour, "stroke-width": 0.6, "stroke-opacity": 0.7 }) +
        text({ class: l.cls, x: x0 + 7, y: ly + 4, "font-size": FONT.label, fill: l.colour, "font-weight": l.weight }, l.text)
      )
    })
    .join("")
}

/** Lines of text as one <text> with a <tspan> per line, `lead` px apart. */
export function textLines(a: Record<string, string | number | undefined>, lines: readonly string[], lead: number): string {
  const x = a.x as number
  return el(
    "text",
    a,
    lines.map((l, i) => el("tspan", { x, dy: i ? lead : 0 }, esc(l))).join(""),
  )
}
