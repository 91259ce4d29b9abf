// Projections as text for people and spreadsheets: the per-indicator table, the side-by-side
// comparison, attribution and goal-seek tables, and CSV. Pure: values in, strings out; reads
// the engine's Projection (engine/schema/projection.ts).
// CSV layout (one row per scenario, indicator and period):
//   scenario,indicator,period,ytd_p05,ytd_p50,ytd_p95,observed
// then, per scenario and indicator, one row with period "annual" carrying the annual p05/p50/p95
// and an empty observed column. Numbers are written in full precision.
import { meetsTarget, type Projection } from "../../engine/index.ts"
import { csvLine } from "../csv.ts"

type Target = Projection["indicators"][number]["target"]

/** A target as it reads in a plan: "≥ 10", "≤ 3", "≈ 7 ± 0.5"; "—" when there is none. */
export const targetText = (t: Target): string => {
  if (!t) return "—"
  switch (t.kind) {
    case "atLeast":
      return `≥ ${t.value}`
    case "atMost":
      return `≤ ${t.value}`
    case "around":
      return `≈ ${t.value} ± ${t.band}`
  }
}

/** Whether a growth meets a target, by the engine's rule (no target: undefined). */
export const meets = (t: Target, growth: number): boolean | undefined => (t ? meetsTarget(t, growth) : undefined)

const verdictOf = (i: Projection["indicators"][number]): boolean | undefined => i.met ?? meets(i.target, i.annual.p50)

const num = (x: number | null | undefined, digits = 2): string => (x === null || x === undefined || !Number.isFinite(x) ? "—" : x.toFixed(digits))
const pct = (p: number | null | undefined): string => (p === null || p === undefined || !Number.isFinite(p) ? "—" : `${Math.round(p * 100)}%`)
const verdict = (m: boolean | undefined): string => (m === undefined ? "—" : m ? "yes" : "no")

/** Lays out rows as aligned columns: the first and the `left` columns left-aligned, the others right-aligned. */
export const renderTable = (header: readonly string[], rows: ReadonlyArray<readonly string[]>, left: readonly number[] = []): string => {
  const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1), 0)
  const widths = header.map((h, c) => Math.max(width(h), ...rows.map((r) => width(r[c] ?? ""))))
  const pad = (s: string, c: number) => (c === 0 || left.includes(c) ? s + " ".repeat(widths[c]! - width(s)) : " ".repeat(widths[c]! - width(s)) + s)
  const line = (cells: readonly string[]) => cells.map((s, c) => pad(s, c)).join("  ").trimEnd()
  return [line(header), widths.map((w) => "─".repeat(w)).join("  "), ...rows.map(line)].join("\n") + "\n"
}

/** The last observed period of an indicator, if any. */
const observedThrough = (i: Projection["indicators"][number]): string | undefined => i.path.filter((p) => p.observed).at(-1)?.period

/**
 * One projection as a table: one row per indicator with its target, projected annual growth
 * (p50; with draws also the 90% band and the probability of meeting the target), whether the
 * target is met, and the growth required in the periods not yet observed.
 */
export const projectionTable = (p: Projection): string => {
  const mc = p.draws > 0
  const header = ["indicator", "target", "annual p50", ...(mc ? ["p05–p95", "P(met)"] : []), "met", "required", "observed to", "name"]
  const rows = p.indicators.map((i) => [
    i.id,
    targetText(i.target),
    num(i.annual.p50),
    ...(mc ? [`${num(i.annual.p05)} – ${num(i.annual.p95)}`, pct(i.probability)] : []),
    verdict(verdictOf(i)),
    num(i.required),
    observedThrough(i) ?? "—",
    i.name,
  ])
  const span = p.indicators.length === 0 && p.solution ? p.solution.periods : p.periods
  const title = `${p.model} · scenario ${p.scenario} · ${span[0] ?? ""}..${span.at(-1) ?? ""} · ${mc ? `${p.draws} draws, seed ${p.seed}` : "deterministic"} · events ${p.events.applied} applied, ${p.events.rejected} rejected`
  if (p.indicators.length === 0 && p.solution) return `${title}\n\n${solutionTable(p.solution)}`
  const note = "annual and required: year-over-year growth in % (required: in each period not yet observed, to meet the target)"
  return `${title}\n\n${renderTable(header, rows, [header.length - 1])}\n${note}\n`
}

/** Rows shown of a long horizon: the first ones and the last. */
const SOLUTION_HEAD = 12

/**
 * A model without plan indicators (a textbook model): its deterministic solution, one row per
 * period and one column per variable; a long horizon shows its first periods and its last.
 */
