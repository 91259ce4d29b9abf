// The HTML page around the report's charts: the document shell, the one inline style sheet
// (screen and print, no web fonts: system fonts with CJK fallbacks), the legend of chart
// symbols, and the bilingual label table. Invariants: the page loads nothing from the
// network (no external href/src/url()); the only script that runs is the page's own, allowed
// by its hash; every caller-supplied string is escaped here or before it arrives as markup.
// Pure: no I/O (node:crypto only hashes).
import { createHash } from "node:crypto"
import { esc } from "./escape.ts"
import { COLOURS, el, marker } from "./svg.ts"

/** The page's style sheet: readable on screen, in print and in grayscale. */
export const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 28px 48px; background: #f6f6f4; color: #1a1a1a;
  font: 14px/1.45 "Noto Sans", "Segoe UI", "Helvetica Neue", Arial, "Noto Sans CJK SC", "Source Han Sans SC",
  "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; }
main { max-width: 1480px; margin: 0 auto; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 10px; }
h3 { font-size: 16px; margin: 0 0 2px; }
[lang|="zh"] { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; }
.zh { color: #444; font-weight: normal; margin-left: .4em; }
.meta { color: #444; margin: 0 0 6px; }
.meta span + span::before { content: " · "; color: #999; }
.notes { background: #fff; border-left: 4px solid #888; padding: 8px 12px; margin: 10px 0; white-space: pre-wrap; }
table.summary { border-collapse: collapse; background: #fff; width: 100%; margin: 8px 0 4px; }
table.summary th, table.summary td { border-bottom: 1px solid #ddd; padding: 6px 8px; text-align: right; vertical-align: middle; }
table.summary th { background: #eceae6; font-weight: 600; border-bottom: 2px solid #888; }
.table-wrap { overflow-x: auto; }
table.summary th small { display: block; font-weight: normal; color: #555; }
table.summary td.name, table.summary th.name, table.summary td.scenario, table.summary th.scenario { text-align: left; }
table.summary tbody tr.first td { border-top: 1.5px solid #999; }
table.summary td.target { white-space: nowrap; }
table.summary td.met-yes { font-weight: 600; }
table.summary td.met-no { color: #7a1d00; }
.prob { display: inline-flex; align-items: center; gap: 6px; justify-content: flex-end; }
.bar { display: inline-block; width: 60px; height: 9px; border: 1px solid #555; background: #fff; position: relative; }
.bar > i { position: absolute; left: 0; top: 0; bottom: 0; background: #555; }
.footnote { color: #555; font-size: 12px; margin: 2px 0 0; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(600px, 100%), 1fr)); gap: 16px; }
section.indicator, section.explain-indicator { background: #fff; border: 1px solid #ccc; border-radius: 4px; padding: 12px 14px 10px; break-inside: avoid; page-break-inside: avoid; }
section.indicator .head { display: flex; justify-content: space-between; align-items: baseline; gap: 8px; flex-wrap: wrap; }
section.indicator .target { color: #333; font-weight: 600; white-space: nowrap; }
svg.fan-chart, svg.waterfall, svg.evolution-chart { width: 100%; height: auto; display: block; margin: 2px 0 6px; }
section.indicator.wide { grid-column: 1 / -1; }
section.indicator.wide svg.fan-chart { max-width: 1160px; }
figure.chart { margin: 6px 0 0; position: relative; }
.chart-tools { display: flex; gap: 6px; justify-content: flex-end; font-size: 12px; }
.chart-tools button, .chart-tools a { font: inherit; font-size: 12px; color: #222; background: #f3f3f1; border: 1px solid #bbb; border-radius: 3px; padding: 1px 8px; cursor: pointer; text-decoration: none; line-height: 18px; }
.chart-tools button:hover, .chart-tools a:hover { background: #e4e4e0; }
svg.legend-swatch { vertical-align: middle; margin-right: 4px; }
p.probability { font-size: 15px; margin: 4px 0 0; }
p.probability strong { font-size: 17px; }
p.required { margin: 2px 0 0; color: #333; }
table.scenarios { border-collapse: collapse; margin-top: 6px; font-size: 13px; }
table.scenarios td, table.scenarios th { padding: 2px 8px; border-bottom: 1px solid #e4e4e4; text-align: right; }
table.scenarios td:first-child, table.scenarios th:first-child { text-align: left; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 18px; background: #fff; border: 1px solid #ccc; padding: 8px 12px; border-radius: 4px; margin: 10px 0; font-size: 13px; }
.legend span { white-space: nowrap; }
.empty { background: #fff; border: 1px dashed #888; padding: 24px; text-align: center; font-size: 16px; }
.live-status { font-size: 13px; color: #333; background: #fff; border: 1px solid #ccc; padding: 6px 10px; border-radius: 4px; display: inline-block; }
.scenario-section { margin-bottom: 36px; }
.last-event { font-size: 13px; color: #222; margin: 0 0 6px; }
.last-event code { background: #eee; padding: 0 4px; }
.flash { animation: flash 1.2s ease-out; }
@keyframes flash { from { box-shadow: 0 0 0 4px #999; } to { box-shadow: none; } }
@media print {
  body { background: #fff; padding: 0; font-size: 10pt; }
  table.summary { font-size: 8.5pt; }
  table.summary th, table.summary td { padding: 3px 4px; }
  .table-wrap { overflow: visible; }
  h2 { break-after: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .grid { display: block; }
  section.indicator, section.explain-indicator { border: 1px solid #999; margin: 0 0 10px; }
  .live-status, .chart-tools { display: none; }
}
@page { margin: 14mm; }
`

/** The CSP source that allows exactly this inline script. */
export const scriptSource = (script: string): string => `'sha256-${createHash("sha256").update(script, "utf8").digest("base64")}'`

/**
 * A full HTML document: one inline style sheet, optional inline script, nothing fetched. A
 * Content-Security-Policy forbids every fetch (a served page may connect to its own server)
 * and every script but the page's own (by its hash), so markup that slipped through escaping
 * could run nothing.
 */
export function pageShell(opts: { title: string; body: string; lang?: string; script?: string }): string {
  return (
    `<!DOCTYPE html>\n<html lang="${esc(opts.lang ?? "en")}">\n<head>\n<meta charset="utf-8">\n` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">\n` +
    // Defence in depth: even if markup slipped through escaping, nothing could be fetched, and a
    // page without its own script runs none.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; ${opts.script ? `script-src ${scriptSource(opts.script)}; connect-src 'self'` : "script-src 'none'"}">\n` +
    `<title>${esc(opts.title)}</title>\n<style>${STYLE}</style>\n</head>\n<body>\n<main>\n${opts.body}\n</main>\n` +
    (opts.script ? `<script>${opts.script}</script>\n` : "") +
    `</body>\n</html>\n`
  )
}

/** Column headings and fixed labels, in English and, when the model gives Chinese names, Chinese. */
export function labels(bilingual: boolean) {
  const t = (en: string, zh: string) => (bilingual ? `${esc(en)}<small lang="zh-CN">${esc(zh)}</small>` : esc(en))
  return {
    indicator: t("Indicator", "指标"),
    scenario: t("Scenario", "情景"),
    target: t("Target", "目标"),
    p50: t("Projected annual (median)", "全年预计（中位数）"),
    range: t("90% range (p05–p95)", "90%区间"),
    probability: t("Probability of meeting target", "达成概率"),
    required: t("Required growth, rest of year", "剩余期所需增速"),
    met: t("Target met (central projection)", "中心预测达标"),
    verdict: t("Verdict (from the probability)", "判断（按达成概率）"),
  }
}

function swatch(inner: string, width = 34): string {
  return el("svg", { class: "legend-swatch", width, height: 14, viewBox: `0 0 ${width} 14`, "aria-hidden": "true" }, inner)
}

/** The legend of chart symbols; with several scenarios, one entry per scenario's line. */
export function legend(scenarios: readonly string[], hasInnerBand: boolean, bilingual: boolean): string {
  const zh = (s: string) => (bilingual ? ` <span lang="zh-CN">${esc(s)}</span>` : "")
  const multi = scenarios.length > 1
  const items: string[] = []
  if (multi)
    scenarios.forEach((s, k) => {
      const c = COLOURS[k % COLOURS.length]
      items.push(
        `<span>${swatch(el("line", { x1: 1, x2: 33, y1: 7, y2: 7, stroke: c, "stroke-width": 2.4 }) + marker("circle", 17, 7, 2.6, { fill: "#fff", stroke: c, "stroke-width": 1.5 }))}median, ${esc(s)} (its own panel)</span>`,
      )
    })
  else
    items.push(
      `<span>${swatch(el("line", { x1: 1, x2: 33, y1: 7, y2: 7, stroke: COLOURS[0], "stroke-width": 2.4 }) + marker("circle", 17, 7, 2.6, { fill: "#fff", stroke: COLOURS[0], "stroke-width": 1.5 }))}median, projected${zh("预测中位数")}</span>`,
    )
  items.push(
    `<span>${swatch(marker("square", 17, 7, 4, { fill: COLOURS[0], stroke: "#000", "stroke-width": 1.2 }))}observed (filled marker, grey background)${zh("已公布")}</span>`,
  )
  items.push(
    `<span>${swatch(el("rect", { x: 1, y: 1, width: 32, height: 12, fill: COLOURS[0], "fill-opacity": 0.16, stroke: COLOURS[0], "stroke-dasharray": "1 2", "stroke-width": 0.9 }))}90% band (p05–p95)${zh("90%区间")}</span>`,
  )
  if (hasInnerBand)
    items.push(`<span>${swatch(el("rect", { x: 1, y: 3, width: 32, height: 8, fill: COLOURS[0], "fill-opacity": 0.46 }))}50% band (p25–p75)${zh("50%区间")}</span>`)
  items.push(
    `<span>${swatch(
      el("defs", {}, el("pattern", { id: "legend-hatch", width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" }, el("line", { x1: 0, y1: 0, x2: 0, y2: 6, stroke: "#555", "stroke-width": 1.1, "stroke-opacity": 0.45 }))) +
        el("rect", { x: 1, y: 1, width: 32, height: 6, fill: "url(#legend-hatch)" }) +
        el("line", { x1: 1, x2: 33, y1: 7, y2: 7, stroke: "#222", "stroke-width": 1.8, "stroke-dasharray": "12 3 2 3" }),
    )}target line; hatched: the side or band that meets it${zh("目标")}</span>`,
  )
  return `<div class="legend" aria-label="legend">${items.join("")}</div>`
}
