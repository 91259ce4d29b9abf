// The studio page's markup: the page itself (header with scenario picker and save form, the
// controls, the results) and the fragments the page swaps in after each change (joint
// probability, news of the change, the log, the projection with its charts). The charts and
// tables are the report's own (adapters/report): the same chart frame as the static report
// and the live page. Invariants: every string from a model, a scenario or the user is
// escaped; numbers come from the report's formatters; ids inside charts carry the session's
// version, so fragments swapped in never clash with what they replace. Pure: strings out.
import type { Attribution, Projection, ScenarioEvent } from "../../engine/index.ts"
import { chartFigure, csv, esc, fmtProbability, fmtSigned, fmtUnit, renderComparison, renderScenarioSection, renderWaterfall } from "../report/index.ts"
import type { Controls, Draft, Slider } from "./draft.ts"
import type { News, ScenarioEntry } from "./session.ts"

/** What the page shows of a session. */
export interface StudioView {
  readonly name: string
  readonly pickedName: string
  readonly pickedFile: string
  readonly model: string
  readonly draws: number
  readonly seed: number
  readonly version: number
  readonly projection: Projection
  readonly draft: Draft
  readonly controls: Controls
  readonly news: News | undefined
  readonly scenarios: readonly ScenarioEntry[]
  /** Events of the picked scenario's own log (read-only on the page). */
  readonly scenarioEvents: readonly string[]
}

/** The joint probability: the engine's `joint.all` when the projection has it, else bounds from the marginals. */
export function jointHtml(p: Projection): string {
  const withTarget = p.indicators.filter((i) => i.probability !== null)
  const n = withTarget.length
  if (!n) return `<p class="joint" data-state="none">No indicator has a target.</p>`
  const exact = (p as { joint?: { all?: unknown } }).joint?.all
  if (typeof exact === "number" && Number.isFinite(exact))
    return `<p class="joint" data-joint="${exact}">All ${n} targets met together: <strong>${esc(fmtProbability(exact))}</strong> of the draws.</p>`
  const ps = withTarget.map((i) => i.probability as number)
  const upper = Math.min(...ps)
  const lower = Math.max(0, ps.reduce((s, x) => s + x, 0) - (n - 1))
  return (
    `<p class="joint" data-lower="${lower}" data-upper="${upper}">All ${n} targets met together: between <strong>${esc(fmtProbability(lower))}</strong> and <strong>${esc(fmtProbability(upper))}</strong>` +
    ` <small>(bounds from each target's own probability; the share of draws meeting all of them needs the projection's <code>joint</code>)</small></p>`
  )
}

const pp = (x: number): string => `${fmtSigned(x, 2)} pp`

/** The news of the latest change: per indicator, the annual median, P(target) and required growth, before → after. */
export function newsHtml(news: News | undefined): string {
  if (!news) return `<div class="news" data-state="none"><h2>What the last change moved</h2><p>No change yet: move a slider, switch a measure, or add a shock or a release.</p></div>`
  const rows = news.indicators
    .map((i) => {
      const dp = i.after.p50 - i.before.p50
      const prob =
        i.after.probability === null ? "–" : `${esc(fmtProbability(i.before.probability))} → <strong>${esc(fmtProbability(i.after.probability))}</strong>`
      const moved = Math.abs(dp) >= 0.005 || i.after.probability !== i.before.probability
      return `<tr class="${moved ? "moved" : "still"}" data-indicator="${esc(i.id)}"><td class="name">${esc(i.name)}</td><td>${esc(fmtUnit(i.after.p50, "%", 2))}</td><td>${esc(pp(dp))}</td><td>${prob}</td><td>${esc(fmtUnit(i.after.required, "%"))}</td></tr>`
    })
    .join("")
  return (
    `<div class="news" data-state="change"><h2>What the last change moved</h2><p class="change">${esc(news.change)}</p>` +
    `<table class="scenarios"><thead><tr><th>indicator</th><th>annual median</th><th>moved</th><th>P(target)</th><th>required</th></tr></thead><tbody>${rows}</tbody></table>` +
    `<p class="footnote">The whole move belongs to this one change (everything else held). For the split of all changes among themselves, explain below.</p></div>`
  )
}

