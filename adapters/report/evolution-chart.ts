// The evolution chart of one indicator: how its annual forecast moved as the releases came (a
// backtest: one step per release batch, labelled with the period it runs through) or as the
// forecasts came (the live page: one step per published forecast, labelled with its event). Above, the annual p50 with its 50% and 90% bands, a marker per release
// (filled square; a revision a diamond; another event a circle), the outcome as a solid line and the target as the fan
// chart draws it (dash-dot line, hatched side or band); below, when the indicator has a
// target, the P(target) timeline on 0..100%. Drawn in the chart frame of frame.ts (minimum y
// span around the target, y titles above the plots, direct labels in the right margin).
// Invariants: one <svg class="evolution-chart" data-indicator>; one "median" path, one
// "outcome-line" when the outcome is known, one "release" marker per step, one "probability"
// path when there is a target; every string passes through svg.ts's escaping builders.
// Pure: no I/O.
import { esc } from "./escape.ts"
import { FONT, directLabels, periodScale, labelMargin, tickLabelWidth, xAxis, yAxis, yDomain, yScale, yTitle, type DirectLabel, type PlotBox } from "./frame.ts"
import { fmt, fmtProbability, fmtTarget, fmtUnit } from "./format.ts"
import { hatch, targetZone } from "./fan-chart.ts"
import { COLOURS, bandPath, el, linePath, marker, text } from "./svg.ts"
import type { Target } from "../../engine/index.ts"

/** One as-of step of the chart. */
export interface EvolutionStep {
  /** The step's x label: the period its releases run through, or the event that moved it. */
  readonly through: string
  /** What moved the forecast at this step: a release, a revision, or another event (live page). */
  readonly kind: "release" | "revision" | "event"
  readonly p05: number
  readonly p25: number
  readonly p50: number
  readonly p75: number
  readonly p95: number
  readonly probability: number | null
}

/** What an evolution chart needs. */
export interface EvolutionChartInput {
  readonly id: string
  readonly title: string
  readonly unit?: string | null
  readonly target: Target | null
  readonly outcome: number | null
  readonly steps: readonly EvolutionStep[]
  /** Prefix for ids inside the SVG (patterns); unique within the page. */
  readonly idPrefix: string
  /** What a step is, in the titles: "release" (a backtest, the default) or "forecast" (the live page). */
  readonly stepsAre?: "release" | "forecast"
}

const WIDTH = 700
const PLOT = 230
const STRIP = 80
const TOP = 30
const GAP = 70
const BOTTOM = 44
const COLOUR = COLOURS[0]
const OUTCOME = "#b91c1c"
const TARGET = "#222"

