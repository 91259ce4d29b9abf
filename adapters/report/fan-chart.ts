// The fan chart of one indicator: its year-to-date growth path per period with the p05-p95
// and p25-p75 bands, the median line, observed periods marked (filled markers on a shaded
// background), and the target (a dash-dot line, a hatched band for `around`, a hatched side
// for atLeast/atMost). Several scenarios are small multiples: one panel per scenario, side
// by side and wrapping, sharing the y axis (one domain, tick labels on each row's first
// panel) and the x axis, each titled with the scenario's full name (wrapped, never cut).
// Drawn in the chart frame of frame.ts (minimum y span around the target, y title above the
// plot, direct labels spread in the right margin).
// Invariants: the output is one <svg> element with class "fan-chart" and data-indicator;
// each panel is a <g class="panel" data-scenario>; each median path has class "median"
// (one per series); each panel has one "target-line"; missing values break lines instead of
// drawing zeros; pattern ids are prefixed with `idPrefix`, unique within the page.
// Pure: no I/O.
import { esc } from "./escape.ts"
import { FONT, directLabels, periodScale, labelMargin, textLines, tickLabelWidth, wrapText, xAxis, yAxis, yDomain, yScale, yTitle, type DirectLabel, type PlotBox } from "./frame.ts"
import { fmt, fmtTarget, fmtUnit } from "./format.ts"
import { COLOURS, bandPath, el, linePath, marker, text } from "./svg.ts"
import type { Target } from "../../engine/index.ts"
import { num, type ReportPathPoint } from "./types.ts"

/** One scenario's path on a fan chart. */
export interface FanSeries {
  /** The scenario name: the panel's title when there are several. */
  readonly label: string
  readonly path: readonly ReportPathPoint[]
}

/** What a fan chart needs: the indicator, its target, the x axis and one or more series. */
export interface FanChartInput {
  readonly id: string
  /** Accessible title of the chart (the indicator's name). */
  readonly title: string
  readonly unit?: string | null
  readonly target: Target | null
  /** The x axis; when empty, the first series' periods are used. */
  readonly periods: readonly string[]
  readonly series: readonly FanSeries[]
  /** Prefix for ids inside the SVG (patterns); unique within the page. */
  readonly idPrefix: string
  /** Add Chinese to the chart's fixed labels (when the model names indicators in Chinese). */
  readonly bilingual?: boolean
}

const SINGLE = { width: 700, plotHeight: 230 }
const MULTI = { plotWidth: 250, plotHeight: 190, columns: 3, gap: 18 }
const TOP = 30
const BOTTOM = 44
const TARGET_DASH = "12 3 2 3"
const TARGET_COLOUR = "#222"

interface Prepared {
  readonly i: number
  readonly period: string
  readonly observed: boolean
  readonly p05: number | null
  readonly p25: number | null
  readonly p50: number | null
  readonly p75: number | null
  readonly p95: number | null
}

const prepare = (series: FanSeries, index: ReadonlyMap<string, number>): Prepared[] =>
  (series.path ?? []).flatMap((pt) => {
    const i = index.get(String(pt?.period))
    if (i === undefined) return []
    const q = pt.ytd ?? {}
    return [{ i, period: String(pt.period), observed: pt.observed === true, p05: num(q.p05), p25: num(q.p25), p50: num(q.p50), p75: num(q.p75), p95: num(q.p95) }]
  })

/** The texts of a panel's direct labels (before they are placed). */
function labelTexts(pts: readonly Prepared[], input: FanChartInput): { kind: "target" | "median" | "p95" | "p05"; text: string }[] {
  const out: { kind: "target" | "median" | "p95" | "p05"; text: string }[] = []
  if (input.target) out.push({ kind: "target", text: `target ${fmtTarget(input.target, input.unit)}` })
  const last = [...pts].reverse().find((p) => p.p50 !== null)
  if (last) out.push({ kind: "median", text: `median ${fmtUnit(last.p50, input.unit)}` })
  const lastBand = [...pts].reverse().find((p) => p.p05 !== null && p.p95 !== null)
  if (lastBand && (lastBand.p95 as number) - (lastBand.p05 as number) > 1e-9) {
    out.push({ kind: "p95", text: `p95 ${fmt(lastBand.p95)}` })
    out.push({ kind: "p05", text: `p05 ${fmt(lastBand.p05)}` })
  }
  return out
}

