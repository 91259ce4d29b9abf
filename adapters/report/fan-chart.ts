// The fan chart of one indicator: its year-to-date growth path per period with the p05-p95
// and p25-p75 bands, the median line, observed periods marked (filled markers on a shaded
// background), and the target (a dash-dot line, a hatched band for `around`, a hatched side
// for atLeast/atMost). Several series overlay scenarios: each gets its own colour, dash
// pattern and marker shape, and a direct label, so the chart reads in grayscale and print.
// Invariants: the output is one <svg> element with class "fan-chart" and
// data-indicator; each median path has class "median"; the target line has class
// "target-line"; missing values break lines instead of drawing zeros; pattern ids are
// prefixed with `idPrefix`, which the caller keeps unique within the page.
// Pure: no I/O.
import { esc } from "./escape.ts"
import { fmt, fmtTarget, fmtUnit, periodLabel, tickDecimals } from "./format.ts"
import { COLOURS, DASHES, MARKERS, bandPath, el, linePath, linearScale, marker, niceTicks, px, spreadLabels, text } from "./svg.ts"
import type { Target } from "../../engine/index.ts"
import { num, type ReportPathPoint } from "./types.ts"

/** One scenario's path on a fan chart. */
export interface FanSeries {
  /** The scenario name, used for direct labels when several series overlay. */
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

const W = 700
const H = 300
const M = { left: 50, right: 150, top: 18, bottom: 42 }
const TARGET_DASH = "12 3 2 3"
const TARGET_COLOUR = "#222"

interface Prepared {
  readonly x: number
  readonly period: string
  readonly observed: boolean
  readonly p05: number | null
  readonly p25: number | null
  readonly p50: number | null
  readonly p75: number | null
  readonly p95: number | null
}

/** Renders the fan chart of one indicator as an <svg> string. */
export function renderFanChart(input: FanChartInput): string {
  const periods = input.periods.length ? [...input.periods] : (input.series[0]?.path ?? []).map((p) => String(p.period))
  const n = Math.max(periods.length, 1)
  const index = new Map(periods.map((p, i) => [p, i]))
  const x0 = M.left + 14
  const x1 = W - M.right - 10
  const xs = linearScale(n === 1 ? [-1, 1] : [0, n - 1], [x0, x1])
  const step = n > 1 ? (x1 - x0) / (n - 1) : (x1 - x0) / 2

  const prepared: Prepared[][] = input.series.map((s) =>
    (s.path ?? []).flatMap((pt) => {
      const i = index.get(String(pt?.period))
      if (i === undefined) return []
      const q = pt.ytd ?? {}
      return [
        {
          x: n === 1 ? xs(0) : xs(i),
          period: String(pt.period),
          observed: pt.observed === true,
          p05: num(q.p05),
          p25: num(q.p25),
          p50: num(q.p50),
          p75: num(q.p75),
          p95: num(q.p95),
        },
      ]
    }),
  )

  const target = input.target
  const band = target?.kind === "around" ? Math.abs(num(target.band) ?? 0) : 0
  const values: number[] = []
  for (const series of prepared) for (const p of series) for (const v of [p.p05, p.p25, p.p50, p.p75, p.p95]) if (v !== null) values.push(v)
  if (target) values.push(target.value - band, target.value + band)
  const hasData = prepared.some((s) => s.some((p) => p.p50 !== null || p.p05 !== null))
  const lo = values.length ? Math.min(...values) : 0
  const hi = values.length ? Math.max(...values) : 1
  const pad = (hi - lo) * 0.06
  const nice = niceTicks(lo - pad, hi + pad, 5)
  const ys = linearScale([nice.lo, nice.hi], [H - M.bottom, M.top])
  const yTop = M.top
  const yBottom = H - M.bottom
  const id = (s: string) => `${input.idPrefix}-${s}`
  const multi = input.series.length > 1

  const parts: string[] = []
  // Pattern definitions: hatching for the target zone, so it differs from bands without colour.
  parts.push(
    el(
      "defs",
      {},
      el(
        "pattern",
        { id: id("hatch"), width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" },
        el("rect", { width: 6, height: 6, fill: "#ffffff", "fill-opacity": 0 }) +
          el("line", { x1: 0, y1: 0, x2: 0, y2: 6, stroke: "#555", "stroke-width": 1.1, "stroke-opacity": 0.45 }),
      ),
    ),
  )
  parts.push(el("rect", { class: "plot-bg", x: M.left, y: yTop, width: W - M.left - M.right, height: yBottom - yTop, fill: "#fff" }))

  // Observed periods of the first series: a shaded strip, so "data" and "projection" separate at a glance.
  const first = prepared[0] ?? []
  const observedIdx = first.filter((p) => p.observed)
  if (observedIdx.length) {
    const lastObs = observedIdx[observedIdx.length - 1].x
    const left = Math.max(M.left, first[0].x - step / 2)
    const right = Math.min(W - M.right, lastObs + step / 2)
    parts.push(el("rect", { class: "observed-region", x: left, y: yTop, width: Math.max(0, right - left), height: yBottom - yTop, fill: "#e8e8e8" }))
    parts.push(text({ x: left + 4, y: yTop + 12, class: "region-label", "font-size": 11, fill: "#444" }, input.bilingual ? "observed 已公布" : "observed"))
    if (right < x1) parts.push(el("line", { x1: right, x2: right, y1: yTop, y2: yBottom, stroke: "#888", "stroke-width": 1, "stroke-dasharray": "3 3" }))
  }

  // Grid and y axis.
  const decimals = tickDecimals(nice.step)
  for (const t of nice.ticks) {
    const y = ys(t)
    const zero = Math.abs(t) < nice.step * 1e-6
    parts.push(el("line", { class: zero ? "zero-line" : "grid", x1: M.left, x2: W - M.right, y1: y, y2: y, stroke: zero ? "#777" : "#ddd", "stroke-width": zero ? 1 : 0.75 }))
    parts.push(text({ x: M.left - 6, y: y + 3.5, "text-anchor": "end", "font-size": 12, fill: "#333" }, fmt(t, decimals)))
  }
  parts.push(
    text(
      { x: 14, y: (yTop + yBottom) / 2, transform: `rotate(-90 14 ${px((yTop + yBottom) / 2)})`, "text-anchor": "middle", "font-size": 12, fill: "#333" },
      `year-to-date growth${input.unit && input.unit !== "%" ? `, ${input.unit}` : ", %"}`,
    ),
  )

  // X axis: every label when they fit, else every k-th.
  const every = Math.max(1, Math.ceil(n / 12))
  periods.forEach((p, i) => {
    const x = n === 1 ? xs(0) : xs(i)
    parts.push(el("line", { x1: x, x2: x, y1: yBottom, y2: yBottom + 4, stroke: "#555" }))
    if (i % every === 0 || i === n - 1) parts.push(text({ x, y: yBottom + 16, "text-anchor": "middle", "font-size": 12, fill: "#333" }, periodLabel(p)))
  })
  parts.push(el("line", { x1: M.left, x2: W - M.right, y1: yBottom, y2: yBottom, stroke: "#555" }))
  const year = /^(\d{4})/.exec(periods[0] ?? "")?.[1]
  if (year) parts.push(text({ x: (M.left + W - M.right) / 2, y: H - 6, "text-anchor": "middle", "font-size": 12, fill: "#333" }, year))

  // Target zone and line.
  const labels: { y: number; text: string; colour: string; cls: string; weight?: string }[] = []
  if (target) {
    const yv = ys(target.value)
    const zone =
      target.kind === "atLeast"
        ? { y: yTop, h: yv - yTop }
        : target.kind === "atMost"
          ? { y: yv, h: yBottom - yv }
          : { y: ys(target.value + band), h: ys(target.value - band) - ys(target.value + band) }
    if (zone.h > 0)
      parts.push(el("rect", { class: "target-zone", "data-kind": target.kind, x: M.left, y: zone.y, width: W - M.left - M.right, height: zone.h, fill: `url(#${id("hatch")})` }))
    if (target.kind === "around" && band > 0)
      for (const edge of [target.value - band, target.value + band])
        parts.push(el("line", { class: "target-band-edge", x1: M.left, x2: W - M.right, y1: ys(edge), y2: ys(edge), stroke: TARGET_COLOUR, "stroke-width": 0.8, "stroke-dasharray": "2 2" }))
    parts.push(
      el(
        "line",
        {
          class: "target-line",
          "data-role": "target",
          "data-kind": target.kind,
          "data-value": String(target.value),
          x1: M.left,
          x2: W - M.right,
          y1: yv,
          y2: yv,
          stroke: TARGET_COLOUR,
          "stroke-width": 1.8,
          "stroke-dasharray": TARGET_DASH,
        },
        el("title", {}, esc(`target ${fmtTarget(target, input.unit)}`)),
      ),
    )
    labels.push({ y: yv, text: `target ${fmtTarget(target, input.unit)}`, colour: TARGET_COLOUR, cls: "target-label", weight: "bold" })
  }

  // Bands, then medians, then markers, series by series (later series on top).
  const anyInner = prepared.some((s) => s.some((p) => p.p25 !== null && p.p75 !== null))
  prepared.forEach((pts, k) => {
    const colour = COLOURS[k % COLOURS.length]
    const outer = bandPath(pts.map((p) => ({ x: p.x, lo: p.p05 === null ? null : ys(p.p05), hi: p.p95 === null ? null : ys(p.p95) })))
    if (outer) {
      parts.push(el("path", { class: "band band-90", "data-scenario": input.series[k].label, d: outer, fill: colour, "fill-opacity": multi ? 0.05 : 0.16, stroke: "none" }))
      // Edges drawn as thin dotted lines: visible in grayscale and when the band collapses.
      for (const key of ["p05", "p95"] as const)
        parts.push(el("path", { class: `band-edge ${key}`, d: linePath(pts.map((p) => ({ x: p.x, y: p[key] === null ? null : ys(p[key] as number) }))), fill: "none", stroke: colour, "stroke-width": 0.9, "stroke-dasharray": "1 2", "stroke-opacity": 0.9 }))
    }
    if (anyInner) {
      const inner = bandPath(pts.map((p) => ({ x: p.x, lo: p.p25 === null ? null : ys(p.p25), hi: p.p75 === null ? null : ys(p.p75) })))
      if (inner) parts.push(el("path", { class: "band band-50", d: inner, fill: colour, "fill-opacity": multi ? 0.13 : 0.3, stroke: "none" }))
    }
  })
  prepared.forEach((pts, k) => {
    const colour = COLOURS[k % COLOURS.length]
    const label = input.series[k].label
    const d = linePath(pts.map((p) => ({ x: p.x, y: p.p50 === null ? null : ys(p.p50) })))
    if (d)
      parts.push(
        el("path", {
          class: "median",
          "data-role": "median",
          "data-scenario": label,
          d,
          fill: "none",
          stroke: colour,
          "stroke-width": 2.4,
          "stroke-dasharray": multi ? DASHES[k % DASHES.length] || null : null,
          "stroke-linejoin": "round",
          "stroke-linecap": "round",
        }),
      )
    const shape = MARKERS[multi ? k % MARKERS.length : 0]
    for (const p of pts) {
      if (p.p50 === null) continue
      const y = ys(p.p50)
      const tip = `${multi ? `${label}: ` : ""}${p.period} ${fmtUnit(p.p50, input.unit, 2)}${p.observed ? " (observed)" : ` (p05 ${fmt(p.p05, 2)}, p95 ${fmt(p.p95, 2)})`}`
      const mark = p.observed
        ? marker(multi ? shape : "square", p.x, y, 4, { class: "point observed", "data-observed": "true", fill: colour, stroke: "#000", "stroke-width": 1.2 })
        : marker(shape, p.x, y, multi ? 3.4 : 2.6, { class: "point projected", fill: "#fff", stroke: colour, "stroke-width": 1.5 })
      parts.push(el("g", {}, el("title", {}, esc(tip)) + mark))
    }
    const last = [...pts].reverse().find((p) => p.p50 !== null)
    if (last) {
      const short = label.length > 16 ? `${label.slice(0, 15)}…` : label
      labels.push({ y: ys(last.p50 as number), text: multi ? `${short} ${fmt(last.p50)}` : `median ${fmtUnit(last.p50, input.unit)}`, colour, cls: "series-label", weight: "bold" })
    }
    if (!multi) {
      const lastBand = [...pts].reverse().find((p) => p.p05 !== null && p.p95 !== null)
      if (lastBand && (lastBand.p95 as number) - (lastBand.p05 as number) > 1e-9) {
        labels.push({ y: ys(lastBand.p95 as number), text: `p95 ${fmt(lastBand.p95)}`, colour: "#333", cls: "band-label" })
        labels.push({ y: ys(lastBand.p05 as number), text: `p05 ${fmt(lastBand.p05)}`, colour: "#333", cls: "band-label" })
      }
    }
  })

  // Direct labels in the right margin, spread so none overlaps.
  const placed = spreadLabels(labels.map((l) => l.y), 13, yTop + 4, yBottom)
  labels.forEach((l, i) => {
    const ly = placed[i]
    parts.push(el("line", { x1: x1 + 2, x2: W - M.right + 6, y1: l.y, y2: ly, stroke: l.colour, "stroke-width": 0.6, "stroke-opacity": 0.7 }))
    parts.push(text({ class: l.cls, x: W - M.right + 9, y: ly + 4, "font-size": 12, fill: l.colour, "font-weight": l.weight }, l.text))
  })

  if (!hasData) parts.push(text({ x: (M.left + W - M.right) / 2, y: (yTop + yBottom) / 2, "text-anchor": "middle", "font-size": 13, fill: "#555", class: "no-data" }, "no path data"))

  return el(
    "svg",
    {
      xmlns: "http://www.w3.org/2000/svg",
      class: "fan-chart",
      "data-indicator": input.id,
      viewBox: `0 0 ${W} ${H}`,
      width: W,
      height: H,
      role: "img",
      "aria-label": `${input.title}: year-to-date growth by period`,
      "font-family": "inherit",
    },
    el("title", {}, esc(`${input.title}: year-to-date growth by period`)) + parts.join(""),
  )
}
