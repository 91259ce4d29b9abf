// Unit tests of expression emission: powers by multiplication agree with Math.pow, literals
// keep their sign and -0, and every read of a series goes through the context's resolvers.
import { describe, expect, it } from "vitest"
import { emitExpr } from "../../../engine/compile/codegen.ts"
import type { Expr } from "../../../engine/compile/expr.ts"

const ctx = (_mode?: string) => {
  let i = 0
  return { endo: (j: number, lag: number) => `W[r + ${j - lag * 3}]`, exo: (j: number, lag: number) => `WX[xr + ${j - lag * 2}]`, temp: () => `q${i++}` }
}
const P: Expr = { kind: "param", index: 0 }
const pow = (left: Expr, k: number): Expr => ({ kind: "bin", op: "^", left, right: { kind: "num", value: k } })

const run = (code: string, p0: number): number => {
  const q = new Function("p0", `let q0 = 0, q1 = 0; return ${code};`) as (p0: number) => number
  return q(p0)
}

describe("emitExpr", () => {
  it("expands small integer powers and agrees with Math.pow", () => {
    for (const k of [-4, -3, -2, -1, 0, 1, 2, 3, 4]) {
      const code = emitExpr(pow({ kind: "bin", op: "+", left: P, right: { kind: "num", value: 1 } }, k), ctx("main"))
      if (k !== 0) expect(code).not.toContain("Math.pow")
      for (const x of [-2.5, -1, -0.3, 0.7, 3.1, 1e3]) {
        const a = run(code, x)
        const b = Math.pow(x + 1, k)
        if (a !== b) expect(Math.abs(a - b)).toBeLessThanOrEqual(4e-16 * Math.abs(b))
      }
    }
    expect(emitExpr(pow(P, 2), ctx("main"))).toBe("(p0 * p0)")
    expect(emitExpr(pow(P, 5), ctx("main"))).toBe("Math.pow(p0, 5)")
  })
  it("keeps negative literals and -0 intact", () => {
    expect(emitExpr({ kind: "bin", op: "-", left: P, right: { kind: "num", value: -2 } }, ctx("main"))).toBe("(p0 - (-2))")
    expect(Object.is(run(emitExpr({ kind: "num", value: -0 }, ctx("main")), 0), -0)).toBe(true)
  })
  it("reads series through the context, lags without a branch", () => {
    const lag: Expr = { kind: "endo", index: 1, lag: 2 }
    expect(emitExpr(lag, ctx())).toBe("W[r + -5]")
    expect(emitExpr({ kind: "exo", index: 1, lag: 1 }, ctx())).toBe("WX[xr + -1]")
    expect(emitExpr({ kind: "exo", index: 1, lag: 0 }, ctx())).toBe("WX[xr + 1]")
  })
})
