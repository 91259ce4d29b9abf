// Period labels of events resolved to positions in a model's horizon. Sits between the
// decoded event (a label such as "2024-03", "2024-Q2" or "2024") and everything that works
// on horizon indexes (the fold's checks, the projection inputs). A label coarser than the
// model's frequency covers all its periods ("2024-Q2" in a monthly model is 2024-04..06);
// a finer one is refused. Pure: no I/O.
import type { ScenarioModel } from "./state.ts"

/** The inclusive horizon positions a period label covers, or why it covers none. */
export type PeriodRange = { readonly ok: true; readonly first: number; readonly last: number } | { readonly ok: false; readonly problem: string }

const labelPattern = /^(\d{4})(?:-(\d{2})|-Q([1-4]))?$/
const positionsCache = new WeakMap<readonly string[], Map<string, number>>()

const positionsOf = (periods: readonly string[]): Map<string, number> => {
  let m = positionsCache.get(periods)
  if (!m) {
    m = new Map(periods.map((p, i) => [p, i]))
    positionsCache.set(periods, m)
  }
  return m
}

const pad2 = (n: number) => String(n).padStart(2, "0")

/** The horizon labels a period label stands for at the model's frequency, first and last. */
const finest = (frequency: "monthly" | "quarterly" | "annual", label: string): [string, string] | string => {
  const m = labelPattern.exec(label)
  if (!m) return `"${label}" is not a period: write 2024-03, 2024-Q2 or 2024`
  const [, year, month, quarter] = m
  if (frequency === "monthly") {
    if (month) return [label, label]
    if (quarter) return [`${year}-${pad2(3 * Number(quarter) - 2)}`, `${year}-${pad2(3 * Number(quarter))}`]
    return [`${year}-01`, `${year}-12`]
  }
  if (frequency === "quarterly") {
    if (month) return `"${label}" is a month; the model is quarterly: write ${year}-Q${Math.ceil(Number(month) / 3)}`
    if (quarter) return [label, label]
    return [`${year}-Q1`, `${year}-Q4`]
  }
  if (month || quarter) return `"${label}" is finer than the model's annual periods: write ${year}`
  return [label, label]
}

/** Resolves a period label to the horizon positions it covers (refused when any of them is outside the horizon). */
export function periodRange(m: ScenarioModel, label: string): PeriodRange {
  const ends = finest(m.model.calendar.frequency, label)
  if (typeof ends === "string") return { ok: false, problem: ends }
  const pos = positionsOf(m.periods)
  const first = pos.get(ends[0])
  const last = pos.get(ends[1])
  if (first === undefined || last === undefined) {
    return { ok: false, problem: `period "${label}" is outside the horizon ${m.periods[0]}..${m.periods[m.periods.length - 1]}` }
  }
  return { ok: true, first, last }
}

/** The horizon positions of an optional from/to pair: the whole horizon by default. Assumes both labels were checked. */
export function spanOf(m: ScenarioModel, from: string | undefined, to: string | undefined): { first: number; last: number } {
  const a = from === undefined ? undefined : periodRange(m, from)
  const b = to === undefined ? undefined : periodRange(m, to)
  return {
    first: a && a.ok ? a.first : 0,
    last: b && b.ok ? b.last : m.periods.length - 1,
  }
}
