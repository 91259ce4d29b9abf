// The contributions to one column of a scenario's central add-factors or exogenous shifts (one
// variable over the horizon), kept so that a retract can take an event's contribution out
// without summing the whole log again (engine/scenario/inputs.ts). The column's value in
// period t is the left fold, in log order, of the values of the events in effect that shock
// the variable in t: ((0 + v1) + v2) + ...; so is every value computed here, bit for bit.
// The contributions sit in a persistent list (log.ts) with, per chunk of it, a checkpoint: the
// column's values before the chunk's first contribution. Taking an event out refolds from the
// checkpoint of its chunk, so it costs the contributions from that chunk on (at most CHUNK plus
// those after it), not the log. Invariants: contributions are in increasing log position `at`;
// checkpoints.length is the list's chunks plus one (the last is the tail's); every value is
// immutable. Pure.
import { CHUNK, emptyLog, itemAt, prefix, pushed, type Log } from "./log.ts"

/** One event's value added to a variable over periods first..last. */
export interface Contribution {
  /** The event's position in the log. */
  readonly at: number
  readonly first: number
  readonly last: number
  readonly value: number
}

/** A column's contributions in log order, and per chunk the column's values before it. */
export interface Column {
  readonly items: Log<Contribution>
  readonly checkpoints: readonly Float64Array[]
}

/** The column with no contribution over a horizon of T periods. */
export const emptyColumn = (T: number): Column => ({ items: emptyLog, checkpoints: Object.freeze([new Float64Array(T)]) })

/**
 * The column with one more contribution, whose value has already been added: `values(t)` reads
 * the column's value in period t after it (the checkpoint of a chunk that starts).
 */
export const withContribution = (column: Column, c: Contribution, T: number, values: (t: number) => number): Column => {
  const items = pushed(column.items, c)
  if (items.chunks.length === column.items.chunks.length) return { items, checkpoints: column.checkpoints }
  const after = new Float64Array(T)
  for (let t = 0; t < T; t++) after[t] = values(t)
  return { items, checkpoints: Object.freeze([...column.checkpoints, after]) }
}

/** The position of the first contribution at log position `at` or after it (binary search). */
const firstAtOrAfter = (items: Log<Contribution>, at: number): number => {
  let lo = 0
  let hi = items.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (itemAt(items, mid)!.at < at) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * The column without the contributions of the event at log position `at`, and the column's
 * values (T of them) refolded without them; undefined when the event contributed nothing.
 */
export const withoutEvent = (column: Column, at: number, T: number): { column: Column; values: Float64Array } | undefined => {
  const p = firstAtOrAfter(column.items, at)
  if (p === column.items.length || itemAt(column.items, p)!.at !== at) return undefined
  const c = Math.floor(p / CHUNK)
  const running = column.checkpoints[c]!.slice()
  let items = prefix(column.items, c * CHUNK)
  const checkpoints = column.checkpoints.slice(0, c + 1)
  for (let i = c * CHUNK; i < column.items.length; i++) {
    const q = itemAt(column.items, i)!
    if (q.at === at) continue
    for (let t = q.first; t <= q.last; t++) running[t] += q.value
    const chunks = items.chunks.length
    items = pushed(items, q)
    if (items.chunks.length > chunks) checkpoints.push(running.slice())
  }
  return { column: { items, checkpoints: Object.freeze(checkpoints) }, values: running }
}
