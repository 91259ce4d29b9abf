// Unit tests of the block order: dependencies first, cycles and self-loops as simultaneous blocks.
import { describe, expect, it } from "vitest"
import { blockOrder } from "../../../engine/compile/graph.ts"

const position = (blocks: ReturnType<typeof blockOrder>, v: number): number => blocks.findIndex((b) => b.variables.includes(v))

describe("blockOrder", () => {
  it("orders a chain from its source", () => {
    // 0 reads 1, 1 reads 2
    expect(blockOrder([[1], [2], []])).toEqual([
      { variables: [2], simultaneous: false },
      { variables: [1], simultaneous: false },
      { variables: [0], simultaneous: false },
    ])
  })
  it("finds a cycle and puts it after what it reads and before its readers", () => {
    // 0 reads 1; 1 and 2 read each other; 2 reads 3; 4 reads 0
    const b = blockOrder([[1], [2], [1, 3], [], [0]])
    expect(b.map((x) => x.variables)).toEqual([[3], [1, 2], [0], [4]])
    expect(b[1]!.simultaneous).toBe(true)
  })
  it("treats a self-loop as a simultaneous block of one", () => {
    expect(blockOrder([[0], []])).toEqual([
      { variables: [0], simultaneous: true },
      { variables: [1], simultaneous: false },
    ])
  })
  it("keeps independent variables in index order and handles several cycles", () => {
    const b = blockOrder([[], [], [3], [2], [5], [4, 3]])
    expect(b.map((x) => x.variables)).toEqual([[0], [1], [2, 3], [4, 5]])
    for (const [v, reads] of [[2, [3]], [4, [5]], [5, [4, 3]]] as const) for (const w of reads) expect(position(b, w)).toBeLessThanOrEqual(position(b, v))
  })
  it("handles a long chain without recursion limits", () => {
    const n = 20000
    const b = blockOrder(Array.from({ length: n }, (_, i) => (i + 1 < n ? [i + 1] : [])))
    expect(b.length).toBe(n)
    expect(b[0]!.variables).toEqual([n - 1])
  })
})
