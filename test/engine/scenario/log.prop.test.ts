// Properties of the persistent list (engine/scenario/log.ts): a list built item by item equals
// the list of the same items built at once (the chunking depends on the length alone), reads
// back its items in order at every position, cuts into the lists of its prefixes, and is left
// unchanged by the lists that extend it (a branch included), across chunk boundaries.
import { fc, test } from "@fast-check/vitest"
import { describe, expect } from "vitest"
import { CHUNK, emptyLog, itemAt, logOf, prefix, pushed, toArray, type Log } from "../../../engine/scenario/log.ts"

/** The lists of every prefix of `items`, each built from the one before by `pushed`. */
const line = (from: Log<number>, items: readonly number[]): Log<number>[] => {
  const logs = [from]
  for (const x of items) logs.push(pushed(logs.at(-1)!, x))
  return logs
}

const holds = (log: Log<number>, items: readonly number[]) => {
  expect(log).toEqual(logOf(items))
  expect(toArray(log)).toEqual(items)
  for (let i = -1; i <= items.length; i++) expect(itemAt(log, i)).toBe(items[i])
  for (const c of log.chunks) expect(c.length).toBe(CHUNK)
  expect(log.tail.length).toBeLessThan(CHUNK)
}

describe("a persistent list", () => {
  test.prop([fc.array(fc.integer(), { maxLength: 3 * CHUNK + 5 }), fc.nat(), fc.array(fc.integer(), { maxLength: CHUNK + 3 })], { numRuns: 40 })(
    "built item by item, equals the list of its items, its prefixes and a branch included",
    (items, cut, other) => {
      const logs = line(emptyLog, items)
      logs.forEach((log, n) => holds(log, items.slice(0, n)))
      const at = cut % logs.length
      const branch = line(logs[at]!, other)
      branch.forEach((log, n) => holds(log, [...items.slice(0, at), ...other.slice(0, n)]))
      // the branch shares the chunks before the point it left, and changed nothing of the line
      expect(branch.at(-1)!.chunks.slice(0, logs[at]!.chunks.length).every((c, k) => c === logs[at]!.chunks[k])).toBe(true)
      logs.forEach((log, n) => holds(log, items.slice(0, n)))
      const whole = logs.at(-1)!
      for (let k = 0; k <= items.length; k++) holds(prefix(whole, k), items.slice(0, k))
    },
  )
})
