// Projections as text for people and spreadsheets: the per-indicator table, the side-by-side
// comparison, attribution, news and goal-seek tables, and each of them as CSV. Pure: values in, strings out;
// reads the engine's Projection (engine/schema/projection.ts).
// Verdicts never contradict the figure beside them: with draws the verdict is the engine's
// word for the probability as shown (likely at 67% or more, unlikely at 33% or less, else a
// toss-up); without draws the ✓/✗ (met yes/no) is the target's rule applied to the annual
// growth as shown, which is printed with as many decimals as it takes for its rounding not to
// cross the target's boundary.
// CSV layout (one row per scenario, indicator and period):
//   scenario,indicator,period,ytd_p05,ytd_p50,ytd_p95,observed
// then, per scenario and indicator, one row with period "annual" carrying the annual p05/p50/p95
// and an empty observed column. Numbers follow the digits rule of text outputs (12 significant
// digits, engine/precision.ts, via adapters/csv.ts).
import { meetsTarget, verdictOf, type Figures, type News, type Projection, type Verdict } from "../../engine/index.ts"
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

const num = (x: number | null | undefined, digits = 2): string => (x === null || x === undefined || !Number.isFinite(x) ? "—" : x.toFixed(digits))
const pct = (p: number | null | undefined): string => (p === null || p === undefined || !Number.isFinite(p) ? "—" : `${Math.round(p * 100)}%`)
const yesNo = (m: boolean | undefined): string => (m === undefined ? "—" : m ? "yes" : "no")

/** The verdict of a probability as `pct` shows it (a whole percentage), so the word follows the figure. */
export const shownVerdict = (p: number | null | undefined): Verdict | undefined =>
  p === null || p === undefined || !Number.isFinite(p) ? undefined : verdictOf(Math.round(p * 100) / 100)

/**
 * An annual growth as shown beside a met mark: 2 decimals, more when the rounding would cross
 * the target's boundary (5.9999 against ≥ 6 is "5.9999", not "6.00"), so the target's rule
 * applied to the shown number gives the mark.
 */
export const shownGrowth = (x: number | null | undefined, t: Target): string => {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—"
  const truth = meets(t, x)
  for (let digits = 2; digits <= 12; digits++) {
    const s = x.toFixed(digits)
    if (meets(t, Number(s)) === truth) return s
  }
  return String(x)
}

/** Whether the deterministic projection meets the target, judged on the growth it shows. */
const metOf = (i: Projection["indicators"][number]): boolean | undefined => meets(i.target, i.annual.p50)

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
 * One projection as a table: one row per indicator with its target and projected annual
 * growth, the growth required in the periods not yet observed and the last observed period.
 * Deterministic: the annual growth and whether it meets the target. With draws: the p50, the
 * 90% band, the probability of meeting the target and its verdict; then the joint line (all
 * targets met together, and how many).
 */
export const projectionTable = (p: Projection): string => {
  const mc = p.draws > 0
  const header = ["indicator", "target", mc ? "annual p50" : "annual", ...(mc ? ["p05–p95", "P(met)", "verdict"] : ["met"]), "required", "observed to", "name"]
  const rows = p.indicators.map((i) => [
    i.id,
    targetText(i.target),
    mc ? num(i.annual.p50) : shownGrowth(i.annual.p50, i.target),
    ...(mc ? [`${num(i.annual.p05)} – ${num(i.annual.p95)}`, pct(i.probability), shownVerdict(i.probability) ?? "—"] : [yesNo(metOf(i))]),
    num(i.required),
    observedThrough(i) ?? "—",
    i.name,
  ])
  const span = p.indicators.length === 0 && p.solution ? p.solution.periods : p.periods
  const title = `${p.model} · scenario ${p.scenario} · ${span[0] ?? ""}..${span.at(-1) ?? ""} · ${mc ? `${p.draws} draws, seed ${p.seed}` : "deterministic"} · events ${p.events.applied} applied, ${p.events.rejected} rejected`
  if (p.indicators.length === 0 && p.solution) return `${title}\n\n${solutionTable(p.solution)}`
  const notes = [
    "annual and required: year-over-year growth in % (required: in each period not yet observed, to reach the target's boundary)",
    "a target ≈ v ± b (v左右) is met at v - b or more, the band's lower edge",
    ...(mc ? [`verdict: likely at P(met) 67% or more, unlikely at 33% or less, else toss-up`, ...jointLine(p)] : []),
    ...(p.failedDraws
      ? [`${p.failedDraws.count} of ${p.draws} draws failed and are left out of every figure (the first: draw ${p.failedDraws.draws[0]}, ${p.failedDraws.reason})`]
      : []),
  ]
  return `${title}\n\n${renderTable(header, rows, [header.length - 1])}\n${notes.join("\n")}\n`
}

