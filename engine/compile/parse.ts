// Equation text -> validated expression trees. Parses with mathjs, then walks the AST once:
// every node must be a number, a known identifier, a whitelisted operator or function, a
// conditional `c ? a : b` whose test compares expressions, or a lag `x(-k)` of a series or of a
// parenthesised expression or function call (`(y + t)(-1)`, `log(x)(-1)`), k an integer
// literal. Series functions (tsdelta, movavg, ...) and lags of expressions are rewritten here
// into lags of series (whitelist.ts), so later stages see only series reads at fixed lags.
// An equation may be written `x = rhs` or `f(x) = rhs` with f an invertible function of the
// variable it defines (whitelist.ts LEFT_HAND_SIDES), solved for x here. Every lag is then
// checked against its series' history; a lead (`x(+k)`) is refused unless the caller allows
// leads. Anything else is refused with a ModelError at the equation's path. Sits between the
// symbol table (symbols.ts) and the dependency graph (graph.ts). Pure.
import { parse as mathParse, type MathNode } from "./math.ts"
import { ModelError, type FieldPath } from "../errors.ts"
import { didYouMean } from "../suggest.ts"
import { shift, walk, type Expr, type Test } from "./expr.ts"
import { COMPARISONS, FUNCTIONS, LEFT_HAND_SIDES, LOGICAL, OPERATORS, isAllowedFunction, isAllowedOperator } from "./whitelist.ts"

/** What a name in an equation refers to. `history` is the number of periods before the horizon that can be lagged. */
export type SymbolInfo =
  | { readonly kind: "endogenous" | "exogenous"; readonly index: number; readonly history: number }
  | { readonly kind: "parameter"; readonly index: number }

/** One equation in its parts: `lhs = rhs` as written (lhs a function of the variable or the variable itself) and solved for the variable. */
export interface ParsedEquation {
  /** The left-hand side as written: the variable (lag 0), or an invertible function of it. */
  readonly lhs: Expr
  /** The right-hand side as written (series functions expanded). */
  readonly rhs: Expr
  /** The variable's value: rhs when the left-hand side is the variable, else the inverse applied to rhs. */
  readonly solved: Expr
  /** The function on the left-hand side, when there is one (`log`, `tsdelta`, ...). */
  readonly lhsFunction?: string
  /** Indexes of the AR(n) error parameters, r1 first (empty without AR errors). */
  readonly ar: readonly number[]
}

/** How parseEquation treats an equation. */
export interface ParseOptions {
  /** The endogenous variable the equation defines; needed for a left-hand side `f(x) = ...`. */
  readonly variable?: string
  /** Accept leads `x(+k)` (default: refused). */
  readonly leads?: boolean
  /**
   * Parameters of AR(n) errors (model `estimate.<x>.ar`): the equation's error follows
   * u = r1 u(-1) + ... + rn u(-n) with u = lhs - rhs, so the variable solves
   * lhs = rhs + r1 (lhs - rhs)(-1) + ... (the lags read the history or the solution).
   */
  readonly ar?: readonly string[]
}

// Node kinds mathjs can produce that the model language refuses, with the reason given.
const REFUSED: Readonly<Record<string, string>> = {
  AssignmentNode: "an equation has one left-hand side: write `x = ...` once, at the start",
  FunctionAssignmentNode: "function definitions are not allowed",
  ArrayNode: "matrices are not allowed",
  RangeNode: "ranges are not allowed",
  BlockNode: "an equation is one expression (no ; or line breaks)",
  AccessorNode: "indexing is not allowed",
  IndexNode: "indexing is not allowed",
  ObjectNode: "objects are not allowed",
}

const paramName = (p: unknown): string => (typeof p === "string" ? p : ((p as { name?: string } | undefined)?.name ?? ""))

const unparen = (node: any): any => {
  while (node.type === "ParenthesisNode") node = node.content
  return node
}

/** The signed integer k of `-k` / `+k` (a lag or a lead), or undefined when `node` is not one. */
const signedInteger = (node: MathNode): number | undefined => {
  const a = unparen(node)
  if (a.type !== "OperatorNode" || (a.fn !== "unaryMinus" && a.fn !== "unaryPlus")) return undefined
  const k = unparen(a.args[0])
  if (k.type !== "ConstantNode" || typeof k.value !== "number" || !Number.isInteger(k.value) || k.value < 1) return undefined
  return a.fn === "unaryMinus" ? k.value : -k.value
}

