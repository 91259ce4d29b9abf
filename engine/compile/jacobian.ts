// Symbolic Jacobian of a simultaneous block: each equation's right-hand side is turned back
// into a mathjs AST (identifiers renamed to neutral symbols, min/max rewritten with abs so
// mathjs can differentiate them), differentiated with math.derivative (without its slow
// simplify), read back into the compiler's expression tree and constant-folded. Also decides
// whether a block is linear: its Jacobian reads none of the block's own current values. At
// a kink (abs, min, max at equality) a derivative is not finite: Newton then falls back to
// Gauss-Seidel. A conditional c ? a : b is differentiated branch by branch, its test kept:
// the Jacobian is the one of the branch the current iterate takes, so Newton is exact on
// each side of a switch, and a block whose tests read its own values is never taken as
// linear (one step could land on the other side). Used by codegen.ts for Newton. Pure.
import { ConstantNode, FunctionNode, OperatorNode, SymbolNode, derivative, type MathNode } from "./math.ts"
import type { CallName, Expr } from "./expr.ts"
import { hasConditional, liftConditionals, walk } from "./expr.ts"

const OPS: Record<string, [string, string]> = {
  "+": ["+", "add"],
  "-": ["-", "subtract"],
  "*": ["*", "multiply"],
  "/": ["/", "divide"],
  "^": ["^", "pow"],
}

const symbolName = (e: Expr): string => {
  switch (e.kind) {
    case "endo":
      return e.lag === 0 ? `v${e.index}` : `l${e.index}_${e.lag}`
    case "exo":
      return `x${e.index}_${e.lag}`
    case "param":
      return `p${e.index}`
    default:
      throw new Error("not a symbol")
  }
}

const num = (v: number): MathNode => (v < 0 ? new OperatorNode("-", "unaryMinus", [new ConstantNode(-v)]) : new ConstantNode(v))

const toMath = (e: Expr): MathNode => {
  switch (e.kind) {
    case "num":
      return num(e.value)
    case "endo":
    case "exo":
    case "param":
      return new SymbolNode(symbolName(e))
    case "neg":
      return new OperatorNode("-", "unaryMinus", [toMath(e.arg)])
    case "bin": {
      const [op, fn] = OPS[e.op]!
      return new OperatorNode(op as "+", fn as "add", [toMath(e.left), toMath(e.right)])
    }
    case "call": {
      if (e.fn === "min" || e.fn === "max") {
        // min(a, b) = (a + b - |a - b|) / 2, max(a, b) = (a + b + |a - b|) / 2: differentiable by mathjs away from the kink.
        let acc = toMath(e.args[0]!)
        for (const arg of e.args.slice(1)) {
          const b = toMath(arg)
          const sum = new OperatorNode("+", "add", [acc, b])
          const gap = new FunctionNode(new SymbolNode("abs"), [new OperatorNode("-", "subtract", [acc, b])])
          const inner = e.fn === "min" ? new OperatorNode("-", "subtract", [sum, gap]) : new OperatorNode("+", "add", [sum, gap])
          acc = new OperatorNode("/", "divide", [inner, new ConstantNode(2)])
        }
        return acc
      }
      return new FunctionNode(new SymbolNode(e.fn), e.args.map(toMath))
    }
    case "cond":
      throw new Error("conditionals are differentiated branch by branch (partial)")
  }
}

const SYMBOL = /^(?:v(\d+)|l(\d+)_(\d+)|x(\d+)_(\d+)|p(\d+))$/
const FROM_FN: Record<string, "+" | "-" | "*" | "/" | "^"> = { add: "+", subtract: "-", multiply: "*", divide: "/", pow: "^" }
const CALLS = new Set<string>(["abs", "exp", "log", "sqrt", "sign"])

const fromMath = (node: MathNode): Expr => {
  const n = node as any
  switch (n.type as string) {
    case "ParenthesisNode":
      return fromMath(n.content)
    case "ConstantNode":
      if (typeof n.value !== "number") throw new Error(`derivative produced a constant ${String(n.value)}`)
      return { kind: "num", value: n.value }
    case "SymbolNode": {
      const m = SYMBOL.exec(n.name)
      if (m === null) throw new Error(`derivative produced the symbol ${n.name}`)
      if (m[1] !== undefined) return { kind: "endo", index: Number(m[1]), lag: 0 }
      if (m[2] !== undefined) return { kind: "endo", index: Number(m[2]), lag: Number(m[3]) }
      if (m[4] !== undefined) return { kind: "exo", index: Number(m[4]), lag: Number(m[5]) }
      return { kind: "param", index: Number(m[6]) }
    }
    case "OperatorNode": {
      if (n.fn === "unaryMinus") return { kind: "neg", arg: fromMath(n.args[0]) }
      if (n.fn === "unaryPlus") return fromMath(n.args[0])
      const op = FROM_FN[n.fn]
      if (op === undefined || n.args.length !== 2) throw new Error(`derivative produced the operator ${n.fn}`)
      return { kind: "bin", op, left: fromMath(n.args[0]), right: fromMath(n.args[1]) }
    }
    case "FunctionNode": {
      const name: string = n.fn?.name
      if (!CALLS.has(name)) throw new Error(`derivative produced the function ${name}`)
      return { kind: "call", fn: name as CallName, args: n.args.map(fromMath) }
    }
    default:
      throw new Error(`derivative produced a ${n.type}`)
  }
}