/** The log: the scenario's own events (fixed) and the studio's changes, each removable. */
export function logHtml(v: Pick<StudioView, "draft" | "scenarioEvents" | "pickedName">): string {
  const own = v.scenarioEvents.length
    ? `<p class="footnote">${esc(v.pickedName)}: ${v.scenarioEvents.length} event(s) of its files (${v.scenarioEvents.map(esc).join(", ")}).</p>`
    : `<p class="footnote">${esc(v.pickedName)} has no events of its own.</p>`
  const items = v.draft.entries
    .map((d) => `<li data-event="${esc(d.event.id)}"><code>${esc(d.event.id)}</code> ${esc(eventText(d.event))} <button type="button" class="remove" data-remove="${esc(d.event.id)}" title="remove this change">remove</button></li>`)
    .join("")
  return `<div class="log"><h2>Changes (${v.draft.entries.length})</h2>${own}${items ? `<ol>${items}</ol>` : `<p>None yet.</p>`}</div>`
}

function eventText(e: ScenarioEvent): string {
  switch (e.type) {
    case "set-parameter":
      return `set-parameter ${e.parameter} = ${e.value}`
    case "shock":
      return `shock ${e.indicator} ${fmtSigned(e.value, 2)} pp${e.from || e.to ? ` ${e.from ?? ""}–${e.to ?? ""}` : ""}${e.sd ? ` (sd ${e.sd})` : ""}`
    case "observe":
      return `observe ${e.indicator} through ${e.through}: ${e.ytd}%`
    case "measure":
      return `measure ${e.name} (${e.effects.length} effect${e.effects.length === 1 ? "" : "s"})`
    case "retract":
      return `retract ${e.event}`
  }
}

/** The results that change with every change: joint probability, news, log and the projection. */
export function fragments(v: StudioView): { version: number; joint: string; news: string; log: string; projection: string; values: Record<string, number>; measures: Record<string, boolean> } {
  const values: Record<string, number> = {}
  for (const s of v.controls.parameters) values[`parameter:${s.id}`] = s.value
  for (const s of v.controls.exogenous) values[`exogenous:${s.id}`] = s.value
  return {
    version: v.version,
    joint: jointHtml(v.projection),
    news: newsHtml(v.news),
    log: logHtml(v),
    projection: renderScenarioSection(v.projection, { idPrefix: `v${v.version}` }),
    values,
    measures: Object.fromEntries(v.controls.measures.map((m) => [m.event.id, m.on])),
  }
}

function slider(kind: "parameter" | "exogenous", s: Slider): string {
  const key = `${kind}:${s.id}`
  const label = kind === "parameter" ? s.id : `${s.name}`
  return (
    `<div class="control" data-control="${esc(key)}">` +
    `<label><span class="cname">${esc(label)}</span>${kind === "exogenous" ? ` <small>shift, pp</small>` : ""}` +
    `<input type="range" data-kind="${kind}" data-id="${esc(s.id)}" min="${s.min}" max="${s.max}" step="${s.step}" value="${s.value}" aria-label="${esc(label)}"></label>` +
    `<input type="number" class="field" data-kind="${kind}" data-id="${esc(s.id)}" min="${s.min}" max="${s.max}" step="${s.step}" value="${s.value}" aria-label="${esc(label)} value">` +
    `<button type="button" class="reset" data-kind="${kind}" data-id="${esc(s.id)}" data-base="${s.base}" title="back to the scenario's value (${esc(String(s.base))})">↺</button>` +
    `<small class="cnote">${esc([s.uncertainty ? `drawn ${s.uncertainty}` : "", s.note ?? ""].filter(Boolean).join(" · "))}</small>` +
    `</div>`
  )
}

const options = (items: readonly { id: string; name: string }[]) => items.map((i) => `<option value="${esc(i.id)}">${esc(i.id === i.name ? i.id : `${i.id}: ${i.name}`)}</option>`).join("")
const periodOptions = (ps: readonly string[], empty?: string) => (empty !== undefined ? `<option value="">${esc(empty)}</option>` : "") + ps.map((p) => `<option value="${esc(p)}">${esc(p)}</option>`).join("")

