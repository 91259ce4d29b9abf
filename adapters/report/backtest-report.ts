// The backtest report: how a scenario's forecasts fared against the year's outcomes. A summary
// table on top (per indicator the outcome and whether it met the target, and the mean scores of
// the model beside its naive benchmarks: the target's value and last year's growth), then per
// indicator its evolution chart (evolution-chart.ts: the annual forecast as of each release,
// the outcome, the target, P(target) under it, with SVG, PNG and CSV export) and the table of
// its steps. Invariants: one <svg class="evolution-chart"> per indicator with an outcome; every
// string from the backtest or the options is escaped. Pure: strings in, string out.
import type { Backtest, MeanScores, Target } from "../../engine/index.ts"
import { esc, idToken } from "./escape.ts"
import { renderEvolutionChart } from "./evolution-chart.ts"
import { EXPORT_SCRIPT, chartFigure, csv } from "./export.ts"
import { fmt, fmtProbability, fmtTarget, fmtUnit } from "./format.ts"
import { pageShell } from "./page.ts"

/** What the report knows of each indicator beyond the backtest: its names, unit and target. */
export interface BacktestIndicatorInfo {
  readonly name?: string
  readonly name_zh?: string
  readonly unit?: string
  readonly target: Target | null
}

/** Options of a backtest report. */
export interface BacktestReportOptions {
  readonly title?: string
  readonly notes?: string
  readonly generatedAt?: string
  readonly indicators: Readonly<Record<string, BacktestIndicatorInfo>>
}

const scoreCells = (s: MeanScores | null): string =>
  s === null
    ? `<td>–</td><td>–</td><td>–</td><td>–</td>`
    : `<td>${esc(fmt(s.error, 2))}</td><td>${esc(fmt(s.crps, 2))}</td><td>${esc(s.brier === null ? "–" : fmt(s.brier, 3))}</td><td>${esc(fmtProbability(s.coverage90))}</td>`

/** Renders a self-contained HTML page of a backtest (see the file header). */
export function renderBacktestReport(b: Backtest, options: BacktestReportOptions): string {
  const title = options.title ?? `plancast backtest: ${b.scenario}`
  const parts: string[] = [`<h1>${esc(title)}</h1>`]
  parts.push(
    `<p class="meta"><span>scenario <b>${esc(b.scenario)}</b></span><span>${b.steps.length} release batch${b.steps.length === 1 ? "" : "es"}</span><span>${b.draws} draws, seed ${b.seed}</span><span>each step is the projection of the log up to that release</span></p>`,
  )
  if (options.generatedAt) parts.push(`<p class="meta">generated ${esc(options.generatedAt)}</p>`)
  if (options.notes) parts.push(`<div class="notes">${esc(options.notes)}</div>`)
  const ids = Object.keys(b.summary)
  const rows = ids.map((id) => {
    const s = b.summary[id]
    const o = b.outcomes[id]
    const info = options.indicators[id]
    const met = o.met === null ? "–" : o.met ? "met" : "missed"
    return (
      `<tr class="first"><td class="name" rowspan="3">${esc(info?.name ?? id)}${info?.name_zh ? ` <span class="zh" lang="zh-CN">${esc(info.name_zh)}</span>` : ""}</td>` +
      `<td rowspan="3">${esc(fmtUnit(o.value, info?.unit))}${o.source ? `<small> ${esc(o.source)}</small>` : ""}</td><td rowspan="3">${esc(fmtTarget(info?.target ?? null, info?.unit))} (${met})</td>` +
      `<td class="scenario">model</td>${scoreCells(s)}</tr>` +
      `<tr><td class="scenario">naive: target</td>${scoreCells(s.naive.target)}</tr>` +
      `<tr><td class="scenario">naive: last year</td>${scoreCells(s.naive.lastYear)}</tr>`
    )
  })
  parts.push(
    `<div class="table-wrap"><table class="summary backtest-summary"><thead><tr><th class="name">Indicator</th><th>Outcome</th><th>Target</th><th class="scenario">Forecast</th>` +
      `<th>|error| of p50<small>mean, pp</small></th><th>CRPS<small>mean, pp</small></th><th>Brier<small>mean</small></th><th>90% coverage<small>share of steps</small></th></tr></thead><tbody>${rows.join("")}</tbody></table></div>`,
  )
  parts.push(
    `<p class="footnote">Lower is better for the error, CRPS and Brier score; a 90% band should hold the outcome at about 90% of the steps. The naive benchmarks put the target's value, or the base year's growth, at the median of the model's own draws at each step.</p>`,
  )
  const sections = ids.map((id, k) => {
    const info = options.indicators[id]
    const name = info?.name ?? id
    const steps = b.steps.map((s) => ({ asOf: s.asOf, ind: s.indicators.find((i) => i.id === id)! }))
    const svg = renderEvolutionChart({
      id,
      title: name,
      unit: info?.unit,
      target: info?.target ?? null,
      outcome: b.outcomes[id].value,
      steps: steps.map(({ asOf, ind }) => ({ through: asOf.through, kind: asOf.kind, p05: ind.p05, p25: ind.p25, p50: ind.p50, p75: ind.p75, p95: ind.p95, probability: ind.probability })),
      idPrefix: `ev-${k}-${idToken(id)}`,
    })
    const numbers = csv(
      ["indicator", "through", "kind", "outcome", "p05", "p25", "p50", "p75", "p95", "probability", "crps", "pit", "brier", "log_score"],
      steps.map(({ asOf, ind }) => [id, asOf.through, asOf.kind, ind.outcome, ind.p05, ind.p25, ind.p50, ind.p75, ind.p95, ind.probability, ind.crps, ind.pit, ind.brier, ind.logScore]),
    )
    const table = steps
      .map(
        ({ asOf, ind }) =>
          `<tr><td>${esc(asOf.through)}${asOf.kind === "revision" ? " (rev)" : ""}</td><td>${esc(fmt(ind.p50, 2))}</td><td>${esc(`${fmt(ind.p05, 1)} – ${fmt(ind.p95, 1)}`)}</td><td>${esc(fmt(ind.crps, 2))}</td><td>${esc(fmt(ind.pit, 2))}</td><td>${esc(ind.probability === null ? "–" : fmtProbability(ind.probability))}</td></tr>`,
      )
      .join("")
    return (
      `<section class="indicator" data-indicator="${esc(id)}"><div class="head"><h3>${esc(name)}${info?.name_zh ? ` <span class="zh" lang="zh-CN">${esc(info.name_zh)}</span>` : ""}</h3>` +
      `<span class="target">${esc(fmtTarget(info?.target ?? null, info?.unit))}</span></div>` +
      chartFigure(svg, `backtest-${b.scenario}-${id}`, numbers) +
      `<table class="scenarios"><thead><tr><th>as of</th><th>p50</th><th>90% band</th><th>CRPS</th><th>PIT</th><th>P(target)</th></tr></thead><tbody>${table}</tbody></table></section>`
    )
  })
  parts.push(`<div class="grid">${sections.join("\n")}</div>`)
  return pageShell({ title, body: parts.join("\n"), script: EXPORT_SCRIPT })
}