/** One panel: background, observed strip, grid, target, bands, median, markers and its direct labels. */
function panel(input: FanChartInput, pts: readonly Prepared[], k: number, box: PlotBox, domain: ReturnType<typeof yDomain>, periods: readonly string[], tickLabels: boolean, labelX: number): string {
  const n = Math.max(periods.length, 1)
  const { x1, xAt, step } = periodScale(box, n)
  const ys = yScale(box, domain)
  const id = (s: string) => `${input.idPrefix}-${s}`
  const colour = COLOURS[k % COLOURS.length]
  const target = input.target
  const band = target?.kind === "around" ? Math.abs(num(target.band) ?? 0) : 0
  const parts: string[] = []
  parts.push(el("rect", { class: "plot-bg", x: box.left, y: box.top, width: box.right - box.left, height: box.bottom - box.top, fill: "#fff" }))

  const observed = pts.filter((p) => p.observed)
  if (observed.length) {
    const left = Math.max(box.left, xAt(pts[0].i) - step / 2)
    const right = Math.min(box.right, xAt(observed[observed.length - 1].i) + step / 2)
    parts.push(el("rect", { class: "observed-region", x: left, y: box.top, width: Math.max(0, right - left), height: box.bottom - box.top, fill: "#e8e8e8" }))
    parts.push(text({ class: "region-label", x: left + 4, y: box.top + 13, "font-size": 11, fill: "#444" }, input.bilingual ? "observed 已公布" : "observed"))
    if (right < x1) parts.push(el("line", { x1: right, x2: right, y1: box.top, y2: box.bottom, stroke: "#888", "stroke-width": 1, "stroke-dasharray": "3 3" }))
  }
  parts.push(yAxis(box, domain, tickLabels))
  parts.push(xAxis(box, periods, xAt, step))

  const labels: DirectLabel[] = []
  const texts = labelTexts(pts, input)
  const textOf = (kind: string) => texts.find((t) => t.kind === kind)?.text ?? ""
  if (target) {
    const yv = ys(target.value)
    parts.push(targetZone(box, ys, target, band, id("hatch")))
    if (target.kind === "around" && band > 0)
      for (const edge of [target.value - band, target.value + band])
        parts.push(el("line", { class: "target-band-edge", x1: box.left, x2: box.right, y1: ys(edge), y2: ys(edge), stroke: TARGET_COLOUR, "stroke-width": 0.8, "stroke-dasharray": "2 2" }))
    parts.push(
      el(
        "line",
        { class: "target-line", "data-role": "target", "data-kind": target.kind, "data-value": String(target.value), x1: box.left, x2: box.right, y1: yv, y2: yv, stroke: TARGET_COLOUR, "stroke-width": 1.8, "stroke-dasharray": TARGET_DASH },
        el("title", {}, esc(textOf("target"))),
      ),
    )
    labels.push({ y: yv, text: textOf("target"), colour: TARGET_COLOUR, cls: "target-label", weight: "bold" })
  }

  const label = input.series[k].label
  const outer = bandPath(pts.map((p) => ({ x: xAt(p.i), lo: p.p05 === null ? null : ys(p.p05), hi: p.p95 === null ? null : ys(p.p95) })))
  if (outer) {
    parts.push(el("path", { class: "band band-90", "data-scenario": label, d: outer, fill: colour, "fill-opacity": 0.16, stroke: "none" }))
    // Edges as thin dotted lines: visible in grayscale and when the band collapses.
    for (const key of ["p05", "p95"] as const)
      parts.push(el("path", { class: `band-edge ${key}`, d: linePath(pts.map((p) => ({ x: xAt(p.i), y: p[key] === null ? null : ys(p[key] as number) }))), fill: "none", stroke: colour, "stroke-width": 0.9, "stroke-dasharray": "1 2", "stroke-opacity": 0.9 }))
  }
  const inner = bandPath(pts.map((p) => ({ x: xAt(p.i), lo: p.p25 === null ? null : ys(p.p25), hi: p.p75 === null ? null : ys(p.p75) })))
  if (inner) parts.push(el("path", { class: "band band-50", d: inner, fill: colour, "fill-opacity": 0.3, stroke: "none" }))
  const d = linePath(pts.map((p) => ({ x: xAt(p.i), y: p.p50 === null ? null : ys(p.p50) })))
  if (d) parts.push(el("path", { class: "median", "data-role": "median", "data-scenario": label, d, fill: "none", stroke: colour, "stroke-width": 2.4, "stroke-linejoin": "round", "stroke-linecap": "round" }))
  for (const p of pts) {
    if (p.p50 === null) continue
    const y = ys(p.p50)
    const tip = `${input.series.length > 1 ? `${label}: ` : ""}${p.period} ${fmtUnit(p.p50, input.unit, 2)}${p.observed ? " (observed)" : ` (p05 ${fmt(p.p05, 2)}, p95 ${fmt(p.p95, 2)})`}`
    const mark = p.observed
      ? marker("square", xAt(p.i), y, 4, { class: "point observed", "data-observed": "true", fill: colour, stroke: "#000", "stroke-width": 1.2 })
      : marker("circle", xAt(p.i), y, 2.6, { class: "point projected", fill: "#fff", stroke: colour, "stroke-width": 1.5 })
    parts.push(el("g", {}, el("title", {}, esc(tip)) + mark))
  }
  const last = [...pts].reverse().find((p) => p.p50 !== null)
  if (last) labels.push({ y: ys(last.p50 as number), text: textOf("median"), colour, cls: "series-label", weight: "bold" })
  const lastBand = [...pts].reverse().find((p) => p.p05 !== null && p.p95 !== null)
  if (lastBand && textOf("p95")) {
    labels.push({ y: ys(lastBand.p95 as number), text: textOf("p95"), colour: "#333", cls: "band-label" })
    labels.push({ y: ys(lastBand.p05 as number), text: textOf("p05"), colour: "#333", cls: "band-label" })
  }
  parts.push(directLabels(labels, labelX, box.top, box.bottom))
  if (!pts.some((p) => p.p50 !== null || p.p05 !== null))
    parts.push(text({ x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2, "text-anchor": "middle", "font-size": 13, fill: "#555", class: "no-data" }, "no path data"))
  return parts.join("")
}

