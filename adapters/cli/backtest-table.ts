// A backtest (engine/schema/backtest.ts) as text: a table of every step and indicator (the
// forecast as of each release batch against the outcome, with its scores) and a summary of the
// mean scores of the model beside its naive benchmarks; and as CSV, one row per step and
// indicator. Pure: strings out.
import type { Backtest, MeanScores } from "../../engine/index.ts"
import { csvLine } from "../csv.ts"
import { renderTable } from "./format.ts"

const num = (x: number | null, d = 2): string => (x === null || !Number.isFinite(x) ? "—" : x.toFixed(d))
const pct = (p: number | null): string => (p === null ? "—" : `${Math.round(p * 100)}%`)
const yes = (b: boolean): string => (b ? "yes" : "no")

const summaryRow = (id: string, label: string, s: MeanScores | null): string[] =>
  s === null
    ? [id, label, "—", "—", "—", "—", "—", "—"]
    : [id, label, num(s.error), num(s.crps), num(s.brier, 3), num(s.logScore, 3), pct(s.coverage50), pct(s.coverage90)]

/** The backtest as a table of steps and a summary (see the file header). */
export const backtestTable = (b: Backtest): string => {
  const outcomes = Object.entries(b.outcomes)
    .map(([id, o]) => `${id} ${o.value}${o.met === null ? "" : o.met ? " (met)" : " (missed)"}`)
    .join(", ")
  const rows = b.steps.flatMap((s) =>
    s.indicators.map((i, k) => [
      k === 0 ? `${s.asOf.through}${s.asOf.kind === "revision" ? " (rev)" : ""}` : "",
      i.id,
      num(i.outcome),
      num(i.p50),
      `${num(i.p05)} – ${num(i.p95)}`,
      num(i.error),
      num(i.crps),
      num(i.pit),
      yes(i.inside50),
      yes(i.inside90),
      pct(i.probability),
      num(i.brier, 3),
      num(i.logScore, 3),
    ]),
  )
  const summary = Object.entries(b.summary).flatMap(([id, s]) => [
    summaryRow(id, "model", s),
    summaryRow("", "naive: target", s.naive.target),
    summaryRow("", "naive: last year", s.naive.lastYear),
  ])
  return (
    `${b.scenario}: backtest as of ${b.steps.length} release batch${b.steps.length === 1 ? "" : "es"}, ${b.draws} draws, seed ${b.seed}\n` +
    `outcomes (annual growth, %): ${outcomes}\n\n` +
    renderTable(["as of", "indicator", "outcome", "p50", "90% band", "error", "CRPS", "PIT", "in50", "in90", "P(target)", "Brier", "log score"], rows, [1]) +
    `\nerror = p50 - outcome (pp); CRPS in pp; PIT = the forecast's cdf at the outcome; log score = -ln P(what happened), P clipped to [1/(N+1), N/(N+1)]\n\n` +
    `mean over the steps (lower is better for error, CRPS, Brier and log score; coverage near 50% and 90% is right):\n\n` +
    renderTable(["indicator", "forecast", "|error|", "CRPS", "Brier", "log score", "cover50", "cover90"], summary, [1]) +
    `\nnaive benchmarks: the target's value, and the base year's growth, each as the median with the model's own spread at that step\n`
  )
}

/** The backtest as CSV: one row per step and indicator. */
export const backtestCsv = (b: Backtest): string => {
  const header = ["scenario", "through", "kind", "count", "indicator", "outcome", "p05", "p25", "p50", "p75", "p95", "width90", "probability", "error", "crps", "pit", "inside50", "inside90", "brier", "log_score"]
  const rows = b.steps.flatMap((s) =>
    s.indicators.map((i) => [b.scenario, s.asOf.through, s.asOf.kind, s.asOf.count, i.id, i.outcome, i.p05, i.p25, i.p50, i.p75, i.p95, i.width90, i.probability, i.error, i.crps, i.pit, i.inside50, i.inside90, i.brier, i.logScore]),
  )
  return [csvLine(header), ...rows.map(csvLine)].join("\n") + "\n"
}