/**
 * The observables of a projection (released series that are not plan indicators), one row each:
 * the annual growth (with draws its p50 and 90% band) and the last released period; empty when
 * the model declares none.
 */
export const observablesTable = (p: Projection): string => {
  const os = p.observables ?? []
  if (os.length === 0) return ""
  const mc = p.draws > 0
  const header = ["observable", mc ? "annual p50" : "annual", ...(mc ? ["p05–p95"] : []), "observed to", "name"]
  const rows = os.map((o) => [o.id, num(o.annual.p50), ...(mc ? [`${num(o.annual.p05)} – ${num(o.annual.p95)}`] : []), o.observedThrough ?? "—", o.name])
  return `\nobserved series that are not plan indicators (no target; their releases condition the indicators)\n\n${renderTable(header, rows, [header.length - 1])}`
}

/** The joint line of a projection with draws: every target met together, and the count of targets met. */
const jointLine = (p: Projection): string[] => {
  const j = p.joint
  if (!j || j.targets === 0) return []
  return [`all ${j.targets} targets met together: ${pct(j.all)} of draws; exactly k met (k = 0..${j.targets}): ${j.count.map((c) => pct(c)).join(" ")}`]
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

/**
 * Several projections side by side: one row per indicator, one column per scenario. With draws:
 * annual p50, the probability of meeting the target and its verdict; deterministic: the annual
 * growth with ✓ met / ✗ not met.
 */
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
      if (mc) return i.target ? `${num(i.annual.p50)} ${pct(i.probability)} ${shownVerdict(i.probability) ?? ""}`.trimEnd() : num(i.annual.p50)
      const m = metOf(i)
      return `${shownGrowth(i.annual.p50, i.target)} ${m === undefined ? " " : m ? "✓" : "✗"}`
    }),
  ])
  const note = mc
    ? `annual growth in % (p50), probability of meeting the target and its verdict (${first.draws} draws, seed ${first.seed}; likely at 67% or more, unlikely at 33% or less, else toss-up)`
    : "annual growth in %, deterministic; ✓ target met, ✗ not met"
  return `${first.model}: ${ps.length} scenario${ps.length === 1 ? "" : "s"}\n\n${renderTable(header, rows)}\n${note}; a target ≈ v ± b is met at v - b or more\n`
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
  return `${x.scenario} against ${x.against}: difference in annual growth (pp), one share per event (exact Shapley attribution: order-free, each event averaged over every order; deterministic)\n\n${renderTable(["indicator", "event", "pp"], rows)}`
}

const pp = (p: number | null | undefined): string => (p === null || p === undefined || !Number.isFinite(p) ? "—" : `${p > 0 ? "+" : p < 0 ? "" : " "}${(p * 100).toFixed(0)}`)
const eventsText = (ids: readonly string[]): string => (ids.length === 1 ? ids[0]! : `${ids.length} events`)

/**
 * News as tables: the releases of each step with their expected value, actual value and
 * surprise; then each step's impact on every indicator's annual mean (pp) and on P(target)
 * (percentage points), between the start and end rows.
 */
export const newsTable = (x: News, against: string): string => {
  const ids = Object.keys(x.start)
  const releaseRows = x.steps.flatMap((s, k) =>
    s.releases.map((r) => [String(k + 1), s.kind, r.series, r.through, num(r.expected), num(r.actual), signed(r.surprise)]),
  )
  const stepRow = (k: number, s: News["steps"][number], value: (f: Figures) => string) => [String(k + 1), s.kind, eventsText(s.events), ...ids.map((id) => value(s.impact[id]!))]
  const table = (title: string, level: (f: Figures) => string, change: (f: Figures) => string) =>
    `${title}\n\n${renderTable(
      ["step", "kind", "events", ...ids],
      [["", "start", against, ...ids.map((id) => level(x.start[id]!))], ...x.steps.map((s, k) => stepRow(k, s, change)), ["", "end", x.scenario, ...ids.map((id) => level(x.end[id]!))]],
      [1, 2],
    )}`
  const basis = x.draws > 0 ? `${x.draws} draws, seed ${x.seed}` : "deterministic"
  return [
    `news of ${x.scenario} from ${against}, in log order: each step against the forecast just before it (${basis}); not the order-free Shapley attribution (explain without --news)`,
    "",
    releaseRows.length
      ? renderTable(["step", "kind", "series", "through", "expected", "actual", "surprise"], releaseRows, [1, 2])
      : "no releases\n",
    table("impact on the annual mean (pp); start + impacts = end", (f) => num(f.mean), (f) => signed(f.mean)),
    table("impact on P(target) (percentage points)", (f) => pct(f.probability), (f) => pp(f.probability)),
  ].join("\n")
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
  /** Monte Carlo draws behind `probability` (0 or absent: deterministic). */
  readonly draws?: number
}