/**
 * d rhs / d v_k, symbolically; undefined when mathjs cannot differentiate it (the block then
 * has no Newton step and is solved by Gauss-Seidel).
 */
export const partial = (rhs: Expr, k: number): Expr | undefined => {
  let reads = false
  walk(rhs, (n) => {
    if (n.kind === "endo" && n.lag === 0 && n.index === k) reads = true
  })
  if (!reads) return { kind: "num", value: 0 }
  // c ? a : b: the derivative of the branch taken (the test is kept, so Newton follows the branch of its iterate)
  if (hasConditional(rhs)) {
    const lifted = liftConditionals(rhs)
    if (lifted.kind !== "cond") return partial(lifted, k)
    const then = partial(lifted.then, k)
    const other = partial(lifted.else, k)
    return then === undefined || other === undefined ? undefined : { kind: "cond", test: lifted.test, then, else: other }
  }
  try {
    // mathjs's own simplify is slow on long expressions; its raw derivative folded here is equivalent.
    return fold(fromMath(derivative(toMath(rhs), `v${k}`, { simplify: false })))
  } catch {
    return undefined
  }
}

const isNum = (e: Expr, v?: number): e is { kind: "num"; value: number } => e.kind === "num" && (v === undefined || e.value === v)

/**
 * Constant folding of a derivative: numbers combine, x*0 = 0, x*1 = x, x+0 = x, x/1 = x,
 * x^1 = x, -(-x) = x. (x*0 = 0 also for a non-finite x: a Jacobian entry, not a value.)
 */
export const fold = (e: Expr): Expr => {
  switch (e.kind) {
    case "neg": {
      const a = fold(e.arg)
      if (isNum(a)) return { kind: "num", value: -a.value }
      if (a.kind === "neg") return a.arg
      return { kind: "neg", arg: a }
    }
    case "call":
      return { kind: "call", fn: e.fn, args: e.args.map(fold) }
    case "cond":
      return { kind: "cond", test: e.test, then: fold(e.then), else: fold(e.else) }
    case "bin": {
      const l = fold(e.left)
      const r = fold(e.right)
      if (isNum(l) && isNum(r) && e.op !== "^") {
        const v = e.op === "+" ? l.value + r.value : e.op === "-" ? l.value - r.value : e.op === "*" ? l.value * r.value : l.value / r.value
        return { kind: "num", value: v }
      }
      switch (e.op) {
        case "+":
          if (isNum(l, 0)) return r
          if (isNum(r, 0)) return l
          break
        case "-":
          if (isNum(r, 0)) return l
          if (isNum(l, 0)) return fold({ kind: "neg", arg: r })
          break
        case "*":
          if (isNum(l, 0) || isNum(r, 0)) return { kind: "num", value: 0 }
          if (isNum(l, 1)) return r
          if (isNum(r, 1)) return l
          if (isNum(l, -1)) return fold({ kind: "neg", arg: r })
          if (isNum(r, -1)) return fold({ kind: "neg", arg: l })
          break
        case "/":
          if (isNum(l, 0)) return { kind: "num", value: 0 }
          if (isNum(r, 1)) return l
          break
        case "^":
          if (isNum(r, 1)) return l
          if (isNum(r, 0)) return { kind: "num", value: 1 }
          if (isNum(l) && isNum(r)) return { kind: "num", value: Math.pow(l.value, r.value) }
          break
      }
      return { kind: "bin", op: e.op, left: l, right: r }
    }
    default:
      return e
  }
}

/** The Jacobian of a block's right-hand sides with respect to its variables, or undefined. */
export const blockJacobian = (rhs: readonly Expr[], vars: readonly number[]): Expr[][] | undefined => {
  const rows: Expr[][] = []
  for (const r of rhs) {
    const row: Expr[] = []
    for (const k of vars) {
      const d = partial(r, k)
      if (d === undefined) return undefined
      row.push(d)
    }
    rows.push(row)
  }
  return rows
}

/** A block is linear when no Jacobian entry reads a current value of the block's own variables. */
export const isLinear = (jac: readonly (readonly Expr[])[], vars: readonly number[]): boolean => {
  const own = new Set(vars)
  let linear = true
  for (const row of jac) for (const d of row) walk(d, (n) => {
    if (n.kind === "endo" && n.lag === 0 && own.has(n.index)) linear = false
  })
  return linear
}
