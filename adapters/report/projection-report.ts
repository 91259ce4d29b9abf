// The projection report: one projection is a scenario report, several are a comparison with
// one panel per scenario in each indicator's chart (small multiples, shared axes). A summary
// table on top (target, projected annual median and 90% range, probability, required growth,
// and a verdict: with draws the word for the probability as shown (likely, toss-up, unlikely:
// engine verdictOf), deterministic whether the central projection meets the target), then per
// indicator a fan chart (with SVG, PNG and CSV export) and its probability and required-growth text.
// Invariants: every indicator gets one section with one <svg class="fan-chart"> and one
// p.probability; an indicator without a usable target gets no target line and no
// probability; an empty or missing indicator list gives a page that says so; every
// string from the projection or the options is escaped. Pure: strings in, string out.
import { esc, idToken } from "./escape.ts"
import { EXPORT_SCRIPT, chartFigure, fanCsv } from "./export.ts"
import { renderFanChart } from "./fan-chart.ts"
import { MISSING, fmt, fmtProbability, fmtTarget, fmtUnit } from "./format.ts"
import { labels, legend, pageShell } from "./page.ts"
import { verdictOf } from "../../engine/index.ts"
import { arr, meets, num, str, usableTarget, type ReportIndicator, type ReportProjection } from "./types.ts"

/** Options of a projection report. */
export interface ProjectionReportOptions {
  /** The page title; default built from the scenario names. */
  readonly title?: string
  /** Free text shown under the heading (escaped; line breaks kept). */
  readonly notes?: string
  /** A timestamp to print in the header (the render functions never read a clock). */
  readonly generatedAt?: string
}

/** Options of one scenario's section (used by the report and by the live page). */
export interface ScenarioSectionOptions {
  /** Prefix of SVG ids in this section; unique within the page. */
  readonly idPrefix: string
  /** Heading level 2 text; none when omitted. */
  readonly heading?: string
}

interface IndicatorRow {
  readonly id: string
  readonly byScenario: readonly (ReportIndicator | undefined)[]
}

const scenarioName = (p: ReportProjection, i: number) => str(p?.scenario, `scenario ${i + 1}`)

/** Indicators in first-seen order across projections, each with its entry per projection. */
function indicatorRows(projections: readonly ReportProjection[]): IndicatorRow[] {
  const ids: string[] = []
  const seen = new Set<string>()
  for (const p of projections)
    for (const ind of arr(p?.indicators))
      if (ind && typeof ind.id === "string" && !seen.has(ind.id)) {
        seen.add(ind.id)
        ids.push(ind.id)
      }
  return ids.map((id) => ({
    id,
    byScenario: projections.map((p) => arr(p?.indicators).find((i) => i?.id === id)),
  }))
}

function isBilingual(projections: readonly ReportProjection[]): boolean {
  return projections.some((p) => arr(p?.indicators).some((i) => typeof i?.name_zh === "string" && i.name_zh.trim() !== ""))
}

function nameHtml(ind: ReportIndicator | undefined, id: string): string {
  const en = esc(str(ind?.name, id) || id)
  const zh = typeof ind?.name_zh === "string" && ind.name_zh.trim() ? ` <span class="zh" lang="zh-CN">${esc(ind.name_zh)}</span>` : ""
  return `${en}${zh}`
}

function metOf(ind: ReportIndicator): boolean | null {
  if (typeof ind.met === "boolean") return ind.met
  const t = usableTarget(ind.target)
  const p50 = num(ind.annual?.p50)
  return t && p50 !== null ? meets(t, p50) : null
}

function probabilityCell(ind: ReportIndicator): string {
  if (!usableTarget(ind.target)) return MISSING
  const p = num(ind.probability)
  if (p === null) return MISSING
  const w = Math.max(0, Math.min(100, p * 100))
  return `<span class="prob"><span class="bar" aria-hidden="true"><i style="width:${w.toFixed(1)}%"></i></span>${esc(fmtProbability(p))}</span>`
}

function metCell(ind: ReportIndicator): string {
  const m = metOf(ind)
  return m === null ? `<td class="met">${MISSING}</td>` : m ? `<td class="met met-yes">✓ yes</td>` : `<td class="met met-no">✗ no</td>`
}

/** The verdict of the probability as fmtProbability shows it (a whole percentage), so the word follows the figure. */
function verdictCell(ind: ReportIndicator): string {
  const p = num(ind.probability)
  if (!usableTarget(ind.target) || p === null) return `<td class="verdict">${MISSING}</td>`
  const v = verdictOf(Math.round(p * 100) / 100)
  return `<td class="verdict verdict-${v}">${v}</td>`
}