/**
 * A goal-seek result in one sentence-like table: with draws, the probability reached and its
 * verdict; deterministic, the annual growth there and whether it meets the target. `shockIn`
 * says what the shock adds to: an indicator's growth (pp), a variable's level or a series' values.
 */
export const seekTable = (s: SeekView, probability?: number, shockIn: "growth" | "level" | "values" = "growth"): string => {
  const mc = (s.draws ?? 0) > 0
  const header = ["target", "shock", shockIn === "growth" ? "boundary (pp)" : "boundary", "annual there", ...(mc ? [probability !== undefined ? `P(met) (asked ${pct(probability)})` : "P(met)", "verdict"] : ["met"])]
  const row = [s.target, s.shock, signed(s.value), num(s.annual), ...(mc ? [pct(s.probability), shownVerdict(s.probability) ?? "—"] : [yesNo(s.met)])]
  const added = shockIn === "growth" ? "pp added to its growth" : shockIn === "level" ? "added to its level, in its units," : "added to its values"
  return renderTable(header, [row]) + `\nthe shock to ${s.shock} (${added} every period) at which ${s.target} just meets its target; negative: the scenario meets it with room to spare\n`
}

/**
 * An attribution as CSV: `scenario,against,indicator,event,pp`, one row per indicator and
 * contributing event, then the indicator's row with event `total` (the sum of its contributions).
 */
export const explainCsv = (x: ExplanationView): string =>
  [
    "scenario,against,indicator,event,pp",
    ...x.indicators.flatMap((i) => [...i.contributions.map((c) => csvLine([x.scenario, x.against, i.id, c.event, c.value])), csvLine([x.scenario, x.against, i.id, "total", i.total])]),
  ].join("\n") + "\n"

/**
 * News as CSV: `step,kind,events,indicator,mean,p50,probability,through,expected,actual,surprise`,
 * one row per step and indicator: the `start` row (step 0) and the `end` row (the last step + 1)
 * carry the levels, each step's rows its impact (the change across the step); `events` are the
 * step's event ids separated by spaces; the release columns are filled on the row of the
 * indicator the step released.
 */
export const newsCsv = (x: News): string => {
  const ids = Object.keys(x.start)
  const row = (step: number, kind: string, events: string, id: string, f: Figures, release?: News["steps"][number]["releases"][number]) =>
    csvLine([step, kind, events, id, f.mean, f.p50, f.probability, release?.through, release?.expected, release?.actual, release?.surprise])
  return (
    [
      "step,kind,events,indicator,mean,p50,probability,through,expected,actual,surprise",
      ...ids.map((id) => row(0, "start", "", id, x.start[id]!)),
      ...x.steps.flatMap((s, k) => [
        ...ids.map((id) => row(k + 1, s.kind, s.events.join(" "), id, s.impact[id]!, s.releases.findLast((r) => r.series === id))),
        // a release of a series that is not an indicator (an observable): its own row, no figures
        ...s.releases.filter((r) => !ids.includes(r.series)).map((r) => csvLine([k + 1, s.kind, s.events.join(" "), r.series, "", "", "", r.through, r.expected, r.actual, r.surprise])),
      ]),
      ...ids.map((id) => row(x.steps.length + 1, "end", "", id, x.end[id]!)),
    ].join("\n") + "\n"
  )
}

/** A goal-seek result as CSV: `target,shock,value,annual,probability,met,draws`, one row. */
export const seekCsv = (s: SeekView): string =>
  "target,shock,value,annual,probability,met,draws\n" + csvLine([s.target, s.shock, s.value, s.annual, s.probability, s.met, s.draws ?? 0]) + "\n"
