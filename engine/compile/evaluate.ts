// An interpreter of the compiler's expression trees: the value of an equation's side at one
// period from a reader of series values and the parameter vector. Slow next to the kernels
// (codegen.ts) and meant for what runs a few thousand times, not per draw: residual checks,
// estimation's regressors, tests. Same operations in the same order as the kernel, so the
// same bits except the kernel's expanded small integer powers. Pure.
import type { Expr, Test } from "./expr.ts"

/** Reads series values: `endo(j, lag)` and `exo(i, lag)` at the period being evaluated. */
export interface SeriesReader {
  endo(index: number, lag: number): number
  exo(index: number, lag: number): number
}

const CALL: Readonly<Record<string, (...xs: number[]) => number>> = {
  abs: Math.abs,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  min: Math.min,
  max: Math.max,
  sign: Math.sign,
}

/** The value of `e` with series from `read` and parameters from `params`. */
export const evaluate = (e: Expr, read: SeriesReader, params: ArrayLike<number>): number => {
  const go = (x: Expr): number => {
    switch (x.kind) {
      case "num":
        return x.value
      case "endo":
        return read.endo(x.index, x.lag)
      case "exo":
        return read.exo(x.index, x.lag)
      case "param":
        return params[x.index]!
      case "neg":
        return -go(x.arg)
      case "bin": {
        const l = go(x.left)
        const r = go(x.right)
        return x.op === "+" ? l + r : x.op === "-" ? l - r : x.op === "*" ? l * r : x.op === "/" ? l / r : Math.pow(l, r)
      }
      case "call":
        return CALL[x.fn]!(...x.args.map(go))
      case "cond":
        return holds(x.test) ? go(x.then) : go(x.else)
    }
  }
  const holds = (t: Test): boolean => {
    switch (t.kind) {
      case "cmp": {
        const l = go(t.left)
        const r = go(t.right)
        return t.op === "<" ? l < r : t.op === "<=" ? l <= r : t.op === ">" ? l > r : t.op === ">=" ? l >= r : t.op === "==" ? l === r : l !== r
      }
      case "and":
        return holds(t.left) && holds(t.right)
      case "or":
        return holds(t.left) || holds(t.right)
      case "not":
        return !holds(t.arg)
    }
  }
  return go(e)
}
