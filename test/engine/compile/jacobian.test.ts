// Unit tests of the symbolic Jacobian: partial derivatives through mathjs, constant folding,
// and the linearity decision on small blocks.
import { describe, expect, it } from "vitest"
import type { Expr } from "../../../engine/compile/expr.ts"
import { blockJacobian, fold, isLinear, partial } from "../../../engine/compile/jacobian.ts"
import { parseEquation, type SymbolInfo } from "../../../engine/compile/parse.ts"

const scope = new Map<string, SymbolInfo>([
  ["x", { kind: "endogenous", index: 0, history: 1 }],
  ["y", { kind: "endogenous", index: 1, history: 0 }],
  ["a", { kind: "parameter", index: 0 }],
  ["g", { kind: "exogenous", index: 0, history: 0 }],
])
const eq = (text: string): Expr => parseEquation(text, scope, ["equations", "x"])
const num = (value: number): Expr => ({ kind: "num", value })
const X: Expr = { kind: "endo", index: 0, lag: 0 }
const A: Expr = { kind: "param", index: 0 }

// evaluates a derivative tree at x, y, a, g for checking values
const at = (e: Expr, v: { x: number; y: number; a: number; g: number; xl: number }): number => {
  switch (e.kind) {
    case "num":
      return e.value
    case "endo":
      return e.lag > 0 ? v.xl : e.index === 0 ? v.x : v.y
    case "exo":
      return v.g
    case "param":
      return v.a
    case "neg":
      return -at(e.arg, v)
    case "bin": {
      const l = at(e.left, v)
      const r = at(e.right, v)
      return e.op === "+" ? l + r : e.op === "-" ? l - r : e.op === "*" ? l * r : e.op === "/" ? l / r : Math.pow(l, r)
    }
    case "call": {
      const args = e.args.map((a) => at(a, v))
      return e.fn === "min" ? Math.min(...args) : e.fn === "max" ? Math.max(...args) : (Math[e.fn] as (x: number) => number)(args[0]!)
    }
    case "cond":
      throw new Error("not used here")
  }
}

describe("partial", () => {
  it("is zero for an equation that does not read the variable", () => {
    expect(partial(eq("a * y + x(-1)"), 0)).toEqual(num(0))
  })
  it("folds a linear term to its coefficient", () => {
    expect(partial(eq("a * x + g"), 0)).toEqual(A)
    expect(partial(eq("3 * x - 2 * x"), 0)).toEqual(num(1))
  })
  it.each([
    ["x^2 * a", (v: { x: number; a: number }) => 2 * v.x * v.a],
    ["exp(2 * x) + log(x)", (v: { x: number }) => 2 * Math.exp(2 * v.x) + 1 / v.x],
    ["sqrt(x * y)", (v: { x: number; y: number }) => v.y / (2 * Math.sqrt(v.x * v.y))],
    ["x / y - y / x", (v: { x: number; y: number }) => 1 / v.y + v.y / v.x ** 2],
    ["a^x", (v: { x: number; a: number }) => Math.pow(v.a, v.x) * Math.log(v.a)],
    ["min(x, 2 * y)", (v: { x: number; y: number }) => (v.x < 2 * v.y ? 1 : 0)],
    ["max(x, 2 * y, 1)", (v: { x: number; y: number }) => (v.x > 2 * v.y && v.x > 1 ? 1 : 0)],
    ["abs(x - y)", (v: { x: number; y: number }) => Math.sign(v.x - v.y)],
  ])("d/dx %s matches the analytic derivative", (text, d) => {
    const dx = partial(eq(text), 0)!
    for (const v of [
      { x: 1.3, y: 0.4, a: 2.5, g: 1, xl: 0 },
      { x: 0.2, y: 1.7, a: 0.5, g: 1, xl: 0 },
    ])
      expect(at(dx, v)).toBeCloseTo(d(v), 10)
  })
})

describe("fold", () => {
  it("removes zeros and ones and combines numbers", () => {
    expect(fold({ kind: "bin", op: "+", left: { kind: "bin", op: "*", left: num(0), right: X }, right: { kind: "bin", op: "*", left: num(1), right: A } })).toEqual(A)
    expect(fold({ kind: "bin", op: "-", left: num(0), right: { kind: "bin", op: "/", left: num(6), right: num(3) } })).toEqual(num(-2))
    expect(fold({ kind: "neg", arg: { kind: "neg", arg: X } })).toEqual(X)
    expect(fold({ kind: "bin", op: "^", left: X, right: num(1) })).toEqual(X)
  })
})

describe("isLinear", () => {
  it("holds when the Jacobian reads no current value of the block", () => {
    const rhs = [eq("a * y + g + x(-1)^2"), eq("x / 4")]
    expect(isLinear(blockJacobian(rhs, [0, 1])!, [0, 1])).toBe(true)
  })
  it("fails for products and nonlinear functions of block variables", () => {
    expect(isLinear(blockJacobian([eq("a * y"), eq("x * x")], [0, 1])!, [0, 1])).toBe(false)
    expect(isLinear(blockJacobian([eq("exp(y)"), eq("x")], [0, 1])!, [0, 1])).toBe(false)
  })
})