export const solutionTable = (solution: NonNullable<Projection["solution"]>): string => {
  const names = Object.keys(solution.variables)
  const shown = solution.periods.length <= SOLUTION_HEAD + 1 ? solution.periods.map((_, t) => t) : [...Array.from({ length: SOLUTION_HEAD }, (_, t) => t), solution.periods.length - 1]
  const value = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? "—" : Number(x.toPrecision(8)).toString())
  const rows = shown.map((t) => [solution.periods[t]!, ...names.map((n) => value(solution.variables[n]![t]))])
  const skipped = solution.periods.length - shown.length
  const note = `deterministic solution${skipped > 0 ? `; ${skipped} periods before the last not shown (--format json has them all)` : ""}`
  return `${renderTable(["period", ...names], rows)}\n${note}\n`
}

/** Several projections side by side: one row per indicator, one column per scenario (annual p50, ✓ met / ✗ not; with draws the probability). */
export const compareTable = (ps: readonly Projection[]): string => {
  if (ps.length === 0) return ""
  const first = ps[0]!
  const mc = ps.some((p) => p.draws > 0)
  const header = ["indicator", "target", ...ps.map((p) => p.scenario)]
  const rows = first.indicators.map((ind) => [
    ind.id,
    targetText(ind.target),
    ...ps.map((p) => {
      const i = p.indicators.find((x) => x.id === ind.id)
      if (!i) return "—"
      const m = verdictOf(i)
      return `${num(i.annual.p50)} ${m === undefined ? " " : m ? "✓" : "✗"}${mc ? ` ${pct(i.probability)}` : ""}`
    }),
  ])
  const note = `annual growth in % (p50)${mc ? ` and probability of meeting the target (${first.draws} draws, seed ${first.seed})` : ", deterministic"}; ✓ target met, ✗ not met`
  return `${first.model}: ${ps.length} scenario${ps.length === 1 ? "" : "s"}\n\n${renderTable(header, rows)}\n${note}\n`
}

/** Projections as CSV (layout in this file's header). */
export const projectionCsv = (ps: readonly Projection[]): string => {
  // models without plan indicators (textbook models): their solution, one row per scenario and period
  if (ps.every((p) => p.indicators.length === 0 && p.solution)) {
    const names = Object.keys(ps[0]?.solution?.variables ?? {})
    const rows = ps.flatMap((p) => p.solution!.periods.map((period, t) => csvLine([p.scenario, period, ...names.map((n) => p.solution!.variables[n]?.[t])])))
    return [["scenario", "period", ...names].join(","), ...rows].join("\n") + "\n"
  }
  const lines = [["scenario", "indicator", "period", "ytd_p05", "ytd_p50", "ytd_p95", "observed"].join(",")]
  for (const p of ps)
    for (const i of p.indicators) {
      for (const r of i.path) lines.push(csvLine([p.scenario, i.id, r.period, r.ytd.p05, r.ytd.p50, r.ytd.p95, r.observed]))
      lines.push(csvLine([p.scenario, i.id, "annual", i.annual.p05, i.annual.p50, i.annual.p95, ""]))
    }
  return lines.join("\n") + "\n"
}

/** The explain JSON contract. */
export interface ExplanationView {
  readonly scenario: string
  readonly against: string
  readonly indicators: ReadonlyArray<{ readonly id: string; readonly total: number; readonly contributions: ReadonlyArray<{ readonly event: string; readonly value: number }> }>
}

/** An attribution as a table: one row per indicator and contributing event, then the total. */
export const explainTable = (x: ExplanationView): string => {
  const rows: string[][] = []
  for (const i of x.indicators) {
    for (const c of i.contributions) rows.push([i.id, c.event, signed(c.value)])
    rows.push([i.id, "total", signed(i.total)])
  }
  return `${x.scenario} against ${x.against}: difference in annual growth (pp), one share per event\n\n${renderTable(["indicator", "event", "pp"], rows)}`
}

const signed = (x: number): string => (Number.isFinite(x) ? (x > 0 ? "+" : x < 0 ? "" : " ") + x.toFixed(3) : "—")

/** The seek JSON contract. */
export interface SeekView {
  readonly target: string
  readonly shock: string
  readonly value: number
  readonly probability: number | null
  readonly met: boolean
  /** The target indicator's annual growth at the boundary, where given. */
  readonly annual?: number
}

/** A goal-seek result in one sentence-like table. */
export const seekTable = (s: SeekView, probability?: number, shockIn: "growth" | "level" | "values" = "growth"): string =>
  renderTable(
    ["target", "shock", shockIn === "growth" ? "boundary (pp)" : "boundary", "annual there", probability !== undefined ? `P(met) (asked ${pct(probability)})` : "P(met)", "met"],
    [[s.target, s.shock, signed(s.value), num(s.annual), pct(s.probability), verdict(s.met)]],
  ) +
  `\nthe shock to ${s.shock} (${shockIn === "growth" ? "pp added to its growth" : shockIn === "level" ? "added to its level, in its units," : "added to its values"} every period) at which ${s.target} just meets its target; negative: the scenario meets it with room to spare\n`