function summaryCells(ind: ReportIndicator | undefined, mc: boolean): string {
  if (!ind) return `<td colspan="5" class="absent">not in this scenario</td>`
  const unit = str(ind.unit, "%")
  const hasTarget = usableTarget(ind.target) !== null
  return (
    `<td class="p50">${esc(fmtUnit(ind.annual?.p50, unit))}</td>` +
    `<td class="range">${esc(rangeText(ind))}</td>` +
    `<td class="probability">${probabilityCell(ind)}</td>` +
    `<td class="required">${hasTarget ? esc(fmtUnit(ind.required, unit)) : MISSING}</td>` +
    (mc ? verdictCell(ind) : metCell(ind))
  )
}

function rangeText(ind: ReportIndicator): string {
  const lo = num(ind.annual?.p05)
  const hi = num(ind.annual?.p95)
  if (lo === null && hi === null) return MISSING
  return `${fmt(lo)} to ${fmt(hi)}`
}

/** The summary table: one row per indicator, or per indicator and scenario in a comparison. */
export function renderSummaryTable(projections: readonly ReportProjection[]): string {
  const rows = indicatorRows(projections)
  const L = labels(isBilingual(projections))
  const multi = projections.length > 1
  const mc = projections.some((p) => (num(p?.draws) ?? 0) > 0)
  const head =
    `<tr><th class="name">${L.indicator}</th>${multi ? `<th class="scenario">${L.scenario}</th>` : ""}<th>${L.target}</th>` +
    `<th>${L.p50}</th><th>${L.range}</th><th>${L.probability}</th><th>${L.required}</th><th>${mc ? L.verdict : L.met}</th></tr>`
  const body = rows
    .map((row) => {
      const firstInd = row.byScenario.find((i) => i)
      const target = usableTarget(firstInd?.target)
      const unit = str(firstInd?.unit, "%")
      const nameCell = `<td class="name" ${multi ? `rowspan="${projections.length}"` : ""}>${nameHtml(firstInd, row.id)}</td>`
      const targetCell = `<td class="target" ${multi ? `rowspan="${projections.length}"` : ""}>${esc(fmtTarget(target, unit))}</td>`
      if (!multi) return `<tr class="first" data-indicator="${esc(row.id)}">${nameCell}${targetCell}${summaryCells(row.byScenario[0], mc)}</tr>`
      return row.byScenario
        .map(
          (ind, k) =>
            `<tr class="${k === 0 ? "first" : "more"}" data-indicator="${esc(row.id)}" data-scenario="${esc(scenarioName(projections[k], k))}">` +
            `${k === 0 ? nameCell : ""}<td class="scenario">${esc(scenarioName(projections[k], k))}</td>${k === 0 ? targetCell : ""}${summaryCells(ind, mc)}</tr>`,
        )
        .join("")
    })
    .join("\n")
  const draws = projections.map((p) => num(p?.draws))
  const note = draws.every((d) => d === 0)
    ? "Deterministic projection (no draws): probabilities are 0% or 100%, ranges collapse to the median."
    : "Probability: the share of Monte Carlo draws whose annual growth meets the target (a target v左右 is met at the band's lower edge or above). Required growth: the common year-on-year growth the periods not yet observed need for the year to reach the target's boundary (– where none can or none remain). Verdict: likely at 67% or more, unlikely at 33% or less, else a toss-up."
  return `<div class="table-wrap"><table class="summary"><thead>${head}</thead><tbody>\n${body}\n</tbody></table></div><p class="footnote">${esc(note)}</p>`
}

function probabilitySentence(ind: ReportIndicator, draws: number | null): string {
  const target = usableTarget(ind.target)
  const id = esc(ind.id)
  if (!target) return `<p class="probability" data-indicator="${id}" data-state="no-target">No target set for this indicator: no probability to show.</p>`
  const p = num(ind.probability)
  const unit = str(ind.unit, "%")
  if (p === null) return `<p class="probability" data-indicator="${id}" data-state="unknown">Probability of meeting the target (${esc(fmtTarget(target, unit))}): not available.</p>`
  if (draws === 0)
    return `<p class="probability" data-indicator="${id}" data-state="deterministic" data-probability="${p}">Deterministic projection: the target (${esc(fmtTarget(target, unit))}) is <strong>${p >= 0.5 ? "met" : "not met"}</strong> (probability ${esc(fmtProbability(p))}).</p>`
  const of = draws !== null ? ` of ${esc(draws.toLocaleString("en-US"))} draws` : ""
  return `<p class="probability" data-indicator="${id}" data-probability="${p}">Probability of meeting the target (${esc(fmtTarget(target, unit))}): <strong>${esc(fmtProbability(p))}</strong>${of}.</p>`
}

