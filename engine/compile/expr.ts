// The compiler's expression tree: a validated equation's mathjs AST with every identifier
// resolved to a kind and an index (endogenous, exogenous, parameter) and every lag to a depth.
// parse.ts builds it from mathjs nodes, jacobian.ts differentiates it, codegen.ts emits
// JavaScript from it. Invariant: only whitelisted operators/functions, plus `sign`, which only
// symbolic derivatives introduce. Pure.

export type BinaryOp = "+" | "-" | "*" | "/" | "^"
export type CallName = "abs" | "exp" | "log" | "sqrt" | "min" | "max" | "sign"

export type Expr =
  | { readonly kind: "num"; readonly value: number }
  | { readonly kind: "endo"; readonly index: number; readonly lag: number }
  | { readonly kind: "exo"; readonly index: number; readonly lag: number }
  | { readonly kind: "param"; readonly index: number }
  | { readonly kind: "neg"; readonly arg: Expr }
  | { readonly kind: "bin"; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr }
  | { readonly kind: "call"; readonly fn: CallName; readonly args: readonly Expr[] }

/** Calls `visit` on every node of `e`, parents before children. */
export const walk = (e: Expr, visit: (node: Expr) => void): void => {
  visit(e)
  switch (e.kind) {
    case "neg":
      walk(e.arg, visit)
      break
    case "bin":
      walk(e.left, visit)
      walk(e.right, visit)
      break
    case "call":
      for (const a of e.args) walk(a, visit)
      break
    default:
      break
  }
}

/** Endogenous variables `e` reads in the current period (lag 0), sorted, without repeats. */
export const currentEndogenous = (e: Expr): number[] => {
  const seen = new Set<number>()
  walk(e, (n) => {
    if (n.kind === "endo" && n.lag === 0) seen.add(n.index)
  })
  return [...seen].sort((a, b) => a - b)
}

/** The deepest lag `e` reads, 0 when it reads none. */
export const maxLag = (e: Expr): number => {
  let m = 0
  walk(e, (n) => {
    if ((n.kind === "endo" || n.kind === "exo") && n.lag > m) m = n.lag
  })
  return m
}