/** The controls column. */
export function controlsHtml(c: Controls): string {
  const measures = c.measures.length
    ? c.measures
        .map(
          (m) =>
            `<label class="measure"><input type="checkbox" data-measure="${esc(m.event.id)}"${m.on ? " checked" : ""}> <b>${esc(m.event.name)}</b> <small>${esc(m.from === "scenario" ? "in this scenario" : `from ${m.from}`)}; ${esc(m.event.effects.map((e) => `${e.indicator} ${fmtSigned(e.value, 2)}`).join(", "))}</small></label>`,
        )
        .join("")
    : `<p class="footnote">No measure in this scenario or the others of its folder.</p>`
  return (
    `<details open><summary>Parameters <small>(uncertain ones; slider = central value)</small></summary>${c.parameters.map((s) => slider("parameter", s)).join("")}</details>` +
    `<details open><summary>Exogenous series</summary>${c.exogenous.map((s) => slider("exogenous", s)).join("")}</details>` +
    `<details open><summary>Measures</summary>${measures}</details>` +
    `<details open><summary>Shock</summary><form id="shock-form" class="form">` +
    `<label>variable <select name="indicator">${options(c.shockTargets)}</select></label>` +
    `<label>pp <input name="value" type="number" step="any" required value="-1"></label>` +
    `<label>from <select name="from">${periodOptions(c.periods, "start")}</select></label>` +
    `<label>to <select name="to">${periodOptions(c.periods, "end")}</select></label>` +
    `<label>sd <input name="sd" type="number" step="any" min="0" placeholder="none"></label>` +
    `<button type="submit">Add shock</button></form></details>` +
    `<details open><summary>Data release</summary><form id="release-form" class="form">` +
    `<label>indicator <select name="indicator">${options(c.indicators)}</select></label>` +
    `<label>through <select name="through">${periodOptions(c.periods)}</select></label>` +
    `<label>year-to-date % <input name="ytd" type="number" step="any" required></label>` +
    `<button type="submit">Add release</button></form></details>`
  )
}

/** The explanation panel: a waterfall per indicator that moved. */
export function explainHtml(a: Attribution, version: number): string {
  const moved = a.indicators.filter((i) => i.contributions.length && Math.abs(i.total) > 1e-9)
  if (!moved.length) return `<p>No change moves any indicator against ${esc(a.against)}.</p>`
  return (
    `<p class="footnote">Exact Shapley attribution over deterministic projections: the contributions add up to each total difference against <b>${esc(a.against)}</b>.</p><div class="grid">` +
    moved
      .map(
        (i, k) =>
          `<section class="explain-indicator" data-indicator="${esc(i.id)}"><h3>${esc(i.id)} <small>${esc(pp(i.total))}</small></h3>` +
          chartFigure(
            renderWaterfall({ id: i.id, title: i.id, contributions: i.contributions, total: i.total, idPrefix: `x${version}-${k}` }),
            `explain-${i.id}`,
            csv(["indicator", "event", "contribution_pp"], [...i.contributions.map((c) => [i.id, c.event, c.value]), [i.id, "total", i.total]]),
          ) +
          `</section>`,
      )
      .join("") +
    `</div>`
  )
}

/** The comparison panel's result. */
export const compareHtml = (projections: readonly Projection[], version: number): string => renderComparison(projections, `c${version}`)

