// The one table of what an equation may use: arithmetic operators, comparisons (in the test of
// a conditional `c ? a : b`), and the functions, each with its arity and either the JavaScript
// it compiles to (math functions) or its rewrite into lags (series functions such as tsdelta,
// expanded by parse.ts before anything else sees the equation); and the functions a
// left-hand side may apply to its variable, each with its inverse. The parser refuses anything
// not listed here and the code generator emits only what is listed here. Adding a function is
// one entry plus a reference test; the model-language reference (engine/reference.ts) lists
// this table as it stands. Pure data (and the rewrites, pure functions of trees).
import { shift, type CompareOp, type Expr } from "./expr.ts"

/** An operator allowed in equations, keyed by the mathjs `OperatorNode.fn` name. */
export interface OperatorRule {
  readonly symbol: string
  readonly arity: 1 | 2
}

/** The operators an equation may use: `+ - * / ^`, unary minus and unary plus. */
export const OPERATORS: Readonly<Record<string, OperatorRule>> = {
  add: { symbol: "+", arity: 2 },
  subtract: { symbol: "-", arity: 2 },
  multiply: { symbol: "*", arity: 2 },
  divide: { symbol: "/", arity: 2 },
  pow: { symbol: "^", arity: 2 },
  unaryMinus: { symbol: "-", arity: 1 },
  unaryPlus: { symbol: "+", arity: 1 },
}

/** Comparisons, allowed only in the test of a conditional, keyed by the mathjs name. */
export const COMPARISONS: Readonly<Record<string, CompareOp>> = {
  smaller: "<",
  smallerEq: "<=",
  larger: ">",
  largerEq: ">=",
  equal: "==",
  unequal: "!=",
}

/** Logical operators joining comparisons in a test. */
export const LOGICAL: Readonly<Record<string, "and" | "or" | "not">> = { and: "and", or: "or", not: "not" }

const num = (value: number): Expr => ({ kind: "num", value })
const bin = (op: "+" | "-" | "*" | "/", left: Expr, right: Expr): Expr => ({ kind: "bin", op, left, right })
const sum = (x: Expr, n: number): Expr => {
  let acc = x
  for (let k = 1; k < n; k++) acc = bin("+", acc, shift(x, k))
  return acc
}

/**
 * A function an equation may call. `js`: a math function compiled to that JavaScript. `series`:
 * a function of a series, rewritten into lags of its first argument (any expression); its
 * optional second argument is a positive integer literal (a lag or a window, default `int`).
 */
export type FunctionRule =
  | { readonly minArgs: number; readonly maxArgs: number; readonly js: string; readonly doc: string }
  | {
      readonly minArgs: 1
      readonly maxArgs: 2
      readonly js?: undefined
      readonly int: number
      /** The second argument's name in the reference (engine/reference.ts): `k` a lag, `n` a window. */
      readonly param: "k" | "n"
      readonly series: (x: Expr, k: number) => Expr
      readonly doc: string
    }

/** The functions an equation may call (a call on a variable's name is a lag, `x(-k)`, not a function). */
export const FUNCTIONS: Readonly<Record<string, FunctionRule>> = {
  abs: { minArgs: 1, maxArgs: 1, js: "Math.abs", doc: "absolute value" },
  exp: { minArgs: 1, maxArgs: 1, js: "Math.exp", doc: "e to the power x" },
  log: { minArgs: 1, maxArgs: 1, js: "Math.log", doc: "natural logarithm" },
  sqrt: { minArgs: 1, maxArgs: 1, js: "Math.sqrt", doc: "square root" },
  min: { minArgs: 1, maxArgs: Infinity, js: "Math.min", doc: "smallest argument" },
  max: { minArgs: 1, maxArgs: Infinity, js: "Math.max", doc: "largest argument" },
  tslag: { minArgs: 1, maxArgs: 2, int: 1, param: "k", series: (x, k) => shift(x, k), doc: "tslag(x, k) = x(-k)" },
  tsdelta: { minArgs: 1, maxArgs: 2, int: 1, param: "k", series: (x, k) => bin("-", x, shift(x, k)), doc: "tsdelta(x, k) = x - x(-k)" },
  tsdeltap: {
    minArgs: 1,
    maxArgs: 2,
    int: 1,
    param: "k",
    series: (x, k) => bin("*", num(100), bin("/", bin("-", x, shift(x, k)), shift(x, k))),
    doc: "tsdeltap(x, k) = 100 * (x - x(-k)) / x(-k), the growth in percent",
  },
  tsdeltalog: {
    minArgs: 1,
    maxArgs: 2,
    int: 1,
    param: "k",
    series: (x, k) => bin("-", { kind: "call", fn: "log", args: [x] }, { kind: "call", fn: "log", args: [shift(x, k)] }),
    doc: "tsdeltalog(x, k) = log(x) - log(x(-k))",
  },
  movsum: { minArgs: 1, maxArgs: 2, int: 2, param: "n", series: (x, n) => sum(x, n), doc: "movsum(x, n) = x + x(-1) + ... + x(-(n-1))" },
  movavg: { minArgs: 1, maxArgs: 2, int: 2, param: "n", series: (x, n) => bin("/", sum(x, n), num(n)), doc: "movavg(x, n) = movsum(x, n) / n" },
}

/**
 * A function a left-hand side may apply to the variable it defines (`log(i) = ...`), with the
 * equation solved for the variable: `solve(x, r)` is x's value when f(x) = r.
 */
export interface InverseRule {
  readonly solve: (x: Expr, r: Expr) => Expr
  readonly doc: string
}

export const LEFT_HAND_SIDES: Readonly<Record<string, InverseRule>> = {
  log: { solve: (_, r) => ({ kind: "call", fn: "exp", args: [r] }), doc: "log(x) = r: x = exp(r)" },
  exp: { solve: (_, r) => ({ kind: "call", fn: "log", args: [r] }), doc: "exp(x) = r: x = log(r)" },
  tsdelta: { solve: (x, r) => bin("+", shift(x, 1), r), doc: "tsdelta(x) = r: x = x(-1) + r" },
  tsdeltap: { solve: (x, r) => bin("*", shift(x, 1), bin("+", num(1), bin("/", r, num(100)))), doc: "tsdeltap(x) = r: x = x(-1) * (1 + r / 100)" },
  tsdeltalog: { solve: (x, r) => bin("*", shift(x, 1), { kind: "call", fn: "exp", args: [r] }), doc: "tsdeltalog(x) = r: x = x(-1) * exp(r)" },
}

/** A function's call as the reference writes it: `abs(x)`, `min(x, ...)`, `tsdelta(x, k = 1)`. */
export const signatureOf = (name: string, rule: FunctionRule): string =>
  rule.js === undefined
    ? `${name}(x, ${rule.param} = ${rule.int})`
    : `${name}(${rule.maxArgs === Infinity ? "x, ..." : ["x", "y", "z"].slice(0, rule.maxArgs).join(", ")})`

export const isAllowedFunction = (name: string): boolean => Object.hasOwn(FUNCTIONS, name)
export const isAllowedOperator = (fn: string): boolean => Object.hasOwn(OPERATORS, fn)