// Per scope, the name of each series by kind and index (a lag names its series in an error): built once per scope, so checking the lags of a model's equations is linear in its size.
const namesByScope = new WeakMap<ReadonlyMap<string, SymbolInfo>, { readonly endogenous: string[]; readonly exogenous: string[] }>()
const seriesNames = (scope: ReadonlyMap<string, SymbolInfo>): { readonly endogenous: string[]; readonly exogenous: string[] } => {
  let names = namesByScope.get(scope)
  if (names === undefined) {
    names = { endogenous: [], exogenous: [] }
    for (const [name, s] of scope) if (s.kind !== "parameter" && names[s.kind][s.index] === undefined) names[s.kind][s.index] = name
    namesByScope.set(scope, names)
  }
  return names
}

/**
 * Parses and validates one equation: its left-hand side (if written) and right-hand side.
 * @param scope every name the equation may use
 * @param path where a refusal points, e.g. `["equations", "gdp"]`
 * @throws ModelError naming the problem (syntax with character position, unknown identifier, ...)
 */
export const parseEquationParts = (text: string, scope: ReadonlyMap<string, SymbolInfo>, path: FieldPath, options: ParseOptions = {}): ParsedEquation => {
  const fail = (problem: string): never => {
    throw new ModelError({ path, problem })
  }
  let root: MathNode
  try {
    root = mathParse(text)
  } catch (e) {
    const char = (e as { char?: number }).char
    const msg = String((e as Error).message ?? e).replace(/\s*\(char \d+\)\s*$/, "")
    return fail(char !== undefined ? `syntax error at character ${char}: ${msg}` : `syntax error: ${msg}`)
  }

  const lagForm = (name: string): string =>
    `a lag is written ${name}(-k) with k a positive integer literal` +
    (isAllowedFunction(name) ? ` ("${name}" is a name of this model, so it hides the function ${name})` : "")

  const intArgument = (name: string, node: MathNode): number => {
    const k = unparen(node)
    if (k.type !== "ConstantNode" || typeof k.value !== "number" || !Number.isInteger(k.value) || k.value < 1)
      return fail(`the second argument of ${name} is a positive integer literal (a lag or a window)`)
    return k.value as number
  }

  const test = (node: MathNode): Test => {
    const n = unparen(node)
    if (n.type === "OperatorNode" && Object.hasOwn(COMPARISONS, n.fn)) return { kind: "cmp", op: COMPARISONS[n.fn]!, left: visit(n.args[0]), right: visit(n.args[1]) }
    if (n.type === "OperatorNode" && Object.hasOwn(LOGICAL, n.fn)) {
      const op = LOGICAL[n.fn]!
      return op === "not" ? { kind: "not", arg: test(n.args[0]) } : { kind: op, left: test(n.args[0]), right: test(n.args[1]) }
    }
    if (n.type === "RelationalNode") {
      // a < b <= c: each adjacent pair compared, all must hold
      let acc: Test | undefined
      ;(n.conditionals as string[]).forEach((fn, i) => {
        const op = COMPARISONS[fn]
        if (op === undefined) fail(`the comparison "${fn}" is not allowed`)
        const cmp: Test = { kind: "cmp", op: op!, left: visit(n.params[i]), right: visit(n.params[i + 1]) }
        acc = acc === undefined ? cmp : { kind: "and", left: acc, right: cmp }
      })
      return acc!
    }
    return fail("the test of a conditional (c ? a : b) is a comparison (< <= > >= == !=), possibly joined by and, or, not")
  }

  const visit = (node: MathNode): Expr => {
    const n = node as any
    switch (n.type as string) {
      case "ParenthesisNode":
        return visit(n.content)
      case "ConstantNode": {
        const v = n.value
        if (typeof v === "number") {
          if (!Number.isFinite(v)) return fail(`the number ${String(v)} is not finite`)
          return { kind: "num", value: v }
        }
        if (typeof v === "string") return fail(`strings are not allowed (${JSON.stringify(v)})`)
        return fail(`the constant ${String(v)} is not allowed: only numbers`)
      }
      case "SymbolNode": {
        const s = scope.get(n.name)
        if (s === undefined) return fail(`unknown identifier "${n.name}"${didYouMean(n.name, scope.keys())}`)
        return s.kind === "parameter" ? { kind: "param", index: s.index } : { kind: s.kind === "endogenous" ? "endo" : "exo", index: s.index, lag: 0 }
      }
      case "ConditionalNode":
        return { kind: "cond", test: test(n.condition), then: visit(n.trueExpr), else: visit(n.falseExpr) }
      case "RelationalNode":
        return fail("a comparison is allowed only as the test of a conditional (c ? a : b)")
      case "OperatorNode": {
        if (n.implicit) {
          // (expr)(-k) or f(x)(-k): the lag of an expression; anything else is an implicit multiplication
          const left = n.args[0]
          const k = n.fn === "multiply" && n.args.length === 2 && n.args[1].type === "ParenthesisNode" ? signedInteger(n.args[1]) : undefined
          if (k !== undefined && (left.type === "ParenthesisNode" || left.type === "FunctionNode")) return shift(visit(left), k)
          return fail(`implicit multiplication is not allowed: write "*" (as in "2 * x"), since "1/2x" would read as "(1/2)*x"`)
        }
        if (Object.hasOwn(COMPARISONS, n.fn) || Object.hasOwn(LOGICAL, n.fn))
          return fail(`a comparison or logical operator ("${n.op}") is allowed only in the test of a conditional (c ? a : b)`)
        if (!isAllowedOperator(n.fn)) return fail(`operator "${n.op}" is not allowed`)
        const rule = OPERATORS[n.fn]!
        if (n.args.length !== rule.arity) return fail(`operator "${n.op}" is not allowed with ${n.args.length} operands`)
        if (rule.arity === 1) {
          const arg = visit(n.args[0])
          return n.fn === "unaryMinus" ? { kind: "neg", arg } : arg
        }
        return { kind: "bin", op: rule.symbol as "+" | "-" | "*" | "/" | "^", left: visit(n.args[0]), right: visit(n.args[1]) }
      }
      case "FunctionNode": {
        if (n.fn?.type !== "SymbolNode") return fail("only named functions and lags x(-k) can be called")
        const name: string = n.fn.name
        const s = scope.get(name)
        if (s !== undefined) {
          if (s.kind === "parameter") return fail(`parameter "${name}" cannot be lagged: parameters have one value over the horizon`)
          const k = n.args.length === 1 ? signedInteger(n.args[0]) : undefined
          if (k === undefined) return fail(lagForm(name))
          return { kind: s.kind === "endogenous" ? "endo" : "exo", index: s.index, lag: k }
        }
        if (!isAllowedFunction(name)) return fail(`function "${name}" is not allowed (allowed: ${Object.keys(FUNCTIONS).join(", ")})`)
        const rule = FUNCTIONS[name]!
        if (n.args.length < rule.minArgs || n.args.length > rule.maxArgs)
          return fail(
            name === "log"
              ? `log takes one argument (the natural logarithm); write log(x) / log(b) for another base`
              : rule.js === undefined
                ? `${name} takes a series and optionally a positive integer (${rule.doc}), got ${n.args.length} argument(s)`
                : `function "${name}" takes ${rule.minArgs === rule.maxArgs ? rule.minArgs : `at least ${rule.minArgs}`} argument(s), got ${n.args.length}`,
          )
        if (rule.js === undefined) return rule.series(visit(n.args[0]), n.args.length === 2 ? intArgument(name, n.args[1]) : rule.int)
        return { kind: "call", fn: name as "abs", args: n.args.map(visit) }
      }
      default:
        return fail(REFUSED[n.type] ?? `"${n.type}" is not allowed in an equation`)
    }
  }

  // Lags within the history, leads only where allowed.
  const checkLags = (e: Expr): void =>
    walk(e, (x) => {
      if (x.kind !== "endo" && x.kind !== "exo") return
      const kind = x.kind === "endo" ? "endogenous" : "exogenous"
      if (x.lag === 0) return
      const name = seriesNames(scope)[kind][x.index]!
      const s = scope.get(name) as { history: number }
      if (x.lag < 0 && options.leads !== true)
        fail(`${name}(+${-x.lag}) is a lead: leads are not allowed here`)
      if (x.lag > s.history)
        fail(
          s.history === 0
            ? `${name}(-${x.lag}) is a lag beyond the data: ${kind} "${name}" has no history (give it one)`
            : `${name}(-${x.lag}) is a lag beyond the data: ${kind} "${name}" has ${s.history} periods of history`,
        )
    })

  const top = root as any
  const variable = options.variable
  const own = variable !== undefined ? scope.get(variable) : undefined
  const x: Expr | undefined = own !== undefined && own.kind === "endogenous" ? { kind: "endo", index: own.index, lag: 0 } : undefined
  let lhs: Expr
  let rhs: Expr
  let lhsFunction: string | undefined
  if (top.type === "AssignmentNode" || top.type === "FunctionAssignmentNode") {
    if (top.type === "FunctionAssignmentNode" && !Object.hasOwn(LEFT_HAND_SIDES, top.name))
      return fail(`the function "${top.name}" cannot stand on the left-hand side (allowed: ${Object.keys(LEFT_HAND_SIDES).join(", ")}, each solved for the variable); function definitions are not allowed`)
    if (top.type === "AssignmentNode" && top.object?.type !== "SymbolNode") return fail("the left-hand side is the variable or a function of it, e.g. `x = ...` or `log(x) = ...`")
    const named: string = top.type === "AssignmentNode" ? top.object.name : paramName(top.params?.[0])
    if (x === undefined || named !== variable)
      return fail(`the left-hand side must be the variable this equation defines${variable !== undefined ? ` ("${variable}")` : ""}, or a function of it; it names "${named}"`)
    rhs = visit(top.type === "AssignmentNode" ? top.value : top.expr)
    if (top.type === "AssignmentNode") lhs = x
    else {
      lhsFunction = top.name as string
      if (top.params.length !== 1) return fail(`the left-hand side ${lhsFunction}(...) takes the variable alone`)
      const rule = FUNCTIONS[lhsFunction]!
      lhs = rule.js === undefined ? rule.series(x, rule.int) : { kind: "call", fn: lhsFunction as "log", args: [x] }
    }
  } else {
    rhs = visit(root)
    lhs = x ?? { kind: "num", value: 0 }
  }
  const ar = (options.ar ?? []).map((name) => {
    const s = scope.get(name)
    if (s === undefined || s.kind !== "parameter") return fail(`the AR error parameter "${name}" is not a parameter of the model`)
    return s.index
  })
  if (ar.length > 0 && x === undefined) return fail("AR errors need the equation's variable")
  // rhs + r1 (lhs - rhs)(-1) + ... + rn (lhs - rhs)(-n)
  const full = ar.reduce<Expr>(
    (acc, p, i) => ({ kind: "bin", op: "+", left: acc, right: { kind: "bin", op: "*", left: { kind: "param", index: p }, right: shift({ kind: "bin", op: "-", left: lhs, right: rhs }, i + 1) } }),
    rhs,
  )
  const solved = dropZeroLeads(lhsFunction === undefined ? full : LEFT_HAND_SIDES[lhsFunction]!.solve(x!, full))
  rhs = dropZeroLeads(rhs)
  const parts: ParsedEquation = lhsFunction === undefined ? { lhs, rhs, solved, ar } : { lhs, rhs, solved, lhsFunction, ar }
  checkLags(parts.solved)
  checkLags(parts.lhs)
  return parts
}

