// adapters/batch/ordered-window.ts: results put in any order, duplicates included, come out in
// position order exactly once each; a failure rejects the waits; the window admits only
// `width` positions ahead of the output.
import { fc, test } from "@fast-check/vitest"
import { describe, expect, it } from "vitest"
import { OrderedWindow } from "../../../adapters/batch/ordered-window.ts"

describe("OrderedWindow", () => {
  test.prop([fc.integer({ min: 1, max: 40 }).chain((n) => fc.tuple(fc.constant(n), fc.shuffledSubarray([...Array(n).keys(), ...Array(n).keys()], { minLength: 2 * n })))])(
    "releases every position once, in order, whatever the arrival order and duplicates",
    async ([n, arrivals]) => {
      const w = new OrderedWindow<string>(n)
      const out: string[] = []
      const reader = (async () => {
        for (let i = 0; i < n; i++) out.push(await w.take())
      })()
      const seen = new Set<number>()
      for (const i of arrivals) {
        expect(w.put(i, `r${i}:${seen.has(i) ? "late" : "first"}`)).toBe(!seen.has(i))
        seen.add(i)
        await Promise.resolve()
      }
      await reader
      expect(out).toEqual([...Array(n).keys()].map((i) => `r${i}:first`))
    },
  )

  it("admits only width positions ahead of the output", async () => {
    const w = new OrderedWindow<number>(2)
    expect([w.admits(0), w.admits(1), w.admits(2)]).toEqual([true, true, false])
    w.put(0, 10)
    expect(await w.take()).toBe(10)
    expect(w.admits(2)).toBe(true)
    expect(w.has(0)).toBe(true)
  })

  it("rejects waits with the first failure", async () => {
    const w = new OrderedWindow<number>(4)
    const waiting = w.take()
    w.fail(new Error("first"))
    w.fail(new Error("second"))
    await expect(waiting).rejects.toThrow("first")
    await expect(w.until(() => false)).rejects.toThrow("first")
    expect(w.failed).toBe(true)
  })
})
