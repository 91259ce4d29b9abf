// The one table of what an equation may use: arithmetic operators and a few functions, each
// with its arity and the JavaScript it compiles to. The parser refuses anything not listed here
// and the code generator emits only what is listed here. Adding a function is one entry plus a
// reference test. Pure data.

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

/** A function allowed in equations: its arity bounds and the JavaScript function it compiles to. */
export interface FunctionRule {
  readonly minArgs: number
  readonly maxArgs: number
  readonly js: string
}

/** The functions an equation may call (a call on a variable's name is a lag, `x(-k)`, not a function). */
export const FUNCTIONS: Readonly<Record<string, FunctionRule>> = {
  abs: { minArgs: 1, maxArgs: 1, js: "Math.abs" },
  exp: { minArgs: 1, maxArgs: 1, js: "Math.exp" },
  log: { minArgs: 1, maxArgs: 1, js: "Math.log" },
  sqrt: { minArgs: 1, maxArgs: 1, js: "Math.sqrt" },
  min: { minArgs: 1, maxArgs: Infinity, js: "Math.min" },
  max: { minArgs: 1, maxArgs: Infinity, js: "Math.max" },
}

export const isAllowedFunction = (name: string): boolean => Object.hasOwn(FUNCTIONS, name)
export const isAllowedOperator = (fn: string): boolean => Object.hasOwn(OPERATORS, fn)
