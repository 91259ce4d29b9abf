// The explain report: for each indicator, a waterfall of the events' contributions to the
// difference in annual growth between a scenario and the one it is compared against, and
// a table of the same numbers, each chart with SVG, PNG and CSV export.
// Invariants: one <svg class="waterfall"> per indicator; an
// empty indicator list gives a page that says so; every string is escaped.
// Pure: strings in, string out.
import { esc, idToken } from "./escape.ts"
import { EXPORT_SCRIPT, chartFigure, csv } from "./export.ts"
import { fmtSigned } from "./format.ts"
import { pageShell } from "./page.ts"
import { arr, num, str, type ReportExplain } from "./types.ts"
import { renderWaterfall } from "./waterfall.ts"

/** Options of an explain report. */
export interface ExplainReportOptions {
  readonly title?: string
  readonly notes?: string
  readonly generatedAt?: string
  /** Indicator names by id (e.g. taken from a projection), used when the explain JSON has none. */
  readonly names?: Readonly<Record<string, { readonly name?: string | null; readonly name_zh?: string | null }>>
}

/** Renders a self-contained HTML page with a waterfall chart per indicator. */
export function renderExplainReport(explain: ReportExplain, options: ExplainReportOptions = {}): string {
  const scenario = str(explain?.scenario, "scenario")
  const against = str(explain?.against, "its base")
  const title = options.title ?? `plancast explain: ${scenario} against ${against}`
  const indicators = arr(explain?.indicators).filter((i) => i && typeof i.id === "string")
  const parts: string[] = [`<h1>${esc(title)}</h1>`]
  parts.push(
    `<p class="meta"><span>scenario <b>${esc(scenario)}</b></span><span>against <b>${esc(against)}</b></span><span>contributions of each event to the difference in annual growth, percentage points</span></p>`,
  )
  if (options.generatedAt) parts.push(`<p class="meta">generated ${esc(options.generatedAt)}</p>`)
  if (options.notes) parts.push(`<div class="notes">${esc(options.notes)}</div>`)
  if (!indicators.length) {
    parts.push(`<div class="empty" data-state="empty">The explanation has no indicators: nothing to chart.</div>`)
    return pageShell({ title, body: parts.join("\n") })
  }
  const sections = indicators.map((ind, i) => {
    const names = options.names?.[ind.id]
    const name = str(ind.name, str(names?.name, ind.id)) || ind.id
    const zh = str(ind.name_zh, str(names?.name_zh, ""))
    const contributions = arr(ind.contributions)
    const rows = contributions.map((c) => `<tr><td>${esc(str(c?.event, "?"))}</td><td>${esc(fmtSigned(c?.value, 2))}</td></tr>`).join("")
    const total = num(ind.total)
    return (
      `<section class="explain-indicator" data-indicator="${esc(ind.id)}">` +
      `<div class="head"><h3>${esc(name)}${zh ? ` <span class="zh" lang="zh-CN">${esc(zh)}</span>` : ""}</h3></div>` +
      `<p class="total">Difference in annual growth: <strong>${esc(fmtSigned(total, 2))} pp</strong>${contributions.length ? ` from ${contributions.length} event${contributions.length === 1 ? "" : "s"}` : ""}.</p>` +
      (contributions.length
        ? chartFigure(
            renderWaterfall({ id: ind.id, title: name, contributions, total, idPrefix: `wf-${i}-${idToken(ind.id)}` }),
            `explain-${scenario}-${ind.id}`,
            csv(["indicator", "event", "contribution_pp"], [...contributions.map((c) => [ind.id, str(c?.event, "?"), num(c?.value)]), [ind.id, "total", total]]),
          )
        : `<p class="no-contributions">No event contributes to this indicator.</p>`) +
      (rows ? `<table class="scenarios"><thead><tr><th>event</th><th>pp</th></tr></thead><tbody>${rows}</tbody></table>` : "") +
      `</section>`
    )
  })
  parts.push(`<div class="grid">${sections.join("\n")}</div>`)
  return pageShell({ title, body: parts.join("\n"), script: EXPORT_SCRIPT })
}