/** Renders the evolution chart of one indicator as an <svg> string. */
export function renderEvolutionChart(input: EvolutionChartInput): string {
  const steps = input.steps
  const asOf = `as of each ${input.stepsAre ?? "release"}`
  const n = Math.max(steps.length, 1)
  const values = steps.flatMap((s) => [s.p05, s.p25, s.p50, s.p75, s.p95]).concat(input.outcome !== null ? [input.outcome] : [])
  const domain = yDomain(values, input.target)
  const last = steps.at(-1)
  const labelTexts = [
    ...(input.target ? [`target ${fmtTarget(input.target, input.unit)}`] : []),
    ...(input.outcome !== null ? [`outcome ${fmtUnit(input.outcome, input.unit)}`] : []),
    ...(last ? [`p50 ${fmtUnit(last.p50, input.unit)}`, `p95 ${fmt(last.p95)}`, `p05 ${fmt(last.p05)}`, `P ${fmtProbability(last.probability)}`] : []),
  ]
  const left = Math.ceil(tickLabelWidth(domain)) + 14
  const margin = Math.ceil(labelMargin(labelTexts))
  const box: PlotBox = { left, right: WIDTH - margin, top: TOP, bottom: TOP + PLOT }
  const strip = input.target ? { left, right: WIDTH - margin, top: box.bottom + GAP, bottom: box.bottom + GAP + STRIP } : null
  const height = (strip ?? box).bottom + BOTTOM
  const { xAt, step } = periodScale(box, n)
  const ys = yScale(box, domain)
  const periods = steps.map((s) => s.through)
  const parts: string[] = [hatch(`${input.idPrefix}-hatch`)]
  parts.push(el("rect", { class: "plot-bg", x: box.left, y: box.top, width: box.right - box.left, height: box.bottom - box.top, fill: "#fff" }))
  parts.push(yTitle(box, `annual growth forecast ${asOf}${input.unit && input.unit !== "%" ? `, ${input.unit}` : ", %"}`, 4))
  parts.push(yAxis(box, domain, true))
  parts.push(xAxis(box, periods, xAt, step))
  const labels: DirectLabel[] = []
  const target = input.target
  if (target) {
    const band = target.kind === "around" ? Math.abs(target.band) : 0
    const yv = ys(target.value)
    parts.push(targetZone(box, ys, target, band, `${input.idPrefix}-hatch`))
    parts.push(el("line", { class: "target-line", "data-value": String(target.value), x1: box.left, x2: box.right, y1: yv, y2: yv, stroke: TARGET, "stroke-width": 1.8, "stroke-dasharray": "12 3 2 3" }))
    labels.push({ y: yv, text: labelTexts[0], colour: TARGET, cls: "target-label", weight: "bold" })
  }
  const outer = bandPath(steps.map((s, i) => ({ x: xAt(i), lo: ys(s.p05), hi: ys(s.p95) })))
  if (outer) parts.push(el("path", { class: "band band-90", d: outer, fill: COLOUR, "fill-opacity": 0.16, stroke: "none" }))
  const inner = bandPath(steps.map((s, i) => ({ x: xAt(i), lo: ys(s.p25), hi: ys(s.p75) })))
  if (inner) parts.push(el("path", { class: "band band-50", d: inner, fill: COLOUR, "fill-opacity": 0.3, stroke: "none" }))
  const median = linePath(steps.map((s, i) => ({ x: xAt(i), y: ys(s.p50) })))
  if (median) parts.push(el("path", { class: "median", "data-role": "median", d: median, fill: "none", stroke: COLOUR, "stroke-width": 2.4, "stroke-linejoin": "round" }))
  if (input.outcome !== null) {
    const yo = ys(input.outcome)
    parts.push(el("line", { class: "outcome-line", "data-value": String(input.outcome), x1: box.left, x2: box.right, y1: yo, y2: yo, stroke: OUTCOME, "stroke-width": 1.6 }))
    labels.push({ y: yo, text: `outcome ${fmtUnit(input.outcome, input.unit)}`, colour: OUTCOME, cls: "outcome-label", weight: "bold" })
  }
  steps.forEach((s, i) => {
    const tip = `as of ${s.through}${s.kind === "release" ? "" : ` (${s.kind})`}: p50 ${fmtUnit(s.p50, input.unit, 2)}, 50% ${fmt(s.p25, 2)}–${fmt(s.p75, 2)}, 90% ${fmt(s.p05, 2)}–${fmt(s.p95, 2)}${s.probability !== null ? `, P(target) ${fmtProbability(s.probability)}` : ""}`
    const mark = marker(s.kind === "revision" ? "diamond" : s.kind === "event" ? "circle" : "square", xAt(i), ys(s.p50), 4, { class: "release", "data-kind": s.kind, fill: COLOUR, stroke: "#000", "stroke-width": 1.2 })
    parts.push(el("g", {}, el("title", {}, esc(tip)) + mark))
  })
  if (last) {
    labels.push({ y: ys(last.p50), text: `p50 ${fmtUnit(last.p50, input.unit)}`, colour: COLOUR, cls: "series-label", weight: "bold" })
    if (last.p95 - last.p05 > 1e-9) {
      labels.push({ y: ys(last.p95), text: `p95 ${fmt(last.p95)}`, colour: "#333", cls: "band-label" })
      labels.push({ y: ys(last.p05), text: `p05 ${fmt(last.p05)}`, colour: "#333", cls: "band-label" })
    }
  }
  parts.push(directLabels(labels, box.right, box.top, box.bottom))
  if (strip) parts.push(probabilityStrip(strip, steps, xAt, step, periods))
  if (steps.length === 0) parts.push(text({ x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2, "text-anchor": "middle", "font-size": 13, fill: "#555", class: "no-data" }, input.stepsAre === "forecast" ? "no forecasts yet" : "no release batches"))
  const title = `${input.title}: annual growth forecast ${asOf}`
  return el(
    "svg",
    { xmlns: "http://www.w3.org/2000/svg", class: "evolution-chart", "data-indicator": input.id, viewBox: `0 0 ${WIDTH} ${height}`, width: WIDTH, height, role: "img", "aria-label": title, "font-family": "inherit" },
    el("title", {}, esc(title)) + parts.join(""),
  )
}

/** The P(target) timeline on 0..100%, with a line at 50%. */
function probabilityStrip(box: PlotBox, steps: readonly EvolutionStep[], xAt: (i: number) => number, step: number, periods: readonly string[]): string {
  const domain = { lo: 0, hi: 1, ticks: [0, 0.5, 1], step: 0.5 }
  const ys = yScale(box, domain)
  const parts: string[] = []
  parts.push(el("rect", { class: "plot-bg", x: box.left, y: box.top, width: box.right - box.left, height: box.bottom - box.top, fill: "#fff" }))
  parts.push(text({ class: "axis-title", x: 4, y: box.top - 12, "font-size": FONT.title, fill: "#333" }, "P(target met)"))
  for (const t of domain.ticks) {
    const y = ys(t)
    parts.push(el("line", { class: "grid", x1: box.left, x2: box.right, y1: y, y2: y, stroke: t === 0.5 ? "#999" : "#ddd", "stroke-width": 0.75 }))
    parts.push(text({ class: "tick-label", x: box.left - 6, y: y + 4, "text-anchor": "end", "font-size": FONT.tick, fill: "#333" }, `${Math.round(t * 100)}%`))
  }
  parts.push(xAxis(box, periods, xAt, step))
  const d = linePath(steps.map((s, i) => ({ x: xAt(i), y: s.probability === null ? null : ys(s.probability) })))
  if (d) parts.push(el("path", { class: "probability", d, fill: "none", stroke: COLOUR, "stroke-width": 2 }))
  steps.forEach((s, i) => {
    if (s.probability === null) return
    parts.push(el("g", {}, el("title", {}, esc(`as of ${s.through}: P(target) ${fmtProbability(s.probability)}`)) + marker("circle", xAt(i), ys(s.probability), 3, { class: "probability-point", fill: "#fff", stroke: COLOUR, "stroke-width": 1.5 })))
  })
  const last = [...steps].reverse().find((s) => s.probability !== null)
  if (last) parts.push(directLabels([{ y: ys(last.probability as number), text: `P ${fmtProbability(last.probability)}`, colour: COLOUR, cls: "probability-label" }], box.right, box.top, box.bottom))
  return el("g", { class: "probability-strip" }, parts.join(""))
}