function requiredSentence(ind: ReportIndicator): string {
  if (!usableTarget(ind.target)) return ""
  const r = num(ind.required)
  const unit = str(ind.unit, "%")
  return r === null
    ? `<p class="required">Growth required in the periods not yet observed: none would meet the target (or none remain).</p>`
    : `<p class="required">Growth required in the periods not yet observed: <strong>${esc(fmtUnit(r, unit))}</strong> (year-on-year, each remaining period).</p>`
}

function targetNote(ind: ReportIndicator | undefined): string {
  const note = ind?.target?.note
  return typeof note === "string" && note.trim() ? `<p class="footnote target-note">Target note: ${esc(note)}</p>` : ""
}

function indicatorSection(row: IndicatorRow, projections: readonly ReportProjection[], idPrefix: string, index: number): string {
  const first = row.byScenario.find((i) => i) as ReportIndicator
  const unit = str(first.unit, "%")
  const target = usableTarget(first.target)
  const multi = projections.length > 1
  const periods = projections.map((p) => arr(p?.periods).map(String)).find((ps) => ps.length) ?? []
  const chart = renderFanChart({
    id: row.id,
    title: str(first.name, row.id) || row.id,
    unit,
    target,
    periods,
    series: row.byScenario.flatMap((ind, k) => (ind ? [{ label: scenarioName(projections[k], k), path: arr(ind.path) }] : [])),
    idPrefix: `${idPrefix}-${index}-${idToken(row.id)}`,
    bilingual: isBilingual(projections),
  })
  const present = row.byScenario.flatMap((ind, k) => (ind ? [{ scenario: scenarioName(projections[k], k), ind }] : []))
  const fileName = `${multi ? "comparison" : scenarioName(projections[0], 0)}-${row.id}`
  const figure = chartFigure(chart, fileName, fanCsv(row.id, present))
  const pairs = row.byScenario.flatMap((ind) => arr(ind?.path).map((pt) => [num(pt?.ytd?.p05), num(pt?.ytd?.p95)] as const))
  const finitePairs = pairs.filter(([lo, hi]) => lo !== null && hi !== null)
  const collapsed = finitePairs.length > 0 && finitePairs.every(([lo, hi]) => lo === hi)
  const flatNote = collapsed ? `<p class="footnote">No uncertainty in this projection: the bands collapse onto the median line.</p>` : ""
  let text: string
  if (!multi) text = probabilitySentence(first, num(projections[0]?.draws)) + requiredSentence(first)
  else {
    const rows = row.byScenario
      .map((ind, k) => {
        const name = esc(scenarioName(projections[k], k))
        if (!ind) return `<tr><td>${name}</td><td colspan="4">not in this scenario</td></tr>`
        return `<tr><td>${name}</td><td>${esc(fmtUnit(ind.annual?.p50, unit))}</td><td>${esc(rangeText(ind))}</td><td>${probabilityCell(ind)}</td><td>${target ? esc(fmtUnit(ind.required, unit)) : MISSING}</td></tr>`
      })
      .join("")
    const summary = target
      ? `<p class="probability" data-indicator="${esc(row.id)}">Probability of meeting the target (${esc(fmtTarget(target, unit))}): ${row.byScenario
          .map((ind, k) => `${esc(scenarioName(projections[k], k))} <strong>${esc(fmtProbability(ind?.probability))}</strong>`)
          .join(", ")}.</p>`
      : `<p class="probability" data-indicator="${esc(row.id)}" data-state="no-target">No target set for this indicator: no probability to show.</p>`
    text =
      summary +
      `<table class="scenarios"><thead><tr><th>scenario</th><th>annual median</th><th>p05 to p95</th><th>probability</th><th>required</th></tr></thead><tbody>${rows}</tbody></table>`
  }
  return (
    `<section class="indicator${multi ? " wide" : ""}" data-indicator="${esc(row.id)}">` +
    `<div class="head"><h3>${nameHtml(first, row.id)}</h3><span class="target">${target ? `target ${esc(fmtTarget(target, unit))}` : "no target"}</span></div>` +
    figure +
    text +
    targetNote(first) +
    flatNote +
    `</section>`
  )
}

