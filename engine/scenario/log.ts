// A persistent append-only list (the scenario's event log, engine/scenario/state.ts, and the
// lists a projection's inputs accumulate, inputs.ts): the items sit in full chunks of CHUNK,
// shared by every list that extends them, and a tail of fewer than CHUNK, copied on append.
// Appending never copies the items before the tail, so its cost does not grow with the list:
// at most CHUNK references for the tail, plus the list of chunks (length / CHUNK references)
// once every CHUNK appends. Invariants: the chunking is a function of the length alone (item
// i sits in chunk floor(i / CHUNK) at i mod CHUNK, or in the tail), so two lists of the same
// items are structurally equal however they were built; every array in a list is frozen, so
// lists are immutable values. Pure: no I/O.

/** Items per full chunk. */
export const CHUNK = 128

/** A persistent list: `length` items, the first in `chunks` (CHUNK each), the rest in `tail`. */
export interface Log<T> {
  readonly chunks: readonly (readonly T[])[]
  /** The last `length mod CHUNK` items. */
  readonly tail: readonly T[]
  readonly length: number
}

const none: readonly never[] = Object.freeze([])

/** The list with no items. */
export const emptyLog: Log<never> = Object.freeze({ chunks: none, tail: none, length: 0 })

/** The list with one more item at the end; `log` is unchanged and shares its chunks with it. */
export const pushed = <T>(log: Log<T>, item: T): Log<T> => {
  const tail = Object.freeze([...log.tail, item])
  return tail.length === CHUNK
    ? Object.freeze({ chunks: Object.freeze([...log.chunks, tail]), tail: none, length: log.length + 1 })
    : Object.freeze({ chunks: log.chunks, tail, length: log.length + 1 })
}

/** The item at position i, undefined outside [0, length). */
export const itemAt = <T>(log: Log<T>, i: number): T | undefined => {
  if (!(i >= 0 && i < log.length)) return undefined
  const c = Math.floor(i / CHUNK)
  return c < log.chunks.length ? log.chunks[c]![i % CHUNK] : log.tail[i - c * CHUNK]
}

/** The list of these items, in order. */
export const logOf = <T>(items: readonly T[]): Log<T> => {
  const full = Math.floor(items.length / CHUNK)
  const chunks: (readonly T[])[] = []
  for (let c = 0; c < full; c++) chunks.push(Object.freeze(items.slice(c * CHUNK, (c + 1) * CHUNK)))
  return Object.freeze({ chunks: Object.freeze(chunks), tail: Object.freeze(items.slice(full * CHUNK)), length: items.length })
}

/** The list of the first n items (n clamped to [0, length]): it shares the chunks before the cut. */
export const prefix = <T>(log: Log<T>, n: number): Log<T> => {
  const k = Math.max(0, Math.min(log.length, Math.floor(n)))
  if (k === log.length) return log
  const full = Math.floor(k / CHUNK)
  const cut = full < log.chunks.length ? log.chunks[full]! : log.tail
  return Object.freeze({ chunks: full === log.chunks.length ? log.chunks : Object.freeze(log.chunks.slice(0, full)), tail: Object.freeze(cut.slice(0, k - full * CHUNK)), length: k })
}

/** The items in order, as a new array. */
export const toArray = <T>(log: Log<T>): T[] => {
  const out = new Array<T>(log.length)
  let i = 0
  for (const chunk of log.chunks) for (const item of chunk) out[i++] = item
  for (const item of log.tail) out[i++] = item
  return out
}

/**
 * Whether `a` is a prefix of `b`, items compared by `same`: chunks both lists share (one
 * extends the other) are compared by reference, so a prefix costs length / CHUNK comparisons
 * plus its tail.
 */
export const isPrefix = <T>(a: Log<T>, b: Log<T>, same: (x: T, y: T) => boolean): boolean => {
  if (a.length > b.length) return false
  for (let c = 0; c < a.chunks.length; c++) {
    const x = a.chunks[c]!
    const y = b.chunks[c]!
    if (x !== y) for (let i = 0; i < CHUNK; i++) if (!same(x[i]!, y[i]!)) return false
  }
  const start = a.chunks.length * CHUNK
  for (let i = 0; i < a.tail.length; i++) if (!same(a.tail[i]!, itemAt(b, start + i)!)) return false
  return true
}
