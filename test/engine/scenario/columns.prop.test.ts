// Property of the contributions to a column (engine/scenario/columns.ts): after any sequence of
// contributions added and events taken out, each checkpoint is the left fold of the
// contributions before its chunk, and the values taking an event out gives are the left fold,
// in log order, of the contributions left, bit for bit; the list is the contributions left.
import { fc, test } from "@fast-check/vitest"
import { describe, expect } from "vitest"
import { emptyColumn, withContribution, withoutEvent, type Column, type Contribution } from "../../../engine/scenario/columns.ts"
import { CHUNK, toArray } from "../../../engine/scenario/log.ts"

const T = 6

/** The left fold of contributions over the T periods, from zero. */
const folded = (items: readonly Contribution[]): Float64Array => {
  const v = new Float64Array(T)
  for (const c of items) for (let t = c.first; t <= c.last; t++) v[t] += c.value
  return v
}

const op = fc.oneof(
  fc.record({ kind: fc.constant("add" as const), first: fc.integer({ min: 0, max: T - 1 }), len: fc.integer({ min: 0, max: T - 1 }), value: fc.double({ min: -5, max: 5, noNaN: true }) }),
  fc.record({ kind: fc.constant("take" as const), pick: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }) }),
)

describe("a column's contributions", () => {
  test.prop([fc.integer({ min: 0, max: 3 * CHUNK }), fc.array(op, { minLength: 1, maxLength: 60 }), fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 5 })], { numRuns: 60 })(
    "keep every checkpoint and every refold the left fold of the contributions left",
    (start, ops, values) => {
      let column: Column = emptyColumn(T)
      let values0: Float64Array = new Float64Array(T)
      let at = 0
      const add = (first: number, len: number, value: number) => {
        const c = { at: at++, first, last: Math.min(T - 1, first + len), value }
        for (let t = c.first; t <= c.last; t++) values0[t] += c.value
        column = withContribution(column, c, T, (t) => values0[t]!)
      }
      for (let k = 0; k < start; k++) add(k % T, k % 3, values[k % values.length]!)
      for (const o of ops) {
        if (o.kind === "add") add(o.first, o.len, o.value)
        else if (column.items.length > 0) {
          const items = toArray(column.items)
          const target = items[Math.floor(o.pick * items.length)]!.at
          const out = withoutEvent(column, target, T)!
          column = out.column
          values0 = out.values
          expect(toArray(column.items)).toEqual(items.filter((c) => c.at !== target))
          expect(out.values).toEqual(folded(toArray(column.items)))
        }
        const items = toArray(column.items)
        expect(column.checkpoints).toHaveLength(column.items.chunks.length + 1)
        column.checkpoints.forEach((cp, c) => expect(cp).toEqual(folded(items.slice(0, c * CHUNK))))
      }
      expect(withoutEvent(column, at + 1, T)).toBeUndefined()
    },
  )
})
