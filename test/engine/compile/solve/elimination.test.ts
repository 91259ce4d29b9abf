// Unit tests of the emitted Gaussian elimination: solutions that need pivoting, agreement
// with mathjs lusolve on random systems, and singular matrices flagged.
import { lusolve } from "mathjs"
import { describe, expect, it } from "vitest"
import { ELIMINATION_LOCALS, UNROLL_LIMIT, emitElimination } from "../../../../engine/compile/solve/elimination.ts"

const solver = (m: number): ((a: number[], b: number[]) => { x: number[]; singular: boolean }) => {
  const body = `let ${ELIMINATION_LOCALS.map((v) => `${v} = 0`).join(", ")}, sing = false;\n${emitElimination(m, "A", "P", "B", "sing")}\nreturn sing;`
  const f = new Function("A", "P", "B", body) as (A: Float64Array, P: Int32Array, B: Float64Array) => boolean
  return (a, b) => {
    const A = Float64Array.from(a)
    const B = Float64Array.from(b)
    const singular = f(A, new Int32Array(m), B)
    return { x: Array.from(B), singular }
  }
}

describe("emitElimination", () => {
  it("solves a system whose first pivot is zero", () => {
    const { x, singular } = solver(3)([0, 1, 1, 2, 0, 1, 1, 1, 0], [5, 4, 3])
    expect(singular).toBe(false)
    // y + z = 5, 2x + z = 4, x + y = 3  ->  x = 2/3, y = 7/3, z = 8/3
    const [a, b, c] = x as [number, number, number]
    expect(a).toBeCloseTo(2 / 3, 12)
    expect(b).toBeCloseTo(7 / 3, 12)
    expect(c).toBeCloseTo(8 / 3, 12)
  })
  it("agrees with lusolve on random well-conditioned systems", () => {
    let s = 7
    const rand = (): number => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1
    for (const m of [1, 2, 4, 7, UNROLL_LIMIT + 2]) {
      for (let rep = 0; rep < 20; rep++) {
        const a = Array.from({ length: m * m }, (_, i) => rand() + (i % (m + 1) === 0 ? 3 * Math.sign(rand()) : 0))
        const b = Array.from({ length: m }, rand)
        const { x, singular } = solver(m)(a, b)
        expect(singular).toBe(false)
        const rows = Array.from({ length: m }, (_, i) => a.slice(i * m, (i + 1) * m))
        const ref = (lusolve(rows, b) as number[][]).map((r) => r[0]!)
        x.forEach((v, i) => expect(v).toBeCloseTo(ref[i]!, 10))
      }
    }
  })
  it("solves general matrices that need row interchanges at several steps", () => {
    let s = 11
    const rand = (): number => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1
    for (const m of [2, 3, 5, 8, UNROLL_LIMIT + 3]) {
      for (let rep = 0; rep < 30; rep++) {
        const a = Array.from({ length: m * m }, rand)
        const b = Array.from({ length: m }, rand)
        const { x, singular } = solver(m)(a, b)
        if (singular) continue
        for (let i = 0; i < m; i++) {
          let row = 0
          let scale = Math.abs(b[i]!)
          for (let k = 0; k < m; k++) (row += a[i * m + k]! * x[k]!), (scale += Math.abs(a[i * m + k]! * x[k]!))
          expect(Math.abs(row - b[i]!)).toBeLessThanOrEqual(1e-12 * scale)
        }
      }
    }
  })
  it("flags singular and non-finite matrices", () => {
    expect(solver(2)([1, 2, 2, 4], [1, 2]).singular).toBe(true)
    expect(solver(2)([0, 0, 0, 0], [1, 2]).singular).toBe(true)
    expect(solver(2)([1, NaN, 0, 1], [1, 2]).singular).toBe(true)
    expect(solver(2)([1, Infinity, 0, 1], [1, 2]).singular).toBe(true)
    expect(solver(2)([1, 1, 1, 1 + 1e-15], [1, 2]).singular).toBe(true)
  })
})