const readsLead = (e: Expr): boolean => {
  let lead = false
  walk(e, (x) => {
    if ((x.kind === "endo" || x.kind === "exo") && x.lag < 0) lead = true
  })
  return lead
}
const isZero = (e: Expr): boolean => e.kind === "num" && e.value === 0

/**
 * Terms `0 * f` (or `f * 0`) with a literal 0 and a lead in f dropped from sums, as if never
 * written: `a + 0 * x(+1)` is `a`, so a model whose leads all have literal zero coefficients is
 * the backward model, solved period by period to the same bits.
 */
export const dropZeroLeads = (e: Expr): Expr => {
  const go = (x: Expr): Expr | null => {
    switch (x.kind) {
      case "bin": {
        if (x.op === "*" && ((isZero(x.left) && readsLead(x.right)) || (isZero(x.right) && readsLead(x.left)))) return null
        const l = go(x.left)
        const r = go(x.right)
        if (x.op === "+") return l === null ? (r ?? { kind: "num", value: 0 }) : r === null ? l : { ...x, left: l, right: r }
        if (x.op === "-") return r === null ? (l ?? { kind: "num", value: 0 }) : l === null ? { kind: "neg", arg: r } : { ...x, left: l, right: r }
        return { ...x, left: l ?? { kind: "num", value: 0 }, right: r ?? { kind: "num", value: 0 } }
      }
      case "neg": {
        const a = go(x.arg)
        return a === null ? null : { kind: "neg", arg: a }
      }
      case "call":
        return { ...x, args: x.args.map((a) => go(a) ?? { kind: "num", value: 0 }) }
      case "cond":
        return { ...x, then: go(x.then) ?? { kind: "num", value: 0 }, else: go(x.else) ?? { kind: "num", value: 0 } }
      default:
        return x
    }
  }
  return readsLead(e) ? (go(e) ?? { kind: "num", value: 0 }) : e
}

/**
 * Parses and validates one equation, solved for its variable (see parseEquationParts).
 * @throws ModelError naming the problem
 */
export const parseEquation = (text: string, scope: ReadonlyMap<string, SymbolInfo>, path: FieldPath, options: ParseOptions = {}): Expr =>
  parseEquationParts(text, scope, path, options).solved