/** The whole page body (the script and styles are added by the server). */
export function pageBody(v: StudioView): string {
  const f = fragments(v)
  const pick = v.scenarios
    .map((s) => `<option value="${esc(s.file)}"${s.file === v.pickedFile ? " selected" : ""}>${esc(s.name)} (${esc(s.file)})</option>`)
    .join("")
  const compare = v.scenarios.map((s) => `<label><input type="checkbox" name="file" value="${esc(s.file)}"> ${esc(s.name)}</label>`).join(" ")
  return (
    `<header class="studio-head"><h1>plancast studio</h1>` +
    `<form id="pick-form"><label>scenario <select name="file" id="pick">${pick}</select></label></form>` +
    `<p class="meta"><span>model <b>${esc(v.model)}</b></span><span>${esc(v.draws.toLocaleString("en-US"))} draws</span><span>seed ${esc(v.seed)}</span></p>` +
    `<form id="save-form"><input name="name" id="save-name" placeholder="new scenario name" maxlength="64" required> <button type="submit">Save as scenario</button></form>` +
    `<p id="status" class="status" data-state="ready" data-version="${v.version}" aria-live="polite">ready</p></header>` +
    `<div class="studio"><aside id="controls" class="controls">${controlsHtml(v.controls)}</aside>` +
    `<div class="results"><div id="joint">${f.joint}</div><div class="side"><div id="news">${f.news}</div><div id="log">${f.log}</div></div>` +
    `<div id="projection" data-version="${v.version}">${f.projection}</div>` +
    `<section class="panel"><h2>Explain <button type="button" id="explain-button">explain the changes against ${esc(v.pickedName)}</button></h2><div id="explain"></div></section>` +
    `<section class="panel"><h2>Compare</h2><form id="compare-form">${compare || "no other scenario in this folder"} <button type="submit">compare with this session</button></form><div id="compare"></div></section>` +
    `</div></div>`
  )
}

/** The studio's own styles, added to the report's. */
export const STUDIO_STYLE = `
body { padding: 12px 16px 40px; }
main { max-width: none; }
.studio-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 6px 18px; border-bottom: 1px solid #ccc; padding-bottom: 8px; }
.studio-head h1 { margin: 0; }
.status { margin: 0; font-size: 13px; color: #333; }
.status[data-state="error"] { color: #7a1d00; font-weight: 600; }
.studio { display: grid; grid-template-columns: minmax(300px, 380px) 1fr; gap: 16px; margin-top: 10px; }
.controls { background: #fff; border: 1px solid #ccc; border-radius: 4px; padding: 6px 10px; max-height: calc(100vh - 90px); overflow-y: auto; position: sticky; top: 8px; align-self: start; }
.controls summary { font-weight: 600; margin: 6px 0; cursor: pointer; }
.control { display: grid; grid-template-columns: 1fr 72px 22px; gap: 2px 6px; align-items: center; padding: 4px 0; border-bottom: 1px solid #eee; }
.control label { display: flex; flex-direction: column; font-size: 13px; }
.control .cname { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
.control input[type=range] { width: 100%; }
.control .field { width: 72px; font-size: 12px; }
.control .reset { padding: 0 4px; font-size: 12px; }
.control .cnote { grid-column: 1 / -1; color: #555; font-size: 11.5px; line-height: 1.3; }
.measure { display: block; font-size: 13px; margin: 4px 0; }
.form { display: flex; flex-wrap: wrap; gap: 6px 10px; font-size: 13px; align-items: end; }
.form label { display: flex; flex-direction: column; }
.form input { width: 90px; }
.results { min-width: 0; }
.results .grid { grid-template-columns: repeat(auto-fill, minmax(min(440px, 100%), 1fr)); gap: 10px; }
.results section.indicator { padding: 8px 10px 6px; }
.results section.indicator h3 { font-size: 14px; }
.results p.probability { font-size: 14px; }
.results p.probability strong { font-size: 16px; }
.joint { font-size: 17px; background: #fff; border: 1px solid #ccc; border-radius: 4px; padding: 8px 12px; margin: 0 0 10px; }
.side { display: grid; grid-template-columns: 3fr 2fr; gap: 12px; }
.news, .log, .panel { background: #fff; border: 1px solid #ccc; border-radius: 4px; padding: 6px 12px; margin-bottom: 10px; }
.news h2, .log h2, .panel h2 { font-size: 15px; margin: 4px 0; }
.news tr.still td { color: #777; }
.log ol { margin: 4px 0; padding-left: 20px; font-size: 13px; }
.log code { font-size: 12px; }
@media (max-width: 1100px) { .studio { grid-template-columns: 1fr; } .controls { position: static; max-height: none; } .side { grid-template-columns: 1fr; } }
`

