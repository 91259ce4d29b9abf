// Equation text -> validated expression tree. Parses with mathjs, then walks the AST once:
// every node must be a number, a known identifier, a whitelisted operator or function, or a
// lag `x(-k)` of an endogenous or exogenous series with k a positive integer literal within
// that series' history. Anything else is refused with a ModelError at the equation's path.
// Sits between the symbol table (symbols.ts) and the dependency graph (graph.ts). Pure.
import { parse as mathParse, type MathNode } from "mathjs"
import { ModelError, type FieldPath } from "../errors.ts"
import type { Expr } from "./expr.ts"
import { FUNCTIONS, OPERATORS, isAllowedFunction, isAllowedOperator } from "./whitelist.ts"

/** What a name in an equation refers to. `history` is the number of periods before the horizon that can be lagged. */
export type SymbolInfo =
  | { readonly kind: "endogenous" | "exogenous"; readonly index: number; readonly history: number }
  | { readonly kind: "parameter"; readonly index: number }

// Node kinds mathjs can produce that the model language refuses, with the reason given.
const REFUSED: Readonly<Record<string, string>> = {
  AssignmentNode: "assignments are not allowed",
  FunctionAssignmentNode: "function definitions are not allowed",
  ConditionalNode: "conditionals (a ? b : c) are not allowed",
  ArrayNode: "matrices are not allowed",
  RangeNode: "ranges are not allowed",
  RelationalNode: "comparisons are not allowed",
  BlockNode: "an equation is one expression (no ; or line breaks)",
  AccessorNode: "indexing is not allowed",
  IndexNode: "indexing is not allowed",
  ObjectNode: "objects are not allowed",
}

const COMPARISONS = new Set(["larger", "smaller", "largerEq", "smallerEq", "equal", "unequal", "compare"])

/**
 * Parses and validates one equation's right-hand side.
 * @param scope every name the equation may use
 * @param path where a refusal points, e.g. `["equations", "gdp"]`
 * @throws ModelError naming the problem (syntax with character position, unknown identifier, ...)
 */
export const parseEquation = (text: string, scope: ReadonlyMap<string, SymbolInfo>, path: FieldPath): Expr => {
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

  const lagDepth = (name: string, args: readonly MathNode[]): number => {
    const form =
      `a lag is written ${name}(-k) with k a positive integer literal` +
      (isAllowedFunction(name) ? ` ("${name}" is a name of this model, so it hides the function ${name})` : "")
    if (args.length !== 1) return fail(form)
    let a = args[0] as any
    while (a.type === "ParenthesisNode") a = a.content
    if (a.type !== "OperatorNode" || a.fn !== "unaryMinus") return fail(form)
    let k = a.args[0]
    while (k.type === "ParenthesisNode") k = k.content
    if (k.type !== "ConstantNode" || typeof k.value !== "number" || !Number.isInteger(k.value) || k.value < 1) return fail(form)
    return k.value as number
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
        if (s === undefined) return fail(`unknown identifier "${n.name}"`)
        return s.kind === "parameter" ? { kind: "param", index: s.index } : { kind: s.kind === "endogenous" ? "endo" : "exo", index: s.index, lag: 0 }
      }
      case "OperatorNode": {
        if (n.implicit) return fail(`implicit multiplication is not allowed: write "*" (as in "2 * x"), since "1/2x" would read as "(1/2)*x"`)
        if (!isAllowedOperator(n.fn))
          return fail(COMPARISONS.has(n.fn) ? `comparisons are not allowed (operator "${n.op}")` : `operator "${n.op}" is not allowed`)
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
          const k = lagDepth(name, n.args)
          if (k > s.history)
            return fail(
              s.history === 0
                ? `${name}(-${k}) is a lag beyond the data: ${s.kind} "${name}" has no history (give it one)`
                : `${name}(-${k}) is a lag beyond the data: ${s.kind} "${name}" has ${s.history} periods of history`,
            )
          return { kind: s.kind === "endogenous" ? "endo" : "exo", index: s.index, lag: k }
        }
        if (!isAllowedFunction(name)) return fail(`function "${name}" is not allowed (allowed: ${Object.keys(FUNCTIONS).join(", ")})`)
        const rule = FUNCTIONS[name]!
        if (n.args.length < rule.minArgs || n.args.length > rule.maxArgs)
          return fail(
            name === "log"
              ? `log takes one argument (the natural logarithm); write log(x) / log(b) for another base`
              : `function "${name}" takes ${rule.minArgs === rule.maxArgs ? rule.minArgs : `at least ${rule.minArgs}`} argument(s), got ${n.args.length}`,
          )
        return { kind: "call", fn: name as "abs", args: n.args.map(visit) }
      }
      default:
        return fail(REFUSED[n.type] ?? `"${n.type}" is not allowed in an equation`)
    }
  }
  return visit(root)
}