/** Renders the fan chart of one indicator as an <svg> string: one panel, or one per scenario. */
export function renderFanChart(input: FanChartInput): string {
  const periods = input.periods.length ? [...input.periods] : (input.series[0]?.path ?? []).map((p) => String(p.period))
  const index = new Map(periods.map((p, i) => [p, i]))
  const prepared = input.series.map((s) => prepare(s, index))
  const series = prepared.length ? prepared : [[]]
  const values = prepared.flatMap((s) => s.flatMap((p) => [p.p05, p.p25, p.p50, p.p75, p.p95].filter((v): v is number => v !== null)))
  const domain = yDomain(values, input.target)
  const left = Math.ceil(tickLabelWidth(domain)) + 14
  const margin = Math.ceil(labelMargin(series.flatMap((pts) => labelTexts(pts, input).map((t) => t.text))))
  const yLabel = `year-to-date growth${input.unit && input.unit !== "%" ? `, ${input.unit}` : ", %"}`
  const multi = input.series.length > 1
  const parts: string[] = [hatch(`${input.idPrefix}-hatch`)]
  let width: number
  let height: number
  if (!multi) {
    width = SINGLE.width
    const box = { left, right: width - margin, top: TOP, bottom: TOP + SINGLE.plotHeight }
    height = box.bottom + BOTTOM
    parts.push(yTitle(box, yLabel, 4))
    parts.push(el("g", { class: "panel", "data-scenario": input.series[0]?.label ?? "" }, panel(input, series[0], 0, box, domain, periods, true, box.right)))
  } else {
    const cols = Math.min(MULTI.columns, series.length)
    const panelWidth = MULTI.plotWidth + margin
    const titleLines = input.series.map((s) => wrapText(s.label, panelWidth - 4, FONT.panel))
    const rows = Math.ceil(series.length / cols)
    const rowTitle = Array.from({ length: rows }, (_, r) => Math.max(...titleLines.slice(r * cols, r * cols + cols).map((l) => l.length)))
    width = left + cols * panelWidth + (cols - 1) * MULTI.gap + 4
    // one y-axis title for the figure, above the first row's panel titles
    parts.push(text({ class: "axis-title", x: 4, y: 14, "font-size": FONT.title, fill: "#333" }, yLabel))
    let y = 20
    series.forEach((pts, k) => {
      const r = Math.floor(k / cols)
      const c = k % cols
      if (c === 0 && r > 0) y += rowTitle[r - 1] * 16 + 8 + MULTI.plotHeight + BOTTOM
      const px0 = left + c * (panelWidth + MULTI.gap)
      const top = y + 8 + rowTitle[r] * 16 + TOP - 8
      const box = { left: px0, right: px0 + MULTI.plotWidth, top, bottom: top + MULTI.plotHeight }
      const colour = COLOURS[k % COLOURS.length]
      const title = textLines({ class: "panel-title", x: px0, y: y + 8 + FONT.panel, "font-size": FONT.panel, "font-weight": "bold", fill: colour }, titleLines[k], 16)
      parts.push(el("g", { class: "panel", "data-scenario": input.series[k].label }, title + panel(input, pts, k, box, domain, periods, c === 0, box.right)))
    })
    height = y + rowTitle[rows - 1] * 16 + 8 + TOP - 8 + MULTI.plotHeight + BOTTOM
  }
  return el(
    "svg",
    {
      xmlns: "http://www.w3.org/2000/svg",
      class: "fan-chart",
      "data-indicator": input.id,
      "data-panels": String(Math.max(1, input.series.length)),
      viewBox: `0 0 ${width} ${height}`,
      width,
      height,
      role: "img",
      "aria-label": `${input.title}: year-to-date growth by period`,
      "font-family": "inherit",
    },
    el("title", {}, esc(`${input.title}: year-to-date growth by period`)) + parts.join(""),
  )
}

/** The hatching of the target zone, so it differs from the bands without colour (the evolution chart's too). */
/** The hatched zone where a target is met: above an atLeast line, below an atMost one, inside an around band. */
export function targetZone(box: PlotBox, ys: (v: number) => number, target: Target, band: number, hatchId: string): string {
  const yv = ys(target.value)
  const zone =
    target.kind === "atLeast"
      ? { y: box.top, h: yv - box.top }
      : target.kind === "atMost"
        ? { y: yv, h: box.bottom - yv }
        : { y: ys(target.value + band), h: ys(target.value - band) - ys(target.value + band) }
  return zone.h > 0 ? el("rect", { class: "target-zone", "data-kind": target.kind, x: box.left, y: zone.y, width: box.right - box.left, height: zone.h, fill: `url(#${hatchId})` }) : ""
}

export function hatch(id: string): string {
  return el(
    "defs",
    {},
    el(
      "pattern",
      { id, width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" },
      el("rect", { width: 6, height: 6, fill: "#ffffff", "fill-opacity": 0 }) + el("line", { x1: 0, y1: 0, x2: 0, y2: 6, stroke: "#555", "stroke-width": 1.1, "stroke-opacity": 0.45 }),
    ),
  )
}