function metaLine(p: ReportProjection): string {
  const items: string[] = []
  if (p?.model) items.push(`model <b>${esc(p.model)}</b>`)
  items.push(`scenario <b>${esc(str(p?.scenario, "–"))}</b>`)
  const draws = num(p?.draws)
  if (draws !== null) items.push(draws === 0 ? "deterministic (0 draws)" : `${esc(draws.toLocaleString("en-US"))} draws`)
  if (num(p?.seed) !== null) items.push(`seed ${esc(p.seed)}`)
  const periods = arr(p?.periods)
  if (periods.length) items.push(`periods ${esc(periods[0])} to ${esc(periods[periods.length - 1])}`)
  if (p?.events) items.push(`events applied ${esc(fmt(p.events.applied, 0))}, rejected ${esc(fmt(p.events.rejected, 0))}`)
  return `<p class="meta">${items.map((i) => `<span>${i}</span>`).join("")}</p>`
}

/**
 * One scenario's block: meta line, summary table and a chart per indicator. The live page
 * re-renders exactly this block when a scenario's forecast changes.
 */
export function renderScenarioSection(projection: ReportProjection, options: ScenarioSectionOptions): string {
  const rows = indicatorRows([projection])
  const heading = options.heading !== undefined ? `<h2>${esc(options.heading)}</h2>` : ""
  if (!rows.length) return `${heading}${metaLine(projection)}<div class="empty">This projection has no indicators: nothing to chart.</div>`
  return (
    heading +
    metaLine(projection) +
    renderSummaryTable([projection]) +
    `<div class="grid">${rows.map((r, i) => indicatorSection(r, [projection], options.idPrefix, i)).join("\n")}</div>`
  )
}

/**
 * The body of a comparison without the page around it: summary table, legend and a chart per
 * indicator with one panel per scenario (the studio shows it in place).
 */
export function renderComparison(projections: readonly ReportProjection[], idPrefix: string): string {
  const list = arr(projections).filter((p) => p && typeof p === "object")
  const rows = indicatorRows(list)
  if (!rows.length) return `<div class="empty">Nothing to compare.</div>`
  const hasInner = list.some((p) => arr(p.indicators).some((i) => arr(i?.path).some((pt) => num(pt?.ytd?.p25) !== null && num(pt?.ytd?.p75) !== null)))
  return (
    renderSummaryTable(list) +
    legend(list.length > 1 ? list.map(scenarioName) : [], hasInner, isBilingual(list)) +
    `<div class="grid">${rows.map((r, i) => indicatorSection(r, list, idPrefix, i)).join("\n")}</div>`
  )
}

/**
 * Renders a self-contained HTML report. One projection: a scenario report. Several: a
 * comparison, each indicator's chart with one panel per scenario. No network access is
 * needed to view it: styles and SVG are inline; its one script (the chart export) is needed
 * only to save a chart as SVG or PNG.
 */
export function renderProjectionReport(projections: readonly ReportProjection[], options: ProjectionReportOptions = {}): string {
  const list = arr(projections).filter((p) => p && typeof p === "object")
  const names = list.map(scenarioName)
  const multi = list.length > 1
  const title = options.title ?? (list.length === 0 ? "plancast report" : multi ? `plancast comparison: ${names.join(" vs ")}` : `plancast report: ${names[0]}`)
  const bilingual = isBilingual(list)
  const rows = indicatorRows(list)
  const parts: string[] = [`<h1>${esc(title)}</h1>`]
  if (bilingual) parts.push(`<p class="meta" lang="zh-CN">${multi ? "情景比较" : "情景预测报告"}：年度目标能否实现</p>`)
  if (!multi && list.length) parts.push(metaLine(list[0]))
  else for (const p of list) parts.push(metaLine(p))
  if (options.generatedAt) parts.push(`<p class="meta">generated ${esc(options.generatedAt)}</p>`)
  if (options.notes) parts.push(`<div class="notes">${esc(options.notes)}</div>`)
  if (!list.length || !rows.length) {
    parts.push(`<div class="empty" data-state="empty">${list.length ? "The projection has no indicators" : "No projection was given"}: nothing to chart.</div>`)
    return pageShell({ title, body: parts.join("\n"), lang: "en" })
  }
  parts.push(`<h2>Summary${bilingual ? ` <span class="zh" lang="zh-CN">摘要</span>` : ""}</h2>`)
  parts.push(renderSummaryTable(list))
  parts.push(`<h2>Indicators${bilingual ? ` <span class="zh" lang="zh-CN">指标</span>` : ""}</h2>`)
  const hasInner = list.some((p) => arr(p.indicators).some((i) => arr(i?.path).some((pt) => num(pt?.ytd?.p25) !== null && num(pt?.ytd?.p75) !== null)))
  parts.push(legend(multi ? names : [], hasInner, bilingual))
  parts.push(`<div class="grid">${rows.map((r, i) => indicatorSection(r, list, "fc", i)).join("\n")}</div>`)
  return pageShell({ title, body: parts.join("\n"), lang: "en", script: EXPORT_SCRIPT })
}
